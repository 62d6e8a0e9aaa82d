"""The site's query gallery and home page: answers equal ``ssegraph query``'s, counts equal the
graph's, endpoint links carry the bound query and go nowhere else, slow queries are stopped,
hostile text stays text."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import time
from collections import Counter
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

import ssegraph
from _cli import one_error_line
from ssegraph.errors import ExportError
from ssegraph.site import build_site, gallery, home
from ssegraph.site.context import SiteContext, entity_index

DATA = Path(__file__).parent / "data"
ONTOLOGY = Path(__file__).parent.parent / "ontology"
ENDPOINT = "http://127.0.0.1:7878/query"
HREF = re.compile(r'href="([^"]*)"')


@pytest.fixture(scope="module")
def site(kg, tmp_path_factory):
    """The site of the bundled data, built once for this module (no endpoint link)."""
    out = tmp_path_factory.mktemp("site") / "site"
    build_site(kg, out)
    return out


def gallery_only(kg, out: Path, endpoint: str | None = None, query_timeout: float | None = 30.0) -> SiteContext:
    """Write just the gallery section into ``out`` (as build_site would)."""
    ctx = SiteContext(kg, out, entity_index(kg), endpoint=endpoint, query_timeout=query_timeout)
    gallery.write(ctx)
    return ctx


@pytest.fixture(scope="module")
def live(kg, tmp_path_factory):
    out = tmp_path_factory.mktemp("live")
    gallery_only(kg, out, ENDPOINT)
    return out


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def answer_rows(html: str) -> int:
    table = re.search(r'<table class="answer">.*?<tbody>(.*?)</tbody>', html, re.S)
    return 0 if table is None else table.group(1).count("<tr>")


# -- the gallery ----------------------------------------------------------------------------------
def test_every_named_query_has_a_page_whose_csv_is_the_query_answer(kg, site):
    queries = kg.list_queries()
    assert len(queries) >= 20
    index = read(site / "queries" / "index.html")
    for nq in queries:
        page = site / "queries" / f"{nq.name}.html"
        html = read(page)
        assert f'href="{nq.name}.html"' in index, nq.name
        assert f"<h1>{_esc(nq.title)}</h1>" in html, nq.name
        assert _esc(nq.sparql) in html, nq.name  # the SPARQL text, as it is in the file
        for p in nq.params:
            assert f"<code>{p.name}</code>" in html and f"-p {p.name}=" in html, (nq.name, p.name)
        got = (site / "queries" / f"{nq.name}.csv").read_bytes()
        assert got == kg.named_query(nq.name).to("csv").encode("utf-8"), nq.name
        rows = list(csv.reader(io.StringIO(got.decode("utf-8"))))[1:]
        assert answer_rows(html) == min(len(rows), gallery.SHOWN_ROWS), nq.name
        assert f"{len(rows):,} row" in html, nq.name
        assert 'href="' + nq.name + '.csv" download' in html


def _esc(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def test_cells_that_are_entities_link_to_their_pages_by_label(site):
    html = read(site / "queries" / "untfsse-members.html")
    assert '<a href="../id/ilo.html" title="id:ilo">International Labour Organization</a>' in html
    # the cell shows the label, the CSV keeps the IRI
    assert "https://w3id.org/ssegraph/id/ilo," in read(site / "queries" / "untfsse-members.csv")


def test_long_answers_are_cut_in_the_table_not_in_the_csv(kg, tmp_path, monkeypatch):
    monkeypatch.setattr(gallery, "SHOWN_ROWS", 5)
    gallery_only(kg, tmp_path)
    html = read(tmp_path / "queries" / "milestones-by-jurisdiction.html")
    total = len(kg.named_query("milestones-by-jurisdiction"))
    assert total > 5 and answer_rows(html) == 5
    assert f"{total:,} rows; the table shows the first 5" in html
    assert len(read(tmp_path / "queries" / "milestones-by-jurisdiction.csv").splitlines()) == total + 1


def test_endpoint_links_carry_the_bound_query_and_point_at_that_url_only(kg, live):
    for nq in kg.list_queries():
        html = read(live / "queries" / f"{nq.name}.html")
        outside = [unescape(h) for h in HREF.findall(html) if re.match(r"(?i)[a-z][a-z0-9+.-]*:", h)]
        assert len(outside) == 1, (nq.name, outside)
        url = urlsplit(outside[0])
        assert f"{url.scheme}://{url.netloc}{url.path}" == ENDPOINT
        text = parse_qs(url.query, strict_parsing=True)["query"]
        assert len(text) == 1
        text = text[0]
        assert text.endswith(nq.sparql) if not nq.params else "VALUES (" in text
        # the link's query, run here, answers as the named query with its defaults does
        assert kg.query(text).to("csv") == kg.named_query(nq.name).to("csv"), nq.name
    members = read(live / "queries" / "untfsse-members.html")
    assert "VALUES%20%28%3Forg%29%20%7B%20%28%3Chttps%3A%2F%2Fw3id.org%2Fssegraph%2Fid%2Funtfsse%3E%29" in members


@pytest.mark.server
def test_endpoint_links_answer_on_a_real_endpoint_as_the_gallery_does(kg, tmp_path):
    """Every gallery link, followed on an Oxigraph server over the same store, gives the rows
    of the page's CSV."""
    import urllib.request

    from _servers import oxigraph

    with oxigraph(kg.backend.path, read_only=True) as srv:
        gallery_only(kg, tmp_path, srv.query_url)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        for nq in kg.list_queries():
            html = read(tmp_path / "queries" / f"{nq.name}.html")
            link = next(unescape(h) for h in HREF.findall(html) if h.startswith("http:"))
            with opener.open(urllib.request.Request(link, headers={"Accept": "text/csv"}), timeout=60) as resp:
                got = resp.read().decode("utf-8")
            here = read(tmp_path / "queries" / f"{nq.name}.csv")
            assert sorted(got.splitlines()) == sorted(here.splitlines()), nq.name


def test_endpoint_url_keeps_a_query_string_and_refuses_other_schemes(kg, tmp_path):
    assert gallery.endpoint_url("https://h/sparql?default-graph-uri=g#x", "ASK {}") == \
        "https://h/sparql?default-graph-uri=g&query=ASK%20%7B%7D"
    for bad in ("javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "http://", "//h/q",
                "http://h/q x"):
        with pytest.raises(ExportError):
            build_site(kg, tmp_path / "s", endpoint=bad)
    assert not (tmp_path / "s").exists()


def test_endpoint_link_option_of_the_cli(run, tmp_path):
    line = one_error_line(run("site", "-o", str(tmp_path / "s"), "--endpoint-link", "javascript:alert(1)"))
    assert "not an http(s) URL" in line


def test_without_an_endpoint_no_page_links_outside_the_site(site):
    pages = [*sorted((site / "queries").glob("*.html")), site / "index.html"]
    for page in pages:
        html = read(page)
        for h in HREF.findall(html):
            assert not re.match(r"(?i)[a-z][a-z0-9+.-]*:", h) and not h.startswith("//"), (page.name, h)
        assert "?query=" not in html and "Run it on" not in html


def test_a_query_with_a_required_parameter_is_shown_not_run(cache_dir, tmp_path):
    folder = tmp_path / "q"
    folder.mkdir()
    (folder / "about.rq").write_text(
        "# title: Everything said about an entity\n"
        "# param: thing iri The entity (IRI, prefixed name, label or acronym)\n"
        "SELECT ?p ?o WHERE { ?thing ?p ?o }\n", encoding="utf-8")
    kg = ssegraph.load(cache_dir=cache_dir, queries=[folder])
    gallery_only(kg, tmp_path / "site", ENDPOINT)
    html = read(tmp_path / "site" / "queries" / "about.html")
    assert "Not run: the query needs a value for\n<code>thing</code>" in html
    assert "ssegraph query --name about -p thing=id:ilo" in html
    assert "<strong>required</strong>" in html
    assert not (tmp_path / "site" / "queries" / "about.csv").exists()
    assert ENDPOINT not in [h.split("?")[0] for h in HREF.findall(html)]
    assert "needs a value for\n<code>thing</code> first" in html
    assert "not run: give thing" in read(tmp_path / "site" / "queries" / "index.html")


def slow_query_folder(tmp_path: Path) -> Path:
    """A folder of user queries holding one that runs for minutes (a cross product)."""
    folder = tmp_path / "q"
    folder.mkdir()
    (folder / "aaa-cross.rq").write_text(
        "# title: A cross product\nSELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }\n",
        encoding="utf-8")
    return folder


def test_a_slow_query_is_stopped_and_the_others_still_run(cache_dir, tmp_path):
    folder = slow_query_folder(tmp_path)
    (folder / "broken.rq").write_text("# title: Broken\nSELECT ?x WHERE { ?x \n", encoding="utf-8")
    kg = ssegraph.load(cache_dir=cache_dir, queries=[folder])
    started = time.monotonic()
    gallery_only(kg, tmp_path / "site", query_timeout=1.0)
    assert time.monotonic() - started < 60
    out = tmp_path / "site" / "queries"
    assert "Not run: took longer than 1 s" in read(out / "aaa-cross.html")
    assert not (out / "aaa-cross.csv").exists()
    assert "The query failed on this graph: SPARQL syntax error" in read(out / "broken.html")
    index = read(out / "index.html")
    assert "not run: took longer than 1 s" in index and "failed: SPARQL syntax error" in index
    # the worker was started again after the kill: the next query answered
    assert (out / "amendment-chain.csv").read_bytes() == kg.named_query("amendment-chain").to("csv").encode()


def test_query_names_never_leave_the_gallery_folder():
    assert gallery.query_stem("members") == "queries/members"
    for name in ("index", "../../etc/passwd", "a/b", ".hidden", "x<script>", "é"):
        stem = gallery.query_stem(name)
        assert stem.startswith("queries/") and stem.count("/") == 1 and ".." not in stem, name
        assert stem != "queries/index", name


# -- the home page ---------------------------------------------------------------------------------
def counts(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'id="count-([a-z]+)" data-count="(\d+)"', html)}


def test_home_counts_are_the_index_and_sparql_counts(kg, site):
    html = read(site / "index.html")
    got = counts(html)
    per_kind = Counter(ref.kind.key for ref in entity_index(kg).values())
    for kind in ("organisation", "person", "milestone", "event", "place", "jurisdiction"):
        assert got[kind] == per_kind[kind] > 0, kind
        assert f">{per_kind[kind]:,}</td>" in html
    sources = int(next(iter(kg.query("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a prov:Entity }")))["n"])
    assert got["sources"] == sources > 100
    assert got["triples"] == len(kg.store)


def test_coverage_by_region_matches_a_sparql_count(kg, site):
    html = read(site / "index.html")
    rows = re.findall(r'data-m49="(\d+)"><th scope="row">[^<]*</th><td>\d+</td>\s*<td class="num" data-count="(\d+)"',
                      html)
    assert len(rows) >= 20
    for code, n in rows:
        expected = int(next(iter(kg.query(
            """SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {
                 VALUES ?class { eli:LegalResource schema:Legislation }
                 ?m a ?class ; eli:jurisdiction/skos:broader* ?c .
                 ?c dcterms:type kos:jurisdiction-level-country ; skos:broader+ ?area .
                 ?area skos:inScheme kos:m49 ; skos:notation ?code .
               }""", code=code)))["n"])
        assert int(n) == expected, code
    europe = dict(rows)["150"]
    # the laws-by-region query counts the same milestones (every one there has a type and a status)
    assert int(europe) == len({r["milestone"] for r in kg.named_query("laws-by-region", {"region": "150"})})
    placed = int(re.search(r'id="coverage-placed" data-count="(\d+)"', html).group(1))
    unplaced = int(re.search(r'id="coverage-unplaced" data-count="(\d+)"', html).group(1))
    assert placed + unplaced == counts(html)["milestone"]
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and "<title id=\"bars-title\">" in html


def test_home_links_every_section_and_says_how_to_cite(site):
    html = read(site / "index.html")
    for path in ("milestones.html", "organisations.html", "search.html", "queries/index.html", "network.html",
                 "timeline.html"):
        assert f'<li><a href="{path}">' in html, path
    assert '<h2 id="cite">How to cite</h2>' in html
    assert "CC0" in html and 'href="LICENSE.txt"' in html and 'href="CITATION.cff"' in html
    cff = read(site / "CITATION.cff")
    assert "license: CC0-1.0" in cff and _esc(cff) in html
    assert "CC0" in read(site / "LICENSE.txt")
    m = re.search(r'<time datetime="([^"]+)" id="last-change">(\d{4}-\d\d-\d\d)</time>', html)
    assert m and f'date-released: "{m.group(2)}"' in cff


def test_last_data_change_outside_git_is_the_newest_mtime(tmp_path):
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    a.write_text("")
    b.write_text("")
    os.utime(a, (1_600_000_000, 1_600_000_000))
    os.utime(b, (1_700_000_000, 1_700_000_000))
    change = home.last_data_change([a, b])
    assert change.when.timestamp() == 1_700_000_000 and "modification time" in change.how
    assert "not in a git checkout" in change.how


def test_last_data_change_in_git_is_the_commit_date_unless_changed_since(tmp_path):
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    f = repo / "data" / "x.ttl"
    f.write_text("<urn:a> <urn:b> <urn:c> .\n")
    when = "2021-03-04T05:06:07+00:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    try:
        for args in (["init", "-q"], ["add", "data"], ["commit", "-qm", "data"]):
            subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)
    except (FileNotFoundError, subprocess.CalledProcessError):
        pytest.skip("git is not usable here")
    os.utime(f, (1_700_000_000, 1_700_000_000))  # an mtime later than the commit: not what counts
    change = home.last_data_change([f])
    assert change.date == "2021-03-04" and "git commit" in change.how
    f.write_text("<urn:a> <urn:b> <urn:d> .\n")  # changed since the commit: its mtime counts
    change = home.last_data_change([f])
    assert change.date != "2021-03-04" and "changed since their last commit" in change.how


# -- hostile text -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def unsafe_site(cache_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-queries")
    (folder / "labels.rq").write_text(
        "# title: <script>window.__xss=20</script> labels\n"
        "# description: </pre></code><img src=x onerror=window.__xss=21> {{7*7}}\n"
        "# param: lang string=\"><svg/onload=window.__xss=22> A language\n"
        "SELECT ?s ?label WHERE { ?s skos:prefLabel|foaf:name ?label FILTER(STR(?lang) != \"</code></pre>"
        "<script>window.__xss=23</script>\") }\n", encoding="utf-8")
    (folder / "x<script>y.rq").write_text("# title: a name with markup\nASK { ?s ?p ?o }\n", encoding="utf-8")
    kg = ssegraph.load([DATA / "view-unsafe.ttl", ONTOLOGY], cache_dir=cache_dir, queries=[folder])
    out = tmp_path_factory.mktemp("unsafe") / "site"
    build_site(kg, out, endpoint="https://example.org/sparql?a=1&b=<2>")
    return out


def test_hostile_labels_and_queries_render_escaped(unsafe_site):
    out = unsafe_site
    pages = [out / "index.html", *sorted((out / "queries").glob("*.html"))]
    assert len(pages) > 3
    for page in pages:
        html = read(page)
        assert "<script" not in html.lower(), page.name  # no script at all: script-src 'none'
        assert "script-src 'none'" in unescape(html), page.name
        for bad in ("<img src=x", "<svg/onload", "<svg onload", " onerror=\"", 'href="javascript:',
                    'href="data:'):
            assert bad not in html, (page.name, bad)
    labels = read(out / "queries" / "labels.html")
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in labels  # an entity label, in a link to its page
    assert "&lt;/script&gt;&lt;script&gt;window.__xss=4&lt;/script&gt;&lt;!--" in labels
    assert "<h1>&lt;script&gt;window.__xss=20&lt;/script&gt; labels</h1>" in labels
    assert "&lt;/pre&gt;&lt;/code&gt;&lt;img src=x onerror=window.__xss=21&gt; {{7*7}}" in labels
    assert "-p &#39;lang=&#34;&gt;&lt;svg/onload=window.__xss=22&gt;&#39;" in labels
    link = next(unescape(h) for h in HREF.findall(labels) if h.startswith("https:"))
    assert link.startswith("https://example.org/sparql?a=1&b=<2>&query=")
    assert "window.__xss=23" in parse_qs(urlsplit(link).query)["query"][0]
    odd = [p for p in (out / "queries").glob("x-script-y-*.html")]
    assert len(odd) == 1 and "yes" in read(out / "queries" / "index.html")
    home_html = read(out / "index.html")
    assert counts(home_html)["organisation"] >= 3


# -- the benchmark ------------------------------------------------------------------------------------
@pytest.mark.slow
def test_site_benchmark_runs_end_to_end(tmp_path):
    """benchmarks/site.py at tiny sizes: both sides run and the report has its rows and verdict."""
    import json
    import sys

    out, js = tmp_path / "SITE.md", tmp_path / "site.json"
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).parent.parent / "benchmarks" / "site.py"), "--sizes", "bundled,2k,4k",
         "--repeats", "1", "-o", str(out), "--json", str(js)],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    assert re.search(r"\| bundled \| [\d,]+ \| [\d,]+ \([\d,]+\) \|", text)
    assert re.search(r"Target: the bundled data's site in under 10 s: \*\*(met|missed)\*\*", text)
    assert "Least-squares line through the synthetic sizes" in text
    data = json.loads(js.read_text())
    assert [r["name"] for r in data["rows"]] == ["bundled", "2k", "4k"] and "gallery" in data["rows"][0]["sections"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["SITE.md", "site.json"]
    again = tmp_path / "AGAIN.md"
    proc = subprocess.run([sys.executable, str(Path(__file__).parent.parent / "benchmarks" / "site.py"), "--render",
                           str(js), "-o", str(again), "--note", "A note."], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert again.read_text(encoding="utf-8") == text + "\nA note.\n"


def test_the_cli_gives_each_gallery_query_the_global_timeout(run, tmp_path):
    folder = slow_query_folder(tmp_path)
    out = tmp_path / "site"
    result = run("--timeout", "1", "--queries", str(folder), "site", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "Not run: took longer than 1 s" in read(out / "queries" / "aaa-cross.html")
    assert (out / "queries" / "untfsse-members.csv").exists()
