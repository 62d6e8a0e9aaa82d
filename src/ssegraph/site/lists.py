"""Site section: the faceted lists (``milestones.html``, ``organisations.html``) and the search
page (``search.html``).

Say each thing once: the rows of a list are the rows of the release table
(``ssegraph/tables/milestones.rq``, ``tables/organisations.rq``, run as they are on
``ctx.kg``), so the site, the release CSV and ``ssegraph release`` agree. What those tables do
not give is added here, and only that:

- a milestone's **year** (for the year range): the year of its adoption (``adopted``, else
  ``date``), else of the earliest dated step the row gives (promulgated, published, in force,
  accepted, submitted, first attested);
- an organisation's **country**: the country of the jurisdiction it is for (``dcterms:spatial``,
  itself a country or a part of one) or of the place of its primary site (``org:hasPrimarySite``
  → ``schema:containedInPlace``\\+) — :data:`ORGANISATION_COUNTRY`;
- an organisation's **UNTFSSE status**, from the named query ``untfsse-members``: *member* when
  a member or founding-member role of it has no end date, else *observer* when an observer role
  has none, else *former* (every role it had has ended).

The filters live in the URL fragment, so a filtered list is a link: ``q`` (the search box),
one key per facet (``region``, ``country``, ``jurisdiction``, ``type`` (instrument type),
``doctype``, ``status``, ``body`` on the milestones; ``type``, ``country``, ``untfsse`` on the
organisations; repeated for several ticked values), ``from``/``to`` (years), ``sort`` (a column
key, ``-`` first for descending) and ``cols`` (the columns shown, comma-separated), e.g.
``milestones.html#region=Western%20Africa&type=SSE%20framework%20law``; ``search.html`` takes
``q`` and ``kind``. "Download CSV" writes the matching rows and the columns shown, the IRI
first, as ``ssegraph export csv`` does: UTF-8 without a byte-order mark, RFC 4180 quoting, and a
cell a spreadsheet would run as a formula prefixed with ``'`` (docs/security.md).

Each page carries its rows as compact JSON (the columns once, each row an array) and
``list.js`` draws the table, the facets, the count and the CSV download from it; every value
reaches the page as text. The search page carries every entity of the index with the names it
is known by in every language (labels, acronyms, symbols) and ``search.js`` matches them
accent- and case-insensitively.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .. import model
from .context import SiteContext

#: Facets with at most this many values are a group of checkboxes (several may be ticked);
#: longer ones a ``<select>`` (one value, or any).
CHECKBOX_LIMIT = 12
#: Rows drawn at first, and added by each "show more" (the count and the CSV are always of
#: every matching row). Measured in benchmarks/SITE-LISTS.md.
PAGE_ROWS = 100
#: Results the search page lists at first.
SEARCH_RESULTS = 50

_COUNTRY_NS = "http://publications.europa.eu/resource/authority/country/"

#: An organisation's country: that of the jurisdiction it is for, or of its primary site's place.
ORGANISATION_COUNTRY = f"""
SELECT DISTINCT ?organisation ?country WHERE {{
  ?organisation a org:Organization .
  {{ ?organisation dcterms:spatial ?j . ?j skos:broader? ?country }}
  UNION
  {{ ?organisation org:hasPrimarySite ?site . ?site schema:containedInPlace+ ?country }}
  FILTER(STRSTARTS(STR(?country), "{_COUNTRY_NS}"))
}}"""

#: UNTFSSE roles (the English role labels of ``untfsse-members``) by the status they give.
_MEMBER_ROLES = ("member", "founding member")
_OBSERVER_ROLES = ("observer", "founding observer")
UNTFSSE_STATUSES = ("member", "observer", "former")

#: The dated columns of the milestones table a year is read from, best first.
_YEAR_FROM = ("adopted", "date")
_YEAR_FALLBACK = ("promulgated", "published", "in_force", "accepted", "submitted", "first_attested")
_YEAR = re.compile(r"^-?\d{4}")


@dataclass(frozen=True)
class Column:
    """A column of a list page: its key (a table column, or one this module adds), its heading,
    and how it sorts and holds values (``text``; ``multi``: several values; ``year``: a number)."""

    key: str
    label: str
    kind: str = "text"
    #: drawn at first (the others can be shown with the page's "Columns" chooser)
    shown: bool = True


@dataclass(frozen=True)
class Facet:
    """A filter of a list page: the URL key, its label and the column it filters on."""

    key: str
    label: str
    column: str


@dataclass(frozen=True)
class ListSpec:
    """One list page."""

    path: str
    table: str
    title: str
    singular: str
    plural: str
    intro: str
    columns: tuple[Column, ...]
    link: str
    facets: tuple[Facet, ...]
    year: str | None = None


MILESTONES = ListSpec(
    path="milestones.html", table="milestones", title="Policy milestones", singular="milestone",
    plural="milestones",
    intro=("Laws, bills, strategies, resolutions and declarations on the social and solidarity economy, "
           "one row each, from the release table milestones.csv. Filter them, search them, sort them by a "
           "column heading, and download the rows you see as CSV; the address of the page keeps the filters."),
    columns=(
        Column("symbol", "Symbol"), Column("title", "Title"), Column("family", "Instrument type", "multi"),
        Column("type", "Document type", "multi", shown=False), Column("status", "Status", "multi"),
        Column("year", "Year", "year"), Column("jurisdiction", "Jurisdiction", "multi"),
        Column("country", "Country", "multi", shown=False), Column("region", "Region", "multi"),
        Column("body", "Adopted by", "multi"),
    ),
    link="title",
    facets=(
        Facet("region", "Region (UN M49)", "region"), Facet("country", "Country", "country"),
        Facet("jurisdiction", "Jurisdiction", "jurisdiction"), Facet("type", "Instrument type", "family"),
        Facet("doctype", "Document type", "type"), Facet("status", "Status", "status"),
        Facet("body", "Adopting body", "body"),
    ),
    year="year",
)

ORGANISATIONS = ListSpec(
    path="organisations.html", table="organisations", title="Organisations", singular="organisation",
    plural="organisations",
    intro=("Organisations of the graph, one row each, from the release table organisations.csv, with their "
           "country and their standing in the UN Inter-Agency Task Force on Social and Solidarity Economy "
           "(UNTFSSE). Filter them, search them, sort them by a column heading, and download the rows you see "
           "as CSV; the address of the page keeps the filters."),
    columns=(
        Column("name", "Name"), Column("acronym", "Acronym", "multi"),
        Column("classification", "Type", "multi"), Column("country", "Country", "multi"),
        Column("untfsse", "UNTFSSE", "text"), Column("founded", "Founded", "multi", shown=False),
        Column("headquarters", "Headquarters", "multi"),
    ),
    link="name",
    facets=(
        Facet("type", "Type", "classification"), Facet("country", "Country", "country"),
        Facet("untfsse", "UNTFSSE status", "untfsse"),
    ),
)

LISTS = (MILESTONES, ORGANISATIONS)


def write(ctx: SiteContext) -> None:
    """Write ``milestones.html``, ``organisations.html`` and ``search.html``."""
    from ..view import asset_text

    kit = asset_text("site/listkit.js")
    for spec in LISTS:
        data = list_data(ctx, spec)
        ctx.write_page(spec.path, "list.html", title=spec.title, scripts=[kit, asset_text("site/list.js")],
                       data=data, spec=spec, facets=data["facets"], columns=data["columns"],
                       year=data.get("year"), total=len(data["rows"]))
    data = search_data(ctx)
    ctx.write_page("search.html", "search.html", title="Search", scripts=[kit, asset_text("site/search.js")],
                   data=data, kinds=data["kinds"], total=len(data["entities"]))


# -- rows -----------------------------------------------------------------------------------
def table_rows(ctx: SiteContext, name: str) -> list[dict[str, str]]:
    """The rows of the release table ``name``, as ``{column: text}`` (unbound columns absent)."""
    from ..release import list_tables

    table = next(t for t in list_tables() if t.name == name)
    return [{k: v.value for k, v in row.items() if v is not None}
            for row in ctx.kg.query(table.sparql).terms()]


def split(value: str | None) -> list[str]:
    """A table cell's values: several are joined by ``" | "`` in the release tables."""
    return [v for v in (value or "").split(" | ") if v]


def milestone_year(row: dict[str, str]) -> int | None:
    """The year a milestone is listed under (see the module docstring).

    Examples
    --------
    >>> milestone_year({"adopted": "2012-07-12", "published": "2012-07-18"})
    2012
    >>> milestone_year({"date": "2019 | 2020"}), milestone_year({"submitted": "2024-10-08"}), milestone_year({})
    (2019, 2024, None)
    """
    for keys in (_YEAR_FROM, _YEAR_FALLBACK):
        years = [int(m.group()) for k in keys for v in split(row.get(k)) if (m := _YEAR.match(v))]
        if years:
            return min(years)
    return None


def organisation_countries(ctx: SiteContext) -> dict[str, list[str]]:
    """``{organisation IRI: [country label, ...]}`` (:data:`ORGANISATION_COUNTRY`)."""
    found: dict[str, set[str]] = {}
    for row in ctx.kg.query(ORGANISATION_COUNTRY).terms():
        found.setdefault(row["organisation"].value, set()).add(ctx.label(row["country"].value))
    return {iri: sorted(names) for iri, names in found.items()}


def untfsse_status(ctx: SiteContext) -> dict[str, str]:
    """``{organisation IRI: "member" | "observer" | "former"}`` from the named query
    ``untfsse-members`` (organisations never in the task force are absent)."""
    roles: dict[str, list[tuple[str, bool]]] = {}
    for row in ctx.kg.named_query("untfsse-members").terms():
        current = row.get("ended") is None
        roles.setdefault(row["member"].value, []).append((row["role"].value, current))
    status = {}
    for iri, held in roles.items():
        if any(r in _MEMBER_ROLES and now for r, now in held):
            status[iri] = "member"
        elif any(r in _OBSERVER_ROLES and now for r, now in held):
            status[iri] = "observer"
        else:
            status[iri] = "former"
    return status


def list_rows(ctx: SiteContext, spec: ListSpec) -> list[dict[str, Any]]:
    """The rows of a list page, as ``{column: value}`` with the IRI under ``"iri"``: the release
    table's rows, plus the columns this module adds."""
    rows = table_rows(ctx, spec.table)
    iri_col = "milestone" if spec.table == "milestones" else "organisation"
    extra: dict[str, Any] = {}
    if spec is ORGANISATIONS:
        countries, status = organisation_countries(ctx), untfsse_status(ctx)
    out = []
    for row in rows:
        iri = row[iri_col]
        if spec is MILESTONES:
            extra = {"year": milestone_year(row)}
        else:
            extra = {"country": countries.get(iri, []), "untfsse": status.get(iri, "")}
        cells: dict[str, Any] = {"iri": iri}
        for col in spec.columns:
            value = extra[col.key] if col.key in extra else row.get(col.key, "")
            if col.kind == "multi" and isinstance(value, str):
                value = split(value)
            cells[col.key] = value
        if not cells[spec.link]:
            cells[spec.link] = ctx.label(iri)
        out.append(cells)
    return out


def sort_key(text: str) -> str:
    """Text for sorting and matching: accents removed (NFD, marks dropped), lower case.

    Examples
    --------
    >>> sort_key("Économie Sociale"), sort_key("São Tomé")
    ('economie sociale', 'sao tome')
    """
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


def _values(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return value
    return [str(value)]


def list_data(ctx: SiteContext, spec: ListSpec) -> dict[str, Any]:
    """The JSON a list page carries: columns once, each row an array.

    ``rows[i]`` is ``[page path or null, IRI, other names, cell, cell, ...]`` with the cells in the
    order of ``columns``: a string, a list of strings (``multi``) or a year (``year``, or null).
    "Other names" are the entity's naming literals in every language (labels, acronyms, symbols)
    that no cell already shows, for the search box. Each facet lists its values with their counts.
    """
    rows = list_rows(ctx, spec)
    keys = [c.key for c in spec.columns]
    out_rows = []
    for cells in rows:
        iri = cells["iri"]
        ref = ctx.ref(iri)
        shown = {v for k in keys for v in _values(cells[k])}
        names = sorted({text for prop, text, _ in ref.names if text not in shown and _is_name(prop)}
                       ) if ref else []
        path = ctx.href(iri, spec.path)
        out_rows.append([path, iri, names, *(cells[k] for k in keys)])
    facets = []
    for f in spec.facets:
        counts = Counter(v for cells in rows for v in dict.fromkeys(_values(cells[f.column])))
        values = sorted(counts.items(), key=lambda kv: (sort_key(kv[0]), kv[0]))
        facets.append({"key": f.key, "label": f.label, "col": keys.index(f.column),
                       "control": "checkbox" if len(values) <= CHECKBOX_LIMIT else "select",
                       "values": [[v, n] for v, n in values]})
    data: dict[str, Any] = {
        "singular": spec.singular, "plural": spec.plural, "file": spec.path.replace(".html", ".csv"),
        "columns": [{"key": c.key, "label": c.label, "kind": c.kind, "shown": c.shown} for c in spec.columns],
        "link": keys.index(spec.link), "facets": facets, "rows": out_rows, "page": PAGE_ROWS,
    }
    if spec.year:
        years = [c[spec.year] for c in rows if c[spec.year] is not None]
        data["year"] = {"col": keys.index(spec.year), "min": min(years, default=None),
                        "max": max(years, default=None)}
    return data


_DATES = frozenset(model.DATE_PROPERTIES)


def _is_name(prop: str) -> bool:
    """A naming literal that names (labels, acronyms, symbols), not a date the index also keeps."""
    return prop not in _DATES


# -- search ---------------------------------------------------------------------------------
def search_data(ctx: SiteContext) -> dict[str, Any]:
    """The JSON of the search page: the kinds, and every entity as ``[label, kind index, page path,
    [other names]]`` (its labels, acronyms and symbols in every language but the label itself)."""
    kinds = [k for k in model.PAGE_KINDS if any(r.kind.key == k.key for r in ctx.entities.values())]
    kind_index = {k.key: i for i, k in enumerate(kinds)}
    entities = []
    for ref in ctx.entities.values():
        names = list(dict.fromkeys(text for prop, text, _ in ref.names if _is_name(prop) and text != ref.label))
        entities.append([ref.label, kind_index[ref.kind.key], ref.path, names])
    return {"kinds": [[k.key, k.label, k.plural] for k in kinds], "entities": entities,
            "page": SEARCH_RESULTS}


def facet_values(data: dict[str, Any]) -> dict[str, list[str]]:
    """``{facet key: [value, ...]}`` of a list page's JSON (for tests and the benchmark)."""
    return {f["key"]: [v for v, _ in f["values"]] for f in data["facets"]}


def csv_header(data: dict[str, Any], keys: Iterable[str] | None = None) -> list[str]:
    """The header row of a list page's CSV download: the IRI, then the columns shown (``keys``;
    by default those a page shows when it opens)."""
    cols = data["columns"]
    wanted = [c["key"] for c in cols if c["shown"]] if keys is None else list(keys)
    return ["IRI", *(c["label"] for c in cols if c["key"] in wanted)]
