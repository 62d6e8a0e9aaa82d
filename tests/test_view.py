"""The network view without a browser: escaping, offline assets, limits, saving, the CLI.

What the page does in a real browser is in test_view_browser.py; here the HTML text itself is
checked, since the rules (no CDN, no raw data in markup, JSON that cannot close its element,
only http(s) links) are visible in the file.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from ssegraph.cli import cli
from ssegraph.errors import ExportError
from ssegraph.view import (
    HtmlView,
    compute_layout,
    is_web_url,
    json_for_html,
    render_html,
    view,
    vis_assets,
    write_html,
)

DATA = Path(__file__).parent / "data"
ONTOLOGY = Path(__file__).parent.parent / "ontology"

HOSTILE = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=\"window.__xss=3\">",
    "</script><script>window.__xss=4</script><!--",
    "'\"--></style></script><svg onload=window.__xss=9>",
    "{{7*7}} ${7*7} <%= 7*7 %>",
    "\u2028</title>&amp;&lt;",
]


def small_graph() -> nx.MultiDiGraph:
    """A projection-shaped graph: CURIE ids, the contract's attributes, one of each type."""
    G = nx.MultiDiGraph()
    G.add_node("id:alliance", label="Alliance for Solidarity", type="organisation", acronym="AFS",
               iri="https://w3id.org/ssegraph/id/alliance", founded="2001",
               sources="https://example.org/alliance")
    G.add_node("id:network", label="Réseau coopératif", type="organisation", acronym="CoopNet",
               iri="https://w3id.org/ssegraph/id/network", sources="https://example.org/alliance")
    G.add_node("id:ana", label="Ana Example", type="person", iri="https://w3id.org/ssegraph/id/ana",
               sources="https://example.org/alliance")
    G.add_node("id:res", label="Resolution on the SSE", type="milestone", symbol="RC/2019/1", date="2019-05-02",
               iri="https://w3id.org/ssegraph/id/res", sources="https://example.org/policy")
    G.add_node("id:forum", label="Solidarity Forum", type="event", start="2020-03-01", end="2020-03-03",
               iri="https://w3id.org/ssegraph/id/forum", sources="https://example.org/forum")
    G.add_node("id:lyon", label="Lyon", type="place", iri="https://w3id.org/ssegraph/id/lyon", sources="")
    G.add_edge("id:network", "id:alliance", key="e1", id="e1", label="observer of", predicate="sse:observerOf",
               role="observer", start="2020", source="https://example.org/alliance")
    G.add_edge("id:ana", "id:alliance", key="e2", id="e2", label="chair of", predicate="org:heldBy", role="chair")
    G.add_edge("id:res", "id:alliance", key="e3", id="e3", label="passed by", predicate="eli:passed_by")
    G.add_edge("id:forum", "id:alliance", key="e4", id="e4", label="organiser", predicate="schema:organizer")
    G.add_edge("id:forum", "id:lyon", key="e5", id="e5", label="location", predicate="schema:location")
    G.add_edge("id:network", "id:alliance", key="e6", id="e6", label="member of", predicate="org:memberOf")
    return G


def hostile_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    for i, text in enumerate(HOSTILE):
        G.add_node(f"id:evil-{i}", label=text, type="organisation" if i % 2 else "person", acronym=text,
                   iri=f"https://w3id.org/ssegraph/id/evil-{i}",
                   sources="javascript:window.__xss=5 JaVaScRiPt:alert(1) data:text/html,x https://example.org/ok")
    for i in range(1, len(HOSTILE)):
        G.add_edge("id:evil-0", f"id:evil-{i}", id=f"e{i}", label=HOSTILE[i], role=HOSTILE[-i],
                   source="javascript:window.__xss=6")
    return G


def page_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="ssegraph-data">(.*?)</script>', page, re.DOTALL)
    assert m, "no data element"
    return json.loads(m.group(1))


def scripts(page: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", page, re.DOTALL)


# -- the page -------------------------------------------------------------------------------


def test_page_is_self_contained():
    page = render_html(small_graph(), title="Small", caption="six nodes")
    js, css = vis_assets()
    assert js in page and css in page
    lowered = page.lower()
    assert "<link" not in lowered
    assert not re.search(r"""\s(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in lowered and "url(http" not in lowered
    for cdn in ("cdnjs", "jsdelivr", "unpkg", "bootstrap", "sourcemappingurl"):
        assert cdn not in lowered
    assert "lib/" not in re.sub(r"<script>.*?</script>", "", page, flags=re.DOTALL)


def test_csp_admits_exactly_the_inline_scripts():
    page = render_html(small_graph(), title="Small")
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1))
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    hashes = set(re.findall(r"'sha256-([^']+)'", csp))
    found = {base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts(page)}
    assert hashes == found and len(found) == 3  # vis-network, the shared helpers, the view


def test_data_matches_graph():
    G = small_graph()
    data = page_data(render_html(G, title="Small"))
    assert {n["id"] for n in data["nodes"]} == set(G.nodes)
    assert len(data["edges"]) == G.number_of_edges() == 6
    assert len({e["id"] for e in data["edges"]}) == 6
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id["id:network"]["label"] == "Réseau coopératif"
    assert ["Acronym", "AFS"] in by_id["id:alliance"]["info"]
    assert ["Founded", "2001"] in by_id["id:alliance"]["info"]
    assert by_id["id:alliance"]["src"] == [["https://example.org/alliance", ""]]
    # size by degree: distinct neighbours, not parallel edges
    assert by_id["id:alliance"]["value"] == 5
    assert by_id["id:network"]["value"] == 2
    assert [t["type"] for t in data["types"]] == ["organisation", "person", "milestone", "event", "place"]
    assert data["options"]["physics"]["enabled"] is False


def test_hostile_text_never_reaches_markup():
    G = hostile_graph()
    page = render_html(G, title="<script>window.__xss=20</script>", caption="\"><img src=x onerror=alert(1)>")
    outside = page
    for s in scripts(page):
        outside = outside.replace(s, "")
    for needle in ("<script>window.__xss", "<img src=x", "<svg onload", "</title><script", "<!--"):
        assert needle not in outside
    assert "&lt;script&gt;window.__xss=20&lt;/script&gt;" in page
    # the data element cannot be closed from inside, and parses back to the exact strings
    m = re.search(r'id="ssegraph-data">(.*?)</script>', page, re.DOTALL)
    assert "<" not in m.group(1) and ">" not in m.group(1) and "&" not in m.group(1)
    data = page_data(page)
    assert sorted(n["label"] for n in data["nodes"]) == sorted(HOSTILE)
    assert outside.count("<script") == 4  # the data, vis-network, the shared helpers and the view script
    # the page scripts turn only http(s) URLs into links and build text, never HTML
    common, app = scripts(page)[1], scripts(page)[2]
    for code in (common, app):
        assert "innerHTML" not in code and "insertAdjacentHTML" not in code and "document.write" not in code
    assert "textContent" in common and "/^https?:\\/\\//i" in common


def test_plain_graphs_work_too():
    G = nx.karate_club_graph()
    data = page_data(render_html(G, title="karate"))
    assert len(data["nodes"]) == 34 and len(data["edges"]) == G.number_of_edges()
    assert data["options"]["edges"]["arrows"]["to"]["enabled"] is False
    assert [t["name"] for t in data["types"]] == ["other"]


def test_graph_is_not_mutated():
    G = small_graph()
    before = (dict(G.nodes(data=True)), list(G.edges(keys=True, data=True)))
    render_html(G, title="x")
    assert (dict(G.nodes(data=True)), list(G.edges(keys=True, data=True))) == before


def test_same_graph_same_page():
    assert render_html(small_graph(), title="x") == render_html(small_graph(), title="x")


def test_given_positions_are_kept():
    G = small_graph()
    for i, n in enumerate(G.nodes):
        G.nodes[n]["x"], G.nodes[n]["y"] = float(i * 10), float(-i)
    data = page_data(render_html(G, title="x"))
    by_id = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    assert [by_id[n] for n in G.nodes] == [(float(i * 10), float(-i)) for i in range(6)]


def test_empty_graph_refused():
    with pytest.raises(ExportError, match="nothing to show"):
        render_html(nx.MultiDiGraph(), title="x")


def test_too_many_nodes_refused_with_a_way_out():
    G = nx.MultiDiGraph()
    G.add_nodes_from((f"id:n{i}", {"label": str(i), "type": "organisation"}) for i in range(30))
    with pytest.raises(ExportError) as err:
        render_html(G, title="x", max_nodes=20)
    assert "30 nodes" in str(err.value) and "--focus" in str(err.value) and "--types" in str(err.value)
    assert render_html(G, title="x", max_nodes=None)


def test_layout_is_deterministic_and_spread():
    G = nx.barabasi_albert_graph(300, 2, seed=3)
    a, b = compute_layout(G, seed=1), compute_layout(G, seed=1)
    assert a == b
    xs = [p[0] for p in a.values()]
    assert max(xs) - min(xs) > 300


def test_helpers():
    assert is_web_url("https://unsse.org/about/") and is_web_url("HTTP://example.org")
    for bad in ("javascript:alert(1)", "JaVaScRiPt:x", "data:text/html,x", "//example.org", "ftp://x", "http:x"):
        assert not is_web_url(bad)
    assert json.loads(json_for_html({"a": "</script>\u2028&"})) == {"a": "</script>\u2028&"}


# -- HtmlView -------------------------------------------------------------------------------


def test_repr_html_is_an_escaped_srcdoc_iframe():
    page = render_html(hostile_graph(), title="T")
    frame = HtmlView(page, title="T\"><script>", nodes=6)._repr_html_()
    assert frame.startswith("<iframe srcdoc=\"") and 'sandbox="allow-scripts' in frame
    srcdoc = re.match(r'<iframe srcdoc="([^"]*)"', frame).group(1)
    assert html.unescape(srcdoc) == page
    assert "<script" not in frame


def test_save_writes_utf8_atomically(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    G = small_graph()
    G.nodes["id:ana"]["label"] = "Ана Пример 安娜"
    result = write_html(G, tmp_path / "out.html", title="Ελληνικά")
    text = (tmp_path / "out.html").read_text(encoding="utf-8")
    by_id = {n["id"]: n for n in page_data(text)["nodes"]}
    assert "Ελληνικά" in text and by_id["id:ana"]["label"] == "Ана Пример 安娜"
    assert result.path == tmp_path / "out.html"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.html"]  # no lib/, no temp files


@pytest.mark.parametrize("name, message", [
    ("missing/out.html", "does not exist"),
    ("out.pdf", "ending in"),
])
def test_save_errors(tmp_path, name, message):
    v = HtmlView("<html></html>", title="x")
    with pytest.raises(ExportError, match=message):
        v.save(tmp_path / name)


def test_save_to_a_folder_is_an_error(tmp_path):
    (tmp_path / "dir.html").mkdir()
    with pytest.raises(ExportError, match="folder"):
        HtmlView("x").save(tmp_path / "dir.html")


# -- view() over a graph object -------------------------------------------------------------


class FakeKG:
    """Enough of a KnowledgeGraph for view(): to_networkx, resolve, files."""

    endpoint = None

    def __init__(self, G, files=()):
        self.G, self.files, self.calls = G, tuple(files), []

    def to_networkx(self, **selection):
        self.calls.append(selection)
        return self.G

    def query(self, sparql):
        class NoRows:
            def terms(self):
                return iter(())

        return NoRows()

    def resolve(self, name):
        class Term:
            value = "https://w3id.org/ssegraph/id/alliance"

        return Term()


def test_view_passes_the_selection_and_captions_it(tmp_path):
    kg = FakeKG(small_graph(), files=[DATA / "view-small.ttl"])
    v = view(kg, tmp_path / "v.html", focus="AFS", depth=2, types=("organisations", "people"))
    assert kg.calls == [{"focus": "AFS", "depth": 2, "types": ("organisations", "people")}]
    assert v.title == "Alliance for Solidarity: ego network"
    assert v.nodes == 6 and v.edges == 6 and v.path == tmp_path / "v.html"
    caption = re.search(r'<p id="caption">(.*?)</p>', v.html).group(1)
    assert "6 nodes" in caption and "the entities within 2 steps of Alliance for Solidarity" in caption
    assert "types: organisations, people" in caption and "view-small.ttl" in caption


def test_view_empty_selection(tmp_path):
    with pytest.raises(ExportError, match="nothing to show"):
        view(FakeKG(nx.MultiDiGraph()), focus="x")


def test_view_checks_the_name_before_work(tmp_path):
    kg = FakeKG(small_graph())
    with pytest.raises(ExportError, match="ending in"):
        view(kg, tmp_path / "v.pdf")
    assert kg.calls == []


# -- the command line -----------------------------------------------------------------------


def invoke(tmp_path, *args):
    return CliRunner().invoke(cli, ["--cache-dir", str(tmp_path / "cache"), *args], catch_exceptions=False)


def test_cli_view_writes_a_page(tmp_path):
    out = tmp_path / "v.html"
    r = invoke(tmp_path, "--data", str(DATA / "view-small.ttl"), "--data", str(ONTOLOGY), "view", "-o", str(out))
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    assert re.fullmatch(rf"wrote {re.escape(str(out))}: \d+ nodes, \d+ links \(\d+(\.\d)? (kB|MB)\)\n", r.stderr)
    data = page_data(out.read_text(encoding="utf-8"))
    labels = {n["label"] for n in data["nodes"]}
    assert {"Alliance for Solidarity", "Cooperative Network", "Ana Example"} <= labels


def test_cli_view_focus(tmp_path):
    out = tmp_path / "v.html"
    r = invoke(tmp_path, "--data", str(DATA / "view-small.ttl"), "--data", str(ONTOLOGY), "view",
               "--focus", "CoopNet", "--depth", "1", "-o", str(out))
    assert r.exit_code == 0, r.stderr
    page = out.read_text(encoding="utf-8")
    assert "<h1>Cooperative Network: ego network</h1>" in page


def test_cli_view_empty_selection_is_one_clear_line(tmp_path):
    query = tmp_path / "nothing.rq"
    query.write_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(false) }", encoding="utf-8")
    out = tmp_path / "v.html"
    r = invoke(tmp_path, "--data", str(DATA / "view-small.ttl"), "--data", str(ONTOLOGY), "view",
               "--construct", str(query), "-o", str(out))
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr.startswith("Error: ") and r.stderr.count("\n") == 1
    assert "nothing to show" in r.stderr or "empty" in r.stderr
    assert not out.exists()


def test_cli_view_too_many_nodes(tmp_path):
    r = invoke(tmp_path, "--data", str(DATA / "view-small.ttl"), "--data", str(ONTOLOGY), "view",
               "--max-nodes", "2", "-o", str(tmp_path / "v.html"))
    assert r.exit_code == 2
    assert r.stderr.startswith("Error: the selection has ") and "--focus" in r.stderr
    assert r.stderr.count("\n") == 1


@pytest.mark.parametrize("target, message", [
    ("missing/v.html", "does not exist"),
    ("v.pdf", "ending in"),
])
def test_cli_view_bad_output_is_one_line(tmp_path, target, message):
    r = invoke(tmp_path, "--data", str(DATA / "view-small.ttl"), "--data", str(ONTOLOGY), "view",
               "-o", str(tmp_path / target))
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr.startswith("Error: ") and message in r.stderr and r.stderr.count("\n") == 1


def unwritable_target(tmp_path: Path) -> tuple[Path, Path]:
    """A file name in a folder this process cannot write to (root can write anywhere but /proc)."""
    import os

    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    if os.access(locked, os.W_OK):
        locked.chmod(0o700)
        if not Path("/proc/self").is_dir():
            pytest.skip("no unwritable folder available to this user")
        return Path("/proc/ssegraph-view-test.html"), locked
    return locked / "v.html", locked


def test_cli_view_unwritable_folder(tmp_path):
    target, locked = unwritable_target(tmp_path)  # as root: /proc, where only the write itself fails
    try:
        r = invoke(tmp_path, "--data", str(DATA / "view-small.ttl"), "--data", str(ONTOLOGY), "view",
                   "-o", str(target))
    finally:
        locked.chmod(0o700)
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr.startswith("Error: ") and "cannot write" in r.stderr and r.stderr.count("\n") == 1


@pytest.mark.parametrize("command", ["view", "timeline"])
def test_cli_help(command):
    r = CliRunner().invoke(cli, [command, "--help"])
    assert r.exit_code == 0
    assert "Example" in r.stdout and "In Python:" in r.stdout and "--output" in r.stdout


# -- what the page knows: labels, families, periods, evidence -------------------------------


def test_short_labels_identify_and_same_titles_are_told_apart():
    G = small_graph()
    G.add_node("id:res-2", label="Resolution on the SSE", type="milestone", date="2024-12-19",
               iri="https://w3id.org/ssegraph/id/res-2")
    G.add_node("id:res-3", label="Resolution on the SSE", type="milestone", date="2024-12-19",
               iri="https://w3id.org/ssegraph/id/res-3")
    data = page_data(render_html(G, title="x"))
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id["id:alliance"]["short"] == "AFS"  # an acronym, not a clipped name
    assert by_id["id:res"]["short"] == "RC/2019/1"  # a milestone by its symbol
    assert by_id["id:lyon"]["short"] == "Lyon"
    lists = [by_id[k]["list"] for k in ("id:res", "id:res-2", "id:res-3")]
    shorts = [by_id[k]["short"] for k in ("id:res", "id:res-2", "id:res-3")]
    assert len(set(lists)) == 3 and len(set(shorts)) == 3  # same title, three different names
    assert lists[0] == "Resolution on the SSE (RC/2019/1)"
    types = {t["type"]: t for t in data["types"]}
    assert types["place"]["zoomOnly"] and types["event"]["zoomOnly"] and not types["organisation"]["zoomOnly"]


def test_links_carry_their_family_and_dates():
    from ssegraph.model import RELATION_FAMILIES, family_of

    data = page_data(render_html(small_graph(), title="x"))
    by_id = {e["id"]: e for e in data["edges"]}
    assert by_id["e1"]["fam"] == family_of("sse:observerOf").key == "membership"
    assert by_id["e5"]["fam"] == "place" and by_id["e3"]["fam"] == "organising"
    assert by_id["e1"]["t0"] == 2020.0 and by_id["e1"]["t1"] is None  # an observer since 2020, still
    colours = {f.key: f.colour for f in RELATION_FAMILIES}
    assert {f["key"]: f["color"] for f in data["families"]} == {k: colours[k] for k in
                                                                {e["fam"] for e in data["edges"]}}
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["id:res"]["t0"] == nodes["id:res"]["t1"] - 1 / 366 * 0 or nodes["id:res"]["t0"] > 2019.3
    assert nodes["id:forum"]["t0"] < nodes["id:forum"]["t1"] < 2020.3  # an event from start to end
    assert nodes["id:alliance"]["t0"] == 2001.0 and nodes["id:alliance"]["t1"] is None  # founded, still active
    assert nodes["id:ana"]["t0"] is None  # a person: no period of her own
    assert data["years"] == [2001, 2020]


def test_bundled_view_has_quotes_names_and_the_model_degree(kg):
    from ssegraph.model import degree

    v = kg.view()
    G = kg.to_networkx()
    data = page_data(v.html)
    by_id = {n["id"]: n for n in data["nodes"]}
    res = by_id["id:a-res-77-281"]
    assert res["short"] == "A/RES/77/281"
    assert any(quote for _url, quote in res["src"])  # the quote behind each source, for the panel
    assert {"UNTFSSE", "TFSSE"} <= set(by_id["id:untfsse"]["names"])  # every name the data gives
    for node in ("id:untfsse", "id:ilo", "id:oecd"):
        assert by_id[node]["deg"] == degree(G, node)  # the one degree, as stats and GEXF count it
        assert [f"{degree(G, node)} (distinct linked entities)"] == [v for k, v in by_id[node]["info"] if k == "Links"]
    membership = [e for e in data["edges"] if e["fam"] == "membership" and e["src"]]
    assert membership and all(isinstance(e["src"][0][1], str) for e in membership)


def test_gexf_and_html_colours_agree(kg, tmp_path):
    """One palette: the view's colour of a kind is the GEXF viz:color of every node of that kind."""
    from ssegraph.export.gexf import write_gexf

    G = kg.to_networkx()
    write_gexf(G, tmp_path / "g.gexf")
    text = (tmp_path / "g.gexf").read_text(encoding="utf-8")
    data = page_data(kg.view().html)
    html_colour = {t["type"]: t["color"].lower() for t in data["types"]}
    seen = set()
    for m in re.finditer(r'<node id="([^"]+)"[^>]*>(.*?)</node>', text, re.DOTALL):
        node, body = html.unescape(m.group(1)), m.group(2)
        c = re.search(r'<viz:color r="(\d+)" g="(\d+)" b="(\d+)"', body)
        assert c, f"{node} has no viz:color"
        gexf_colour = "#{:02x}{:02x}{:02x}".format(*map(int, c.groups()))
        kind = G.nodes[node]["type"]
        assert gexf_colour == html_colour[kind], (node, kind)
        seen.add(kind)
    assert seen == set(html_colour)


def test_page_code_lives_in_asset_files():
    """The HTML, CSS and JavaScript are package files; the Python modules hold none of it."""
    from ssegraph.view import asset_text

    page = render_html(small_graph(), title="x")
    for name in ("view.js", "common.js", "view.css", "common.css"):
        assert asset_text(name).strip() in page
    for module in ("view.py", "timeline.py"):
        source = (Path(__file__).parent.parent / "src" / "ssegraph" / module).read_text(encoding="utf-8")
        assert "<!DOCTYPE" not in source and "function (" not in source and "{box-sizing" not in source


def test_template_escapes_every_value():
    page = render_html(small_graph(), title="{{ 7*7 }}<b>x</b>", caption="{% raw %}&")
    assert "<h1>{{ 7*7 }}&lt;b&gt;x&lt;/b&gt;</h1>" in page
    assert '<p id="caption">{% raw %}&amp;</p>' in page


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_cli_view_writes_a_figure(tmp_path, suffix):
    out = tmp_path / f"v{suffix}"
    r = invoke(tmp_path, "--data", str(DATA / "view-small.ttl"), "--data", str(ONTOLOGY), "view", "-o", str(out))
    assert r.exit_code == 0, r.stderr
    payload = out.read_bytes()
    if suffix == ".png":
        assert payload[:8] == b"\x89PNG\r\n\x1a\n"
    else:
        import xml.etree.ElementTree as ET

        root = ET.fromstring(payload)
        assert root.tag.endswith("svg") and b"<script" not in payload
        assert b"AFS" in payload or b"Alliance" in payload  # labels are drawn as text
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == [out.name]


def test_missing_matplotlib_is_a_clear_error(tmp_path, monkeypatch):
    import builtins

    real = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    with pytest.raises(ExportError, match=r"needs matplotlib: pip install 'ssegraph\[plot\]'"):
        write_html(small_graph(), tmp_path / "v.png", title="x")
    assert not (tmp_path / "v.png").exists()


def test_figure_draws_the_page_layout(tmp_path):
    """`view -o x.png` is a picture of the same view: same positions, kind colours, identifying labels."""
    from matplotlib.colors import to_hex

    v = write_html(small_graph(), tmp_path / "v.html", title="x")
    fig = v.figure()
    ax = fig.axes[0]
    drawn = [(tuple(c.get_offsets()[0]), to_hex(c.get_facecolor()[0])) for c in ax.collections]
    colour = {t["type"]: t["color"].lower() for t in v.data["types"]}
    expected = [((r["x"], -r["y"]), colour[r["type"]]) for r in v.data["nodes"]]
    assert [(tuple(map(float, p)), c) for p, c in drawn] == [((float(x), float(y)), c) for (x, y), c in expected]
    texts = {t.get_text() for t in ax.texts}
    assert "AFS" in texts and "Lyon" not in texts  # acronyms; places only on zoom, as on the page
