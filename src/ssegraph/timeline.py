"""The policy milestones and events on a time axis: an offline HTML page, or a PNG/SVG figure.

x is the date, each lane an adopting body (``eli:passed_by``) or a jurisdiction
(``eli:jurisdiction``, else ``eli:relevant_for``/``dcterms:spatial``), and curves join the items
that cite (``eli:cites``), follow up (``sse:followsUp``) or implement (``sse:implements``) one
another. Events (``schema:Event``) sit in their own lane as bars from start to end.

Dates are drawn at the precision the data has. The vocabulary keeps a milestone's adoption day
in ``eli:date_document`` and, where the sources give only a month or a year, a
``dcterms:date`` typed ``xsd:gYearMonth``/``xsd:gYear``: such an item is placed in the middle of
its month or year, drawn hollow with a faint bar over the whole period it may fall in, and its
tooltip says so, so that nobody reads "2024" as 1 July 2024.

The data is read with SPARQL through :meth:`KnowledgeGraph.query` (no user text is ever pasted
into a query). The page follows the rules of :mod:`ssegraph.view`: no request leaves the file,
every value is escaped, tooltips and panels are built as DOM text, links only for ``http(s)``,
and a Content-Security-Policy admits only the page's own script. The layout (lanes, rows that
keep labels apart) is computed here once and shared by the page and the matplotlib figure.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import os
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import ExportError
from .view import HtmlView, asset_text, describe_data, render_page

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .graph import KnowledgeGraph

__all__ = [
    "LINK_KINDS",
    "TimelineData",
    "TimelineItem",
    "TimelineView",
    "plot_timeline",
    "render_timeline_html",
    "timeline",
    "timeline_data",
]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_ELI = "http://data.europa.eu/eli/ontology#"
_SSE = "https://w3id.org/ssegraph/def#"

#: predicate IRI -> (key, readable label, colour, SVG dash pattern)
LINK_KINDS: dict[str, tuple[str, str, str, str]] = {
    _ELI + "cites": ("cites", "cites", "#6e6e6e", "5 3"),
    _SSE + "followsUp": ("followsUp", "follows up", "#0072B2", ""),
    _SSE + "implements": ("implements", "implements", "#CC79A7", ""),
}

def _kind_colour(key: str) -> str:
    from .model import kind

    return kind(key).colour


MILESTONE_COLOR = _kind_colour("milestone")
EVENT_COLOR = _kind_colour("event")
EVENTS_LANE = "Events"
LANE_MODES = ("body", "jurisdiction", "region")
#: Years the timeline opens on when no range is given: the densest such window, latest first.
OPENING_YEARS = 12
SUFFIXES = (".html", ".htm", ".png", ".svg")

_PRECISION_NOTE = {
    "year": "year only; placed mid-year",
    "month": "month only; placed mid-month",
}


@dataclass
class TimelineItem:
    """One milestone or event, dated and placed in a lane."""

    iri: str
    kind: str  # "milestone" | "event"
    label: str
    title: str
    lane: str
    start: float  # fractional year
    end: float
    start_text: str
    end_text: str = ""
    precision: str = "day"  # "day" | "month" | "year" (of the start)
    span: tuple[float, float] = (0.0, 0.0)  # the period a reduced-precision date may fall in
    info: list[list[str]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    row: int = 0
    bill: bool = False  # not adopted: placed on its submission date


@dataclass
class TimelineData:
    """What a timeline shows: its items in lanes, the links between them, what was left out."""

    items: list[TimelineItem]
    links: list[tuple[int, int, str]]  # (from item index, to item index, kind key)
    lanes: list[str]
    lane_rows: dict[str, int]
    undated: list[str]
    lanes_by: str
    first: int
    last: int


# -- reading the graph ----------------------------------------------------------------------

_Q_MILESTONES = """
SELECT ?s ?d ?dd ?sub WHERE {
  ?s a eli:LegalResource .
  OPTIONAL { ?s eli:date_document ?d }
  OPTIONAL { ?s dcterms:date ?dd }
  OPTIONAL { ?s dcterms:dateSubmitted ?sub }
}"""

_Q_EVENTS = """
SELECT ?s ?start ?end WHERE {
  ?s a schema:Event .
  OPTIONAL { ?s schema:startDate ?start }
  OPTIONAL { ?s schema:endDate ?end }
}"""

_Q_TEXTS = """
SELECT ?s ?p ?v WHERE {
  VALUES ?p { dcterms:title schema:name rdfs:label skos:prefLabel eli:id_local }
  { ?s a eli:LegalResource } UNION { ?s a schema:Event }
  ?s ?p ?v .
}"""

_Q_RELATED = """
SELECT ?s ?rel ?o WHERE {
  VALUES ?rel { eli:passed_by eli:jurisdiction eli:relevant_for dcterms:spatial eli:type_document
                schema:location schema:organizer dcterms:type sse:status }
  { ?s a eli:LegalResource } UNION { ?s a schema:Event }
  ?s ?rel ?o .
}"""

_Q_RELATED_LABELS = """
SELECT DISTINCT ?o ?p ?v WHERE {
  VALUES ?rel { eli:passed_by eli:jurisdiction eli:relevant_for dcterms:spatial eli:type_document
                schema:location schema:organizer dcterms:type sse:status }
  VALUES ?p { sse:acronym skos:prefLabel rdfs:label schema:name foaf:name skos:altLabel }
  { ?s a eli:LegalResource } UNION { ?s a schema:Event }
  ?s ?rel ?o .
  ?o ?p ?v .
}"""

# The names of the regions and countries above a jurisdiction (a separate query: joined with the
# one above through a property path, Oxigraph took half a minute on the grown data).
_Q_BROADER_LABELS = """
SELECT DISTINCT ?o ?p ?v WHERE {
  VALUES ?p { sse:acronym skos:prefLabel rdfs:label schema:name foaf:name skos:altLabel }
  ?x skos:broader ?o .
  ?o ?p ?v .
}"""

_Q_BROADER = """
SELECT DISTINCT ?a ?b WHERE {
  ?s a eli:LegalResource ; eli:jurisdiction|eli:relevant_for|dcterms:spatial ?j .
  ?j skos:broader* ?a .
  ?a skos:broader ?b .
}"""

_Q_SOURCES = """
SELECT DISTINCT ?s ?url WHERE {
  { ?s a eli:LegalResource } UNION { ?s a schema:Event }
  ?s prov:wasDerivedFrom ?src .
  ?src schema:url ?url .
}"""

_Q_LINKS = """
SELECT DISTINCT ?a ?p ?b WHERE {
  VALUES ?p { eli:cites sse:followsUp sse:implements }
  ?a ?p ?b .
}"""


def _pick(values: list[tuple[str, Any]], lang: str, *, short: bool = False, kind: str | None = None) -> str:
    """The model's label rule (:func:`ssegraph.model.choose_label`) over ``(property, literal)`` pairs."""
    from .model import choose_label, expand

    triples = []
    for prop, lit in values:
        curie = prop if ":" in prop else _CURIE.get(prop, prop)
        triples.append((expand(curie), lit.value, getattr(lit, "language", None) or ""))
    return choose_label(triples, lang, short=short, kind=kind)


_CURIE = {"title": "dcterms:title", "name": "schema:name", "label": "rdfs:label", "prefLabel": "skos:prefLabel",
          "id_local": "eli:id_local", "acronym": "sse:acronym", "altLabel": "skos:altLabel"}


def _parse_date(lit: Any) -> tuple[float, float, float, str, str] | None:
    """``(x, span_start, span_end, precision, text)`` for a typed date literal, else None."""
    if lit is None or not hasattr(lit, "datatype"):
        return None
    dtype = lit.datatype.value if lit.datatype else ""
    text = lit.value.strip()
    core = text[:-1] if text.endswith("Z") else text
    try:
        if dtype == _XSD + "gYear":
            year = int(core[:4]) if not core.startswith("-") else None
            if year is None:
                return None
            return year + 0.5, float(year), year + 1.0, "year", str(year)
        if dtype == _XSD + "gYearMonth":
            year, month = int(core[:4]), int(core[5:7])
            days = calendar.monthrange(year, month)[1]
            start = _fraction(dt.date(year, month, 1))
            end = start + days / _year_days(year)
            return (start + end) / 2, start, end, "month", f"{year:04d}-{month:02d}"
        if dtype in (_XSD + "date", _XSD + "dateTime"):
            day = dt.date.fromisoformat(core[:10])
            x = _fraction(day) + 0.5 / _year_days(day.year)
            return x, x, x, "day", day.isoformat()
    except ValueError:
        return None
    return None


def _year_days(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def _fraction(day: dt.date) -> float:
    return day.year + (day.timetuple().tm_yday - 1) / _year_days(day.year)


def timeline_data(kg: KnowledgeGraph, *, lang: str = "en", lanes: str = "body", since: int | None = None,
                  until: int | None = None) -> TimelineData:
    """Read the milestones, events and their links, and lay them out in lanes and rows.

    Parameters
    ----------
    kg:
        The knowledge graph.
    lang:
        Preferred language of titles and names (then English, then any).
    lanes:
        ``"body"``: a lane per adopting body (with its country, for national bodies);
        ``"jurisdiction"``: a lane per jurisdiction; ``"region"``: a lane per world region (the
        jurisdiction's ``skos:broader`` chain, e.g. M49 sub-regions). Milestones without one fall
        back to the body, then to "Other".
    since, until:
        Keep the items whose date falls in these years (inclusive).

    Raises
    ------
    ExportError
        If ``lanes`` is unknown or nothing dated is left to show.
    """
    if lanes not in LANE_MODES:
        raise ExportError(f"unknown lanes {lanes!r}: use one of {', '.join(LANE_MODES)}")
    lang = (lang or "en").lower()

    texts: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    for row in kg.query(_Q_TEXTS).terms():
        texts[row["s"].value].append((_local(row["p"].value), row["v"]))
    related: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in kg.query(_Q_RELATED).terms():
        related[row["s"].value][_local(row["rel"].value)].append(row["o"].value)
    names: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    for query in (_Q_RELATED_LABELS, _Q_BROADER_LABELS):
        for row in kg.query(query).terms():
            names[row["o"].value].append((_local(row["p"].value), row["v"]))
    sources: dict[str, list[str]] = defaultdict(list)
    for row in kg.query(_Q_SOURCES).terms():
        sources[row["s"].value].append(row["url"].value)

    broader: dict[str, list[str]] = defaultdict(list)
    for row in kg.query(_Q_BROADER).terms():
        broader[row["a"].value].append(row["b"].value)

    def name_of(iri: str) -> str:
        got = _pick(names.get(iri, []), lang)
        return got or _short_iri(iri)

    def lane_name(iri: str) -> str:
        name = name_of(iri)
        return name if len(name) <= 30 else (_pick(names.get(iri, []), lang, short=True) or name)

    def region_of(iri: str) -> str:
        """The region of a jurisdiction: the one just below the broadest in its skos:broader chain
        (Wallonia -> Belgium -> Western Europe -> Europe: "Western Europe"), leaving out "World"."""
        chain, seen, cur = [], {iri}, iri
        while broader.get(cur):
            cur = sorted(broader[cur])[0]
            if cur in seen:
                break
            seen.add(cur)
            chain.append(cur)
        chain = [c for c in chain if name_of(c).strip().lower() != "world"]
        if not chain:
            return name_of(iri)
        return name_of(chain[-2] if len(chain) >= 2 else chain[-1])

    items: list[TimelineItem] = []
    undated: list[str] = []
    seen: set[str] = set()
    for row in sorted(kg.query(_Q_MILESTONES).terms(), key=lambda r: r["s"].value):
        iri = row["s"].value
        if iri in seen:  # several dates (two submissions): the first row is enough
            continue
        seen.add(iri)
        vals = texts.get(iri, [])
        title = _pick(vals, lang) or _short_iri(iri)
        symbol = sorted(lit.value for prop, lit in vals if prop == "id_local")[:1]
        symbol = symbol[0] if symbol else ""
        parsed = _parse_date(row.get("d")) or _parse_date(row.get("dd"))
        submitted = None
        if parsed is None:  # a bill not (yet) adopted: drawn on the day it was submitted, and said so
            submitted = parsed = _parse_date(row.get("sub"))
        if parsed is None:
            undated.append(title)
            continue
        x, lo, hi, precision, text = parsed
        rel = related.get(iri, {})
        bodies = sorted(rel.get("passed_by", []), key=name_of)
        places = sorted(rel.get("jurisdiction", []), key=name_of) or sorted(
            rel.get("relevant_for", []) + rel.get("spatial", []), key=name_of)
        place_lane = name_of(places[0]) if places else ""
        body_lane = lane_name(bodies[0]) if bodies else ""
        if body_lane and place_lane and place_lane.lower() not in body_lane.lower():
            body_lane = f"{body_lane} \u00b7 {place_lane}"  # laws by country: the country in the lane name
        if lanes == "body":
            lane = body_lane or place_lane or "Other"
        elif lanes == "region":
            lane = (region_of(places[0]) if places else "") or body_lane or "Other"
        else:
            lane = place_lane or body_lane or "Other"
        date_text = text + (f" ({_PRECISION_NOTE[precision]})" if precision in _PRECISION_NOTE else "")
        info = [["Type", "Policy milestone"]]
        if symbol:
            info.append(["Symbol", symbol])
        if submitted is not None:
            info.append(["Submitted (no adoption date)", date_text])
        else:
            info.append(["Adopted" if precision == "day" and row.get("d") is not None else "Date", date_text])
        doctypes = [name_of(t) for t in rel.get("type_document", [])]
        if doctypes:
            info.append(["Document type", ", ".join(sorted(set(doctypes)))])
        if bodies:
            info.append(["Adopted by", ", ".join(name_of(b) for b in bodies)])
        if places:
            info.append(["Jurisdiction", ", ".join(dict.fromkeys(name_of(p) for p in places))])
        for key, name in (("type", "Instrument"), ("status", "Status")):
            if rel.get(key):
                info.append([name, ", ".join(sorted({name_of(t) for t in rel[key]}))])
        info.append(["IRI", iri])
        label = symbol or _clip(title, 42)
        items.append(TimelineItem(iri, "milestone", label, title, lane, x, x, text, "", precision, (lo, hi),
                                  info, sorted(set(sources.get(iri, []))), bill=submitted is not None))

    for row in kg.query(_Q_EVENTS).terms():
        iri = row["s"].value
        vals = texts.get(iri, [])
        title = _pick(vals, lang) or _short_iri(iri)
        start = _parse_date(row.get("start"))
        end = _parse_date(row.get("end")) or start
        start = start or end
        if start is None or end is None:
            undated.append(title)
            continue
        rel = related.get(iri, {})
        info = [["Type", "Event"]]
        when = start[4] if start[4] == end[4] else f"{start[4]} \u2013 {end[4]}"
        notes = sorted({_PRECISION_NOTE[p][: _PRECISION_NOTE[p].index(";")] for p in (start[3], end[3])
                        if p in _PRECISION_NOTE})
        info.append(["Dates", when + (f" ({', '.join(notes)})" if notes else "")])
        if rel.get("location"):
            info.append(["Location", ", ".join(sorted(name_of(p) for p in rel["location"]))])
        if rel.get("organizer"):
            info.append(["Organiser", ", ".join(sorted(name_of(p) for p in rel["organizer"]))])
        info.append(["IRI", iri])
        lo = min(start[1], end[1])
        hi = max(start[2], end[2])
        items.append(TimelineItem(iri, "event", _clip(title, 42), title, EVENTS_LANE, start[0], max(start[0], end[0]),
                                  start[4], end[4], start[3], (lo, hi), info, sorted(set(sources.get(iri, [])))))

    if since is not None:
        items = [it for it in items if it.end >= since]
    if until is not None:
        items = [it for it in items if it.start < until + 1]
    if not items:
        window = ""
        if since is not None and until is not None:
            window = f" between {since} and {until}"
        elif since is not None:
            window = f" from {since} on"
        elif until is not None:
            window = f" up to {until}"
        raise ExportError(f"nothing to show: no dated policy milestones or events{window} in the graph")

    from .model import tell_apart

    # texts with the same title (A/RES/77/281 and its 2024 follow-up) told apart by their year
    told = tell_apart({it.iri: it.label for it in items}, {it.iri: [it.start_text[:4]] for it in items})
    for it in items:
        it.label = told[it.iri]
    items.sort(key=lambda it: (it.start, it.label))
    index = {it.iri: i for i, it in enumerate(items)}
    links = []
    for row in kg.query(_Q_LINKS).terms():
        a, b = row["a"].value, row["b"].value
        if a in index and b in index and a != b:
            links.append((index[a], index[b], LINK_KINDS[row["p"].value][0]))
    links.sort()

    # Lanes with the latest items first: the page opens on recent years, so its first screen
    # is full rather than a column of lanes that ended decades ago.
    last_seen: dict[str, float] = {}
    for it in items:
        last_seen[it.lane] = max(last_seen.get(it.lane, it.start), it.start)
    lane_order = sorted((lane for lane in last_seen if lane != EVENTS_LANE), key=lambda ln: (-last_seen[ln], ln))
    if EVENTS_LANE in last_seen:
        lane_order.append(EVENTS_LANE)
    first = math.floor(min(min(it.span[0], it.start) for it in items))
    last = math.ceil(max(max(it.span[1], it.end) for it in items) + 1e-9)
    if last <= first:
        last = first + 1
    data = TimelineData(items, links, lane_order, {}, undated, lanes, first, last)
    _pack_rows(data, _geometry(data))
    return data


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _short_iri(iri: str) -> str:
    from .namespaces import compact

    return compact(iri)


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "\u2026"


# -- layout ---------------------------------------------------------------------------------

GUTTER = 210
AXIS = 34
ROW = 24
LANE_PAD = 6
RIGHT = 40
CHAR_PX = 6.4  # mean width of a character at the 11px label size


@dataclass
class _Geometry:
    ppy: float  # pixels per year
    first: int

    def x(self, year: float) -> float:
        return GUTTER + (year - self.first) * self.ppy


def _tail(data: TimelineData) -> float:
    """Room the labels of the last items need right of the last year."""
    late = [len(it.label) for it in data.items if it.end > data.last - 1.5]
    return min(280.0, 10 + CHAR_PX * max(late, default=0))


def _geometry(data: TimelineData, width: int | None = None) -> _Geometry:
    span = data.last - data.first
    if width:
        ppy = max(8.0, (width - GUTTER - RIGHT - _tail(data)) / span)
    else:
        ppy = min(140.0, max(48.0, 1400.0 / span))
    return _Geometry(ppy, data.first)


def _pack_rows(data: TimelineData, geo: _Geometry) -> None:
    """Give each item a row in its lane so that no two labels overlap (greedy interval packing)."""
    ends: dict[str, list[float]] = defaultdict(list)
    for it in sorted(data.items, key=lambda i: (i.start, i.label)):
        left = min(geo.x(it.span[0]), geo.x(it.start)) - 8
        right = max(geo.x(it.end), geo.x(it.span[1])) + 10 + CHAR_PX * len(it.label)
        rows = ends[it.lane]
        for r, end in enumerate(rows):
            if end <= left:
                rows[r] = right
                it.row = r
                break
        else:
            rows.append(right)
            it.row = len(rows) - 1
    data.lane_rows = {lane: max(1, len(ends[lane])) for lane in data.lanes}


# -- HTML -----------------------------------------------------------------------------------


def _caption(data: TimelineData, source: str) -> str:
    n_m = sum(it.kind == "milestone" for it in data.items)
    n_e = len(data.items) - n_m
    parts = [f"{n_m:,} policy milestones" if n_m != 1 else "1 policy milestone"]
    if n_e:
        parts.append(f"{n_e:,} events" if n_e != 1 else "1 event")
    years = f"{min(int(it.start) for it in data.items)}\u2013{max(int(it.end) for it in data.items)}"
    by = "adopting body" if data.lanes_by == "body" else "jurisdiction"
    text = f"{' and '.join(parts)}, {years}, in lanes by {by}; {len(data.links):,} links"
    text += " (cites, follows up, implements)"
    if any(it.precision != "day" for it in data.items):
        text += "; hollow markers: only the month or year is known"
    if data.undated:
        text += f"; {len(data.undated)} undated not shown"
    return text + f"; from {source}."


def opening_window(data: TimelineData, years: int = OPENING_YEARS) -> tuple[int, int]:
    """The years the page opens on: the ``years``-long window with the most items, the latest
    among equals (so a reader lands on recent policy, not on 1895), within the data's span.

    Examples
    --------
    >>> items = [TimelineItem("a", "milestone", "a", "a", "x", y + 0.5, y + 0.5, str(y)) for y in
    ...          (1895, 2015, 2019, 2021, 2023, 2024)]
    >>> opening_window(TimelineData(items, [], ["x"], {"x": 1}, [], "body", 1895, 2025), 10)
    (2015, 2025)
    """
    first, last = data.first, data.last
    if last - first <= years:
        return first, last
    starts = sorted(it.start for it in data.items)
    best, best_start = -1, first
    for start in range(first, last - years + 1):
        n = sum(1 for x in starts if start <= x < start + years)
        if n >= best:
            best, best_start = n, start
    return best_start, best_start + years


def _payload(data: TimelineData, window: tuple[int, int]) -> dict[str, Any]:
    lane_index = {lane: i for i, lane in enumerate(data.lanes)}
    items = [{"label": it.label, "title": it.title, "kind": it.kind, "lane": lane_index[it.lane],
              "start": round(it.start, 4), "end": round(it.end, 4),
              "span": [round(it.span[0], 4), round(it.span[1], 4)], "approx": it.precision != "day",
              "when": it.start_text + (f" \u2013 {it.end_text}" if it.end_text not in ("", it.start_text) else ""),
              "iri": it.iri, "info": it.info, "sources": it.sources, "bill": it.bill} for it in data.items]
    kinds = [{"key": k, "name": n, "color": c, "dash": d} for k, n, c, d in LINK_KINDS.values()]
    return {"items": items, "links": [[a, b, k] for a, b, k in data.links], "lanes": data.lanes,
            "first": data.first, "last": data.last, "open": list(window), "kinds": kinds,
            "colors": {"milestone": MILESTONE_COLOR, "event": EVENT_COLOR}}


def render_timeline_html(data: TimelineData, *, title: str, caption: str = "", width: int | None = None,
                         window: tuple[int, int] | None = None) -> str:
    """The timeline as a self-contained, offline HTML page (an SVG the page script draws).

    It opens on ``window`` (default :func:`opening_window`: the densest recent years), with the
    lane names and the year axis fixed while the drawing scrolls; the zoom buttons and
    Ctrl/⌘ + wheel change the years per screen.

    Parameters
    ----------
    data:
        From :func:`timeline_data`.
    title, caption:
        The heading and the one line under it (escaped).
    width:
        Width of the drawing area in pixels at the opening zoom (default: the window's width).
    window:
        ``(first year, last year)`` to open on.
    """
    window = window or opening_window(data)
    payload = _payload(data, window)
    if width:
        payload["width"] = int(width)
    return render_page(
        "timeline.html",
        scripts=[asset_text("common.js"), asset_text("timeline.js")],
        styles=[asset_text("common.css"), asset_text("timeline.css")],
        data_id="timeline-data",
        data=payload,
        title=title,
        caption=caption,
        kinds=payload["kinds"],
        colors=payload["colors"],
        bills=any(it.bill for it in data.items),
    )


# -- matplotlib -----------------------------------------------------------------------------


def plot_timeline(data: TimelineData, *, title: str = "", caption: str = "") -> Figure:
    """The timeline as a matplotlib Figure, for papers (``.save("x.png")`` or ``.svg``).

    A ``Figure`` is made directly, not through ``pyplot``, so nothing global changes and no
    window opens. Labels are drawn with ``parse_math=False``: a ``$`` in a title stays a ``$``.

    Raises
    ------
    ExportError
        If matplotlib is not installed (``pip install 'ssegraph[plot]'``).
    """
    from .view import require_matplotlib

    require_matplotlib("timeline")
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch, Rectangle

    span = data.last - data.first
    # vertical positions in row units, top lane first
    tops, y = {}, 0.0
    for lane in data.lanes:
        tops[lane] = y
        y += data.lane_rows[lane] + 0.6
    total = y
    width_in = min(22.0, max(9.0, span * 0.55 + 3.0))
    fig = Figure(figsize=(width_in, max(3.0, 0.28 * total + 1.6)), layout="constrained")
    ax = fig.add_subplot()

    def centre(it: TimelineItem) -> tuple[float, float]:
        return it.start, tops[it.lane] + 0.3 + it.row + 0.5

    for i, lane in enumerate(data.lanes):
        h = data.lane_rows[lane] + 0.6
        if i % 2 == 0:
            ax.add_patch(Rectangle((data.first, tops[lane]), span * 3, h, color="#f3f3f3", lw=0, zorder=0))
    for a, b, key in data.links:
        (x1, y1), (x2, y2) = centre(data.items[a]), centre(data.items[b])
        color, dash = next((c, d) for k, _n, c, d in LINK_KINDS.values() if k == key)
        ax.add_patch(FancyArrowPatch((x1, y1), (x2, y2), connectionstyle="arc3,rad=-0.25", arrowstyle="-|>",
                                     mutation_scale=7, color=color, lw=0.8, linestyle="--" if dash else "-",
                                     alpha=0.85, zorder=2, shrinkA=3, shrinkB=3))
    for it in data.items:
        x, yc = centre(it)
        color = EVENT_COLOR if it.kind == "event" else MILESTONE_COLOR
        if it.precision != "day":
            ax.plot([it.span[0], it.span[1]], [yc, yc], color=color, alpha=0.3, lw=3, solid_capstyle="butt", zorder=3)
        if it.kind == "event":
            x2 = max(it.end, x + 0.06)
            ax.plot([x, x2], [yc, yc], color=color, lw=5, solid_capstyle="round", zorder=4)
            tx = x2
        else:
            face = "white" if it.precision != "day" or it.bill else color
            ax.plot([x], [yc], marker="o", ms=5, mfc=face, mec=color, mew=1.3, zorder=4)
            tx = x
        ax.text(tx + 0.08, yc, it.label, va="center", ha="left", fontsize=6.5, parse_math=False, zorder=5,
                clip_on=True)
    longest = max((len(it.label) for it in data.items if it.end > data.last - span * 0.25), default=0)
    ax.set_xlim(data.first, data.last + max(0.5, longest * 0.011 * span * 9.0 / width_in))
    ax.set_ylim(total, 0)
    ax.set_yticks([tops[lane] + (data.lane_rows[lane] + 0.6) / 2 for lane in data.lanes],
                  [_clip(lane, 34) for lane in data.lanes], fontsize=7)
    for tick in ax.get_yticklabels():
        tick.set_parse_math(False)
    step = next(s for s in (1, 2, 5, 10, 20, 50) if span / s <= 16)
    ax.set_xticks(range(data.first - data.first % step, data.last + 1, step))
    ax.tick_params(axis="x", labelsize=7)
    ax.grid(axis="x", color="#dddddd", lw=0.5)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    handles = [
        Line2D([], [], marker="o", ls="", mfc=MILESTONE_COLOR, mec=MILESTONE_COLOR, label="milestone"),
        Line2D([], [], marker="o", ls="", mfc="white", mec=MILESTONE_COLOR, label="month or year only"),
        Line2D([], [], color=EVENT_COLOR, lw=4, label="event"),
    ] + [Line2D([], [], color=c, lw=1, ls="--" if d else "-", label=n) for _k, n, c, d in LINK_KINDS.values()]
    fig.legend(handles=handles, fontsize=6.5, loc="outside lower left", ncol=6, frameon=False)
    if title:
        fig.suptitle(title, fontsize=10, x=0.01, ha="left", parse_math=False)
    if caption:
        ax.set_title(caption, fontsize=7, loc="left", color="#555555", parse_math=False)
    return fig


# -- result and entry point -----------------------------------------------------------------


class TimelineView(HtmlView):
    """A timeline: HTML for the browser and Jupyter, and PNG/SVG through matplotlib.

    ``save("t.html")`` writes the page; ``save("t.png")``/``save("t.svg")`` draws the same
    layout with :func:`plot_timeline`.
    """

    kind = "timeline"
    suffixes = SUFFIXES
    dpi = 220

    def __init__(self, html_text: str, data: TimelineData, *, title: str = "", caption: str = ""):
        super().__init__(html_text, title=title, nodes=len(data.items), edges=len(data.links))
        self.data, self.caption = data, caption

    def __repr__(self) -> str:
        where = f" saved to {self.path}" if self.path else ""
        return f"<TimelineView {self.title!r}: {self.nodes} items, {self.edges} links{where}>"

    def figure(self) -> Figure:
        """The matplotlib Figure of this timeline (see :func:`plot_timeline`)."""
        return plot_timeline(self.data, title=self.title, caption=self.caption)


def timeline(kg: KnowledgeGraph, path: str | os.PathLike[str] | None = None, *, lang: str = "en",
             lanes: str = "body", since: int | None = None, until: int | None = None, title: str | None = None,
             width: int | None = None) -> TimelineView:
    """The policy milestones and events on a time axis; the Python twin of ``ssegraph timeline``.

    Parameters
    ----------
    kg:
        The knowledge graph.
    path:
        Save there too: ``.html``, or ``.png``/``.svg`` (needs matplotlib, the ``plot`` extra).
    lang:
        Preferred language of titles.
    lanes:
        ``"body"`` (adopting body) or ``"jurisdiction"``.
    since, until:
        Only the items within these years (inclusive).
    title:
        The heading (default "SSE policy timeline").
    width:
        Width of the HTML drawing in pixels.

    Returns
    -------
    TimelineView
        Shown inline in Jupyter; ``.save(path)``; ``.figure()`` for matplotlib.

    Raises
    ------
    ExportError
        Nothing dated to show, an unknown lane mode or suffix, or an unwritable path.

    Examples
    --------
    >>> import ssegraph
    >>> t = ssegraph.load().timeline(since=2020)  # doctest: +SKIP
    >>> t.save("policy.svg")  # doctest: +SKIP
    """
    if path is not None:
        from .view import check_target

        check_target(path, SUFFIXES, "timeline")
    data = timeline_data(kg, lang=lang, lanes=lanes, since=since, until=until)
    heading = title or "SSE policy timeline"
    caption = _caption(data, describe_data(kg))
    window = None
    if since is not None or until is not None:  # the range given is the first screen
        window = (max(data.first, since) if since is not None else data.first,
                  min(data.last, until + 1) if until is not None else data.last)
    page = render_timeline_html(data, title=heading, caption=caption, width=width, window=window)
    result = TimelineView(page, data, title=heading, caption=caption)
    if path is not None:
        result.save(path)
    return result
