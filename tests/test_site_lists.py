"""The site's faceted lists (milestones.html, organisations.html) and search page, without a
browser: the rows are the release table's rows, every facet value is offered, the CSV columns,
and hostile labels stay inside the JSON. tests/test_site_lists_browser.py drives the pages."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from markupsafe import escape

from ssegraph.site import lists
from ssegraph.site.context import SiteContext, entity_index

DATA = Path(__file__).parent / "data"
ONTOLOGY = Path(__file__).parent.parent / "ontology"
OFF = 3  # a row is [page path, IRI, other names, cell, ...]


def page_json(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    m = re.search(r'<script type="application/json" id="site-data">(.*?)</script>', text, re.S)
    assert m, path
    return json.loads(m.group(1))


def write_lists(kg, out: Path) -> SiteContext:
    ctx = SiteContext(kg, out, entity_index(kg))
    lists.write(ctx)
    return ctx


@pytest.fixture(scope="module")
def built(kg, tmp_path_factory):
    out = tmp_path_factory.mktemp("lists")
    ctx = write_lists(kg, out)
    return out, ctx, {p: page_json(out / p) for p in ("milestones.html", "organisations.html", "search.html")}


def cells(data: dict, row: list) -> dict:
    return {c["key"]: row[OFF + i] for i, c in enumerate(data["columns"])}


def as_list(v) -> list[str]:
    return v if isinstance(v, list) else ([] if v in (None, "") else [str(v)])


def test_pages_written_under_a_csp_with_scripts_by_hash(built):
    out, ctx, _ = built
    assert {"milestones.html", "organisations.html", "search.html"} <= set(ctx.pages)
    for name in ("milestones.html", "organisations.html", "search.html"):
        text = (out / name).read_text(encoding="utf-8")
        csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text).group(1))
        assert "script-src 'sha256-" in csp and "unsafe-inline" not in csp and "connect-src 'none'" in csp
        markup = re.sub(r"<script\b.*?</script>", "", text, flags=re.S)
        assert not re.search(r"<[^>]*\son[a-z]+\s*=", markup, re.I), name  # no inline event handler
        assert not re.search(r"\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write", text), name


@pytest.mark.parametrize("name,table,iri_col", [("milestones.html", "milestones", "milestone"),
                                                ("organisations.html", "organisations", "organisation")])
def test_rows_are_the_release_table_rows(built, name, table, iri_col):
    out, ctx, pages = built
    data = pages[name]
    expected = {r[iri_col]: r for r in lists.table_rows(ctx, table)}
    got = {row[1]: cells(data, row) for row in data["rows"]}
    assert set(got) == set(expected) and len(data["rows"]) == len(expected)
    for iri, row in expected.items():
        for key, value in got[iri].items():
            if key in ("year", "untfsse") or (table == "organisations" and key == "country"):
                continue  # the columns lists.py adds
            want = lists.split(row.get(key)) if isinstance(value, list) else row.get(key, "")
            if key in ("title", "name") and not want:
                want = ctx.label(iri)
            assert value == want, (iri, key)


def test_rows_link_to_the_entity_pages(built):
    _, ctx, pages = built
    for name in ("milestones.html", "organisations.html"):
        for row in pages[name]["rows"]:
            ref = ctx.entities.get(row[1])
            assert row[0] == (ref.path if ref else None)
        assert all(row[0] for row in pages[name]["rows"]), "every milestone and organisation has a page"


def test_every_facet_value_is_offered_with_its_count(built):
    out, _, pages = built
    for name in ("milestones.html", "organisations.html"):
        data, text = pages[name], (out / name).read_text(encoding="utf-8")
        keys = [c["key"] for c in data["columns"]]
        for facet in data["facets"]:
            col = facet["col"]
            counted = Counter(v for row in data["rows"] for v in dict.fromkeys(as_list(row[OFF + col])))
            assert dict(facet["values"]) == dict(counted), (name, facet["key"])
            assert facet["control"] == ("checkbox" if len(counted) <= lists.CHECKBOX_LIMIT else "select")
            for value, _ in facet["values"]:
                assert f'value="{escape(value)}"' in text, value
            assert keys[col]


def test_milestone_facets_and_year(built):
    _, _, pages = built
    data = pages["milestones.html"]
    values = lists.facet_values(data)
    assert set(values) == {"region", "country", "jurisdiction", "type", "doctype", "status", "body"}
    assert "Western Africa" in values["region"] and "SSE framework law" in values["type"]
    assert "Spain" in values["country"] and "European Union" in values["jurisdiction"]
    by_symbol = {cells(data, r)["symbol"]: cells(data, r) for r in data["rows"]}
    assert by_symbol["A/RES/77/281"]["year"] == 2023
    assert data["year"]["min"] <= 1990 and data["year"]["max"] >= 2024
    assert sum(1 for r in data["rows"] if cells(data, r)["year"] is None) < len(data["rows"]) / 10


def test_organisation_country_and_untfsse_status(built):
    _, ctx, pages = built
    data = pages["organisations.html"]
    org = {r[1].rsplit("/", 1)[-1]: cells(data, r) for r in data["rows"]}
    assert org["ilo"]["untfsse"] == "member" and org["ilo"]["country"] == []  # no seat in the graph
    assert org["ica"]["country"] == ["Belgium"]  # its primary site is in Brussels
    assert org["ciriec"]["untfsse"] == "observer" and org["ciriec"]["country"] == ["Belgium"]
    assert org["flemish-government"]["country"] == ["Belgium"]  # via its jurisdiction, a part of a country
    status = Counter(r["untfsse"] for r in org.values())
    members = {r["member"].value for r in ctx.kg.named_query("untfsse-members").terms()}
    assert sum(status[s] for s in lists.UNTFSSE_STATUSES) == len(members & set(ctx.entities)) > 20
    assert set(lists.facet_values(data)["untfsse"]) <= set(lists.UNTFSSE_STATUSES)


def test_csv_header_is_the_iri_and_the_columns_shown(built):
    _, _, pages = built
    assert lists.csv_header(pages["milestones.html"]) == [
        "IRI", "Symbol", "Title", "Instrument type", "Status", "Year", "Jurisdiction", "Region", "Adopted by"]
    assert lists.csv_header(pages["organisations.html"]) == [
        "IRI", "Name", "Acronym", "Type", "Country", "UNTFSSE", "Headquarters"]
    assert lists.csv_header(pages["milestones.html"], ["symbol", "country"]) == ["IRI", "Symbol", "Country"]


def test_search_holds_every_entity_with_its_names(built):
    _, ctx, pages = built
    data = pages["search.html"]
    assert len(data["entities"]) == len(ctx.entities)
    kinds = [k[0] for k in data["kinds"]]
    by_path = {e[2]: e for e in data["entities"]}
    ilo, fra = by_path["id/ilo.html"], by_path["country/FRA.html"]
    assert kinds[ilo[1]] == "organisation" and ilo[0] == "International Labour Organization" and "ILO" in ilo[3]
    assert kinds[fra[1]] == "jurisdiction" and "Francia" in fra[3] and "France" not in fra[3]
    symbols = {n for e in data["entities"] for n in e[3]}
    assert "A/RES/77/281" in symbols
    assert not any(re.fullmatch(r"\d{4}(-\d\d){0,2}", n) for n in symbols), "dates are not names"


def test_sort_key_and_year_rules():
    assert lists.sort_key("Économie Sociale et Solidaire") == "economie sociale et solidaire"
    assert lists.milestone_year({"submitted": "2024-10-08", "date": "2019"}) == 2019
    assert lists.milestone_year({"date": "2021 | 2020"}) == 2020


def test_hostile_labels_stay_text_in_the_json(tmp_path):
    import ssegraph

    kg = ssegraph.load([DATA / "view-unsafe.ttl", ONTOLOGY], cache_dir=tmp_path / "cache")
    out = tmp_path / "site"
    write_lists(kg, out)
    for name in ("milestones.html", "organisations.html", "search.html"):
        text = (out / name).read_text(encoding="utf-8")
        block = re.search(r'id="site-data">(.*?)</script>', text, re.S).group(1)
        assert "<" not in block and ">" not in block and "&" not in block, name
        assert "\u2028" not in block
        assert text.count("<script") == 3, name  # the data and the two page scripts, nothing injected
    data = page_json(out / "organisations.html")
    names = {cells(data, r)["name"] for r in data["rows"]}
    assert "<script>window.__xss=1</script>" in names
    assert "</script><script>window.__xss=4</script><!--" in names
    milestones = page_json(out / "milestones.html")
    assert [cells(milestones, r)["symbol"] for r in milestones["rows"]] == ["<b onmouseover=window.__xss=10>RES</b>"]
    for page in (data, milestones):
        for row in page["rows"]:
            assert row[0] is None or re.fullmatch(r"[A-Za-z0-9._/-]+\.html", row[0]) and ".." not in row[0]
    text = (out / "organisations.html").read_text(encoding="utf-8")
    assert "<img src=x" not in text.split('id="site-data"')[0]  # facet values escaped by the template


def test_list_columns_are_release_table_columns_or_documented_additions():
    """A renamed table column must not silently empty a list column: each column a list shows is a
    documented column of its release table, or one lists.py adds (and documents)."""
    from ssegraph.release import list_tables

    tables = {t.name: {c for c, _ in t.columns} for t in list_tables()}
    added = {"milestones": {"year"}, "organisations": {"country", "untfsse"}}
    for spec in lists.LISTS:
        for col in spec.columns:
            assert col.key in tables[spec.table] | added[spec.table], (spec.table, col.key)
        assert {c.key for c in spec.columns} >= {f.column for f in spec.facets}
