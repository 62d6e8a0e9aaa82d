"""The site as a reader uses it, in Debian's headless Chromium, offline.

One journey through the pages the issue names (home → milestones filtered by region and type →
CSV → an entity page from the results → a source link; search by symbol), and a crawl of every
page of a site built from the hostile-label fixture: no script of the data runs, no dialog
opens, and no page asks for anything outside the site folder. The sections' own behaviour is
tested in tests/test_site_lists_browser.py and tests/test_site_entities.py.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from _browser import inside
from ssegraph.site import build_site

pytestmark = pytest.mark.browser

DATA = Path(__file__).parent / "data"
ONTOLOGY = Path(__file__).parent.parent / "ontology"
LIST_READY = "body[data-ready=true]"


@pytest.fixture(scope="module")
def site(kg, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site-journey") / "site"
    build_site(kg, out)
    return out


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    import ssegraph

    tmp = tmp_path_factory.mktemp("site-hostile-crawl")
    kg = ssegraph.load([DATA / "view-unsafe.ttl", ONTOLOGY], cache_dir=tmp / "cache")
    out = tmp / "site"
    build_site(kg, out)
    return out


def test_journey_from_home_to_a_source(open_page, site):
    opened = open_page(site / "index.html", ready="body", allow=inside(site))
    page = opened.page
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Milestones").click()
    page.wait_for_selector(LIST_READY, state="attached")
    assert page.url.endswith("/milestones.html")
    page.select_option("#f-region", "Southern Europe")
    page.locator('input[name=type][value="SSE framework law"]').check()
    page.wait_for_function("() => location.hash.includes('region=') && location.hash.includes('type=')")
    shown = page.locator("#rows tbody tr").count()
    assert shown > 0 and page.inner_text("#count").startswith(f"{shown} of ")
    with page.expect_download() as dl:
        page.click("#download")
    rows = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) == shown
    assert all("Southern Europe" in r["Region"] for r in rows)
    # an entity page from the results, and one of its sources
    title = page.locator("#rows tbody tr a").first.inner_text()
    page.locator("#rows tbody tr a").first.click()
    page.wait_for_selector("h1")
    assert "/id/" in page.url and page.inner_text("h1").strip() == title.strip()
    source = page.locator("ol.sources a[href^='http']").first
    href = source.get_attribute("href")
    assert href.startswith(("https://", "http://"))
    with page.expect_request(lambda r: r.is_navigation_request()) as req:
        source.click()
    assert req.value.url.rstrip("/") == href.rstrip("/")
    page.wait_for_timeout(200)
    assert [u.rstrip("/") for u in opened.blocked] == [href.rstrip("/")]  # the only request leaving the site
    assert page.evaluate("typeof window.__xss") == "undefined"


def test_search_by_symbol_opens_the_milestone(open_page, site):
    opened = open_page(site / "search.html", ready=LIST_READY, allow=inside(site))
    page = opened.page
    page.fill("#q", "a/res/77/281")  # typed any case
    first = page.locator("#results li a").first
    first.wait_for()
    first.click()
    page.wait_for_selector("h1")
    assert page.url.endswith("/id/a-res-77-281.html")
    assert "A/RES/77/281" in page.inner_text("main")
    opened.assert_clean()


def test_every_page_of_the_hostile_site_is_inert(open_page, hostile_site):
    pages = sorted(p for p in hostile_site.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        opened = open_page(path, ready="body", allow=inside(hostile_site))
        opened.page.wait_for_timeout(100)  # give any injected handler the chance to fire
        links = opened.page.evaluate("Array.from(document.querySelectorAll('a'), "
                                     "a => a.getAttribute('href') || a.getAttribute('xlink:href') || '')")
        for link in links:
            assert not link.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (path, link)
        opened.assert_clean()
