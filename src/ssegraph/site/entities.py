"""Site section: one page per entity, with its facts in words and the sources behind each.

Every entry of :attr:`SiteContext.entities` (organisations, people, milestones, events, places,
jurisdictions) gets a page at ``ref.path``: its names in every language, its kind and RDF types,
its key facts in words (a milestone's symbol, type, status and dates by kind; an organisation's
acronym, type, seat, founding; an event's dates, place and organisers; a jurisdiction's level,
country and region), its memberships, posts and participations (the n-ary nodes of the model,
each row citing that node's own sources), the milestones that apply in a jurisdiction, its links
out and in grouped by relation, a small ego network and, for an organisation, a membership
timeline, both as inline SVG drawn here (entity pages run no script), and the sources: title,
link, the quoted sentence and the date read. A fact the curators mark disputed
(``sse:confidence kos:confidence-low``) carries a visible marker and their note.

Cost: the facts of every page come from one scan of the store (every statement, grouped by
subject and by object in Python), then each page is put together from dictionaries, so the
section grows linearly with the graph and never runs a query per entity.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from .. import model
from ..namespaces import PREFIXES, compact
from .context import EntityRef, SiteContext

#: CURIE → IRI, remembered (the page builders expand the same few dozen CURIEs for every page)
_e = functools.cache(model.expand)
_RDF_TYPE = _e("rdf:type")
_DERIVED = _e("prov:wasDerivedFrom")
_PRIMARY = _e("prov:hadPrimarySource")
_CONFIDENCE = _e("sse:confidence")
_LOW = _e("kos:confidence-low")
_NOTE = _e("skos:editorialNote")
_DESCRIPTION = _e("dcterms:description")
_RDFS_LABEL = _e("rdfs:label")
_PREF = _e("skos:prefLabel")
_BROADER = _e("skos:broader")
_XSD = PREFIXES["xsd"]

#: Dates of a policy milestone by kind, in life-cycle order, each said once: the property list of
#: the release table ``tables/milestones.rq`` (adopted … last attested), with the ELI dates of
#: applicability and of the end of force that some milestones also carry.
DATE_KINDS: tuple[tuple[str, str], ...] = tuple((_e(p), words) for p, words in (
    ("dcterms:dateSubmitted", "Submitted (bill tabled)"),
    ("dcterms:dateAccepted", "Accepted (final or committee vote)"),
    ("eli:date_document", "Adopted or signed (date of the document)"),
    ("dcterms:date", "Adopted (year or month only)"),
    ("sse:datePromulgated", "Promulgated"),
    ("eli:date_publication", "Published in the official journal"),
    ("eli:first_date_entry_in_force", "In force from"),
    ("eli:date_applicability", "Applies from"),
    ("eli:date_no_longer_in_force", "No longer in force from"),
    ("sse:firstAttested", "First attested"),
    ("sse:lastAttested", "Last attested"),
))

#: The key facts, in the order they are shown, each (property, words). Literal and concept
#: values are shown in words; entity values link to their pages. A property listed here is not
#: repeated among the links out.
FACTS: tuple[tuple[str, str], ...] = tuple((_e(p), words) for p, words in (
    ("eli:id_local", "Symbol"),
    ("sse:acronym", "Acronym"),
    ("dcterms:title", "Title"),
    ("dcterms:identifier", "Identifier"),
    ("eli:type_document", "Document type"),
    ("dcterms:type", "Type"),
    ("sse:status", "Status"),
    ("org:classification", "Organisation type"),
    ("eli:passed_by", "Adopted by"),
    ("eli:responsibility_of_agent", "Responsibility of"),
    ("eli:jurisdiction", "Jurisdiction"),
    ("eli:relevant_for", "Relevant for"),
    ("dcterms:spatial", "Spatial coverage"),
    ("eli:published_in", "Published in"),
    ("org:hasPrimarySite", "Seat"),
    ("org:hasRegisteredSite", "Registered office"),
    ("org:hasSite", "Site"),
    ("schema:foundingDate", "Founded"),
    ("schema:foundingLocation", "Founded in"),
    ("schema:founder", "Founders"),
    ("schema:dissolutionDate", "Dissolved"),
    ("schema:startDate", "Starts"),
    ("schema:endDate", "Ends"),
    ("schema:previousStartDate", "Originally scheduled to start"),
    ("schema:eventStatus", "Event status"),
    ("schema:eventAttendanceMode", "Attendance"),
    ("schema:location", "Place"),
    ("schema:organizer", "Organisers"),
    ("schema:contributor", "Contributors"),
    ("schema:attendee", "Attendees"),
    ("schema:sponsor", "Sponsors"),
    ("schema:funder", "Funders"),
    ("schema:superEvent", "Part of the event"),
    ("sse:participantCount", "Number of participants"),
    ("schema:containedInPlace", "Located in"),
    ("skos:broader", "Part of"),
    ("foaf:homepage", "Website"),
    ("schema:url", "Web address"),
    *((compact(p), words) for p, words in DATE_KINDS),
    ("sse:confidence", "Curators' confidence"),
))
#: Words a kind uses instead of the general ones.
KIND_WORDS: dict[str, dict[str, str]] = {
    "milestone": {_e("dcterms:type"): "Instrument family"},
    "jurisdiction": {_e("dcterms:type"): "Level", _BROADER: "Country or region"},
    "event": {_e("schema:startDate"): "Starts", _e("schema:endDate"): "Ends"},
}
_FACT_WORDS = dict(FACTS)
_FACT_ORDER = {p: i for i, (p, _) in enumerate(FACTS)}
_DATE_PROPS = {p for p, _ in DATE_KINDS} | {_e(p) for p in (
    "schema:foundingDate", "schema:dissolutionDate", "schema:startDate", "schema:endDate",
    "schema:previousStartDate")}
#: Predicates whose IRI value is a web address (a link out of the site when http/https).
_WEB = {_e("foaf:homepage"), _e("schema:url"), _e("rdfs:seeAlso"), _e("schema:sameAs")}
#: Naming literals: shown in the Names table, not as facts.
_NAMES = {*model.LABEL_PROPERTIES, model.ALT_LABEL} - {_e("dcterms:title")}
_NAME_WORDS = {_e(p): w for p, w in (
    ("skos:prefLabel", "preferred label"), ("foaf:name", "name"), ("schema:name", "name"),
    ("dcterms:title", "title"), ("rdfs:label", "label"), ("skos:altLabel", "alternative label"),
    ("sse:acronym", "acronym"), ("eli:id_local", "symbol"))}
_NAME_ORDER = {p: i for i, p in enumerate(_NAME_WORDS)}
#: Statements shown in their own place or not at all.
_NOT_LINKS = {_RDF_TYPE, _DERIVED, _PRIMARY, _NOTE, _DESCRIPTION, _e("cv:hasParticipation"),
              _e("org:hasMembership"), _e("org:holds"), _e("owl:versionInfo")}


_FAMILY_RANK = {f.key: i for i, f in enumerate(model.RELATION_FAMILIES)}
_KIND_RANK = {k.key: i for i, k in enumerate(model.PAGE_KINDS)}
#: The most neighbours the ego picture draws; the Links section lists them all.
EGO_MAX = 24
#: The most rows the membership timeline draws; the tables list them all.
TIMELINE_MAX = 40


# -- the graph, read once -------------------------------------------------------------------

def _key(term: Any) -> str | None:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return None


class Graph:
    """Every statement of the store, grouped by subject (``out[s][p]``: objects) and by object
    (``into[o]``: ``(p, s)`` pairs), read by one query. An IRI or blank node object is its key
    (a string; blank nodes as ``_:id``), a literal its pyoxigraph ``Literal``."""

    def __init__(self, kg: Any):
        import pyoxigraph as ox

        out: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        into: dict[str, list[tuple[str, str]]] = defaultdict(list)
        lit = ox.Literal
        # no page looks these up from the object's side (a class, a source record): not indexed
        untracked = {_RDF_TYPE, _DERIVED, _PRIMARY}
        for row in kg.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }").terms():
            s = _key(row["s"])
            if s is None:
                continue
            p = row["p"].value
            o = row["o"]
            if isinstance(o, lit):
                out[s][p].append(o)
                continue
            ok = _key(o)
            if ok is None:
                continue
            out[s][p].append(ok)
            if p not in untracked:
                into[ok].append((p, s))
        self.out = out
        self.into = into
        self._labels: dict[str, str] = {}

    def values(self, node: str, prop: str) -> list[Any]:
        by_p = self.out.get(node)
        return by_p.get(prop, []) if by_p else []

    def nodes(self, node: str, prop: str) -> list[str]:
        return [v for v in self.values(node, prop) if isinstance(v, str)]

    def literals(self, node: str, prop: str) -> list[Any]:
        return [v for v in self.values(node, prop) if not isinstance(v, str)]

    def types(self, node: str) -> list[str]:
        return self.nodes(node, _RDF_TYPE)

    def label(self, node: str, lang: str = "en") -> str:
        """The model's label of any node (an entity, a concept, a post, a site)."""
        found = self._labels.get(node)
        if found is None:
            by_p = self.out.get(node) or {}
            vals = [(p, v.value, v.language or "") for p in (*model.LABEL_PROPERTIES, model.ACRONYM, model.SYMBOL)
                    for v in by_p.get(p, ()) if not isinstance(v, str)]
            found = model.choose_label(vals, lang) or (
                "unnamed node" if node.startswith("_:") else compact(node))
            self._labels[node] = found
        return found


# -- small formatting helpers -----------------------------------------------------------------

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_DATE_RE = re.compile(r"^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def date_words(text: str) -> str:
    """A date in words at the precision given: ``2013-09-30`` → ``30 September 2013``,
    ``2020-06`` → ``June 2020``, ``2019`` → ``2019``; anything else as it is.

    Examples
    --------
    >>> date_words("2013-09-30"), date_words("2020-06"), date_words("2019"), date_words("c. 1900")
    ('30 September 2013', 'June 2020', '2019', 'c. 1900')
    """
    m = _DATE_RE.fullmatch(text or "")
    if not m:
        return text
    y, mo, d = m.groups()
    try:
        if d:
            return f"{int(d)} {_MONTHS[int(mo) - 1]} {y}"
        if mo:
            return f"{_MONTHS[int(mo) - 1]} {y}"
    except (IndexError, ValueError):
        return text
    return y


def _iso(text: str) -> str | None:
    """The ``datetime`` attribute of a date literal (YYYY, YYYY-MM or YYYY-MM-DD), else None."""
    m = re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", text or "")
    return text if m else None


def year_span(text: str) -> tuple[float, float] | None:
    """The span of time a date at its precision covers, in fractional years: a day is a day,
    ``2020-06`` the whole month, ``2019`` the whole year. None when it is not a date.

    Examples
    --------
    >>> year_span("2019")
    (2019.0, 2020.0)
    """
    m = _DATE_RE.match(text or "")
    if not m:
        return None
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        if d:
            day = _dt.date(y, int(mo), int(d)).timetuple().tm_yday - 1
            return y + day / 365.25, y + (day + 1) / 365.25
        if mo:
            return y + (int(mo) - 1) / 12, y + int(mo) / 12
    except ValueError:
        return None
    return float(y), float(y + 1)


def safe_url(url: str) -> str | None:
    """``url`` when it may be a link (http or https), else None: shown as text instead.

    Examples
    --------
    >>> safe_url("https://unsse.org/about/"), safe_url(" JaVaScRiPt:alert(1)"), safe_url("data:,x")
    ('https://unsse.org/about/', None, None)
    """
    from ..view import is_web_url  # the one rule of what becomes a link, as in the views

    u = (url or "").strip()
    return u if is_web_url(u) and not re.search(r"[\x00-\x20]", u) else None


def _v(text: str, *, href: str | None = None, lang: str = "", date: str | None = None, external: bool = False,
       kind: str = "", cites: list[int] | None = None) -> dict[str, Any]:
    """One value as the template shows it: its text, a link, a language, a date attribute,
    the context after it (a jurisdiction's country) and footnotes of its own."""
    return {"text": text, "href": href, "lang": lang, "date": date, "external": external, "kind": kind,
            "cites": cites or [], "context": []}


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


def predicate_label(g: Graph, p: str) -> str:
    """A readable name of a predicate: the model's, else its English rdfs:label, else its local name."""
    found = model.PREDICATE_LABELS.get(p)
    if found:
        return found
    for v in g.literals(p, _RDFS_LABEL):
        if (v.language or "en").startswith("en"):
            return v.value
    local = re.split(r"[#/]", p)[-1]
    words = re.sub(r"(?<=[a-z])(?=[A-Z])|_", " ", local).strip().lower()
    return words or compact(p)


def inverse_label(g: Graph, p: str) -> str:
    return model.INVERSE_LABELS.get(p) or f"is \u201c{predicate_label(g, p)}\u201d of"


# -- one page -------------------------------------------------------------------------------

@dataclass
class Page:
    """What the template of one entity page receives (plain data; everything escaped there)."""

    ref: EntityRef
    names: list[dict[str, str]] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    description: list[dict[str, Any]] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    disputed: bool = False
    notes: list[dict[str, str]] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)
    links_out: list[dict[str, Any]] = field(default_factory=list)
    links_in: list[dict[str, Any]] = field(default_factory=list)
    published: int = 0
    ego: dict[str, Any] | None = None
    timeline: dict[str, Any] | None = None
    network_link: str | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)
    own_cites: list[int] = field(default_factory=list)
    glyph: dict[str, Any] = field(default_factory=dict)


class _Builder:
    """Puts one page together from the :class:`Graph`."""

    def __init__(self, ctx: SiteContext, g: Graph, ref: EntityRef):
        self.ctx, self.g, self.ref = ctx, g, ref
        self.node = ref.iri
        self.page = Page(ref)
        self._source_no: dict[str, int] = {}
        #: neighbour entity IRI → relation family key (the first relation seen)
        self.neighbours: dict[str, str] = {}

    # -- values ---------------------------------------------------------------------------
    def value(self, v: Any, prop: str = "", family: str | None = None, *, neighbour: bool = True) -> dict[str, Any]:
        """A value for the template: text, optional link, language and date attribute. An entity
        value is a direct neighbour of the page's entity unless ``neighbour`` is false."""
        if not isinstance(v, str):
            text = v.value
            if prop in _WEB:
                return _v(text, href=safe_url(text), external=True)
            dt = v.datatype.value if v.datatype is not None else ""
            if prop in _DATE_PROPS or dt in (_XSD + "date", _XSD + "gYear", _XSD + "gYearMonth"):
                return _v(date_words(text), date=_iso(text))
            return _v(text, lang=v.language or "")
        if prop in _WEB and not v.startswith("_:"):
            return _v(v, href=safe_url(v), external=True)
        ref = self.ctx.ref(v)
        if ref is not None:
            if neighbour and v != self.node:
                fam = family or model.family_of(prop).key
                if v not in self.neighbours or self.neighbours[v] == "other":
                    self.neighbours[v] = fam
            found = _v(ref.label, href=self.ctx.href(v, self.ref.path), kind=ref.kind.label)
            found["short"] = ref.short
            return found
        return _v(self.g.label(v, self.ctx.lang))

    def cite(self, node: str) -> list[int]:
        """Footnote numbers of the sources ``node`` is derived from (numbered on first use)."""
        nums = []
        for prop in (_DERIVED, _PRIMARY):
            for src in self.g.nodes(node, prop):
                n = self._source_no.get(src)
                if n is None:
                    n = self._source_no[src] = len(self._source_no) + 1
                    self.page.sources.append(self.source(src, n, primary=prop == _PRIMARY))
                if n not in nums:
                    nums.append(n)
        return nums

    def source(self, src: str, n: int, *, primary: bool) -> dict[str, Any]:
        g = self.g
        title = next((v.value for p in (_e("dcterms:title"), _RDFS_LABEL, _e("schema:name"))
                      for v in g.literals(src, p)), "")
        urls = [v if isinstance(v, str) else v.value for v in g.values(src, _e("schema:url"))]
        publisher = [self.value(v, neighbour=False) for v in g.values(src, _e("dcterms:publisher"))]
        quotes = [{"text": q.value, "lang": q.language or ""} for q in g.literals(src, _e("sse:quote"))]
        read = [date_words(v.value) for v in g.literals(src, _e("sse:retrieved"))]
        issued = [date_words(v.value) for v in g.literals(src, _e("dcterms:issued"))]
        return {"n": n, "id": compact(src), "title": title,
                "urls": [{"text": u, "href": safe_url(u)} for u in urls], "publisher": publisher,
                "quotes": quotes, "retrieved": read, "issued": issued, "primary": primary,
                "note": [v.value for v in g.literals(src, _DESCRIPTION)]}

    def disputed(self, node: str) -> bool:
        return _LOW in self.g.nodes(node, _CONFIDENCE)

    def notes(self, node: str) -> list[dict[str, str]]:
        return [{"text": v.value, "lang": v.language or ""} for v in self.g.literals(node, _NOTE)]

    # -- the page -------------------------------------------------------------------------
    def build(self) -> Page:
        g, node, page = self.g, self.node, self.page
        kind = self.ref.kind.key
        page.types = sorted(compact(t) for t in g.types(node))
        page.glyph = _shape(self.ref.kind.shape, 8, 8, 6)
        page.own_cites = self.cite(node)
        page.disputed = self.disputed(node)
        page.notes = self.notes(node)
        self.names()
        page.description = [{"text": v.value, "lang": v.language or ""} for v in g.literals(node, _DESCRIPTION)]
        self.facts(kind)
        shown_pairs: set[tuple[str, str]] = set()
        ms = self.memberships(shown_pairs)
        self.posts()
        self.participations()
        if kind == "jurisdiction":
            self.milestones_here()
        self.links(shown_pairs)
        self.ego()
        if kind == "organisation" and ms:
            page.timeline = timeline_figure(ms, self.ref)
        page.network_link = self.network_link()
        return page

    def names(self) -> None:
        rows = []
        for p, vals in (self.g.out.get(self.node) or {}).items():
            words = _NAME_WORDS.get(p)
            if words is None:
                continue
            for v in vals:
                if not isinstance(v, str):
                    rows.append((_NAME_ORDER[p], v.language or "", v.value, words))
        rows.sort()
        merged: dict[tuple[str, str], list[str]] = {}
        for _, lang, text, words in rows:
            what = merged.setdefault((text, lang), [])
            if words not in what:
                what.append(words)
        self.page.names = [{"text": text, "lang": lang, "what": ", ".join(what)}
                           for (text, lang), what in merged.items()]

    def facts(self, kind: str) -> None:
        g, node, page = self.g, self.node, self.page
        words_for = KIND_WORDS.get(kind, {})
        by_p = g.out.get(node) or {}
        rows = []
        for p, vals in by_p.items():
            if p in _NOT_LINKS or p in _NAMES:
                continue
            known = p in _FACT_WORDS
            literals = [v for v in vals if not isinstance(v, str)]
            if not known and not literals:
                continue  # a link: in the Links section
            shown = vals if known else literals
            values = [self.value(v, p) for v in shown]
            if p == _e("eli:jurisdiction"):
                for v, val in zip(shown, values, strict=True):
                    if isinstance(v, str):
                        val["context"] = self.broader_chain(v)
            if p in (_e("org:hasPrimarySite"), _e("org:hasRegisteredSite"), _e("org:hasSite")):
                for v, val in zip(shown, values, strict=True):
                    if isinstance(v, str):
                        val["context"] = [self.value(x, p, "place") for x in g.nodes(v, _e("schema:containedInPlace"))]
            if p == _e("sse:participantCount"):
                values = [self.count(v) if isinstance(v, str) else self.value(v) for v in shown]
            if p == _BROADER and kind == "jurisdiction":
                for v, val in zip(shown, values, strict=True):
                    if isinstance(v, str):
                        val["context"] = self.broader_chain(v)
            words = words_for.get(p) or _FACT_WORDS.get(p) or predicate_label(g, p).capitalize()
            order = _FACT_ORDER.get(p, len(_FACT_ORDER))
            rows.append((order, words, {
                "words": words, "prop": compact(p), "vals": values, "cites": page.own_cites,
                "disputed": page.disputed and _two_values(literals),
            }))
        rows.sort(key=lambda r: (r[0], r[1]))
        page.facts = [r[2] for r in rows]

    def broader_chain(self, node: str) -> list[dict[str, Any]]:
        """The country and region above a jurisdiction (skos:broader, a few steps up)."""
        chain, seen = [], {node}
        cur = node
        for _ in range(2):
            ups = [u for u in self.g.nodes(cur, _BROADER) if u not in seen]
            if not ups:
                break
            cur = ups[0]
            seen.add(cur)
            chain.append(self.value(cur, _BROADER, "place", neighbour=False))
        return chain

    def count(self, node: str) -> dict[str, Any]:
        g = self.g
        num = [v.value for p in (_e("schema:value"), _e("schema:minValue")) for v in g.literals(node, p)]
        at_least = not g.literals(node, _e("schema:value")) and bool(num)
        what = [g.label(r, self.ctx.lang) for r in g.nodes(node, _e("schema:valueReference"))]
        unit = [v.value for v in g.literals(node, _e("schema:unitText"))]
        text = ("at least " if at_least else "") + " / ".join(num)
        if unit:
            text += " " + unit[0]
        if what:
            text += f" ({', '.join(what)})"
        return _v(text or g.label(node), cites=self.cite(node))

    # -- n-ary nodes -----------------------------------------------------------------------
    def _interval_dates(self, m: str, end: bool) -> list[str]:
        g, out = self.g, []
        for interval in g.nodes(m, _e("org:memberDuring")):
            for instant in g.nodes(interval, _e("time:hasEnd" if end else "time:hasBeginning")):
                for p in ("time:inXSDDate", "time:inXSDgYearMonth", "time:inXSDgYear", "time:inXSDDateTime"):
                    out += [v.value for v in g.literals(instant, _e(p))]
        return sorted(set(out))

    def memberships(self, shown_pairs: set[tuple[str, str]]) -> list[dict[str, Any]]:
        g, node = self.g, self.node
        groups = {"member": [], "organisation": []}
        for p, m in g.into.get(node, ()):
            if p == _e("org:member"):
                side, other_prop = "member", _e("org:organization")
            elif p == _e("org:organization"):
                side, other_prop = "organisation", _e("org:member")
            else:
                continue
            others = g.nodes(m, other_prop)
            for o in others:
                shown_pairs.add((node, o) if side == "member" else (o, node))
            def dates(prop: str, m: str = m) -> list[dict[str, Any]]:
                return [self.value(v, prop) for v in g.literals(m, _e(prop))]
            start, end = self._interval_dates(m, False), self._interval_dates(m, True)
            row = {
                "id": compact(m), "other": [self.value(o, "org:memberOf", "membership") for o in others],
                "roles": [g.label(r, self.ctx.lang) for r in g.nodes(m, _e("org:role"))] or ["member"],
                "start": [{"text": date_words(s), "date": _iso(s)} for s in start],
                "end": [{"text": date_words(s), "date": _iso(s)} for s in end],
                "start_raw": start, "end_raw": end,
                "first": dates("sse:firstAttested"), "last": dates("sse:lastAttested"),
                "first_raw": [v.value for v in g.literals(m, _e("sse:firstAttested"))],
                "last_raw": [v.value for v in g.literals(m, _e("sse:lastAttested"))],
                "post": [self.value(v) for v in g.nodes(m, _e("sse:viaPost"))],
                "disputed": self.disputed(m), "notes": self.notes(m), "cites": self.cite(m),
                "side": side,
            }
            row["open"] = bool(start) and not end
            groups[side].append(row)
        rows = []
        for side, title, lead in (
                ("member", "Member of", "Organisations it belongs to, in each role, with the period and sources."),
                ("organisation", "Members", "Who belongs to it, in each role, with the period and sources.")):
            items = sorted(groups[side], key=_membership_order)
            if items:
                self.page.sections.append({"kind": "memberships", "id": "memberships-" + side,
                                           "title": title, "lead": lead, "side": side, "rows": items,
                                           "timeline": not rows})
                rows += items
        return rows

    def posts(self) -> None:
        g, node = self.g, self.node
        in_org = [s for p, s in g.into.get(node, ()) if p == _e("org:postIn")]
        held = sorted({s for p, s in g.into.get(node, ()) if p == _e("org:heldBy")}
                      | set(g.nodes(node, _e("org:holds"))))
        for title, posts, lead in (("Posts", in_org, "Posts in this organisation and who held them."),
                                   ("Posts held", held, "Posts this person holds or held.")):
            rows = []
            for post in sorted(set(posts), key=lambda x: g.label(x)):
                holders = sorted(set(g.nodes(post, _e("org:heldBy")))
                                 | {s for p, s in g.into.get(post, ()) if p == _e("org:holds")})
                rows.append({
                    "id": compact(post), "post": g.label(post, self.ctx.lang),
                    "roles": [g.label(r, self.ctx.lang) for r in g.nodes(post, _e("org:role"))],
                    # only the other end is a neighbour: the organisation of a post held, the
                    # holders of a post in this organisation (not the other holders of one's post)
                    "org": [] if posts is in_org else [self.value(o, "org:holds", "membership")
                                                       for o in g.nodes(post, _e("org:postIn"))],
                    "holders": [self.value(h, "org:holds", "membership") for h in holders] if posts is in_org else [],
                    "disputed": self.disputed(post), "notes": self.notes(post), "cites": self.cite(post),
                })
            if rows:
                self.page.sections.append({"kind": "posts", "id": "posts" if posts is in_org else "posts-held",
                                           "title": title, "lead": lead, "rows": rows})

    def participations(self) -> None:
        g, node = self.g, self.node
        as_event = g.nodes(node, _e("cv:hasParticipation"))
        as_party = sorted({s for p, s in g.into.get(node, ())
                           if p in (_e("cv:hasParticipant"), _e("sse:onBehalfOf"))})
        for title, parts, lead, sid in (
                ("Participants", as_event, "Who took part, in which role and for whom.", "participants"),
                ("Took part in", as_party, "Events it took part in, in which role.", "participations")):
            rows = []
            for part in parts:
                events = [s for p, s in g.into.get(part, ()) if p == _e("cv:hasParticipation")]
                rows.append({
                    "id": compact(part),
                    "event": [self.value(e, "cv:hasParticipation", "participation") for e in events],
                    "who": [self.value(w, "cv:hasParticipation", "participation")
                            for w in g.nodes(part, _e("cv:hasParticipant"))],
                    "behalf": [self.value(w, "sse:onBehalfOf", "participation")
                               for w in g.nodes(part, _e("sse:onBehalfOf"))],
                    "roles": [g.label(r, self.ctx.lang) for r in g.nodes(part, _e("cv:role"))],
                    "disputed": self.disputed(part), "notes": self.notes(part), "cites": self.cite(part),
                })
            if rows:
                self.page.sections.append({"kind": "participations", "id": sid, "title": title,
                                           "lead": lead, "rows": rows, "event_page": parts is as_event})

    def milestones_here(self) -> None:
        """The milestones that apply in a jurisdiction, or in an area within it."""
        g, ctx = self.g, self.ctx
        how = {_e("eli:jurisdiction"): "jurisdiction", _e("eli:relevant_for"): "relevant for",
               _e("dcterms:spatial"): "spatial coverage"}
        areas, frontier, seen = [(self.node, None)], [self.node], {self.node}
        for _ in range(3):
            nxt = []
            for a in frontier:
                for p, s in g.into.get(a, ()):
                    ref = ctx.ref(s)
                    if p == _BROADER and s not in seen and ref is not None and ref.kind.key == "jurisdiction":
                        seen.add(s)
                        nxt.append(s)
                        areas.append((s, a))
            frontier = nxt
        rows = []
        for area, _ in areas:
            for p, s in g.into.get(area, ()):
                ref = ctx.ref(s)
                if p not in how or ref is None or ref.kind.key != "milestone":
                    continue
                dates = [v.value for dp in (_e("eli:date_document"), _e("dcterms:date"))
                         for v in g.literals(s, dp)]
                rows.append({
                    "milestone": self.value(s, p, "place"),
                    "symbol": ", ".join(v.value for v in g.literals(s, model.SYMBOL)),
                    "status": ", ".join(g.label(x, ctx.lang) for x in g.nodes(s, _e("sse:status"))),
                    "date": [{"text": date_words(d), "date": _iso(d)} for d in sorted(set(dates))[:2]],
                    "sort": min(dates) if dates else "9999",
                    "how": how[p], "area": None if area == self.node else self.value(area, _BROADER, "place"),
                    "disputed": self.disputed(s),
                })
        if rows:
            rows.sort(key=lambda r: (r["sort"], r["milestone"]["text"]))
            self.page.sections.append({"kind": "milestones", "id": "milestones", "title": "Milestones that apply here",
                                       "lead": "Policy milestones whose jurisdiction or scope is this area or an "
                                               "area within it, oldest first.", "rows": rows})

    # -- links -----------------------------------------------------------------------------
    def links(self, shown_pairs: set[tuple[str, str]]) -> None:
        g, node, ctx = self.g, self.node, self.ctx
        shortcuts = {_e("org:memberOf"), _e("sse:observerOf"), _e("org:headOf")}
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for p, vals in (g.out.get(node) or {}).items():
            if p in _NOT_LINKS or p in _FACT_WORDS:
                continue
            for v in vals:
                if not isinstance(v, str) or v.startswith("_:"):
                    continue
                if p in shortcuts and (node, v) in shown_pairs:
                    self.value(v, p)  # still a neighbour
                    continue
                out[p].append(self.value(v, p))
        inc: dict[str, list[dict[str, Any]]] = defaultdict(list)
        nary = {_e("org:Membership"), _e("cv:Participation"), _e("org:Post"), _e("prov:Entity")}
        published = 0
        for p, s in g.into.get(node, ()):
            if s.startswith("_:") or p in (_DERIVED, _PRIMARY, _RDF_TYPE):
                continue
            if ctx.ref(s) is None and nary.intersection(g.types(s)):
                if p == _e("dcterms:publisher") and _e("prov:Entity") in g.types(s):
                    published += 1
                continue
            if p in shortcuts and (s, node) in shown_pairs:
                self.value(s, p)
                continue
            inc[p].append(self.value(s, p))
        self.page.published = published
        self.page.links_out = self._groups(out, lambda p: predicate_label(g, p))
        self.page.links_in = self._groups(inc, lambda p: inverse_label(g, p))

    @staticmethod
    def _groups(by_p: dict[str, list[dict[str, Any]]], name: Any) -> list[dict[str, Any]]:
        groups = []
        for p, vals in by_p.items():
            fam = model.family_of(p)
            uniq = {(v["text"], v["href"] or ""): v for v in vals}
            items = sorted(uniq.values(), key=lambda v: (v["href"] is None, v["text"].lower()))
            groups.append({"label": name(p), "prop": compact(p), "family": fam.label, "colour": fam.colour,
                           "rank": _FAMILY_RANK.get(fam.key, 99), "items": items})
        groups.sort(key=lambda x: (x["rank"], x["label"]))
        return groups

    # -- pictures --------------------------------------------------------------------------
    def ego(self) -> None:
        ctx = self.ctx
        nbrs = [(iri, fam) for iri, fam in self.neighbours.items() if ctx.ref(iri) is not None]
        if not nbrs:
            return
        nbrs.sort(key=lambda x: (_FAMILY_RANK.get(x[1], 99), _KIND_RANK.get(ctx.entities[x[0]].kind.key, 99),
                                 ctx.entities[x[0]].short.lower()))
        self.page.ego = ego_figure(ctx, self.ref, nbrs)

    def network_link(self) -> str | None:
        sel = self.ctx.network_selection
        kind = self.ref.kind.key
        if sel is None or kind not in {k.key for k in model.KINDS}:
            return None
        types = sel.get("types")
        if types and kind not in model.parse_kinds(types):
            return None
        return f"{self.ctx.root_of(self.ref.path)}network.html#sel={quote(self.ref.curie, safe='')}"


def _two_values(literals: list[Any]) -> bool:
    """Whether a property has two values that can disagree: two literals of one language and
    datatype (two dates, two symbols), not one title in each of two languages."""
    seen = set()
    for v in literals:
        key = (v.language or "", v.datatype.value if v.datatype is not None else "")
        if key in seen:
            return True
        seen.add(key)
    return False


def _membership_order(row: dict[str, Any]) -> tuple:
    first = (row["start_raw"] or row["first_raw"] or ["9999"])[0]
    return (first, row["other"][0]["text"].lower() if row["other"] else "", row["roles"])


# -- the ego network --------------------------------------------------------------------------

def _shape(shape: str, x: float, y: float, r: float) -> dict[str, Any]:
    """An SVG element for a node of a kind's shape (no information rests on colour alone)."""
    def poly(points: Iterable[tuple[float, float]]) -> dict[str, Any]:
        return {"tag": "polygon", "points": " ".join(f"{x + dx * r:.1f},{y + dy * r:.1f}" for dx, dy in points)}

    if shape == "square":
        return poly([(-.85, -.85), (.85, -.85), (.85, .85), (-.85, .85)])
    if shape == "triangle":
        return poly([(0, -1.15), (1.05, .75), (-1.05, .75)])
    if shape == "triangleDown":
        return poly([(0, 1.15), (1.05, -.75), (-1.05, -.75)])
    if shape == "diamond":
        return poly([(0, -1.2), (1.2, 0), (0, 1.2), (-1.2, 0)])
    if shape == "hexagon":
        return poly([(math.cos(a), math.sin(a)) for a in (i * math.pi / 3 for i in range(6))])
    return {"tag": "circle", "cx": f"{x:.1f}", "cy": f"{y:.1f}", "r": f"{r:.1f}"}


def ego_figure(ctx: SiteContext, ref: EntityRef, nbrs: list[tuple[str, str]]) -> dict[str, Any]:
    """Geometry of the ego picture: ``ref`` in the centre, up to :data:`EGO_MAX` neighbours on a ring."""
    shown = nbrs[:EGO_MAX]
    n = len(shown)
    width, height = 920, (460 if n > 8 else 320)
    cx, cy = width / 2, height / 2
    rx, ry = (260, 170) if n > 8 else (220, 105)
    fams = {f.key: f for f in model.RELATION_FAMILIES}
    nodes, kinds = [], {}
    for i, (iri, fam) in enumerate(shown):
        other = ctx.entities[iri]
        a = -math.pi / 2 + 2 * math.pi * i / n
        x, y = cx + rx * math.cos(a), cy + ry * math.sin(a)
        c = math.cos(a)
        anchor = "start" if c > 0.25 else "end" if c < -0.25 else "middle"
        lx = x + (14 if anchor == "start" else -14 if anchor == "end" else 0)
        ly = y + (4 if anchor != "middle" else (-16 if math.sin(a) < 0 else 24))
        kinds[other.kind.key] = other.kind
        nodes.append({
            "href": ctx.href(iri, ref.path), "label": _clip(other.short, 24),
            "title": f"{other.label} ({other.kind.label})",
            "x": f"{x:.1f}", "y": f"{y:.1f}", "lx": f"{lx:.1f}", "ly": f"{ly:.1f}", "anchor": anchor,
            "shape": _shape(other.kind.shape, x, y, 8), "colour": other.kind.colour,
            "edge": fams.get(fam, fams["other"]).colour,
        })
    kinds[ref.kind.key] = ref.kind
    counts: dict[str, int] = defaultdict(int)
    for iri, _ in nbrs:
        counts[ctx.entities[iri].kind.key] += 1
    summary = ", ".join(f"{v} {(k.label if v == 1 else k.plural).lower()}"
                        for k in model.PAGE_KINDS for key, v in counts.items() if key == k.key)
    used = sorted({fam for _, fam in shown}, key=lambda f: _FAMILY_RANK.get(f, 99))
    return {
        "width": width, "height": height, "cx": f"{cx:.1f}", "cy": f"{cy:.1f}",
        "centre": _shape(ref.kind.shape, cx, cy, 15), "centre_colour": ref.kind.colour,
        "centre_label": _clip(ref.short, 34), "nodes": nodes, "more": len(nbrs) - len(shown), "total": len(nbrs),
        "summary": summary,
        "kinds": [{"label": k.label, "colour": k.colour, "shape": _shape(k.shape, 8, 8, 6)}
                  for k in sorted(kinds.values(), key=lambda k: _KIND_RANK.get(k.key, 99))],
        "families": [{"label": fams[f].label, "colour": fams[f].colour} for f in used if f in fams],
    }


# -- the membership timeline -------------------------------------------------------------------

def timeline_figure(rows: list[dict[str, Any]], ref: EntityRef) -> dict[str, Any] | None:
    """Geometry of the membership timeline: one bar per membership that has a date.

    A sourced start draws a solid bar to the sourced end, or to the right edge with an arrow
    when no end is given (open-ended); a membership known only from dated attestations draws a
    dashed outline from the first to the last attestation. Each date covers the span of its
    precision (a year is the whole year)."""
    items = []
    for r in rows:
        start = [s for s in map(year_span, r["start_raw"]) if s]
        end = [s for s in map(year_span, r["end_raw"]) if s]
        first = [s for s in map(year_span, r["first_raw"]) if s]
        last = [s for s in map(year_span, r["last_raw"]) if s]
        if start:
            a = min(s[0] for s in start)
            b = max(s[1] for s in end) if end else None
            style = "dated"
        elif first or last:
            a = min(s[0] for s in (first or last))
            b = max(s[1] for s in (last or first))
            style = "attested"
        else:
            continue
        other = r["other"][0].get("short") or r["other"][0]["text"] if r["other"] else "?"
        label = f"{', '.join(r['roles'])} {'of' if r['side'] == 'member' else '·'} {other}"
        if r["side"] == "organisation":
            label = f"{other} ({', '.join(r['roles'])})"
        said = []
        if r["start_raw"]:
            said.append("from " + " or ".join(date_words(s) for s in r["start_raw"]))
        if r["end_raw"]:
            said.append("until " + " or ".join(date_words(s) for s in r["end_raw"]))
        elif r["start_raw"]:
            said.append("no end given")
        if r["first_raw"]:
            said.append("first attested " + " or ".join(date_words(s) for s in r["first_raw"]))
        if r["last_raw"]:
            said.append("last attested " + " or ".join(date_words(s) for s in r["last_raw"]))
        items.append({"a": a, "b": b, "style": style, "label": label, "said": "; ".join(said),
                      "disputed": r["disputed"], "href": r["other"][0]["href"] if r["other"] else None})
    if not items:
        return None
    items.sort(key=lambda it: (it["a"], it["label"]))
    more = max(0, len(items) - TIMELINE_MAX)
    items = items[:TIMELINE_MAX]
    lo = math.floor(min(it["a"] for it in items))
    hi = math.ceil(max(max(it["a"], it["b"] or it["a"]) for it in items) + 0.25)
    span = max(hi - lo, 1)
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100) if span / s <= 10)
    lo = lo - lo % step
    hi = hi + (-hi) % step
    label_w, plot_w, row_h, top = 250, 560, 24, 30
    width = label_w + plot_w + 30
    height = top + row_h * len(items) + 10

    def x(year: float) -> float:
        return label_w + plot_w * (year - lo) / (hi - lo)

    bars = []
    for i, it in enumerate(items):
        y = top + i * row_h
        x1 = x(it["a"])
        x2 = x(it["b"]) if it["b"] is not None else x(hi)
        bars.append({"y": f"{y + 6:.1f}", "ty": f"{y + 16:.1f}", "x": f"{x1:.1f}",
                     "w": f"{max(x2 - x1, 6):.1f}", "h": "12", "style": it["style"], "label": _clip(it["label"], 36),
                     "open": it["style"] == "dated" and it["b"] is None, "ax": f"{x2:.1f}", "ay": f"{y + 12:.1f}",
                     "title": f"{it['label']}: {it['said']}" + (" (disputed)" if it["disputed"] else ""),
                     "disputed": it["disputed"], "href": it["href"]})
    ticks = [{"x": f"{x(t):.1f}", "label": str(t)} for t in range(lo, hi + 1, step)]
    return {"width": width, "height": height, "bars": bars, "ticks": ticks, "top": top, "bottom": f"{height - 8:.1f}",
            "label_w": label_w, "more": more, "count": len(items) + more,
            "summary": f"{len(items) + more} memberships of {ref.short} on a time axis from {lo} to {hi}"}


# -- the section ------------------------------------------------------------------------------

def build_pages(ctx: SiteContext, g: Graph | None = None) -> Iterable[Page]:
    """Every entity page's data, in index order (the whole store read once)."""
    g = g if g is not None else Graph(ctx.kg)
    for ref in ctx.entities.values():
        yield _Builder(ctx, g, ref).build()


def write(ctx: SiteContext) -> None:
    """Write one page per entity of ``ctx.entities`` at ``ref.path``, and ``assets/entity.css``."""
    from ..view import asset_text

    ctx.write_file("assets/entity.css", asset_text("site/entity.css"))
    for page in build_pages(ctx):
        ref = page.ref
        ctx.write_page(ref.path, "entity.html", title=ref.label, page=page, ref=ref)
