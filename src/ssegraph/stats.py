"""``stats``: what the graph holds, in the counts a curator checks after an edit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import model
from .namespaces import compact

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

#: The classes counted, in the order people ask about them.
CLASSES = (
    "org:Organization", "foaf:Person", "org:Membership", "org:Post", "eli:LegalResource",
    "schema:Event", "cv:Participation", "schema:QuantitativeValue", "schema:Place", "prov:Entity",
)

# DISTINCT: when dataset inputs bring named graphs, queries read the union of the graphs, which
# keeps a triple stated in two graphs twice; a store that receives the published graph counts
# it once. With one graph (the usual case) the store's own count is the same and much cheaper.
_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
_BY_CLASS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  VALUES ?class { %s }
  ?s a ?class .
} GROUP BY ?class"""
_BY_YEAR = """
SELECT ?year (COUNT(DISTINCT ?m) AS ?n) WHERE {
  ?m a eli:LegalResource .
  OPTIONAL { ?m eli:date_document ?d1 } OPTIONAL { ?m dcterms:date ?d2 }
  BIND(SUBSTR(STR(COALESCE(?d1, ?d2)), 1, 4) AS ?year)
  FILTER(BOUND(?year))
} GROUP BY ?year ORDER BY ?year"""
_BY_BODY = """
SELECT ?body (COUNT(DISTINCT ?m) AS ?n) WHERE {
  ?m a eli:LegalResource ; eli:passed_by ?body .
} GROUP BY ?body ORDER BY DESC(?n) ?body"""
#: How many organisations ``most_connected`` lists.
TOP = 10


def stats(kg: KnowledgeGraph, lang: str = "en") -> dict[str, Any]:
    """Counts that summarise the graph.

    Returns a dict with ``triples``, ``files``, ``classes`` ({class: count}), ``kinds``
    ({kind plural: entities}, the model's entity kinds, as the network counts them),
    ``milestones_by_year`` ({year: count}), ``milestones_by_body`` ([(label, iri, count)]),
    ``most_connected`` ([(label, iri, degree)]) and ``degree`` (what the degree counts:
    :data:`ssegraph.model.DEGREE`, the number the view and the GEXF export show too). Labels
    follow the model's label rule in ``lang``.
    """
    from .network import topology

    if kg.store is not None and not kg.backend.union:
        triples = len(kg.store)
    else:
        triples = int(next(iter(kg.query(_TRIPLES)))["n"])
    by_class = {c: 0 for c in CLASSES}
    for row in kg.query(_BY_CLASS % " ".join(CLASSES)).terms():
        by_class[compact(row["class"].value)] = int(row["n"].value)
    by_year = {r["year"].value: int(r["n"].value) for r in kg.query(_BY_YEAR).terms()}
    body_rows = [(r["body"].value, int(r["n"].value)) for r in kg.query(_BY_BODY).terms()]
    kinds, nbrs = topology(kg)
    degree = {n: len(nbrs.get(n, ())) for n, k in kinds.items() if k == "organisation"}
    top = sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    top_iris = [model.expand(n) for n, _ in top]
    names = kg.labels([b for b, _ in body_rows] + top_iris, lang)
    by_body = [(names.get(b) or compact(b), compact(b), n) for b, n in body_rows]
    connected = [(names.get(i) or n, n, d) for i, (n, d) in zip(top_iris, top, strict=True)]
    return {
        "triples": triples,
        "files": len(kg.files),
        "classes": by_class,
        "kinds": {k.plural: sum(1 for v in kinds.values() if v == k.key) for k in model.KINDS},
        "milestones_by_year": by_year,
        "milestones_by_body": by_body,
        "most_connected": connected,
        "degree": model.DEGREE,
    }


def format_stats(s: dict[str, Any]) -> str:
    """The text ``ssegraph stats`` prints."""
    head = f"{s['triples']} triples" + (f" from {s['files']} files" if s["files"] else "")
    lines = [head, "", "entities by kind:"]
    lines += [f"  {k:<26} {n:>6}" for k, n in s.get("kinds", {}).items()]
    lines += ["", "instances by class:"]
    for c, n in s["classes"].items():
        lines.append(f"  {c:<26} {n:>6}")
    if s["milestones_by_year"]:
        lines += ["", "milestones by year:"]
        lines += [f"  {y}  {'#' * min(n, 40)} {n}" for y, n in s["milestones_by_year"].items()]
    if s["milestones_by_body"]:
        lines += ["", "milestones by adopting body:"]
        lines += [f"  {n:>4}  {label} ({iri})" for label, iri, n in s["milestones_by_body"]]
    if s["most_connected"]:
        lines += ["", "most connected organisations (degree: distinct entities linked to it, as the view and "
                  "GEXF count):"]
        lines += [f"  {n:>4}  {label} ({iri})" for label, iri, n in s["most_connected"]]
    return "\n".join(lines) + "\n"
