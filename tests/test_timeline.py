"""The timeline without a browser: dates and their precision, lanes, links, escaping, figures, CLI."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

import ssegraph
from ssegraph.cli import cli
from ssegraph.errors import ExportError
from ssegraph.timeline import plot_timeline, render_timeline_html, timeline, timeline_data

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
    assert by_body.lanes == ["Regional Council", "Alliance for Solidarity", "Events"]
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
    assert len(code) == 1
    outside = page.replace(code[0], "")
    for needle in ("<script>window", "<b onmouseover", "<iframe", "</title><script"):
        assert needle not in outside
    assert outside.count("<script") == 2  # the data and the page script
    assert "&lt;b onmouseover=window.__xss=10&gt;RES&lt;/b&gt;" in page
    assert "innerHTML" not in code[0]
    m = re.search(r'id="timeline-data">(.*?)</script>', page, re.DOTALL)
    assert "<" not in m.group(1)
    # the SVG is well-formed XML (an escaping slip would break it)
    svg = re.search(r"<svg id=\"timeline\".*?</svg>", page, re.DOTALL).group(0)
    ET.fromstring(svg)


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


def test_render_width(small):
    data = timeline_data(small)
    wide = render_timeline_html(data, title="t", width=3000)
    assert 'width="3000"' in wide or re.search(r'<svg id="timeline"[^>]*width="(29|30)\d\d"', wide)


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
