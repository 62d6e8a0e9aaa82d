"""The site's faceted lists and search page in a real browser (Debian's headless Chromium via
Playwright: the ``browser`` fixture of tests/_browser.py): filter, share the filters by URL, go back, download
the CSV, search by symbol and by a name typed without its accents, and open the hostile-label
fixture with no script run and no request made.

Every request is routed: the pages may read only files inside the site folder; anything else is
aborted and recorded, and a test fails if anything was. The site is built once per module.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from _browser import inside
from ssegraph.export.csv import defuse
from ssegraph.site import build_site, lists

pytestmark = pytest.mark.browser

DATA = Path(__file__).parent / "data"
ONTOLOGY = Path(__file__).parent.parent / "ontology"
OFF = 3


@pytest.fixture(scope="module")
def site(kg, tmp_path_factory):
    out = tmp_path_factory.mktemp("site-lists") / "site"
    build_site(kg, out)
    return out


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    import ssegraph

    tmp = tmp_path_factory.mktemp("site-hostile")
    kg = ssegraph.load([DATA / "view-unsafe.ttl", ONTOLOGY], cache_dir=tmp / "cache")
    out = tmp / "site"
    build_site(kg, out)
    return out


@pytest.fixture
def open_site(open_page):
    """Open a page of a site folder (the shared harness of tests/_browser.py): any file of the
    folder loads, anything else is aborted and recorded; links must stay in it or be http(s)."""

    def go(root: Path, name: str, fragment: str = "", *, width: int = 1280, height: int = 900):
        opened = open_page(root / name, fragment=fragment, width=width, height=height, allow=inside(root))
        opened.root = root.resolve().as_uri() + "/"
        return opened

    return go


def data_of(page) -> dict:
    return page.evaluate("JSON.parse(document.getElementById('site-data').textContent)")


def visible_rows(page) -> list[dict[str, str]]:
    """The table's rows, as {column heading: cell text}."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('#rows tbody tr'), tr =>
        Object.fromEntries(Array.from(tr.cells, td => [td.dataset.label, td.textContent])))""")


def count_text(page) -> str:
    return page.inner_text("#count")


def expected(data: dict, **facets: str) -> list[list]:
    cols = {f["key"]: f["col"] for f in data["facets"]}

    def ok(row):
        for key, value in facets.items():
            cell = row[OFF + cols[key]]
            if value not in (cell if isinstance(cell, list) else [cell]):
                return False
        return True

    return [r for r in data["rows"] if ok(r)]


def wait_hash(page, text: str) -> None:
    """The address follows a change a moment later (one history entry for changes in quick succession)."""
    page.wait_for_function("(t) => location.hash.includes(t)", arg=text, timeout=5_000)


def filter_region_and_type(page, region="Southern Europe", family="SSE framework law") -> None:
    page.select_option("#f-region", region)
    wait_hash(page, "region=")
    page.locator(f'input[name=type][value="{family}"]').check()
    wait_hash(page, "type=")


def test_filter_milestones_by_region_and_type(open_site, site):
    opened = open_site(site, "milestones.html")
    page = opened.page
    data = data_of(page)
    total = len(data["rows"])
    assert count_text(page) == f"{total} of {total} milestones"
    filter_region_and_type(page)
    want = expected(data, region="Southern Europe", type="SSE framework law")
    assert 0 < len(want) < total
    assert count_text(page) == f"{len(want)} of {total} milestones"
    rows = visible_rows(page)
    assert len(rows) == len(want)
    for row in rows:
        assert "Southern Europe" in row["Region"].split("; ")
        assert "SSE framework law" in row["Instrument type"].split("; ")
    links = page.evaluate("Array.from(document.querySelectorAll('#rows tbody a'), a => a.getAttribute('href'))")
    assert sorted(links) == sorted(r[0] for r in want)
    # the counts beside the values follow the other filters
    label = page.locator('input[name=type][value="SSE framework law"]').locator("xpath=..")
    assert label.locator(".n").inner_text() == f"({len(want)})"
    bills = len(expected(data, region="Southern Europe", type="bill"))
    assert page.locator('input[name=type][value="bill"]').locator("xpath=..").locator(".n").inner_text() == f"({bills})"
    page.focus("#f-region")  # a select's counts are brought up to date when it is about to be used
    option = page.locator('#f-region option[value="South America"]').inner_text()
    assert option == f"South America ({len(expected(data, region='South America', type='SSE framework law'))})"
    opened.assert_clean()


def test_fragment_carries_the_filters_reload_and_back_restore_them(open_site, site):
    opened = open_site(site, "milestones.html")
    page = opened.page
    data, total = data_of(page), len(data_of(page)["rows"])
    only_region = len(expected(data, region="Southern Europe"))
    both = len(expected(data, region="Southern Europe", type="SSE framework law"))
    filter_region_and_type(page)
    url = page.url
    assert url.endswith("#region=Southern%20Europe&type=SSE%20framework%20law"), url
    assert page.get_attribute("#share", "href") == "milestones.html#region=Southern%20Europe&type=SSE%20framework%20law"
    page.reload()
    page.wait_for_selector("body[data-ready=true]", state="attached")
    assert count_text(page) == f"{both} of {total} milestones"
    assert page.input_value("#f-region") == "Southern Europe"
    assert page.locator('input[name=type][value="SSE framework law"]').is_checked()
    page.go_back()  # before the type was ticked
    page.wait_for_function(f"document.getElementById('count').textContent.startsWith('{only_region} of')")
    assert not page.locator('input[name=type][value="SSE framework law"]').is_checked()
    page.go_back()  # before any filter
    page.wait_for_function(f"document.getElementById('count').textContent.startsWith('{total} of')")
    assert page.input_value("#f-region") == ""
    page.go_forward()
    page.wait_for_function(f"document.getElementById('count').textContent.startsWith('{only_region} of')")
    # a shared link opens filtered, with a search word, a year range and a sort
    other = open_site(site, "milestones.html", "#q=cooperat&from=2010&to=2020&sort=symbol")
    state = other.page.evaluate("ssegraphList.state")
    assert state["q"] == "cooperat" and state["from"] == 2010 and state["to"] == 2020
    assert other.page.input_value("#q") == "cooperat" and other.page.input_value("#year-from") == "2010"
    assert other.page.get_attribute("th[aria-sort]", "data-col") == "0"
    for row in other.page.evaluate("ssegraphList.rowsOf(ssegraphList.matched())"):
        year = row[OFF + data["year"]["col"]]
        assert 2010 <= year <= 2020
    opened.assert_clean()
    other.assert_clean()


def test_csv_download_holds_the_rows_and_columns_shown(open_site, site):
    opened = open_site(site, "milestones.html")
    page = opened.page
    data = data_of(page)
    filter_region_and_type(page)
    page.locator(".columns-chooser summary").click()
    page.locator('.columns-chooser input[value="country"]').check()  # show one more column
    page.locator('.columns-chooser input[value="body"]').uncheck()  # and one fewer
    with page.expect_download() as info:
        page.click("#download")
    download = info.value
    assert download.suggested_filename == "milestones.csv"
    raw = Path(download.path()).read_bytes()
    text = raw.decode("utf-8")  # UTF-8
    table = list(csv.reader(io.StringIO(text, newline="")))
    keys = [c["key"] for c in data["columns"] if c["shown"] and c["key"] != "body"] + ["country"]
    assert table[0] == lists.csv_header(data, keys)
    rows = visible_rows(page)
    assert len(table) - 1 == len(rows) > 0
    for line, shown in zip(table[1:], rows, strict=True):
        got = dict(zip(table[0][1:], line[1:], strict=True))
        assert set(got) == set(shown)
        for heading, text_shown in shown.items():
            assert got[heading].replace(" | ", "; ") == text_shown, heading
    assert {r[0] for r in table[1:]} == {r[1] for r in expected(data, region="Southern Europe",
                                                                 type="SSE framework law")}
    opened.assert_clean()


def test_csv_defuses_formulas_like_export_csv(open_site, site):
    opened = open_site(site, "organisations.html")
    samples = ['=HYPERLINK("http://evil.example/","x")', "+1+1", "-12.5", "@SUM(A1)", "\tx", "Coop", "-", "+3e5",
               "=1"]
    got = opened.page.evaluate("(s) => s.map(ssegraphListKit.defuse)", samples)
    assert got == [defuse(s) for s in samples]


def test_sort_by_a_column_button(open_site, site):
    opened = open_site(site, "organisations.html")
    page = opened.page
    assert page.get_attribute("#rows th[aria-sort]", "data-col") == "0"  # by name
    page.get_by_role("button", name="Country").click()
    assert page.get_attribute("#rows th[aria-sort]", "aria-sort") == "ascending"
    countries = [r["Country"] for r in visible_rows(page)]
    filled = [c for c in countries if c]
    assert filled == sorted(filled, key=lambda c: lists.sort_key(c)) and countries[: len(filled)] == filled
    page.get_by_role("button", name="Country").press("Enter")  # the keyboard sorts too
    assert page.get_attribute("#rows th[aria-sort]", "aria-sort") == "descending"
    wait_hash(page, "sort=-country")
    assert page.url.endswith("#sort=-country")
    opened.assert_clean()


def test_organisations_by_untfsse_status_and_search_box(open_site, site):
    opened = open_site(site, "organisations.html", "#untfsse=observer")
    page = opened.page
    data = data_of(page)
    want = expected(data, untfsse="observer")
    assert count_text(page) == f"{len(want)} of {len(data['rows'])} organisations"
    assert {r["UNTFSSE"] for r in visible_rows(page)} == {"observer"}
    page.locator('input[name=untfsse][value="observer"]').uncheck()
    page.fill("#q", "economie sociale")  # accents and case do not matter
    names = [r["Name"] for r in visible_rows(page)]
    assert "Chantier de l'économie sociale" in names
    for row in page.evaluate("ssegraphList.rowsOf(ssegraphList.matched())"):
        text = " ".join(" ".join(map(str, x)) if isinstance(x, list) else str(x) for x in row[2:] if x)
        assert "economie" in lists.sort_key(text) and "sociale" in lists.sort_key(text)
    opened.assert_clean()


def test_search_by_symbol_and_open_the_result(open_site, site):
    opened = open_site(site, "search.html")
    page = opened.page
    data = data_of(page)
    target = next(e for e in data["entities"] if "A/RES/77/281" in e[3])
    page.fill("#q", "A/RES/77/281")
    first = page.locator("#results li").first
    assert first.locator(".result-label").inner_text() == target[0]
    assert first.locator(".result-alias").inner_text() == "A/RES/77/281"
    wait_hash(page, "q=A%2FRES%2F77%2F281")
    with page.expect_request(lambda r: r.is_navigation_request() and r.frame == page.main_frame) as req:
        first.locator("a").click()
    assert req.value.url == opened.root + target[2]  # the entity's page (written by the entities section)
    if (site / target[2]).exists():
        page.wait_for_url(opened.root + target[2])
    assert opened.blocked == []


def test_search_by_an_accented_name_typed_without_accents(open_site, site):
    opened = open_site(site, "search.html", "#q=assemblee%20nationale%20du%20senegal")
    page = opened.page
    first = page.locator("#results li").first
    assert first.locator(".result-label").inner_text() == "National Assembly of Senegal"
    assert first.locator(".result-alias").inner_text() == "Assemblée nationale du Sénégal"
    assert page.input_value("#q") == "assemblee nationale du senegal"
    page.fill("#q", "ECONOMIA SOCIAL")
    labels = page.evaluate("ssegraphSearch.results().map(e => [e[0]].concat(e[3]).join(' '))")
    assert labels and all("economia" in lists.sort_key(t) and "social" in lists.sort_key(t) for t in labels)
    assert any("Economía Social" in t for t in labels)
    page.locator('input[name=kind][value="milestone"]').check()
    kinds = {k[0]: i for i, k in enumerate(data_of(page)["kinds"])}
    assert {e[1] for e in page.evaluate("ssegraphSearch.results()")} == {kinds["milestone"]}
    wait_hash(page, "kind=milestone")
    opened.assert_clean()


def test_phone_width_folds_the_filters_and_stacks_the_rows(open_site, site):
    opened = open_site(site, "milestones.html", width=390, height=800)
    page = opened.page
    assert page.evaluate("document.getElementById('facet-panel').open") is False
    assert page.evaluate("getComputedStyle(document.querySelector('#rows tbody tr')).display") == "block"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    opened.assert_clean()


def test_show_more_and_print_draw_every_row(open_site, site):
    opened = open_site(site, "milestones.html")
    page = opened.page
    total = len(data_of(page)["rows"])
    drawn = page.locator("#rows tbody tr").count()
    assert drawn == min(total, lists.PAGE_ROWS)
    if total > drawn:
        page.click("#more")
        assert page.locator("#rows tbody tr").count() == min(total, 2 * lists.PAGE_ROWS)
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("#rows tbody tr").count() == total
    assert page.evaluate("getComputedStyle(document.getElementById('filters')).display") == "none"
    opened.assert_clean()


def test_hostile_labels_are_text_and_nothing_runs(open_site, hostile_site):
    for name, query in (("organisations.html", "script"), ("milestones.html", "res"), ("search.html", "window")):
        opened = open_site(hostile_site, name)
        page = opened.page
        page.fill("#q", query)
        page.wait_for_timeout(100)
        shown = page.inner_text("main")
        if name == "organisations.html":
            assert "<script>window.__xss=1</script>" in shown
            assert "</script><script>window.__xss=4</script><!--" in shown
            page.get_by_role("button", name="Name").click()
        elif name == "milestones.html":
            assert "<b onmouseover=window.__xss=10>RES</b>" in shown
        else:
            assert page.locator("#results li").count() >= 3
            page.fill("#q", "")
            page.keyboard.type("<img")
        if name != "search.html":
            with page.expect_download() as info:
                page.click("#download")
            assert info.value.suggested_filename.endswith(".csv")
            table = list(csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"), newline="")))
            cells = {c for row in table[1:] for c in row}
            if name == "organisations.html":
                assert "<script>window.__xss=1</script>" in cells  # the data as it is, as text
            else:
                assert "<b onmouseover=window.__xss=10>RES</b>" in cells
        page.mouse.move(400, 400)
        for a in page.locator("main a").all()[:20]:
            a.hover()
        page.wait_for_timeout(300)  # give any injected handler the chance to fire
        assert page.evaluate("document.querySelectorAll('main img, main iframe, main svg, main b').length") == 0
        opened.assert_clean()


def test_filters_work_from_the_keyboard(open_site, site):
    opened = open_site(site, "milestones.html")
    page = opened.page
    data = data_of(page)
    total = len(data["rows"])
    page.focus("#q")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"  # the filters fold and unfold
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-region"
    page.keyboard.press("ArrowDown")  # the first region
    first = data["facets"][0]["values"][0][0]
    assert page.input_value("#f-region") == first
    assert count_text(page) == f"{len(expected(data, region=first))} of {total} milestones"
    box = page.locator('input[name=type][value="SSE framework law"]')
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    assert count_text(page) == f"{len(expected(data, region=first, type='SSE framework law'))} of {total} milestones"
    page.locator("#clear").focus()
    page.keyboard.press("Enter")
    assert count_text(page) == f"{total} of {total} milestones"
    assert page.evaluate("document.activeElement.id") == "q"
    opened.assert_clean()
