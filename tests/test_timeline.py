"""The timeline without a browser: dates and their precision, lanes, links, escaping, figures, CLI."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

import ssegraph
from ssegraph.cli import cli
from ssegraph.errors import ExportError
from ssegraph.timeline import (
    OPENING_YEARS,
    opening_window,
    plot_timeline,
    render_timeline_html,
    timeline,
    timeline_data,
)

DATA = Path(__file__).parent / "data"
ONTOLOGY = Path(__file__).parent.parent / "ontology"


@pytest.fixture(scope="module")
def small(cache_dir):
    return ssegraph.load([DATA / "view-small.ttl", ONTOLOGY], cache_dir=cache_dir)


@pytest.fixture(scope="module")
def unsafe(cache_dir):
    return ssegraph.load([DATA / "view-unsafe.ttl", ONTOLOGY], cache_dir=cache_dir)


def by_iri(data):
    return {it.iri.rsplit("/", 1)[-1]: it for it in data.items}


def test_items_dates_and_precision(small):
    data = timeline_data(small)
    items = by_iri(data)
    assert set(items) == {"view-resolution-2019", "view-plan-2021", "view-law-2022", "view-forum-2020"}
    res, plan, law, forum = (items[k] for k in ("view-resolution-2019", "view-plan-2021", "view-law-2022",
                                                 "view-forum-2020"))
    assert res.precision == "day" and res.start_text == "2019-05-02"
    assert 2019.33 < res.start < 2019.34
    # a year alone sits mid-year, with the whole year as its span, and says so
    assert plan.precision == "year" and plan.start == 2021.5 and plan.span == (2021.0, 2022.0)
    assert ["Date", "2021 (year only; placed mid-year)"] in plan.info
    # a month alone sits mid-month
    assert law.precision == "month" and law.span[0] < law.start < law.span[1]
    assert 2022.45 < law.start < 2022.46  # 15-16 June
    assert ["Date", "2022-06 (month only; placed mid-month)"] in law.info
    assert forum.kind == "event" and forum.start < forum.end and forum.lane == "Events"
    assert ["Location", "Lyon"] in forum.info and ["Organiser", "Alliance for Solidarity"] in forum.info
    assert res.sources == ["https://example.org/policy/timeline"]
    assert data.first == 2019 and data.last == 2023


def test_links(small):
    data = timeline_data(small)
    named = {(data.items[a].iri.rsplit("/", 1)[-1], data.items[b].iri.rsplit("/", 1)[-1], kind)
             for a, b, kind in data.links}
    assert named == {
        ("view-plan-2021", "view-resolution-2019", "implements"),
        ("view-law-2022", "view-resolution-2019", "cites"),
        ("view-law-2022", "view-plan-2021", "followsUp"),
    }


def test_lanes_by_body_and_jurisdiction(small):
    by_body = timeline_data(small, lanes="body")
    # lanes with the latest items first (the page opens on recent years); the national body's
    # lane names its country, so laws by country are readable
    assert by_body.lanes == ["Regional Council \u00b7 France", "Alliance for Solidarity", "Events"]
    by_place = timeline_data(small, lanes="jurisdiction")
    items = by_iri(by_place)
    assert items["view-law-2022"].lane == "France"
    assert items["view-plan-2021"].lane == "Alliance for Solidarity"  # no jurisdiction: falls back to the body
    with pytest.raises(ExportError, match="unknown lanes"):
        timeline_data(small, lanes="colour")


def test_year_window(small):
    assert {it.start_text[:4] for it in timeline_data(small, since=2021).items} == {"2021", "2022"}
    assert {it.start_text[:4] for it in timeline_data(small, until=2020).items} == {"2019", "2020"}
    with pytest.raises(ExportError, match="nothing to show: no dated policy milestones or events from 2030 on"):
        timeline_data(small, since=2030)


def test_labels_in_one_lane_do_not_overlap(small):
    data = timeline_data(small)
    for lane in data.lanes:
        rows = {it.row for it in data.items if it.lane == lane}
        assert rows <= set(range(data.lane_rows[lane]))


def test_page_is_offline_and_escaped(unsafe):
    view = timeline(unsafe, title="<script>window.__xss=30</script>")
    page = view.html
    assert "<link" not in page.lower() and not re.search(r"""\s(src|href)=["']?(https?:)?//""", page)
    code = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    assert len(code) == 2  # the shared helpers and the timeline script, from the package's asset files
    outside = page
    for c in code:
        outside = outside.replace(c, "")
        assert "innerHTML" not in c and "insertAdjacentHTML" not in c and "document.write" not in c
    for needle in ("<script>window", "<b onmouseover", "<iframe", "</title><script"):
        assert needle not in outside
    assert outside.count("<script") == 3  # the data and the two scripts
    assert "&lt;script&gt;window.__xss=30&lt;/script&gt;" in page
    m = re.search(r'id="timeline-data">(.*?)</script>', page, re.DOTALL)
    assert "<" not in m.group(1)
    labels = [it["label"] for it in json.loads(m.group(1))["items"]]
    assert "<b onmouseover=window.__xss=10>RES</b>" in labels  # text, drawn with textContent
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert "connect-src &#39;none&#39;" in csp or "connect-src 'none'" in csp


def test_save_html_png_svg(small, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    view = timeline(small, tmp_path / "t.html")
    assert (tmp_path / "t.html").read_text(encoding="utf-8") == view.html
    view.save(tmp_path / "t.png")
    assert (tmp_path / "t.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    view.save(tmp_path / "t.svg")
    root = ET.parse(tmp_path / "t.svg").getroot()
    assert root.tag.endswith("svg")
    assert b"<script" not in (tmp_path / "t.svg").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.html", "t.png", "t.svg"]
    with pytest.raises(ExportError, match="ending in"):
        view.save(tmp_path / "t.pdf")


def test_dollar_signs_are_not_mathtext(small):
    data = timeline_data(small)
    data.items[0].label = "costs $5 and $x^2$ {braces} \\alpha"
    fig = plot_timeline(data, title="$title$", caption="a $ b")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "costs $5 and $x^2$ {braces} \\alpha" in texts
    import io

    fig.savefig(io.BytesIO(), format="png")  # mathtext would fail or render math here


def test_missing_matplotlib_is_a_clear_error(small, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    view = timeline(small)
    with pytest.raises(ExportError, match=r"pip install 'ssegraph\[plot\]'"):
        view.save(tmp_path / "t.png")
    assert not (tmp_path / "t.png").exists()


def test_repr_html(small):
    view = timeline(small)
    assert view._repr_html_().startswith("<iframe srcdoc=")
    assert repr(view).startswith("<TimelineView 'SSE policy timeline': 4 items, 3 links")


def test_render_width_and_opening_window(small):
    data = timeline_data(small)
    wide = render_timeline_html(data, title="t", width=3000)
    m = re.search(r'id="timeline-data">(.*?)</script>', wide, re.DOTALL)
    payload = json.loads(m.group(1))
    assert payload["width"] == 3000 and payload["open"] == [2019, 2023]
    assert payload["lanes"] == data.lanes and len(payload["items"]) == 4


def test_opening_window_is_the_densest_recent_years(kg):
    data = timeline_data(kg)
    first, last = opening_window(data)
    assert last - first == OPENING_YEARS and last >= 2024  # the 2020s, not 1895-1920
    inside = sum(first <= it.start < last for it in data.items)
    for start in range(data.first, data.last - OPENING_YEARS + 1):
        assert sum(start <= it.start < start + OPENING_YEARS for it in data.items) <= inside


def test_lanes_by_region(small):
    data = timeline_data(small, lanes="region")
    items = by_iri(data)
    assert items["view-law-2022"].lane == "France"  # no skos:broader here: the jurisdiction itself
    assert items["view-plan-2021"].lane == "Alliance for Solidarity"


def test_bundled_data(kg):
    data = timeline_data(kg)
    assert len(data.items) > 10
    assert data.links


def invoke(cache_dir, *args):
    return CliRunner().invoke(cli, ["--cache-dir", str(cache_dir), "--data", str(DATA / "view-small.ttl"),
                                    "--data", str(ONTOLOGY), *args], catch_exceptions=False)


@pytest.mark.parametrize("name", ["t.html", "t.png", "t.svg"])
def test_cli_timeline(cache_dir, tmp_path, name):
    out = tmp_path / name
    r = invoke(cache_dir, "timeline", "-o", str(out))
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    assert re.fullmatch(rf"wrote {re.escape(str(out))}: 4 items in 3 lanes, 3 links \(\d+(\.\d)? (kB|MB)\)\n",
                        r.stderr)
    assert out.stat().st_size > 1000


@pytest.mark.parametrize("args, message", [
    (["-o", "t.pdf"], "a timeline is written as .html, .htm, .png, .svg"),
    (["-o", "missing/t.html"], "does not exist"),
    (["--since", "2050", "-o", "t.html"], "nothing to show"),
])
def test_cli_timeline_errors(cache_dir, tmp_path, args, message):
    args = [str(tmp_path / a) if a.startswith(("t.", "missing/")) else a for a in args]
    r = invoke(cache_dir, "timeline", *args)
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr.startswith("Error: ") and message in r.stderr and r.stderr.count("\n") == 1
    assert not list(tmp_path.iterdir())


REGIONS_TTL = """
@prefix id: <https://w3id.org/ssegraph/id/> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
id:m49-world skos:prefLabel "World"@en .
id:m49-europe skos:prefLabel "Europe"@en ; skos:broader id:m49-world .
id:m49-western-europe skos:prefLabel "Western Europe"@en ; skos:broader id:m49-europe .
id:bel skos:prefLabel "Belgium"@en ; skos:broader id:m49-western-europe .
id:wallonia skos:prefLabel "Wallonia"@en ; skos:broader id:bel .
id:fra skos:prefLabel "France"@en ; skos:broader id:m49-western-europe .
id:parl skos:prefLabel "Parliament of Wallonia"@en .
id:decree a eli:LegalResource ; dcterms:title "Decree"@en ; eli:id_local "D-1" ;
    eli:date_document "2019-01-02"^^xsd:date ; eli:jurisdiction id:wallonia ; eli:passed_by id:parl ;
    dcterms:type id:law-family .
id:law-family skos:prefLabel "Framework law"@en .
id:loi a eli:LegalResource ; dcterms:title "Loi"@en ; eli:date_document "2014-07-31"^^xsd:date ;
    eli:jurisdiction id:fra .
"""


def test_lanes_by_region_follow_skos_broader(tmp_path):
    path = tmp_path / "regions.ttl"
    path.write_text(REGIONS_TTL, encoding="utf-8")
    kg = ssegraph.load([path], cache_dir=tmp_path / "cache")
    items = by_iri(timeline_data(kg, lanes="region"))
    # Wallonia -> Belgium -> Western Europe -> Europe (-> World, left out): the sub-region
    assert items["decree"].lane == "Western Europe" and items["loi"].lane == "Western Europe"
    by_body = by_iri(timeline_data(kg, lanes="body"))
    assert by_body["decree"].lane == "Parliament of Wallonia"  # the name already says where
    assert ["Instrument", "Framework law"] in by_body["decree"].info
    assert by_iri(timeline_data(kg, lanes="jurisdiction"))["decree"].lane == "Wallonia"


def test_same_titles_are_told_apart(tmp_path):
    path = tmp_path / "same.ttl"
    path.write_text("""
@prefix id: <https://w3id.org/ssegraph/id/> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
id:r1 a eli:LegalResource ; dcterms:title "Promoting the social and solidarity economy"@en ;
    eli:date_document "2023-04-18"^^xsd:date .
id:r2 a eli:LegalResource ; dcterms:title "Promoting the social and solidarity economy"@en ;
    eli:date_document "2024-12-19"^^xsd:date .
""", encoding="utf-8")
    kg = ssegraph.load([path], cache_dir=tmp_path / "cache")
    labels = sorted(it.label for it in timeline_data(kg).items)
    assert labels[0] != labels[1] and labels[0].endswith("(2023)") and labels[1].endswith("(2024)")


def test_timeline_colours_are_the_model_palette(small):
    from ssegraph.model import kind

    page = timeline(small).html
    payload = json.loads(re.search(r'id="timeline-data">(.*?)</script>', page, re.DOTALL).group(1))
    assert payload["colors"] == {"milestone": kind("milestone").colour, "event": kind("event").colour}


def test_bills_are_placed_on_their_submission(tmp_path):
    path = tmp_path / "bill.ttl"
    path.write_text("""
@prefix id: <https://w3id.org/ssegraph/id/> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
id:bill a eli:LegalResource ; dcterms:title "Draft framework law"@en ;
    dcterms:dateSubmitted "2025-04-09"^^xsd:date .
id:law a eli:LegalResource ; dcterms:title "Law"@en ; eli:date_document "2020-01-02"^^xsd:date .
id:idea a eli:LegalResource ; dcterms:title "An idea"@en .
""", encoding="utf-8")
    kg = ssegraph.load([path], cache_dir=tmp_path / "cache")
    data = timeline_data(kg)
    bill = by_iri(data)["bill"]
    assert bill.start_text == "2025-04-09" and ["Submitted (no adoption date)", "2025-04-09"] in bill.info
    assert bill.bill and not by_iri(data)["law"].bill
    assert data.undated == ["An idea"]
    page = timeline(kg).html
    payload = json.loads(re.search(r'id="timeline-data">(.*?)</script>', page, re.DOTALL).group(1))
    assert [it["bill"] for it in payload["items"]] == [False, True]  # drawn dashed, with a legend entry
    assert "bill, not\n adopted" in page
