"""SHACL shapes compiled to SPARQL queries that find the focus nodes which may break them.

Why: pySHACL walks an in-memory rdflib copy of the whole graph, node by node in Python; at
300,000 triples that took 68 times as long as building the store. Oxigraph answers a handful of
set-at-a-time queries over the same data in about a second. So :func:`suspects` compiles every
shape of the shapes graph, generically from the SHACL vocabulary, into queries that return the
focus nodes that *may* violate it, runs them on the store that already exists, and
:mod:`ssegraph.validate` then lets pySHACL write the report for those nodes only (on a small
extract of the graph around them). pySHACL stays the judge of every finding, so messages,
severities and paths are pySHACL's own.

The compilation is conservative: a constraint it does not know (or cannot say in SPARQL) marks
every focus node of its shape as a suspect. The cost of an unknown constraint is time, never a
missed violation. Known, exactly: targets (class with ``rdfs:subClassOf*``, node, subjects-of,
objects-of, ``sh:SPARQLTarget``); property paths (predicate, inverse, sequence, alternative,
zero-or-more, one-or-more, zero-or-one); ``minCount``, ``maxCount``, ``datatype`` (with
ill-formed lexical forms), ``class``, ``nodeKind``, ``in``, ``hasValue``, ``languageIn``,
``uniqueLang``, ``pattern``, ``minLength``/``maxLength``, the four range bounds,
``lessThan(OrEquals)``, ``equals``, ``disjoint``, ``node``, ``and``, ``or``, ``not``, ``xone``,
qualified value shapes, and SPARQL constraints (``sh:sparql``) on node shapes.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["Plan", "compile_shapes", "suspects"]

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"

#: A pattern that always matches: "every focus node is a suspect".
ALWAYS = ""


class _Standalone(Exception):  # noqa: N818 - a signal, not an error
    """A SPARQL target that cannot be nested (it has its own PREFIX): it runs as its own query."""

    def __init__(self, query: str):
        super().__init__(query)
        self.query = query

#: Datatypes whose lexical form Oxigraph can check (a cast to the datatype fails when ill-formed).
_CASTABLE = {XSD + d for d in ("date", "dateTime", "gYear", "gYearMonth", "integer", "decimal",
                               "double", "float", "boolean", "time", "duration")}

#: Shape predicates that are no constraint (or a parameter read with another one).
_NOT_CONSTRAINTS = {SH + p for p in (
    "path", "message", "severity", "name", "description", "order", "group", "deactivated",
    "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target", "prefixes",
    "declare", "defaultValue", "qualifiedValueShapesDisjoint", "qualifiedMinCount",
    "qualifiedMaxCount", "flags", "ignoredProperties", "property", "sparql")} | {
    RDF + "type", RDFS + "comment", RDFS + "label", RDFS + "seeAlso", RDFS + "isDefinedBy"}


def _iri(term: Any) -> str:
    return f"<{term}>"


class _Compiler:
    """Walks an rdflib shapes graph; each method returns SPARQL text."""

    def __init__(self, sg: Any, subclasses: dict[str, set[str]] | None = None):
        import rdflib

        self.g, self.rdflib = sg, rdflib
        self.counter = itertools.count()
        self.subclasses = subclasses

    def instances(self, v: str, cls: Any) -> str:
        """A pattern: ``v`` is a SHACL instance of ``cls`` (``rdf:type/rdfs:subClassOf*``).

        With the data's subclass axioms known beforehand, the closure is a VALUES list: a
        plain type lookup, several times faster on Oxigraph than the property path.
        """
        if self.subclasses is None:
            return f"{v} <{RDF}type>/<{RDFS}subClassOf>* {_iri(cls)}"
        closure = sorted({str(cls)} | self.subclasses.get(str(cls), set()))
        if len(closure) == 1:
            return f"{v} <{RDF}type> {_iri(closure[0])}"
        c = self.var("k")
        return f"VALUES {c} {{ {' '.join(_iri(x) for x in closure)} }} {v} <{RDF}type> {c}"

    # -- helpers ---------------------------------------------------------------------------
    def var(self, stem: str = "v") -> str:
        return f"?_{stem}{next(self.counter)}"

    def value(self, node: Any, pred: str) -> Any:
        return self.g.value(node, self.rdflib.URIRef(pred))

    def values(self, node: Any, pred: str) -> list[Any]:
        return list(self.g.objects(node, self.rdflib.URIRef(pred)))

    def items(self, lst: Any) -> list[Any]:
        from rdflib.collection import Collection

        return list(Collection(self.g, lst))

    def term(self, t: Any) -> str | None:
        """A constant in SPARQL syntax, or None for a blank node (not sayable)."""
        if isinstance(t, self.rdflib.BNode):
            return None
        if isinstance(t, self.rdflib.URIRef):
            return _iri(t)
        return t.n3()

    def path(self, p: Any) -> str | None:
        """A SHACL property path as a SPARQL property path, or None if unknown."""
        rdflib = self.rdflib
        if isinstance(p, rdflib.URIRef):
            return _iri(p)
        if (self.value(p, RDF + "first")) is not None:
            parts = [self.path(x) for x in self.items(p)]
            return None if None in parts or not parts else "(" + "/".join(parts) + ")"  # type: ignore[arg-type]
        for pred, fmt in ((SH + "inversePath", "^{}"), (SH + "zeroOrMorePath", "{}*"),
                          (SH + "oneOrMorePath", "{}+"), (SH + "zeroOrOnePath", "{}?")):
            inner = self.value(p, pred)
            if inner is not None:
                sub = self.path(inner)
                return None if sub is None else "(" + fmt.format(sub) + ")"
        alt = self.value(p, SH + "alternativePath")
        if alt is not None:
            parts = [self.path(x) for x in self.items(alt)]
            return None if None in parts or not parts else "(" + "|".join(parts) + ")"  # type: ignore[arg-type]
        return None

    @staticmethod
    def exists(patterns: list[str]) -> str:
        """A SPARQL expression true when any pattern matches (false for none)."""
        if not patterns:
            return "false"
        return "(" + " || ".join(f"EXISTS {{ {p} }}" for p in patterns) + ")"

    # -- shapes ---------------------------------------------------------------------------
    def violations(self, shape: Any, x: str, depth: int = 0, top: bool = False) -> list[Any]:
        """Patterns, one per constraint, that match when the node in ``x`` may break ``shape``.

        With ``top`` (a shape's own constraints on ``?this``), a check that can find its
        offenders without the target is returned as ``("free", pattern)`` (the pattern binds
        ``?this`` itself) or ``("absent", pattern)`` (the offenders are the focus nodes the
        pattern does not bind): the store then scans a predicate once instead of looking up
        every focus node, several times faster. Plain strings need ``?this`` bound.
        """
        if depth > 8:
            return [ALWAYS]  # recursive shapes: give up, conservatively
        if str(self.value(shape, SH + "deactivated")).lower() == "true":
            return []
        out: list[str] = []
        path_node = self.value(shape, SH + "path")
        if path_node is not None:
            path = self.path(path_node)
            if path is None:
                return [ALWAYS]
            out += self.property_checks(shape, x, path, depth, top)
        else:
            out += self.value_checks(shape, x, depth)
            for pred, obj in self.g.predicate_objects(shape):
                p = str(pred)
                if p == SH + "hasValue":
                    t = self.term(obj)
                    out.append(ALWAYS if t is None else f"FILTER(!sameTerm({x}, {t}))")
                elif p.startswith(SH) and p not in _NOT_CONSTRAINTS | _VALUE_PARAMS | {SH + "closed"}:
                    out.append(ALWAYS)  # a node-level constraint this compiler does not know
        for prop in self.values(shape, SH + "property"):
            if path_node is None:
                out += self.violations(prop, x, depth + 1, top=top)
            else:  # a property shape's own sh:property applies to its values
                v = self.var()
                out += [f"{x} {path} {v} . {p}" for p in self.violations(prop, v, depth + 1)]
        if self.values(shape, SH + "sparql"):
            out.append(ALWAYS)  # nested SPARQL constraints; top-level ones are compiled apart
        if str(self.value(shape, SH + "closed")).lower() == "true":
            out.append(ALWAYS)
        return out

    def property_checks(self, shape: Any, x: str, path: str, depth: int, top: bool = False) -> list[Any]:
        g = self.g
        out: list[Any] = []
        known = set(_NOT_CONSTRAINTS) | {SH + "closed"}
        v = self.var()

        def free(pattern: str) -> Any:
            return ("free", pattern) if top else pattern

        for check in self.value_checks(shape, v, depth, top):
            out.append(free(f"{x} {path} {v} . {check}"))
        known |= _VALUE_PARAMS
        for pred, obj in g.predicate_objects(shape):
            p = str(pred)
            if p in known:
                continue
            if p == SH + "minCount":
                n = int(obj)
                if n >= 1 and top:
                    out.append(("absent", self.counted(path, ">=", n)))
                elif n == 1:
                    out.append(f"FILTER NOT EXISTS {{ {x} {path} {self.var()} }}")
                elif n > 1:
                    out.append(f"FILTER NOT EXISTS {{ {self.distinct_values(x, path, n)} }}" if n <= 4 else ALWAYS)
            elif p == SH + "maxCount":
                n = int(obj)
                if top:
                    out.append(("free", self.counted(path, ">", n)))
                else:
                    out.append(self.distinct_values(x, path, n + 1) if n <= 3 else ALWAYS)
            elif p == SH + "uniqueLang":
                if str(obj).lower() == "true":
                    a, b = self.var(), self.var()
                    if top:
                        out.append(("free", f"{{ SELECT ?this WHERE {{ ?this {path} {a} FILTER(lang({a}) != \"\") }} "
                                            f"GROUP BY ?this (LCASE(lang({a}))) HAVING (COUNT(DISTINCT {a}) > 1) }}"))
                    else:
                        out.append(f"{x} {path} {a} . {x} {path} {b} . FILTER(!sameTerm({a}, {b}) && "
                                   f"lang({a}) != \"\" && LCASE(lang({a})) = LCASE(lang({b})))")
            elif p == SH + "hasValue":
                t = self.term(obj)
                out.append(ALWAYS if t is None else f"FILTER NOT EXISTS {{ {x} {path} {t} }}")
            elif p == SH + "qualifiedValueShape":
                out += self.qualified(shape, obj, x, path, depth, top)
            elif p in (SH + "lessThan", SH + "lessThanOrEquals"):
                op = "<" if p == SH + "lessThan" else "<="
                a, b = self.var(), self.var()
                out.append(free(f"{x} {path} {a} . {x} {_iri(obj)} {b} . FILTER(!COALESCE({a} {op} {b}, false))"))
            elif p == SH + "equals":
                a = self.var()
                out.append(f"{{ {x} {path} {a} FILTER NOT EXISTS {{ {x} {_iri(obj)} {a} }} }} UNION "
                           f"{{ {x} {_iri(obj)} {a} FILTER NOT EXISTS {{ {x} {path} {a} }} }}")
            elif p == SH + "disjoint":
                a = self.var()
                out.append(free(f"{x} {path} {a} . {x} {_iri(obj)} {a}"))
            else:
                out.append(ALWAYS)  # a constraint this compiler does not know
        return out

    def counted(self, path: str, op: str, n: int) -> str:
        """A sub-select of the nodes ``?this`` with ``op n`` distinct values on ``path``."""
        v = self.var()
        return (f"{{ SELECT ?this WHERE {{ ?this {path} {v} }} GROUP BY ?this "
                f"HAVING (COUNT(DISTINCT {v}) {op} {n}) }}")

    def distinct_values(self, x: str, path: str, n: int) -> str:
        """A pattern matching when ``x`` has at least ``n`` distinct values on ``path``."""
        vs = [self.var() for _ in range(n)]
        triples = " . ".join(f"{x} {path} {v}" for v in vs)
        if n < 2:
            return triples
        pairs = " && ".join(f"!sameTerm({a}, {b})" for a, b in itertools.combinations(vs, 2))
        return f"{triples} . FILTER({pairs})"

    def qualified(self, shape: Any, q: Any, x: str, path: str, depth: int, top: bool = False) -> list[Any]:
        if str(self.value(shape, SH + "qualifiedValueShapesDisjoint")).lower() == "true":
            return [ALWAYS]
        out = []
        lo, hi = self.value(shape, SH + "qualifiedMinCount"), self.value(shape, SH + "qualifiedMaxCount")

        def conforming(v: str) -> str:
            return f"{x} {path} {v} . FILTER(!{self.exists(self.violations(q, v, depth + 1))})"

        if lo is not None and int(lo) > 0:
            if int(lo) == 1 and top:
                out.append(("absent", conforming(self.var())))
            elif int(lo) == 1:
                out.append(f"FILTER NOT EXISTS {{ {conforming(self.var())} }}")
            else:
                out.append(ALWAYS)
        if hi is not None:
            n = int(hi) + 1
            if n <= 3:
                vs = [self.var() for _ in range(n)]
                parts = " . ".join(conforming(v) for v in vs)
                pairs = " && ".join(f"!sameTerm({a}, {b})" for a, b in itertools.combinations(vs, 2)) or "true"
                out.append(f"{parts} . FILTER({pairs})")
            else:
                out.append(ALWAYS)
        return out

    def value_checks(self, shape: Any, v: str, depth: int, top: bool = False) -> list[str]:
        """Patterns matching when the value node in ``v`` breaks a value constraint of ``shape``.

        With ``top`` the value is bound by the pattern before it, so a class check can be a
        MINUS (an anti-join Oxigraph runs set-at-a-time) rather than a lookup per value.
        """
        g, out = self.g, []
        for pred, obj in g.predicate_objects(shape):
            p = str(pred)
            if p == SH + "datatype":
                if str(obj) == RDF + "langString":
                    out.append(f"FILTER(!isLiteral({v}) || lang({v}) = \"\")")
                else:
                    out.append(f"FILTER(!isLiteral({v}) || datatype({v}) != {_iri(obj)})")
                    if str(obj) in _CASTABLE:
                        c = self.var("c")
                        out.append(f"BIND({_iri(obj)}({v}) AS {c}) FILTER(isLiteral({v}) && "
                                   f"datatype({v}) = {_iri(obj)} && !BOUND({c}))")
            elif p == SH + "class":
                out.append(f"MINUS {{ {self.instances(v, obj)} }}" if top
                           else f"FILTER NOT EXISTS {{ {self.instances(v, obj)} }}")
            elif p == SH + "nodeKind":
                kinds = {"IRI": f"isIRI({v})", "BlankNode": f"isBlank({v})", "Literal": f"isLiteral({v})",
                         "BlankNodeOrIRI": f"!isLiteral({v})", "BlankNodeOrLiteral": f"!isIRI({v})",
                         "IRIOrLiteral": f"!isBlank({v})"}
                test = kinds.get(str(obj).rsplit("#", 1)[-1])
                out.append(ALWAYS if test is None else f"FILTER(!({test}))")
            elif p == SH + "in":
                terms = [self.term(t) for t in self.items(obj)]
                if None in terms:
                    out.append(ALWAYS)
                else:
                    alts = " || ".join(f"sameTerm({v}, {t})" for t in terms) or "false"
                    out.append(f"FILTER(!({alts}))")
            elif p == SH + "languageIn":
                tags = [str(t) for t in self.items(obj)]
                alts = " || ".join(f"langMatches(lang({v}), \"{t}\")" for t in tags) or "false"
                out.append(f"FILTER(!isLiteral({v}) || !({alts}))")
            elif p == SH + "pattern":
                flags = self.value(shape, SH + "flags")
                pat = self.rdflib.Literal(str(obj)).n3()
                fl = f", {self.rdflib.Literal(str(flags)).n3()}" if flags is not None else ""
                out.append(f"FILTER(isBlank({v}) || !REGEX(STR({v}), {pat}{fl}))")
            elif p in (SH + "minLength", SH + "maxLength"):
                op = "<" if p == SH + "minLength" else ">"
                out.append(f"FILTER(isBlank({v}) || STRLEN(STR({v})) {op} {int(obj)})")
            elif p in _RANGES:
                t = self.term(obj)
                out.append(f"FILTER(!COALESCE({v} {_RANGES[p]} {t}, false))")
            elif p == SH + "node":
                out += self.violations(obj, v, depth + 1)
            elif p == SH + "and":
                for member in self.items(obj):
                    out += self.violations(member, v, depth + 1)
            elif p == SH + "or":
                members = [self.exists(self.violations(m, v, depth + 1)) for m in self.items(obj)]
                if members and "false" not in members:
                    out.append("FILTER(" + " && ".join(members) + ")")
            elif p == SH + "not":
                out.append(f"FILTER(!{self.exists(self.violations(obj, v, depth + 1))})")
            elif p == SH + "xone":
                members = [self.exists(self.violations(m, v, depth + 1)) for m in self.items(obj)]
                count = " + ".join(f"IF({m}, 0, 1)" for m in members) or "0"
                out.append(f"FILTER(({count}) != 1)")
        return out

    # -- targets --------------------------------------------------------------------------
    def target(self, shape: Any) -> str | None:
        """A group binding ``?this`` to every focus node of ``shape``; None when it has none."""
        rdflib = self.rdflib
        alts = []
        classes = self.values(shape, SH + "targetClass")
        if (shape, rdflib.RDF.type, rdflib.RDFS.Class) in self.g or \
                (shape, rdflib.RDF.type, rdflib.OWL.Class) in self.g:
            classes.append(shape)
        for c in classes:
            alts.append(self.instances("?this", c))
        for n in self.values(shape, SH + "targetNode"):
            t = self.term(n)
            if t is not None:  # a blank node of the shapes graph is never a node of the data
                alts.append(f"VALUES ?this {{ {t} }}")
        for p in self.values(shape, SH + "targetSubjectsOf"):
            alts.append(f"?this {_iri(p)} {self.var('t')}")
        for p in self.values(shape, SH + "targetObjectsOf"):
            alts.append(f"{self.var('t')} {_iri(p)} ?this")
        for t in self.values(shape, SH + "target"):
            select = self.value(t, SH + "select")
            if select is None:
                continue  # a target type this compiler does not know: pySHACL would not use it either
            if re.search(r"\b(PREFIX|BASE)\b", str(select), re.IGNORECASE):
                raise _Standalone(str(select))  # cannot be a sub-select: run alone, all its nodes suspects
            alts.append(f"{{ {str(select)} }}")
        if not alts:
            return None
        union = " UNION ".join(f"{{ {a} }}" for a in alts)
        return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"

    def is_target(self, shape: Any) -> str | None:
        """A FILTER that keeps ``?this`` when it is a focus node of ``shape``: checked only for
        the few nodes a free check answers, instead of listing every focus node. None when a
        target cannot be tested node by node (a SPARQL target)."""
        if self.values(shape, SH + "target") or self.values(shape, SH + "targetNode"):
            return None
        target = self.target(shape)
        if target is None:
            return None
        inner = target[len("{ SELECT DISTINCT ?this WHERE { "):-len(" } }")]
        return f"FILTER EXISTS {{ {inner} }}"

    def sparql_constraints(self, shape: Any) -> list[str]:
        """Top-level SPARQL constraints as patterns on ``?this`` (``$this`` pre-bound by the join)."""
        out = []
        for c in self.values(shape, SH + "sparql"):
            if str(self.value(c, SH + "deactivated")).lower() == "true":
                continue
            select = self.value(c, SH + "select")
            text = str(select) if select is not None else ""
            if not text or re.search(r"\b(PREFIX|BASE)\b|\$PATH\b", text, re.IGNORECASE):
                out.append(ALWAYS)
                continue
            out.append(("free", "{ " + re.sub(r"\$this\b", "?this", text) + " }"))
        return out

    def prefixes(self) -> str:
        """PREFIX lines for every ``sh:declare`` of the shapes graph (what ``sh:prefixes`` names)."""
        lines = {}
        for decl in self.g.objects(None, self.rdflib.URIRef(SH + "declare")):
            prefix, ns = self.value(decl, SH + "prefix"), self.value(decl, SH + "namespace")
            if prefix is not None and ns is not None:
                lines[str(prefix)] = f"PREFIX {prefix}: <{ns}>"
        return "\n".join(lines.values()) + "\n"


_RANGES = {SH + "minInclusive": ">=", SH + "minExclusive": ">", SH + "maxInclusive": "<=",
           SH + "maxExclusive": "<"}
_VALUE_PARAMS = {SH + p for p in (
    "datatype", "class", "nodeKind", "in", "languageIn", "pattern", "minLength", "maxLength",
    "minInclusive", "minExclusive", "maxInclusive", "maxExclusive", "node", "and", "or", "not",
    "xone")}


#: The data's subclass axioms, read once before compiling (see :meth:`_Compiler.instances`).
SUBCLASS_QUERY = f"SELECT DISTINCT ?sub ?sup WHERE {{ ?sub <{RDFS}subClassOf>+ ?sup }}"


def compile_shapes(shapes_graph: Any, subclasses: dict[str, set[str]] | None = None) -> tuple[str, list[Plan]]:
    """Compile a shapes graph (rdflib) to ``(prologue, plans)``, one :class:`Plan` per shape.

    Together the plans find every focus node that breaks a shape (see the module docstring).
    ``subclasses`` maps a class IRI to all its subclasses in the data (from
    :data:`SUBCLASS_QUERY`); without it the queries use ``rdf:type/rdfs:subClassOf*``.
    """
    import rdflib

    comp = _Compiler(shapes_graph, subclasses)
    sh = rdflib.Namespace(SH)
    shapes = set(shapes_graph.subjects(rdflib.RDF.type, sh.NodeShape))
    shapes |= set(shapes_graph.subjects(rdflib.RDF.type, sh.PropertyShape))
    for pred in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target"):
        shapes |= set(shapes_graph.subjects(sh[pred], None))
    plans = []
    for shape in sorted(shapes, key=str):
        if str(comp.value(shape, SH + "deactivated")).lower() == "true":
            continue
        try:
            target = comp.target(shape)
        except _Standalone as alone:
            plans.append(Plan(str(shape), [alone.query]))
            continue
        if target is None:
            continue  # no focus nodes: nothing to check
        checks = comp.violations(shape, "?this", top=True) + comp.sparql_constraints(shape)
        if ALWAYS in checks:
            checks = [ALWAYS]
        queries = []
        for check in dict.fromkeys(checks):
            if isinstance(check, tuple) and check[0] == "free":
                keep = comp.is_target(shape) or target
                queries.append(f"SELECT DISTINCT ?this WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {check[1]} }} }} "
                               f"{keep} }}")
            elif isinstance(check, tuple):
                queries.append(f"SELECT DISTINCT ?this WHERE {{ {target} MINUS {{ {check[1]} }} }}")
            else:
                queries.append(f"SELECT DISTINCT ?this WHERE {{ {target} {check} }}")
        plans.append(Plan(str(shape), queries))
    return comp.prefixes(), plans


@dataclass(frozen=True)
class Plan:
    """The queries that find the suspects of one shape; each answers only suspects, so few
    rows cross into Python (building a row costs more than Oxigraph's work to find it)."""

    shape: str
    checks: list[str]


def suspects(select: Any, shapes_graph: Any) -> set[Any]:
    """The focus nodes that may break a shape of ``shapes_graph`` (rdflib).

    ``select(text)`` runs a SELECT query on the data and yields rows indexable by variable.
    """
    subclasses: dict[str, set[str]] = {}
    for row in select(SUBCLASS_QUERY):
        subclasses.setdefault(row["sup"].value, set()).add(row["sub"].value)
    prologue, plans = compile_shapes(shapes_graph, subclasses)
    found: set[Any] = set()
    for plan in plans:
        for query in plan.checks:
            found.update(row["this"] for row in select(prologue + query))
    return found
