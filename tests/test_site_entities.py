"""The site's entity pages: one per entity, facts in words with their sources, disputed facts
marked, links that resolve, pictures drawn without script, hostile text shown as text."""

from __future__ import annotations

import doctest
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import ssegraph
from ssegraph.site import build_site, entities, page_path

DATA = Path(__file__).parent / "data"
ONTOLOGY = Path(__file__).parent.parent / "ontology"
ID = "https://w3id.org/ssegraph/id/"


@pytest.fixture(scope="module")
def site(kg, tmp_path_factory):
    """The site of the bundled data, built once for this module."""
    out = tmp_path_factory.mktemp("site-entities") / "site"
    report = build_site(kg, out)
    return out, report


def page(site, iri: str) -> str:
    out, _ = site
    return (out / page_path(iri)).read_text(encoding="utf-8")


def main_of(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def source_items(html: str) -> dict[str, str]:
    """The Sources list: footnote number → the item's HTML."""
    return dict(re.findall(r'<li id="src-(\d+)">(.*?)</li>', html, re.DOTALL))


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text, of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Tags:
    p = Tags()
    p.feed(html)
    return p


def test_helpers_doctests():
    assert doctest.testmod(entities, raise_on_error=False).failed == 0


def test_every_organisation_and_milestone_has_a_page(kg, site):
    out, report = site
    wanted = {r["s"].value for r in kg.query(
        "SELECT DISTINCT ?s WHERE { { ?s a org:Organization } UNION { ?s a eli:LegalResource } FILTER(isIRI(?s)) }"
    ).terms()}
    assert len(wanted) > 300
    missing = [iri for iri in wanted if not (out / page_path(iri)).is_file()]
    assert not missing
    assert report.entities >= len(wanted)
    assert report.timings["entities"] < 10


def test_entity_pages_run_no_script(site):
    html = page(site, ID + "ilo")
    csp = [a["content"] for t, a in parse(html).tags
           if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert len(csp) == 1 and "script-src 'none'" in csp[0]
    assert "<script" not in html
    assert 'href="../assets/site.css"' in html and 'href="../assets/entity.css"' in html
    assert (site[0] / "assets" / "entity.css").is_file()
    assert " style=" not in html  # the CSP admits no inline style


def test_ilo_page_acronym_membership_dates_and_a_dated_quote(site):
    html = page(site, ID + "ilo")
    assert "<h1 id=\"entity-title\">International Labour Organization</h1>" in html
    facts = html.split('id="facts"', 1)[1].split("</dl>", 1)[0]
    assert re.search(r"<dt>Acronym</dt>\s*<dd><span class=\"value\">ILO", facts)
    assert "<dt>Organisation type</dt>" in facts and "UN specialized agency" in facts
    assert 'href="#src-1"' in facts  # the facts cite the entity's sources
    # the UNTFSSE membership, with its attested dates and its own sources
    members = html.split('id="memberships-member"', 1)[1].split("</table>", 1)[0]
    row = members.split("<tr", 2)[2]  # first body row
    assert 'href="../id/untfsse.html"' in row
    assert '<time datetime="2013-09-30">30 September 2013</time>' in row
    assert '<time datetime="2025-01-16">16 January 2025</time>' in row
    cited = re.findall(r'href="#src-(\d+)"', row)
    assert len(cited) >= 5
    items = source_items(html)
    assert set(cited) <= set(items)
    # at least one cited source shows its quote and the day it was read
    dated = [n for n, item in items.items() if "<blockquote" in item and "Read on " in item]
    assert dated
    item = items[dated[0]]
    assert re.search(r"Read on \d{1,2} [A-Z][a-z]+ \d{4}\.", item)
    assert re.search(r'<a href="https://[^"]+" rel="external noopener noreferrer">', item)


def test_ilo_page_timeline_and_ego_network(site):
    html = page(site, ID + "ilo")
    tl = html.split('<figure class="timeline"', 1)[1].split("</figure>", 1)[0]
    assert 'role="img"' in tl and "<title id=\"tl-title\">Membership timeline of ILO</title>" in tl
    assert tl.count('<g class="bar') >= 7
    ego = html.split('<figure class="ego">', 1)[1].split("</figure>", 1)[0]
    assert "<title id=\"ego-title\">ILO and its direct neighbours</title>" in ego
    links = re.findall(r'<a href="([^"]+)" class="ego-node">', ego)
    assert "../id/untfsse.html" in links and len(links) >= 10
    assert 'href="../network.html#sel=id%3Ailo"' in html


def test_milestone_page_symbol_status_dates_body_and_jurisdiction(site):
    html = page(site, ID + "es-ley-5-2011")
    facts = main_of(html).split('id="facts"', 1)[1].split("</dl>", 1)[0]
    words = {dt: dd for dt, dd in re.findall(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", facts, re.DOTALL)}
    assert words["Symbol"].startswith('<span class="value">Ley 5/2011')
    assert "in force" in words["Status"]
    assert "national law" in words["Document type"]
    assert "SSE framework law" in words["Instrument family"]
    for kind, day in [("Accepted (final or committee vote)", "2011-03-16"),
                      ("Adopted or signed (date of the document)", "2011-03-29"),
                      ("Published in the official journal", "2011-03-30"), ("In force from", "2011-04-30")]:
        assert f'<time datetime="{day}">' in words[kind], kind
    assert 'href="../id/cortes-generales.html"' in words["Adopted by"]
    assert 'href="../country/ESP.html"' in words["Jurisdiction"] and "Southern Europe" in words["Jurisdiction"]
    # every date kind the release table knows is said once, in order of the life cycle
    assert len({p for p, _ in entities.DATE_KINDS}) == len(entities.DATE_KINDS)
    # the jurisdiction's page lists it among the milestones that apply there
    spain = page(site, "http://publications.europa.eu/resource/authority/country/ESP")
    assert 'href="../id/es-ley-5-2011.html"' in spain.split('id="milestones"', 1)[1]


def test_disputed_milestone_shows_the_marker_the_note_and_both_dates(site):
    html = page(site, ID + "ba-srp-zakon-drustveno-preduzetnistvo-2021")
    head = html.split('id="names"', 1)[0]
    assert '<div class="disputed" role="note"><strong class="disputed-mark">Disputed</strong>' in head
    assert "Disputed publication date" in head  # the curators' note
    facts = html.split('id="facts"', 1)[1].split("</dl>", 1)[0]
    published = facts.split("<dt>Published in the official journal</dt>", 1)[1].split("</dd>", 1)[0]
    assert '<time datetime="2021-12-09">' in published and '<time datetime="2021-12-14">' in published
    assert 'class="disputed badge"' in published
    # a title in three languages is not a dispute
    title = facts.split("<dt>Title</dt>", 1)[1].split("</dd>", 1)[0]
    assert "disputed" not in title


def test_disputed_membership_row_is_marked(site):
    html = page(site, ID + "unctad")
    rows = html.split('id="memberships-member"', 1)[1].split("</table>", 1)[0]
    assert 'class="disputed-row"' in rows and "Disputed</strong>" in rows
    assert "Co-Chair" in rows  # the note says what the sources say


def test_jurisdiction_event_and_person_pages(site):
    spain = page(site, "http://publications.europa.eu/resource/authority/country/ESP")
    assert "<dt>Level</dt>" in spain and "country" in spain
    assert "Southern Europe" in spain
    event = page(site, ID + "untfsse-symposium-2019")
    assert "<dt>Starts</dt>" in event and "<dt>Organisers</dt>" in event
    assert 'id="participants"' in event
    person = page(site, ID + "simel-esim")
    assert 'id="posts-held"' in person and "Chair of the UNTFSSE" in person
    ego = person.split('<figure class="ego">', 1)[1].split("</figure>", 1)[0]
    # the neighbours are direct: the ILO and the UNTFSSE, not the other holders of her posts
    assert 'href="../id/untfsse.html"' in ego and 'href="../id/ilo.html"' in ego
    assert "chantal-line-carpentier" not in ego


def test_links_resolve_to_files_of_the_site(site):
    out, _ = site
    checked = 0
    for path in sorted(out.glob("id/*.html"))[:250] + sorted(out.glob("country/*.html"))[:30]:
        for tag, attrs in parse(main_of(path.read_text(encoding="utf-8"))).tags:
            href = attrs.get("href")
            if tag != "a" or not href or href.startswith("#"):
                continue
            parts = urlsplit(href)
            if parts.scheme:
                assert parts.scheme in ("http", "https"), (path, href)
                continue
            target = (path.parent / unquote(parts.path)).resolve()
            assert target.is_file(), (path, href)
            assert out.resolve() in target.parents
            checked += 1
    assert checked > 1000


def test_footnotes_point_at_sources_on_the_page(site):
    out, _ = site
    for path in sorted(out.glob("id/*.html"))[:120]:
        html = path.read_text(encoding="utf-8")
        cited = set(re.findall(r'href="#src-(\d+)"', html))
        assert cited <= set(source_items(html)), path


@pytest.fixture(scope="module")
def unsafe_site(cache_dir, tmp_path_factory):
    kg = ssegraph.load([DATA / "view-unsafe.ttl", ONTOLOGY], cache_dir=cache_dir)
    out = tmp_path_factory.mktemp("site-unsafe") / "site"
    build_site(kg, out)
    return out


def test_hostile_text_is_shown_as_text(unsafe_site):
    out = unsafe_site
    pages = sorted(out.glob("id/*.html"))
    names = {p.name for p in pages}
    assert {"evil-script.html", "evil-img.html", "evil-milestone.html", "evil-event.html",
            "evil-person.html"} <= names
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert "<script" not in html.lower(), path
        tags = parse(html)
        for tag, attrs in tags.tags:
            assert tag not in ("script", "img", "iframe", "b", "object", "embed"), (path, tag)
            for name, value in attrs.items():
                assert not name.startswith("on"), (path, tag, name)
                if name in ("href", "src", "xlink:href", "action"):
                    v = (value or "").strip().lower()
                    assert not v.startswith(("javascript:", "data:", "vbscript:")), (path, value)
                    assert re.match(r"^(https?://|#|[a-z0-9._/-]+\.html|\.\./)", v) or v.startswith("../"), (path, v)
    evil = (out / "id" / "evil-script.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in evil
    assert "&lt;img src=x onerror=window.__xss=2&gt;" in evil
    # a javascript: source address is shown as text, never as a link
    assert "JaVaScRiPt:" not in evil or 'href="JaVaScRiPt' not in evil
    assert "javascript:window.__xss=5</span>" in evil
    # the https URL with an encoded quote stays one attribute value
    assert 'href="https://example.org/a%22onmouseover=%22window.__xss=8"' in evil
    milestone = (out / "id" / "evil-milestone.html").read_text(encoding="utf-8")
    assert "&lt;b onmouseover=window.__xss=10&gt;RES&lt;/b&gt;" in milestone
    # the SVG labels are text nodes too
    img = (out / "id" / "evil-img.html").read_text(encoding="utf-8")
    ego = img.split('<figure class="ego">', 1)[1].split("</figure>", 1)[0]
    assert "<text" in ego and "&lt;" in ego


@pytest.mark.browser
def test_entity_pages_in_a_browser(open_page, site, unsafe_site):
    """Offline in Chromium: the style sheets load from the site folder, nothing else is asked
    for, no script runs, the pictures' links take the keyboard focus, a footnote leads to its
    source; the hostile pages run nothing and link nowhere unsafe."""
    from _browser import inside

    out, _ = site
    opened = open_page(out / "id" / "ilo.html", ready="footer", allow=inside(out))
    page = opened.page
    assert page.evaluate("document.styleSheets.length") == 2
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).display") == "flex"
    assert page.evaluate("""(() => { const a = document.querySelector('figure.ego a');
        a.focus(); return document.activeElement === a; })()""")
    assert page.evaluate("document.querySelector('figure.timeline svg').getBoundingClientRect().height") > 100
    page.click('dl.facts a[href="#src-1"]')
    assert page.evaluate("location.hash") == "#src-1"
    assert page.evaluate("document.querySelector('#src-1 a[rel~=external]').protocol") in ("http:", "https:")
    opened.assert_clean()
    for name in ("evil-script.html", "evil-img.html", "evil-milestone.html", "evil-event.html", "evil-person.html"):
        opened = open_page(unsafe_site / "id" / name, ready="footer", allow=inside(unsafe_site))
        protocols = opened.page.evaluate(
            "Array.from(document.querySelectorAll('a[href]'))"
            ".map(a => new URL(a.getAttribute('href'), location.href).protocol)")
        assert set(protocols) <= {"file:", "http:", "https:"}, (name, protocols)
        assert opened.page.evaluate(
            "document.querySelectorAll('script, img, iframe, [onload], [onerror], [onmouseover]').length") == 0
        opened.page.wait_for_timeout(100)
        opened.assert_clean()


def test_the_ego_picture_draws_only_what_the_page_links(site):
    """Each neighbour in the picture is linked from the page's facts, rows or links (not, say,
    the publisher of a source): the picture is the page's direct neighbourhood."""
    out, _ = site
    for path in sorted(out.glob("id/*.html"))[:200]:
        html = path.read_text(encoding="utf-8")
        if '<figure class="ego">' not in html:
            continue
        before, rest = html.split('<section aria-labelledby="network">', 1)
        ego = rest.split("</figure>", 1)[0]
        for href in re.findall(r'<a href="([^"]+)" class="ego-node">', ego):
            assert f'href="{href}"' in before, (path.name, href)
