"""The home page, ``index.html``: what the graph holds, where its milestones are, when its data
last changed, how to cite it, and a way into every section.

- **What it holds**: the entities with a page, counted per kind from the site's entity index
  (:attr:`SiteContext.entities`, so the numbers are the pages the site has), the source records
  (``prov:Entity``) and the triples.
- **Coverage by region**: policy milestones per UN M49 region. A milestone's jurisdiction
  (``eli:jurisdiction``) reaches its country through ``skos:broader*`` (a city, a region, the
  country itself), and the country its M49 areas through ``skos:broader+`` (ontology/kos/m49.ttl),
  as the ``laws-by-region`` query walks them. A table (every area of the scheme, regions first,
  their sub-regions indented) and a bar chart of the regions as inline SVG, drawn without script.
- **Last data change**: the date of the newest git commit that changed one of the graph's input
  files when they are in a git checkout with no uncommitted change; else (or for the files
  outside git or changed since their last commit) the newest file modification time. The page
  says which.
- **How to cite** (anchor ``#cite``, which every page's footer links to): the text of the
  release's ``CITATION.cff`` (:func:`ssegraph.release._citation`), dated by the last data change,
  and the licence, CC0 1.0. Both files are written beside the page (``CITATION.cff``,
  ``LICENSE.txt``), so the site carries them offline.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import model
from ..namespaces import PREFIXES
from .context import SiteContext

#: The M49 area every region hangs from.
WORLD = PREFIXES["kos"] + "m49-001"
_COUNTRY_LEVEL = PREFIXES["kos"] + "jurisdiction-level-country"

_M49_AREAS = """
SELECT ?area ?code ?label ?parent WHERE {
  ?area skos:inScheme kos:m49 .
  OPTIONAL { ?area skos:notation ?code }
  OPTIONAL { ?area skos:prefLabel ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
  OPTIONAL { ?area skos:broader ?parent . ?parent skos:inScheme kos:m49 }
}"""
#: Every jurisdiction that reaches a country, with the country's M49 areas (its own and above).
_JURISDICTION_AREAS = """
SELECT DISTINCT ?j ?country ?area WHERE {
  ?country dcterms:type kos:jurisdiction-level-country ; skos:broader ?direct .
  ?direct skos:inScheme kos:m49 .
  ?direct skos:broader* ?area .
  ?j skos:broader* ?country .
}"""
_MILESTONE_JURISDICTIONS = "SELECT DISTINCT ?m ?j WHERE { ?m eli:jurisdiction ?j }"
_SOURCES = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a prov:Entity }"
_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"

#: The sections the home page leads to: (path, name, what it holds).
SECTIONS = (
    ("milestones.html", "Milestones",
     "The world's SSE laws, strategies and bills: filter by region, jurisdiction, instrument type, status, "
     "year and adopting body; download the filtered list as CSV."),
    ("organisations.html", "Organisations",
     "Organisations by type, country and UNTFSSE status (member, observer, former), with a CSV download."),
    ("search.html", "Search", "Labels, acronyms and symbols in every language."),
    ("queries/index.html", "Queries",
     "The named queries with their SPARQL text and their answers on this graph, as tables and CSV."),
    ("network.html", "Network", "Who is linked to whom: organisations, people, milestones, events and places."),
    ("timeline.html", "Timeline", "Milestones, events and memberships on one time axis."),
)


# -- coverage by region --------------------------------------------------------------------------
@dataclass
class Area:
    """One M49 area of the coverage table."""

    iri: str
    code: str
    label: str
    parent: str | None
    depth: int = 0
    milestones: int = 0
    countries: int = 0
    children: list[Area] = field(default_factory=list)


@dataclass
class Coverage:
    """Milestones per M49 area: ``rows`` in table order (regions, each followed by its
    sub-regions), ``placed`` the milestones in some country, ``unplaced`` the others (the
    international instruments and any whose jurisdiction reaches no country)."""

    rows: list[Area]
    milestones: int
    placed: int
    unplaced: int
    jurisdictions: int
    countries: int

    @property
    def regions(self) -> list[Area]:
        return [a for a in self.rows if a.depth == 1]


def coverage(kg: Any, milestones: set[str]) -> Coverage:
    """Count ``milestones`` (IRIs) per M49 area of the graph's ``kos:m49`` scheme."""
    areas: dict[str, Area] = {}
    for r in kg.query(_M49_AREAS).terms():
        iri = r["area"].value
        area = areas.get(iri) or Area(iri, "", "", None)
        area.code = area.code or (r["code"].value if "code" in r else "")
        area.label = area.label or (r["label"].value if "label" in r else "")
        if "parent" in r and area.parent is None:
            area.parent = r["parent"].value
        areas[iri] = area
    reach: dict[str, set[tuple[str, str]]] = defaultdict(set)  # jurisdiction -> {(country, area)}
    for r in kg.query(_JURISDICTION_AREAS).terms():
        reach[r["j"].value].add((r["country"].value, r["area"].value))
    in_area: dict[str, set[str]] = defaultdict(set)
    countries_in: dict[str, set[str]] = defaultdict(set)
    placed: set[str] = set()
    jurisdictions: set[str] = set()
    countries: set[str] = set()
    for r in kg.query(_MILESTONE_JURISDICTIONS).terms():
        m, j = r["m"].value, r["j"].value
        if m not in milestones:
            continue
        jurisdictions.add(j)
        for country, area in reach.get(j, ()):
            placed.add(m)
            countries.add(country)
            in_area[area].add(m)
            countries_in[area].add(country)
    for iri, area in areas.items():
        area.milestones = len(in_area.get(iri, ()))
        area.countries = len(countries_in.get(iri, ()))
        if area.parent in areas:
            areas[area.parent].children.append(area)
    rows: list[Area] = []

    def walk(area: Area, depth: int) -> None:
        area.depth = depth
        if depth:
            rows.append(area)
        for child in sorted(area.children, key=lambda a: (-a.milestones, a.label or a.code)):
            walk(child, depth + 1)

    if WORLD in areas:
        walk(areas[WORLD], 0)
    return Coverage(rows, len(milestones), len(placed), len(milestones) - len(placed), len(jurisdictions),
                    len(countries))


def bar_chart(cov: Coverage) -> dict[str, Any]:
    """The geometry of the regions' bar chart (drawn by the template as SVG, no script)."""
    bars = [(a.label or a.code, a.milestones) for a in cov.regions]
    if cov.unplaced:
        bars.append(("No country (international)", cov.unplaced))
    top = max((n for _, n in bars), default=0) or 1
    label_w, bar_w, row_h = 210, 330, 28
    return {
        "width": label_w + bar_w + 60, "height": row_h * len(bars) + 10, "label_w": label_w,
        "bars": [{"label": label, "n": n, "y": 5 + i * row_h, "w": round(bar_w * n / top, 1), "h": row_h - 8}
                 for i, (label, n) in enumerate(bars)],
    }


# -- last data change ------------------------------------------------------------------------------
@dataclass
class DataChange:
    """When the graph's input files last changed, and how that was read."""

    when: dt.datetime | None
    how: str

    @property
    def date(self) -> str:
        return self.when.date().isoformat() if self.when else ""


def _mtime(path: Path) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    except OSError:
        return None


def last_data_change(files: Any) -> DataChange:
    """The newest commit date of ``files`` in their git checkout, else their newest modification
    time (for files outside git, or changed or untracked since the last commit)."""
    from ..diff import DiffError, _git, find_repo

    paths = [Path(f).resolve() for f in files]
    if not paths:
        return DataChange(None, "the graph has no input files")
    by_repo: dict[Path | None, list[Path]] = defaultdict(list)
    roots: dict[Path, Path | None] = {}
    try:
        for p in paths:
            if p.parent not in roots:
                roots[p.parent] = find_repo(p.parent)
            by_repo[roots[p.parent]].append(p)
    except DiffError:  # git is not installed
        by_repo = {None: paths}
    committed: list[dt.datetime] = []
    loose: list[Path] = list(by_repo.pop(None, []))
    for root, group in by_repo.items():
        assert root is not None
        rel = [str(p.relative_to(root.resolve())) if p.is_relative_to(root.resolve()) else str(p) for p in group]
        status = _git(root, "status", "--porcelain", "--untracked-files=all", "--", *rel)
        log = _git(root, "log", "-1", "--format=%cI", "--", *rel)
        if status.returncode != 0 or log.returncode != 0 or not log.stdout.strip():
            loose += group
            continue
        dirty = {line[3:].strip().strip('"') for line in status.stdout.splitlines() if len(line) > 3}
        loose += [p for p, r in zip(group, rel, strict=True) if r in dirty or any(d.endswith("/") and r.startswith(d)
                                                                                  for d in dirty)]
        committed.append(dt.datetime.fromisoformat(log.stdout.strip()).astimezone(dt.UTC))
    times = [t for t in (_mtime(p) for p in loose) if t is not None]
    when = max([*committed, *times], default=None)
    if committed and not loose:
        how = "the date of the newest git commit that changed the graph's input files"
    elif committed:
        how = (f"the newest of the git commit dates of the graph's input files and the modification times of "
               f"the {len(loose)} file{'s' if len(loose) != 1 else ''} outside git or changed since their last commit")
    else:
        how = "the newest modification time of the graph's input files (they are not in a git checkout)"
    return DataChange(when, how)


# -- counts -----------------------------------------------------------------------------------------
def _count(kg: Any, sparql: str) -> int:
    for row in kg.query(sparql).terms():
        return int(row["n"].value)
    return 0


def triple_count(kg: Any) -> int:
    """The triples of the graph (as ``ssegraph stats`` counts them)."""
    backend = getattr(kg, "backend", None)
    if kg.store is not None and not getattr(backend, "union", False):
        return len(kg.store)
    return _count(kg, _TRIPLES)


def write(ctx: SiteContext) -> None:
    """Write ``index.html``, ``CITATION.cff`` and ``LICENSE.txt``."""
    from .. import __version__
    from ..release import LICENCE, _citation, _licence_text

    per_kind = Counter(ref.kind.key for ref in ctx.entities.values())
    kinds = [(k, per_kind.get(k.key, 0)) for k in model.PAGE_KINDS]
    milestones = {iri for iri, ref in ctx.entities.items() if ref.kind.key == "milestone"}
    cov = coverage(ctx.kg, milestones)
    change = last_data_change(ctx.kg.files)
    issued = change.date or dt.datetime.now(dt.UTC).date().isoformat()
    citation = _citation(__version__, issued)
    ctx.write_file("CITATION.cff", citation)
    ctx.write_file("LICENSE.txt", _licence_text())
    year = issued[:4]
    cite_as = (f"ssegraph contributors ({year}). ssegraph: the open knowledge graph of the Social and Solidarity "
               f"Economy (version {__version__}, data of {issued}) [Data set]. https://w3id.org/ssegraph")
    lists = {"milestone": "milestones.html", "organisation": "organisations.html"}
    ctx.write_page(
        "index.html", "home.html", title="The knowledge graph of the Social and Solidarity Economy",
        kinds=kinds, lists=lists, sources=_count(ctx.kg, _SOURCES), triples=triple_count(ctx.kg),
        files=len(ctx.kg.files), queries=len(ctx.kg.list_queries()), coverage=cov, chart=bar_chart(cov),
        change=change, citation=citation, cite_as=cite_as, licence=LICENCE, version=__version__,
        sections=SECTIONS, network_selection=ctx.network_selection)
