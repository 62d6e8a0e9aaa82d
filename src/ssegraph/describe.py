"""``describe``: everything about one entity, with the files and sources that say it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from . import model
from .namespaces import compact
from .results import term_to_text

if TYPE_CHECKING:
    from .graph import Description, KnowledgeGraph

_OUT = "SELECT DISTINCT ?p ?o WHERE { ?s ?p ?o } ORDER BY ?p ?o"
_IN = "SELECT DISTINCT ?x ?p WHERE { ?x ?p ?s . FILTER(isIRI(?x)) } ORDER BY ?p ?x LIMIT 200"

def _fold_links() -> list[str]:
    """The single-step links from an entity to the n-ary nodes of the model's folds (a
    Membership, a Post, a Site…), each from the node's side: ``^org:member``, ``org:hasPrimarySite``."""
    links = []
    for f in model.FOLDS:
        for path in (f.source, f.target):
            for step in path.split("|"):
                step = step.strip()
                links.append(step[1:] if step.startswith("^") else "^" + step)
    return list(dict.fromkeys(links))


# The sources of the entity and of the n-ary nodes that tie it to others (the folds of the
# model: its memberships, participations, posts, sites). One UNION branch per link rather than
# a path alternation: Oxigraph evaluates an alternation path in a UNION for the whole store
# (1.4 s for one large node at a million triples, against 0.08 s).
_SOURCES = """
SELECT DISTINCT ?src ?url ?title WHERE {
  { ?s prov:wasDerivedFrom|prov:hadPrimarySource ?src }
  UNION """ + "\n  UNION ".join(
    f"{{ ?s {link} ?n . ?n prov:wasDerivedFrom|prov:hadPrimarySource ?src }}" for link in _fold_links()) + """
  OPTIONAL { ?src schema:url ?url }
  OPTIONAL { ?src dcterms:title ?title }
} ORDER BY ?src"""


def describe(kg: KnowledgeGraph, name: str, lang: str = "en") -> Description:
    """Gather the statements on ``name`` (found by IRI, label or acronym), its links and sources.

    The entity is named by the model's label rule (:func:`ssegraph.model.choose_label`) in
    ``lang``, as the views and the network name it, and its kind is the model's.

    Raises
    ------
    NotFoundError
        When no entity matches or the entity has no statement.
    """
    from .errors import NotFoundError
    from .graph import Description

    node = kg.resolve(name)
    out_rows = list(kg.query(_OUT, s=node).terms())
    if not out_rows:
        raise NotFoundError(f"{compact(node.value)} has no statement in the graph")
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    classes = [r["o"].value for r in out_rows if r["p"].value == rdf_type]
    types = sorted({compact(c) for c in classes})
    kind = model.kind_for(classes)
    import pyoxigraph as ox

    values = [(r["p"].value, r["o"].value, r["o"].language or "") for r in out_rows if isinstance(r["o"], ox.Literal)]
    key = kind.key if kind else None
    label = model.choose_label(values, lang, kind=key) or compact(node.value)
    short = model.choose_label(values, lang, short=True, kind=key) or label
    files: list[str] = []
    if kg.store is not None:
        from .store import defining_files

        files = sorted(display_path(p) for p in defining_files(kg.files, [node.value])[node.value])
    outgoing = [(compact(r["p"].value), r["o"], "") for r in out_rows]
    incoming = [(compact(r["x"].value), compact(r["p"].value), "") for r in kg.query(_IN, s=node).terms()]
    sources = [
        {"id": compact(r["src"].value), "url": term_to_text(r.get("url")), "title": term_to_text(r.get("title"))}
        for r in kg.query(_SOURCES, s=node).terms()
    ]
    return Description(node.value, label, types, outgoing, incoming, sources, files,
                       kind=kind.label if kind else "", short=short)


def display_path(path: Path) -> str:
    """``path`` relative to the working folder when it is under it: what a curator types."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def format_description(d: Description) -> str:
    """The text block printed by ``ssegraph describe``."""
    import pyoxigraph as ox

    name = f"{d.label} ({d.short})" if d.short and d.short != d.label else d.label
    lines = [f"{name}  <{d.iri}>"]
    if d.kind:
        lines.append(f"  {d.kind.lower()}")
    if d.types:
        lines.append(f"  a {', '.join(d.types)}")
    if d.files:
        lines.append(f"  defined in {', '.join(d.files)}")
    lines.append("")
    width = max((len(p) for p, _, _ in d.outgoing), default=0)
    for p, o, _ in d.outgoing:
        if p == "rdf:type":
            continue
        if isinstance(o, ox.Literal):
            text = o.value
            if o.language:
                text += f" @{o.language}"
            elif o.datatype and not o.datatype.value.endswith("#string"):
                text += f" ({compact(o.datatype.value)})"
        else:
            text = term_to_text(o)
        lines.append(f"  {p.ljust(width)}  {text}")
    if d.incoming:
        lines.append("")
        lines.append("  linked from:")
        for x, p, _ in d.incoming:
            lines.append(f"    {x}  {p}")
    lines.append("")
    if d.sources:
        lines.append("  sources:")
        for s in d.sources:
            title = f"  {s['title']}" if s["title"] else ""
            lines.append(f"    {s['id']}  {s['url']}{title}")
    else:
        lines.append("  sources: none")
    from ._text import safe_terminal

    return safe_terminal("\n".join(lines)) + "\n"  # data may hold control characters
