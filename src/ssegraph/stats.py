"""``stats``: what the graph holds, in the counts a curator checks after an edit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
SELECT ?body (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?m) AS ?n) WHERE {
  ?m a eli:LegalResource ; eli:passed_by ?body .
  OPTIONAL { ?body skos:prefLabel ?l FILTER(LANGMATCHES(LANG(?l), "en")) }
} GROUP BY ?body ORDER BY DESC(?n) ?body"""
# The degree is counted in a sub-SELECT whose UNION names ?o a org:Organization in each branch:
# with the type outside the UNION, Oxigraph evaluates the UNION for the whole store before
# joining (more than five minutes at a million triples, against 2.5 s for this form).
_CONNECTED = """
SELECT ?o (SAMPLE(?l) AS ?label) ?degree WHERE {
  { SELECT ?o (COUNT(DISTINCT ?x) AS ?degree) WHERE {
      { ?o a org:Organization . ?o ?p ?x . ?x a ?t .
        FILTER(?t IN (org:Organization, foaf:Person, eli:LegalResource, schema:Event, org:Membership)) }
      UNION { ?o a org:Organization . ?x ?p ?o . FILTER(isIRI(?x)) }
    } GROUP BY ?o ORDER BY DESC(?degree) ?o LIMIT 10 }
  OPTIONAL { ?o skos:prefLabel ?l FILTER(LANGMATCHES(LANG(?l), "en")) }
} GROUP BY ?o ?degree ORDER BY DESC(?degree) ?o"""


def stats(kg: KnowledgeGraph) -> dict[str, Any]:
    """Counts that summarise the graph.

    Returns a dict with ``triples``, ``files``, ``classes`` ({class: count}),
    ``milestones_by_year`` ({year: count}), ``milestones_by_body`` ([(label, iri, count)]) and
    ``most_connected`` ([(label, iri, degree)]).
    """
    if kg.store is not None and not kg.backend.union:
        triples = len(kg.store)
    else:
        triples = int(next(iter(kg.query(_TRIPLES)))["n"])
    by_class = {c: 0 for c in CLASSES}
    for row in kg.query(_BY_CLASS % " ".join(CLASSES)).terms():
        by_class[compact(row["class"].value)] = int(row["n"].value)
    by_year = {r["year"].value: int(r["n"].value) for r in kg.query(_BY_YEAR).terms()}
    by_body = [
        (r["label"].value if "label" in r else compact(r["body"].value), compact(r["body"].value), int(r["n"].value))
        for r in kg.query(_BY_BODY).terms()
    ]
    connected = [
        (r["label"].value if "label" in r else compact(r["o"].value), compact(r["o"].value), int(r["degree"].value))
        for r in kg.query(_CONNECTED).terms()
    ]
    return {
        "triples": triples,
        "files": len(kg.files),
        "classes": by_class,
        "milestones_by_year": by_year,
        "milestones_by_body": by_body,
        "most_connected": connected,
    }


def format_stats(s: dict[str, Any]) -> str:
    """The text ``ssegraph stats`` prints."""
    head = f"{s['triples']} triples" + (f" from {s['files']} files" if s["files"] else "")
    lines = [head, "", "entities by class:"]
    for c, n in s["classes"].items():
        lines.append(f"  {c:<26} {n:>6}")
    if s["milestones_by_year"]:
        lines += ["", "milestones by year:"]
        lines += [f"  {y}  {'#' * min(n, 40)} {n}" for y, n in s["milestones_by_year"].items()]
    if s["milestones_by_body"]:
        lines += ["", "milestones by adopting body:"]
        lines += [f"  {n:>4}  {label} ({iri})" for label, iri, n in s["milestones_by_body"]]
    if s["most_connected"]:
        lines += ["", "most connected organisations:"]
        lines += [f"  {n:>4}  {label} ({iri})" for label, iri, n in s["most_connected"]]
    return "\n".join(lines) + "\n"
