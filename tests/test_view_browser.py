"""The network view and the timeline in a real browser: Debian's headless Chromium via Playwright.

Every request is routed: the page may load only its own file, and a test fails if anything
else is asked for. Skipped, with the reason, where /usr/bin/chromium or Playwright is missing
(CI installs both, so there they always run); never a browser downloaded by Playwright.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from _browser import BAD_URLS, CHROMIUM_ARGS, HOSTILE, Opened
from ssegraph.cli import cli
from ssegraph.view import HtmlView, render_html, write_html

pytestmark = pytest.mark.browser

DATA = Path(__file__).parent / "data"
ONTOLOGY = Path(__file__).parent.parent / "ontology"


def typed_graph(n: int, seed: int = 1) -> nx.MultiDiGraph:
    """A projection-shaped graph of n nodes: types, labels, dates, sources, labelled edges."""
    rnd = random.Random(seed)
    kinds = ["organisation"] * 5 + ["person"] * 2 + ["milestone"] * 2 + ["event", "place"]
    G = nx.MultiDiGraph()
    for i in range(n):
        kind = kinds[i % len(kinds)] if i < len(kinds) else rnd.choice(kinds)
        G.add_node(f"id:n{i}", label=f"{kind.title()} {i}", type=kind, iri=f"https://w3id.org/ssegraph/id/n{i}",
                   sources=f"https://example.org/{i}")
    for j, (u, v) in enumerate(nx.barabasi_albert_graph(n, 2, seed=seed).edges()):
        G.add_edge(f"id:n{u}", f"id:n{v}", id=f"e{j}", label="linked to", predicate="org:linkedTo")
    return G


def hostile_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    for i, text in enumerate(HOSTILE):
        G.add_node(f"id:evil-{i}", label=text, type="organisation" if i % 2 else "person", acronym=text,
                   date=text, iri=f"https://w3id.org/ssegraph/id/evil-{i}",
                   sources=f"{BAD_URLS} https://example.org/ok-{i}")
    for i in range(1, len(HOSTILE)):
        G.add_edge("id:evil-0", f"id:evil-{i}", id=f"e{i}", label=HOSTILE[i], role=HOSTILE[-i],
                   source="javascript:window.__xss=8")
    return G


def counts(opened: Opened) -> tuple[int, int]:
    return tuple(opened.page.evaluate("[ssegraph.nodes.length, ssegraph.edges.length]"))


def node_point(opened: Opened, node_id: str) -> tuple[float, float]:
    """Where a node is drawn, in page coordinates."""
    return tuple(opened.page.evaluate(
        """(id) => {
             const n = ssegraph.network, p = n.canvasToDOM(n.getPositions([id])[id]);
             const r = document.getElementById("network").getBoundingClientRect();
             return [r.left + p.x, r.top + p.y];
           }""", node_id))


def assert_not_covered(opened: Opened, node_id: str) -> None:
    """The node is drawn inside the network area and under no panel (controls, details)."""
    x, y = node_point(opened, node_id)
    page = opened.page
    box = page.locator("#network").bounding_box()
    assert box["x"] <= x <= box["x"] + box["width"] and box["y"] <= y <= box["y"] + box["height"]
    for panel in ("#controls", "#details"):
        if page.locator(panel).is_visible():
            b = page.locator(panel).bounding_box()
            inside = b["x"] - 4 <= x <= b["x"] + b["width"] + 4 and b["y"] - 4 <= y <= b["y"] + b["height"] + 4
            assert not inside, f"{node_id} at {x:.0f},{y:.0f} is hidden by {panel} {b}"


def assert_labels_do_not_overlap(opened: Opened) -> None:
    """The labels drawn (their boxes on screen, as vis-network measured them) do not overlap."""
    boxes = opened.page.evaluate(
        """() => ssegraph.labelled().map(id => {
             const n = ssegraph.network.body.nodes[id], s = ssegraph.network.getScale();
             const p = ssegraph.network.canvasToDOM({x: n.x, y: n.y});
             const w = n.labelModule.size.width * s, h = n.labelModule.size.height * s;
             const shift = (n.options.font.vadjust || 0) * s;  // a label drawn above its node
             const top = ssegraph.network.canvasToDOM({x: n.x, y: n.labelModule.size.top}).y + shift;
             return [id, p.x - w / 2, top, p.x + w / 2, top + h];
           })""")
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            overlap = min(a[3], b[3]) - max(a[1], b[1]) > 2 and min(a[4], b[4]) - max(a[2], b[2]) > 2
            assert not overlap, f"labels of {a[0]} and {b[0]} overlap"


def no_unsafe_dom(opened: Opened) -> None:
    page = opened.page
    hrefs = page.evaluate("Array.from(document.querySelectorAll('a')).map(a => a.href)")
    assert all(h.startswith(("http://", "https://")) for h in hrefs), hrefs
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed, [onerror], [onload], "
                         "[onmouseover]').length") == 0
    assert page.evaluate("document.scripts.length") == 4  # data, vis-network, shared helpers, the view


# -- rendering and the offline rule ---------------------------------------------------------


def test_renders_offline_with_every_node(open_page, tmp_path):
    G = typed_graph(300)
    write_html(G, tmp_path / "v.html", title="Three hundred", caption="a synthetic graph")
    opened = open_page(tmp_path / "v.html")
    assert counts(opened) == (300, G.number_of_edges())
    page = opened.page
    assert page.inner_text("h1") == "Three hundred"
    assert page.inner_text("#caption") == "a synthetic graph"
    assert page.locator("#network canvas").count() == 1
    assert page.evaluate("ssegraph.network.physics.options.enabled") is False
    legend = page.inner_text("#legend")
    for name in ("Organisations", "People", "Milestones", "Events", "Places"):
        assert name in legend
    labelled = page.evaluate("ssegraph.labelled().length")
    assert 5 <= labelled <= 40  # some hubs labelled at the opening zoom, not all 300
    assert page.evaluate("window.network === ssegraph.network")
    opened.assert_clean()



def cli_view(tmp_path: Path, fixture: str, *extra: str) -> Path:
    out = tmp_path / "view.html"
    r = CliRunner().invoke(cli, ["--cache-dir", str(tmp_path / "cache"), "--data", str(DATA / fixture),
                                 "--data", str(ONTOLOGY), "view", "-o", str(out), *extra], catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    return out


def test_dataset_holds_the_projection(open_page, tmp_path):
    import ssegraph

    out = cli_view(tmp_path, "view-small.ttl")
    G = ssegraph.load([DATA / "view-small.ttl", ONTOLOGY], cache_dir=tmp_path / "cache").to_networkx()
    opened = open_page(out)
    assert counts(opened) == (G.number_of_nodes(), G.number_of_edges())
    ids = set(opened.page.evaluate("ssegraph.nodes.getIds()"))
    assert ids == {str(n) for n in G.nodes}
    opened.assert_clean()


def test_inline_in_a_notebook_iframe(open_page):
    """What Jupyter shows: the srcdoc iframe works with no server and no network."""
    G = typed_graph(40)
    frame_html = HtmlView(render_html(G, title="inline"), title="inline")._repr_html_()
    opened = open_page(content=frame_html, ready="")
    frame = opened.page.frame_locator("iframe")
    frame.locator("body[data-ready=true]").wait_for(state="attached", timeout=30_000)
    inner = opened.page.frames[1]
    assert inner.evaluate("ssegraph.nodes.length") == 40
    assert opened.blocked == [] and opened.errors == [] and opened.dialogs == []


# -- safety ---------------------------------------------------------------------------------


def check_hostile_page(opened: Opened, labels: list[str]) -> None:
    page = opened.page
    assert sorted(page.evaluate("ssegraph.nodes.get().map(n => n.name)")) == sorted(labels)
    page.evaluate("ssegraph.fit()")  # every node on screen
    for node_id in page.evaluate("ssegraph.nodes.getIds()"):
        label = page.evaluate("(id) => ssegraph.nodes.get(id).name", node_id)
        x, y = node_point(opened, node_id)
        # hover: the tooltip shows the label as text (no selection: its label would lie over other nodes)
        page.keyboard.press("Escape")
        page.mouse.move(2, 2)
        page.mouse.move(x, y, steps=3)
        page.wait_for_function(
            """(l) => { const t = document.getElementById("tip");
                        return t.style.display === "block" && t.textContent.includes(l); }""",
            arg=label, timeout=5_000)
        page.mouse.move(2, 2)
        # click: the details panel shows it as text, with only http(s) links
        page.mouse.click(x, y)
        page.wait_for_selector("#details", state="visible")
        assert label in page.inner_text("#details-body")
        no_unsafe_dom(opened)
    page.wait_for_timeout(300)  # give any injected handler the chance to fire
    opened.assert_clean()


def test_hostile_text_is_shown_as_text(open_page, tmp_path):
    write_html(hostile_graph(), tmp_path / "evil.html", title=HOSTILE[0], caption=HOSTILE[1])
    opened = open_page(tmp_path / "evil.html")
    assert opened.page.inner_text("h1") == HOSTILE[0]
    assert opened.page.inner_text("#caption") == HOSTILE[1]
    assert opened.page.title() == HOSTILE[0]
    # hostile source URLs are listed as text, never as links
    opened.page.evaluate("ssegraph.search('id:evil-1')")
    details = opened.page.inner_text("#details-body")
    assert "javascript:window.__xss=5" in details and "example.org/ok-1" in details
    assert opened.page.evaluate("document.querySelectorAll('#details-body a').length") == 1
    check_hostile_page(opened, HOSTILE)


def test_hostile_fixture_through_the_cli(open_page, tmp_path):
    out = cli_view(tmp_path, "view-unsafe.ttl")
    opened = open_page(out)
    labels = opened.page.evaluate("ssegraph.nodes.get().map(n => n.name)")
    for text in ("<script>window.__xss=1</script>", "<img src=x onerror=\"window.__xss=3\">",
                 "</script><script>window.__xss=4</script><!--"):
        assert text in labels
    check_hostile_page(opened, labels)


# -- interaction ----------------------------------------------------------------------------


def test_search_centres_the_node(open_page, tmp_path):
    G = typed_graph(400)
    write_html(G, tmp_path / "v.html", title="search")
    opened = open_page(tmp_path / "v.html")
    page = opened.page
    node_id, target = "id:n321", G.nodes["id:n321"]["label"]
    before = page.evaluate("ssegraph.network.getViewPosition()")
    page.fill("#search", target.lower())
    page.press("#search", "Enter")
    page.wait_for_function("(id) => ssegraph.selected() === id", arg=node_id, timeout=5_000)
    after = page.evaluate("ssegraph.network.getViewPosition()")
    assert math.hypot(after["x"] - before["x"], after["y"] - before["y"]) > 1
    assert page.evaluate("ssegraph.network.getSelectedNodes()") == [node_id]
    assert target in page.inner_text("#details-body")
    # the centred node is in the part of the drawing no panel covers
    assert_not_covered(opened, node_id)
    page.fill("#search", "no such thing")
    page.press("#search", "Enter")
    assert "no node matches" in page.inner_text("#status")
    opened.assert_clean()


def test_hiding_a_type_removes_its_nodes(open_page, tmp_path):
    G = typed_graph(200)
    people = {n for n, a in G.nodes(data=True) if a["type"] == "person"}
    write_html(G, tmp_path / "v.html", title="filter")
    opened = open_page(tmp_path / "v.html")
    page = opened.page
    drawn = "ssegraph.network.body.nodeIndices.length"
    assert page.evaluate(drawn) == 200
    page.locator("#legend input[data-type=person]").uncheck()
    assert page.evaluate(drawn) == 200 - len(people)
    shown = set(page.evaluate("ssegraph.nodesView.getIds()"))
    assert shown.isdisjoint(people) and len(shown) == 200 - len(people)
    edges = page.evaluate("ssegraph.edgesView.get().map(e => [e.from, e.to])")
    assert all(a not in people and b not in people for a, b in edges)
    assert f"{200 - len(people)} of 200 nodes shown" in page.inner_text("#status")
    assert page.evaluate("ssegraph.nodes.length") == 200  # hidden, not lost
    page.locator("#legend input[data-type=person]").check()
    assert page.evaluate(drawn) == 200
    opened.assert_clean()


def test_click_highlights_the_neighbourhood(open_page, tmp_path):
    G = typed_graph(120)
    write_html(G, tmp_path / "v.html", title="click")
    opened = open_page(tmp_path / "v.html")
    page = opened.page
    hub = max(G.nodes, key=lambda n: len(set(G.predecessors(n)) | set(G.successors(n))))
    x, y = node_point(opened, hub)
    page.mouse.click(x, y)
    page.wait_for_selector("#details", state="visible")
    around = set(G.predecessors(hub)) | set(G.successors(hub)) | {hub}
    dimmed = set(page.evaluate(
        "ssegraph.nodes.get().filter(n => (n.color || {}).background === '#e4e4e4').map(n => n.id)"))
    assert dimmed == set(G.nodes) - around
    assert f"Linked to {len(around) - 1} entities" in page.inner_text("#details-body")
    named = page.evaluate("ssegraph.edges.get().filter(e => e.label).map(e => e.id)")
    hub_edges = {a["id"] for *_, a in G.in_edges(hub, data=True)} | {a["id"] for *_, a in G.out_edges(hub, data=True)}
    assert set(named) == hub_edges  # only the highlighted node's links are labelled
    box = page.locator("#network").bounding_box()
    page.mouse.click(box["x"] + 5, box["y"] + box["height"] - 5)  # the background clears it
    page.wait_for_function("() => ssegraph.nodes.get().every(n => (n.color || {}).background !== '#e4e4e4')")
    assert page.evaluate("ssegraph.edges.get().filter(e => e.label).length") == 0
    opened.assert_clean()


# -- scale ----------------------------------------------------------------------------------


def test_two_thousand_nodes_are_still_and_readable(open_page, tmp_path):
    """How fast is measured in benchmarks/views.py; here: still, labelled without overlap, searchable."""
    G = typed_graph(2000)
    write_html(G, tmp_path / "big.html", title="2,000 nodes")
    opened = open_page(tmp_path / "big.html", width=1400, height=900)
    page = opened.page
    assert counts(opened) == (2000, G.number_of_edges())
    first = page.evaluate("ssegraph.network.getPositions(['id:n0', 'id:n1999'])")
    page.wait_for_timeout(500)
    assert page.evaluate("ssegraph.network.getPositions(['id:n0', 'id:n1999'])") == first
    assert_labels_do_not_overlap(opened)
    assert 5 <= len(page.evaluate("ssegraph.labelled()")) <= 80
    page.evaluate("(l) => ssegraph.search(l)", G.nodes["id:n1500"]["label"])
    assert page.evaluate("ssegraph.selected()") == "id:n1500"
    opened.assert_clean()


# -- the timeline ---------------------------------------------------------------------------


def cli_timeline(tmp_path: Path, fixture: str) -> Path:
    out = tmp_path / "timeline.html"
    r = CliRunner().invoke(cli, ["--cache-dir", str(tmp_path / "cache"), "--data", str(DATA / fixture),
                                 "--data", str(ONTOLOGY), "timeline", "-o", str(out)], catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    return out


def test_timeline_renders_offline(open_page, tmp_path):
    opened = open_page(cli_timeline(tmp_path, "view-small.ttl"))
    page = opened.page
    assert page.locator("svg#timeline .item").count() == 4
    assert page.locator("svg#timeline .link").count() == 3
    assert page.evaluate("window.ssegraphTimeline.items") == 4
    item = page.locator("svg#timeline .item.approx .mark").first
    item.hover()
    page.wait_for_selector("#tip", state="visible")
    assert "placed mid-" in page.inner_text("#tip")
    assert page.locator("svg#timeline .link.on").count() >= 1  # its links light up
    item.click()
    assert page.locator("#details a").count() == 1
    assert page.evaluate("document.querySelector('#details a').href") == "https://example.org/policy/timeline"
    opened.assert_clean()


def test_timeline_hostile_text(open_page, tmp_path):
    opened = open_page(cli_timeline(tmp_path, "view-unsafe.ttl"))
    page = opened.page
    labels = page.evaluate("Array.from(document.querySelectorAll('svg#timeline .item .label'), t => t.textContent)")
    assert "<b onmouseover=window.__xss=10>RES</b>" in labels
    assert any(t.startswith("<iframe src=javascript:window.__xss=12>") for t in labels)  # clipped to fit
    for i in range(page.locator("svg#timeline .item").count()):
        mark = page.locator("svg#timeline .item .mark").nth(i)
        mark.hover()
        page.wait_for_selector("#tip", state="visible")
        mark.click()
        page.wait_for_selector("#details", state="visible")
        hrefs = page.evaluate("Array.from(document.querySelectorAll('a')).map(a => a.href)")
        assert all(h.startswith(("http://", "https://")) for h in hrefs), hrefs
    page.locator("svg#timeline .item.milestone .mark").click()
    details = page.inner_text("#details-body")
    assert "javascript:window.__xss=5" in details  # listed as text
    assert page.evaluate("Array.from(document.querySelectorAll('#details a')).map(a => a.protocol)") == ["https:"]
    assert page.evaluate("document.querySelectorAll('img, iframe, [onload], [onerror], [onmouseover]').length") == 0
    page.wait_for_timeout(300)
    opened.assert_clean()


def test_the_docs_screenshot_script_works(browser, tmp_path):
    """docs/make_screenshot.py draws docs/view.png with this same browser; check it on a small view."""
    import importlib.util

    script = Path(__file__).parent.parent / "docs" / "make_screenshot.py"
    spec = importlib.util.spec_from_file_location("make_screenshot", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.CHROMIUM_ARGS == CHROMIUM_ARGS
    # the pictures are made by the README's own commands
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for command in (module.VIEW_COMMAND, module.TIMELINE_COMMAND, module.SITE_COMMAND):
        assert ".venv/bin/ssegraph " + " ".join(command) in readme, command
    G = typed_graph(60)
    write_html(G, tmp_path / "v.html", title="screenshot")
    out = module.screenshot(tmp_path / "v.html", tmp_path / "v.png", width=900, height=600,
                            hover=G.nodes["id:n0"]["label"], browser=browser)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# -- the bundled data: what an analyst does ---------------------------------------------------


@pytest.fixture(scope="module")
def bundled(kg, tmp_path_factory) -> Path:
    """The whole bundled graph as `ssegraph view -o sse.html` writes it."""
    out = tmp_path_factory.mktemp("bundled") / "sse.html"
    kg.view(out)
    return out


def named_links(page) -> set[str]:
    return set(page.evaluate("ssegraph.edges.get().filter(e => e.label).map(e => e.id)"))


def links_of(page, node_id: str) -> set[str]:
    return set(page.evaluate("(id) => ssegraph.edges.get().filter(e => e.from === id || e.to === id).map(e => e.id)",
                             node_id))


def test_link_names_only_for_the_one_selection(open_page, bundled):
    opened = open_page(bundled)
    page = opened.page
    assert named_links(page) == set()
    page.evaluate("ssegraph.select('id:ripess')")
    assert named_links(page) == links_of(page, "id:ripess") != set()
    page.evaluate("ssegraph.search('ILO')")
    assert page.evaluate("ssegraph.selected()") == "id:ilo"
    assert named_links(page) == links_of(page, "id:ilo")  # RIPESS's names are gone
    page.keyboard.press("Escape")
    assert named_links(page) == set() and page.evaluate("ssegraph.selected()") is None
    assert not page.locator("#details").is_visible()
    page.evaluate("ssegraph.select('id:untfsse')")
    page.click("#details-close")
    assert named_links(page) == set() and page.evaluate("ssegraph.selected()") is None
    page.evaluate("ssegraph.select('id:untfsse')")
    page.evaluate("ssegraph.network.moveTo({position: {x: 1e5, y: 1e5}, scale: 1})")  # empty canvas under the pointer
    box = page.locator("#network").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert named_links(page) == set() and page.evaluate("ssegraph.selected()") is None
    opened.assert_clean()


def test_click_opens_the_panel_not_the_tooltip_and_hubs_are_clickable(open_page, bundled):
    opened = open_page(bundled)
    page = opened.page
    page.evaluate("ssegraph.network.focus('id:untfsse', {scale: 3.4, animation: false})")
    x, y = node_point(opened, "id:untfsse")
    page.mouse.move(x, y, steps=3)
    page.wait_for_selector("#tip", state="visible")
    page.mouse.click(x, y)
    assert page.evaluate("ssegraph.selected()") == "id:untfsse"  # the hub, not a satellite drawn over it
    assert not page.locator("#tip").is_visible()
    panel = page.inner_text("#details-body")
    assert "UN Inter-Agency Task Force on Social and Solidarity Economy" in panel
    data = page.evaluate("() => JSON.parse(document.getElementById('ssegraph-data').textContent)")
    dated = [e for e in data["edges"] if "id:untfsse" in (e["from"], e["to"]) and e["role"] and e["start"]]
    assert dated, "the data gives dated roles in the Task Force"
    rows = page.evaluate("Array.from(document.querySelectorAll('#details-body ul.links li'), li => li.innerText)")
    for e in dated[:5]:  # neighbours with their role and dates
        assert any(e["label"] in row and e["start"] in row for row in rows), e
    assert "A/RES/77/281" in panel  # and symbols
    assert page.locator("#details-body ul.sources a").count() >= 1  # sources are links…
    assert page.locator("#details-body ul.sources blockquote").count() >= 1  # …with their quotes
    # labels are placed again at this zoom: the hub's neighbourhood is labelled without overlap
    assert "id:untfsse" in page.evaluate("ssegraph.labelled()")
    assert_labels_do_not_overlap(opened)
    opened.assert_clean()


def test_labels_identify_at_open_and_follow_the_zoom(open_page, bundled):
    opened = open_page(bundled)
    page = opened.page
    shown = set(page.evaluate("ssegraph.labelled()"))
    for hub in ("id:untfsse", "id:ilo", "id:ripess", "id:gsef"):
        assert hub in shown
    kinds = page.evaluate("(ids) => ids.map(id => ssegraph.nodes.get(id).type)", sorted(shown))
    assert "place" not in kinds and "event" not in kinds  # places and meetings only on zoom
    texts = page.evaluate("(ids) => ids.map(id => ssegraph.nodes.get(id).label)", sorted(shown))
    assert "ILO" in texts and "UNTFSSE" in texts  # acronyms, not cut-off names
    assert_labels_do_not_overlap(opened)
    page.evaluate("ssegraph.network.focus('id:place-seoul', {scale: 4, animation: false}); ssegraph.zoomBy(1.01)")
    page.wait_for_function("() => ssegraph.labelled().includes('id:place-seoul')", timeout=5_000)
    assert_labels_do_not_overlap(opened)
    opened.assert_clean()


def test_relation_colours_and_legend_toggles(open_page, bundled):
    from ssegraph.model import RELATION_FAMILIES

    colours = {f.key: f.colour for f in RELATION_FAMILIES}
    opened = open_page(bundled)
    page = opened.page
    drawn = page.evaluate("""() => ssegraph.edges.get().map(e => [e.id, e.color.color])""")
    fams = dict(page.evaluate("() => JSON.parse(document.getElementById('ssegraph-data').textContent)"
                              ".edges.map(e => [e.id, e.fam])"))
    assert {c for _, c in drawn} == {colours[f] for f in fams.values()}
    assert all(c == colours[fams[k]] for k, c in drawn)
    legend = page.inner_text("#families")
    assert "Membership" in legend and "Policy lineage" in legend
    lineage = {k for k, f in fams.items() if f == "lineage"}
    total = page.evaluate("ssegraph.edgesView.length")
    page.locator("#families input[data-family=lineage]").uncheck()
    left = set(page.evaluate("ssegraph.edgesView.getIds()"))
    assert left.isdisjoint(lineage) and len(left) == total - len(lineage)
    assert "links=-lineage" in page.evaluate("location.hash")
    page.locator("#families input[data-family=lineage]").check()
    assert page.evaluate("ssegraph.edgesView.length") == total
    opened.assert_clean()


def test_period_filter_keeps_what_was_active(open_page, bundled, kg):
    opened = open_page(bundled)
    page = opened.page
    page.fill("#year-from", "2014")
    page.fill("#year-to", "2016")
    page.press("#year-to", "Enter")
    page.locator("#year-to").blur()
    data = page.evaluate("() => JSON.parse(document.getElementById('ssegraph-data').textContent)")
    shown = set(page.evaluate("ssegraph.nodesView.getIds()"))
    links = set(page.evaluate("ssegraph.edgesView.getIds()"))
    assert 0 < len(shown) < len(data["nodes"])
    for n in data["nodes"]:
        if n["id"] in shown and n["t0"] is not None:
            assert n["t0"] < 2017 and (n["t1"] is None or n["t1"] >= 2014), n["id"]
    for e in data["edges"]:
        if e["t0"] is not None and (e["t0"] >= 2017 or (e["t1"] is not None and e["t1"] < 2014)):
            assert e["id"] not in links  # a membership or post outside the period
    milestones = {n["id"] for n in data["nodes"] if n["type"] == "milestone" and n["id"] in shown}
    assert "id:a-res-77-281" not in milestones and "id:a-res-70-1" in milestones  # 2023 out, 2015 in
    assert "from=2014" in page.evaluate("location.hash") and "to=2016" in page.evaluate("location.hash")
    page.click("#period-clear")
    assert page.evaluate("ssegraph.nodesView.length") == len(data["nodes"])
    opened.assert_clean()


def test_url_fragment_round_trip(open_page, bundled):
    opened = open_page(bundled)
    page = opened.page
    page.evaluate("ssegraph.select('id:ilo')")
    page.evaluate("ssegraph.setPeriod(2010, 2024)")
    page.locator("#legend input[data-type=place]").uncheck()
    page.locator("#families input[data-family=participation]").uncheck()
    page.evaluate("ssegraph.zoomBy(2)")
    page.wait_for_timeout(200)
    state = page.evaluate("ssegraph.state()")
    url = page.evaluate("location.href")
    assert "#" in url and "sel=id%3Ailo" in url
    again = open_page(bundled, fragment="#" + url.split("#", 1)[1])  # a fresh page opened with the link
    page2 = again.page
    assert page2.evaluate("ssegraph.state()") == state
    assert page2.evaluate("ssegraph.selected()") == "id:ilo"
    assert page2.locator("#legend input[data-type=place]").is_checked() is False
    assert page2.input_value("#year-from") == "2010" and page2.input_value("#year-to") == "2024"
    assert abs(page2.evaluate("ssegraph.network.getScale()") - page.evaluate("ssegraph.network.getScale()")) < 1e-3
    assert named_links(page2) == links_of(page2, "id:ilo")
    opened.assert_clean()
    again.assert_clean()


def test_png_download(open_page, bundled, tmp_path):
    opened = open_page(bundled)
    page = opened.page
    with page.expect_download() as info:
        page.click("#download")
    path = tmp_path / "view.png"
    info.value.save_as(path)
    payload = path.read_bytes()
    assert payload[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(payload[16:20], "big"), int.from_bytes(payload[20:24], "big")
    box = page.locator("#network canvas").bounding_box()
    assert (width, height) == (round(box["width"]), round(box["height"]))
    assert info.value.suggested_filename == "ssegraph-view.png"
    opened.assert_clean()


@pytest.mark.parametrize("query, expected", [
    ("COM(2021) 778", "id:com-2021-778"),  # a symbol, whatever the spacing and punctuation
    ("com 2021/778", "id:com-2021-778"),
    ("a/res/77/281", "id:a-res-77-281"),
    ("ILO", "id:ilo"),  # acronyms
    ("untfsse", "id:untfsse"),
    ("TFSSE", "id:untfsse"),  # another name the data gives
    ("social economy action plan", "id:com-2021-778"),  # title words: in the short list to choose from
])
def test_search_by_symbol_acronym_and_words(open_page, bundled, query, expected):
    opened = open_page(bundled)
    page = opened.page
    page.fill("#search", query)
    page.wait_for_selector("#matches button")
    options = page.evaluate("Array.from(document.querySelectorAll('#matches button'), b => b.dataset.id)")
    assert expected in options and len(options) <= 8
    if " " in query and not any(c.isdigit() for c in query):
        page.click(f"#matches button[data-id='{expected}']")  # several texts share these words: choose one
    else:
        page.press("#search", "Enter")  # a symbol or an acronym: the first match is the one
    assert page.evaluate("ssegraph.selected()") == expected
    opened.assert_clean()


def test_search_in_every_language(open_page, tmp_path):
    out = cli_view(tmp_path, "view-small.ttl")
    opened = open_page(out)
    page = opened.page
    assert page.evaluate("ssegraph.matches('Alliance pour la solidarité')")[0] == "id:view-alliance"
    page.fill("#search", "pour la solidarite")  # accents ignored
    page.wait_for_selector("#matches button")
    page.click("#matches button >> nth=0")
    assert page.evaluate("ssegraph.selected()") == "id:view-alliance"
    opened.assert_clean()


def test_mobile_panels_do_not_hide_the_selection(open_page, bundled):
    opened = open_page(bundled, width=390, height=760)
    page = opened.page
    for query, node in (("ILO", "id:ilo"), ("RIPESS", "id:ripess"), ("A/RES/77/281", "id:a-res-77-281")):
        page.fill("#search", query)
        page.press("#search", "Enter")
        assert page.evaluate("ssegraph.selected()") == node
        assert page.locator("#details").is_visible()
        assert_not_covered(opened, node)
    assert not page.locator("#legend").is_visible()  # filters fold away on a phone…
    page.click("#filters-toggle")
    assert page.locator("#legend").is_visible()  # …and open on demand
    opened.assert_clean()


@pytest.fixture(scope="module")
def bundled_timeline(kg, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundled-timeline") / "timeline.html"
    kg.timeline(out)
    return out


def test_timeline_opens_on_the_2020s_with_sticky_lanes_and_axis(open_page, bundled_timeline):
    opened = open_page(bundled_timeline, width=1400, height=860)
    page = opened.page
    first, last = page.evaluate("ssegraphTimeline.range()")
    assert first <= 2020 and last >= 2024 and last - first <= 20  # the recent years, not 1895-1920
    # items of the 2020s are on the first screen
    on_screen = page.evaluate("""() => Array.from(document.querySelectorAll('#timeline .item .mark')).filter(m => {
        const r = m.getBoundingClientRect();
        return r.left > 0 && r.right < innerWidth && r.top > 0 && r.bottom < innerHeight; }).length""")
    assert on_screen >= 5
    lanes, axis = page.locator("#lanes").bounding_box(), page.locator("#axis").bounding_box()
    page.evaluate("document.getElementById('scroll').scrollBy(600, 500)")
    page.wait_for_timeout(100)
    assert page.locator("#lanes").bounding_box()["x"] == lanes["x"]  # lane names stay at the left
    assert page.locator("#axis").bounding_box()["y"] == axis["y"]  # the year axis stays on top
    assert page.locator("#lanes .lane-label").first.text_content()
    # zoom: the buttons and Ctrl + wheel change the years per screen
    before = page.evaluate("ssegraphTimeline.ppy()")
    page.click("#zoom-in")
    assert page.evaluate("ssegraphTimeline.ppy()") > before
    box = page.locator("#scroll").bounding_box()
    page.mouse.move(box["x"] + 600, box["y"] + 200)
    page.keyboard.down("Control")
    page.mouse.wheel(0, 400)
    page.keyboard.up("Control")
    page.wait_for_timeout(100)
    assert page.evaluate("ssegraphTimeline.ppy()") < before * 1.5
    assert "ppy=" in page.evaluate("location.hash")
    opened.assert_clean()


def test_timeline_opens_on_the_range_given(open_page, tmp_path, cache_dir):
    out = tmp_path / "t.html"
    r = CliRunner().invoke(cli, ["--cache-dir", str(cache_dir), "timeline", "--since", "2008", "--until", "2012",
                                 "-o", str(out)], catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    opened = open_page(out)
    first, last = opened.page.evaluate("ssegraphTimeline.range()")
    assert 2007.5 <= first <= 2008.5 and 2012.5 <= last <= 2016  # the years given, and room for their labels
    opened.assert_clean()


def test_timeline_state_in_the_url_and_on_a_phone(open_page, bundled_timeline):
    opened = open_page(bundled_timeline, fragment="#at=2005&ppy=40", width=390, height=760)
    page = opened.page
    first, last = page.evaluate("ssegraphTimeline.range()")
    assert abs(first - 2005) < 0.6 and page.evaluate("ssegraphTimeline.ppy()") == 40
    lanes = page.locator("#lanes").bounding_box()
    assert lanes["width"] <= 160  # the lane names leave most of a phone's width to the drawing
    mark = page.locator("#timeline .item .mark").first
    mark.scroll_into_view_if_needed()
    mark.click()
    assert page.locator("#details").is_visible() and "sel=" in page.evaluate("location.hash")
    opened.assert_clean()
