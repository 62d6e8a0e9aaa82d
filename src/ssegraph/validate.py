"""``validate``: the SHACL shapes over the data, as a report people can act on.

Two engines give the same report (``tests/test_shapes.py`` compares them):

``"store"`` (the default on a local store)
    The shapes are compiled to SPARQL (:mod:`ssegraph.shacl_sparql`) and run on the Oxigraph
    store that already exists; they find the focus nodes that may break a shape. pySHACL then
    judges only those, on a small extract of the graph around them (their triples, the triples
    pointing at them, their values' triples, and the ontology's ``rdfs:subClassOf`` axioms), and
    the report keeps its findings about them. On conforming data pySHACL does not run at all.
    300k triples: about the time of building the store instead of 30-70 times it
    (``benchmarks/README.md``).
``"pyshacl"`` (the reference; used for a remote endpoint)
    pySHACL validates an in-memory rdflib copy of the whole union graph (data plus ontology,
    which carries the subclass axioms ``sh:class`` needs without a reasoner).

Each finding is mapped back to the file that defines its focus node, so a curator knows which
file to open.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .namespaces import compact

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from .graph import KnowledgeGraph


@dataclass(frozen=True)
class Finding:
    """One SHACL result: which node broke which shape, and how."""

    severity: str
    focus: str
    shape: str
    path: str
    value: str
    message: str
    files: tuple[str, ...] = ()


@dataclass
class ValidationReport:
    """The outcome of :meth:`KnowledgeGraph.validate`: ``conforms`` and the findings."""

    conforms: bool
    findings: list[Finding] = field(default_factory=list)
    triples: int = 0

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    def __bool__(self) -> bool:
        return self.conforms

    def __repr__(self) -> str:
        if self.conforms:
            return f"<ValidationReport conforms: {self.triples} triples, {len(self.findings)} other findings>"
        v = len(self.violations)
        return f"<ValidationReport {v} violations, {len(self.findings) - v} other findings>"

    def _repr_html_(self) -> str:
        from html import escape

        return f"<pre>{escape(self.to_text())}</pre>"

    def grouped(self) -> dict[str, dict[str, list[Finding]]]:
        """Findings grouped by shape, then by focus node."""
        out: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
        for f in self.findings:
            out[f.shape][f.focus].append(f)
        return out

    def to_text(self) -> str:
        """The report ``ssegraph validate`` prints, grouped by shape and focus node."""
        if self.conforms and not self.findings:
            return f"conforms: {self.triples} triples, no violations\n"
        lines = []
        for shape, by_focus in sorted(self.grouped().items()):
            n = sum(len(v) for v in by_focus.values())
            lines.append(f"{shape} ({n})")
            for focus, findings in sorted(by_focus.items()):
                where = f"{', '.join(findings[0].files)}: " if findings[0].files else ""
                lines.append(f"  {where}{focus}")
                for f in findings:
                    path = f"{f.path}: " if f.path else ""
                    value = f" (value: {f.value})" if f.value and f.value != f.focus else ""
                    lines.append(f"    {f.severity}: {path}{f.message}{value}")
        summary = "conforms" if self.conforms else f"{len(self.violations)} violations"
        lines.append(f"\n{summary} in {self.triples} triples")
        return "\n".join(lines) + "\n"


ENGINES = ("store", "pyshacl")


def validate(kg: KnowledgeGraph, shapes: Path | None = None, *, engine: str | None = None) -> ValidationReport:
    """Validate the graph against ``ontology/shapes.ttl`` (or ``shapes``).

    ``engine`` is ``"store"`` (default where the graph has a local store) or ``"pyshacl"``
    (the whole graph in pySHACL; the default for a remote endpoint). Both give the same report.
    """
    from .errors import QueryError
    from .store import shapes_path

    shapes = shapes or shapes_path()
    if engine is None:
        engine = "store" if getattr(kg, "store", None) is not None else "pyshacl"
    if engine not in ENGINES:
        raise QueryError(f"unknown validation engine {engine!r}; valid: {', '.join(ENGINES)}")
    if engine == "store":
        if getattr(kg, "store", None) is None:
            raise QueryError("the 'store' validation engine needs a local store, not an endpoint")
        report = _validate_on_store(kg, Path(shapes))
    else:
        report = validate_graph(kg.to_rdflib(), shapes)
    if report.findings and getattr(kg, "store", None) is not None:
        report.findings = _with_files(kg, report.findings)
    return report


def _validate_on_store(kg: KnowledgeGraph, shapes: Path) -> ValidationReport:
    """The store engine: SPARQL finds the suspects, pySHACL judges them on an extract."""
    import rdflib

    from .shacl_sparql import suspects as find_suspects

    backend = kg.backend
    shapes_graph = _parse_shapes(shapes)
    try:
        suspects = find_suspects(
            lambda text: backend.store.query(text, use_default_graph_as_union=backend.union), shapes_graph)
    except SyntaxError as exc:  # a shape's own SPARQL that only pySHACL's prefix handling reads
        log.warning("the shapes could not all be run as SPARQL on the store (%s); "
                    "validating the whole graph with pySHACL instead", exc)
        return validate_graph(kg.to_rdflib(), shapes, shapes_graph=shapes_graph)
    triples = _triple_count(kg)
    if not suspects:
        return ValidationReport(True, [], triples)
    extract = _extract(kg, list(suspects), shapes_graph)
    report = validate_graph(extract, shapes, shapes_graph=shapes_graph)
    keep = {_short(_to_rdflib(t, rdflib)) for t in suspects}
    findings = [f for f in report.findings if f.focus in keep]
    conforms = not any(f.severity == "Violation" for f in findings)
    return ValidationReport(conforms, findings, triples)


def _triple_count(kg: KnowledgeGraph) -> int:
    """Distinct triples of the union graph, as ``len()`` of the rdflib copy counts them."""
    backend = kg.backend
    if not backend.union:
        return len(backend.store)
    rows = list(backend.store.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
                                    use_default_graph_as_union=True))
    return int(rows[0]["n"].value)


#: How many links out from a suspect the extract follows (a value's value's value): enough for a
#: path of three steps, or a nested shape (sh:node, sh:qualifiedValueShape) on a value's values.
EXTRACT_DEPTH = 3


def _extract(kg: KnowledgeGraph, focus: list[Any], shapes_graph: Any = None) -> Any:
    """An rdflib graph of what pySHACL needs to judge ``focus``.

    The suspects' triples and the triples pointing at them (with the types of what points at
    them); the triples of everything reachable from a suspect in :data:`EXTRACT_DEPTH` links;
    along the predicates the shapes use in ``oneOrMore``/``zeroOrMore`` paths, every step of the
    chain; along those used in inverse paths, the triples pointing at every node reached; and
    the ontology's ``rdfs:subClassOf`` axioms (for ``sh:class``). Whatever pySHACL then says
    about a node that is not a suspect is dropped (that node's data may be cut short).
    """
    import pyoxigraph as ox
    import rdflib

    store = kg.backend.store
    rdf_type = ox.NamedNode(str(rdflib.RDF.type))
    chains, inverse = _path_predicates(shapes_graph)
    seen: set[Any] = set()

    def add(quads: Any) -> list[Any]:
        got = [(q.subject, q.predicate, q.object) for q in quads]
        seen.update(got)
        return got

    add(store.quads_for_pattern(None, ox.NamedNode(str(rdflib.RDFS.subClassOf)), None))
    described: set[Any] = set()
    frontier = set()
    for node in focus:
        if isinstance(node, ox.Literal):
            add(store.quads_for_pattern(None, None, node))
            continue
        frontier.add(node)
        for s, _, _ in add(store.quads_for_pattern(None, None, node)):
            add(store.quads_for_pattern(s, rdf_type, None))
    for _ in range(EXTRACT_DEPTH + 1):
        following = set()
        for node in frontier - described:
            described.add(node)
            following.update(o for _, _, o in add(store.quads_for_pattern(node, None, None))
                             if not isinstance(o, ox.Literal))
            for p in inverse:
                following.update(s for s, _, _ in add(store.quads_for_pattern(None, p, node)))
        frontier = following - described
    stack = list(described)
    while stack and chains:  # whole chains along the */+ predicates (skos:broader up to the country)
        node = stack.pop()
        for p in chains:
            for _, _, o in add(store.quads_for_pattern(node, p, None)):
                if not isinstance(o, ox.Literal) and o not in described:
                    described.add(o)
                    add(store.quads_for_pattern(o, None, None))
                    stack.append(o)
    g = rdflib.Graph()
    for t in seen:
        g.add(tuple(_to_rdflib(x, rdflib) for x in t))
    return g


def _path_predicates(shapes_graph: Any) -> tuple[list[Any], list[Any]]:
    """The predicates the shapes follow transitively (``*``/``+`` paths) and backwards."""
    import pyoxigraph as ox
    import rdflib

    if shapes_graph is None:
        return [], []
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")

    def iris(pred: Any) -> list[Any]:
        return sorted({ox.NamedNode(str(o)) for o in shapes_graph.objects(None, pred) if isinstance(o, rdflib.URIRef)},
                      key=str)

    return iris(sh.zeroOrMorePath) + iris(sh.oneOrMorePath), iris(sh.inversePath)


def to_rdflib_term(term: Any) -> Any:
    """A pyoxigraph term as rdflib's, blank nodes keeping their store label (so reports agree)."""
    import rdflib

    return _to_rdflib(term, rdflib)


def _to_rdflib(term: Any, rdflib: Any) -> Any:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Triple):  # RDF-star: not in SHACL's scope; keep it opaque
        return rdflib.Literal(str(term))
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:  # a simple literal, as rdflib's N-Triples parser makes it
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _parse_shapes(shapes: Path) -> Any:
    import rdflib

    return rdflib.Graph().parse(str(shapes), format="turtle")


def validate_graph(data: Any, shapes: Path, *, shapes_graph: Any = None) -> ValidationReport:
    """Validate an rdflib graph against a shapes file with pySHACL (both engines end here)."""
    import pyshacl
    import rdflib
    from rdflib.namespace import SH

    if shapes_graph is None:
        shapes_graph = _parse_shapes(shapes)
    conforms, results, text = pyshacl.validate(
        data, shacl_graph=shapes_graph, advanced=True, allow_warnings=True, inference="none"
    )
    if not isinstance(results, rdflib.Graph):  # pySHACL reports a broken shapes file this way
        from .errors import SsegraphError

        raise SsegraphError(f"{shapes}: the shapes cannot be used: {' '.join(str(results).split())}")
    findings = []
    # The report's own results only: pySHACL also types as sh:ValidationResult the sh:detail of a
    # failed sh:node (the same fault seen from the value node, once per node that points at it).
    top = [r for report in results.subjects(rdflib.RDF.type, SH.ValidationReport)
           for r in results.objects(report, SH.result)]
    for r in top:
        def one(p, r=r):
            v = results.value(r, p)
            return v

        focus, shape = one(SH.focusNode), one(SH.sourceShape)
        path, value, msg, sev = one(SH.resultPath), one(SH.value), one(SH.resultMessage), one(SH.resultSeverity)
        shape_text = _short(shape) if isinstance(shape, rdflib.URIRef) else _parent_shape(shapes_graph, shape)
        findings.append(Finding(
            severity=_short(sev).split(":")[-1] if sev else "Violation",
            focus=_short(focus),
            shape=shape_text,
            path=_short(path) if isinstance(path, rdflib.URIRef) else "",
            value=_short(value) if value is not None else "",
            message=_compact_iris(str(msg)) if msg else "",
        ))
    findings.sort(key=lambda f: (f.shape, f.focus, f.path, f.message))
    return ValidationReport(bool(conforms), findings, len(data))


def _compact_iris(text: str) -> str:
    """Messages quote IRIs in full (``{?p}``); shorten them to the prefixes people read."""
    import re

    return re.sub(r"<?(https?://[^\s<>\"]+)>?", lambda m: compact(m.group(1)), text)


def _parent_shape(shapes_graph, node) -> str:
    """The named node shape a blank property shape belongs to, for readable reports."""
    import rdflib
    from rdflib.namespace import SH

    for parent in shapes_graph.subjects(SH.property, node):
        if isinstance(parent, rdflib.URIRef):
            return _short(parent)
    for pred in (SH["or"], SH.xone, SH["and"], SH["not"]):
        for lst in shapes_graph.subjects(rdflib.RDF.first, node):
            for parent in shapes_graph.subjects(pred, lst):
                if isinstance(parent, rdflib.URIRef):
                    return _short(parent)
    return "shape"


def _short(term) -> str:
    if term is None:
        return ""
    text = str(term)
    if text.startswith("https://w3id.org/ssegraph/shapes#"):
        return "shp:" + text.split("#", 1)[1]
    if text.startswith("http://www.w3.org/ns/shacl#"):
        return "sh:" + text.split("#", 1)[1]
    return compact(text) if text.startswith(("http", "urn")) else text


def _with_files(kg: KnowledgeGraph, findings: list[Finding]) -> list[Finding]:
    """The findings, each with the files that define its focus node (one pass over the files)."""
    from .describe import display_path
    from .namespaces import PREFIXES
    from .store import defining_files

    def iri(focus: str) -> str:
        prefix, _, local = focus.partition(":")
        return PREFIXES[prefix] + local if prefix in PREFIXES else focus

    iris = {iri(f.focus) for f in findings if iri(f.focus).startswith(("http", "urn", "file"))}
    files = defining_files(kg.files, iris)
    return [
        Finding(f.severity, f.focus, f.shape, f.path, f.value, f.message,
                tuple(sorted(display_path(p) for p in files.get(iri(f.focus), ()))))
        for f in findings
    ]
