"""Projection: the RDF graph as a ``networkx.MultiDiGraph`` that Gephi, Cytoscape and yEd open.

RDF and network tools disagree on what a node is. In the store, a year, a country code and a
label are nodes as much as an organisation is; in Gephi they would turn the network into a
hairball of strings. So the projection keeps as nodes only the *entities* (organisations,
people, policy milestones, events, places), turns literals into node attributes, and folds the
n-ary nodes of the vocabulary contract into edges that carry their facts. Which nodes fold, and
how, is data: the :data:`ssegraph.model.FOLDS` records, from which every query below is
generated, for the whole graph and for a selection alike (so an ego network carries exactly the
attributes the whole graph gives the same nodes and edges):

* an ``org:Membership`` becomes one edge member → organisation with ``role``, ``start``,
  ``end`` and ``sources`` (and its shortcut triple ``org:memberOf``/``sse:observerOf`` is not
  drawn a second time);
* a ``cv:Participation`` becomes one edge participant → event with its ``role`` and the
  organisation represented (``on_behalf_of``);
* an ``org:Post`` held by a person becomes person → organisation (unless a dated tenure, an
  ``org:Membership`` with ``sse:viaPost``, already says so);
* an ``org:Site`` becomes organisation → place ("based in") when the place is a node.

Everything is read through SPARQL (:meth:`ssegraph.KnowledgeGraph.query`), a dozen bulk queries
whatever the size of the graph, so that the same code runs on the embedded store and on a remote
endpoint. Results come back as SPARQL TSV (see :func:`_parse_tsv`), which Oxigraph writes and a
split per line reads several times faster than term objects can be built one by one. An ego network
(``focus``) is computed in the store, one frontier query per step with the frontier bound in a
``VALUES`` block, so a small selection never loads the whole graph.

Every node and edge has the same attributes, all strings, with ``""`` for "not known": a
GraphML key, a GEXF attribute or a CSV column then has one type, and no tool meets a None.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from . import model
from .errors import NotFoundError, QueryError
from .namespaces import PREFIXES
from .namespaces import compact as _compact

if TYPE_CHECKING:
    import networkx as nx

    from .graph import KnowledgeGraph

log = logging.getLogger(__name__)

__all__ = ["EDGE_ATTRIBUTES", "NODE_ATTRIBUTES", "TYPES", "parse_types", "project"]


_COMPACT: dict[str, str] = {}


def compact(iri: str) -> str:
    """:func:`ssegraph.namespaces.compact`, memoised: a projection compacts every IRI often."""
    try:
        return _COMPACT[iri]
    except KeyError:
        if len(_COMPACT) > 1_000_000:
            _COMPACT.clear()
        short = _COMPACT[iri] = _compact(iri)
        return short


def _x(curie: str) -> str:
    prefix, local = curie.split(":", 1)
    return PREFIXES[prefix] + local

# Everything the projection knows about the vocabulary comes from ssegraph.model: the entity
# kinds (classes, names, colours), the label rule, the relation families and the n-ary folds.
#: The node types (kind keys), in the order that decides the kind of an entity of several.
TYPES: tuple[str, ...] = tuple(k.key for k in model.KINDS)

_KIND_OF_CLASS = {c: k.key for k in model.KINDS for c in k.classes}

#: Node attributes, in the order writers list them. All strings; ``""`` when not known.
#: ``type`` and ``kind`` are both the kind key (``type`` for Cytoscape and old readers);
#: ``short`` is the identifying short label (acronym, symbol, short title and year);
#: ``colour`` the kind's colour in the model's palette.
NODE_ATTRIBUTES: tuple[str, ...] = (
    "label", "name", "short", "type", "kind", "colour", "iri", "acronym", "country", "date",
    "start", "end", "founded", "symbol", "sources",
)
#: Edge attributes. ``via`` is the n-ary node (Membership, Participation, Post, Site) the edge
#: stands for; ``sources`` (not ``source``, which node-link JSON and Cytoscape use for the
#: source node) holds the source URLs of that node; ``family`` is the relation family of the
#: model and ``colour`` its colour; then each fold's extra attributes (``on_behalf_of``).
EDGE_ATTRIBUTES: tuple[str, ...] = (
    "id", "label", "interaction", "predicate", "family", "colour", "role", "start", "end",
    "sources", "via",
    *dict.fromkeys(attr for f in model.FOLDS for attr, _ in f.attributes),
)

_LITERAL_PROPS = " ".join(f"<{p}>" for p in dict.fromkeys(
    (*model.LABEL_PROPERTIES, model.ACRONYM, model.SYMBOL, *model.DATE_PROPERTIES,
     _x("schema:endDate"))))
#: literal property -> node attribute, for the kinds that have it (first listed wins)
_SCALARS: dict[str, tuple[str, str]] = {
    model.SYMBOL: ("symbol", "milestone"),
    _x("schema:foundingDate"): ("founded", "organisation"),
    _x("eli:date_document"): ("date", "milestone"),
    _x("dcterms:date"): ("date", "milestone"),
    _x("schema:startDate"): ("start", "event"),
    _x("schema:endDate"): ("end", "event"),
}
_SCALAR_RANK = {p: i for i, p in enumerate(_SCALARS)}
_DATE_PROPS = "time:inXSDDate time:inXSDgYearMonth time:inXSDgYear time:inXSDDateTimeStamp"
_PROV = "prov:wasDerivedFrom|prov:hadPrimarySource"


def _path_predicates(path: str) -> list[str]:
    """The predicates (CURIEs) of a fold's property path: ``^a|b`` → ``[a, b]``."""
    return [step.strip().lstrip("^") for step in path.split("|") if step.strip()]


#: Predicates that never link two entities. They are left out of the direct-edge and frontier
#: queries; the links of the folds are among them, since the folds draw those ties themselves.
_NOT_EDGES = tuple(dict.fromkeys((
    "rdf:type", "prov:wasDerivedFrom", "prov:hadPrimarySource", "org:classification",
    "foaf:homepage", "eli:type_document", "dcterms:subject", "eli:is_about",
    "sse:participantCount", "sse:confidence", "time:hasBeginning", "time:hasEnd",
    "skos:inScheme", "skos:topConceptOf", "skos:hasTopConcept", "schema:url", "org:roleProperty",
    "rdfs:subPropertyOf", "rdfs:subClassOf", "rdfs:domain", "rdfs:range",
    "prov:qualifiedAttribution", "schema:valueReference", "eli:jurisdiction", "org:siteAddress",
    *(p for f in model.FOLDS for path in (f.source, f.role, f.dates, f.yields_to,
                                          *(a for _, a in f.attributes))
      for p in _path_predicates(path)),
    # a fold's target link, when its node has a class of its own; a Site's
    # schema:containedInPlace also ties a place to a bigger place, so it stays an edge
    *(p for f in model.FOLDS if f.cls for p in _path_predicates(f.target)),
    *(compact(p) for p in model.LABEL_PROPERTIES), compact(model.ACRONYM),
    *(compact(p) for p in _SCALARS),
)))
_NOT_EDGE_IRIS = frozenset(_x(p) for p in _NOT_EDGES)
_NOT_EDGES_SPARQL = ", ".join(_NOT_EDGES)

#: Readable edge labels: the model's table (kept here under its old name for importers).
PREDICATE_LABELS = model.PREDICATE_LABELS

_COUNTRY_CLASS = _x("schema:Country")
_COUNTRY_NS = PREFIXES["country"]

#: Above this many nodes, restricted queries fetch everything and filter in Python instead of
#: sending a VALUES block (both are bulk; a huge VALUES block only costs parsing).
RESTRICT_LIMIT = 2000
#: Frontier nodes per ego-network query.
FRONTIER_CHUNK = 500


def parse_types(types: str | Iterable[str] | None) -> tuple[str, ...]:
    """Normalise a ``--types`` selection to kind keys (:func:`ssegraph.model.parse_kinds`).

    Examples
    --------
    >>> parse_types("organisations,events")
    ('organisation', 'event')
    >>> parse_types(["people", "organization"])
    ('person', 'organisation')
    """
    return model.parse_kinds(types)


_ALT = _x("skos:altLabel")
_ACRONYM_PROPS = (model.ACRONYM, _ALT)
_BEGIN = _x("time:hasBeginning")


def project(
    kg: KnowledgeGraph,
    *,
    types: str | Iterable[str] | None = None,
    focus: str | None = None,
    depth: int = 1,
    construct: str | None = None,
    lang: str = "en",
) -> nx.MultiDiGraph:
    """Project the knowledge graph to a ``networkx.MultiDiGraph`` of its entities.

    Nodes are identified by their compact IRI (``id:untfsse``) and carry the attributes of
    :data:`NODE_ATTRIBUTES`; edges are keyed by their stable ``id`` and carry
    :data:`EDGE_ATTRIBUTES`. See the module docstring for how memberships, participations,
    posts and sites become edges.

    Parameters
    ----------
    kg:
        The graph to read (embedded store or remote endpoint; only SPARQL is used).
    types:
        Keep only these kinds of entity (``"organisations,events"`` or a list); default all.
        With ``focus``, the filter applies to the neighbours: the focus itself always stays.
    focus:
        Keep the ego network of this entity (IRI, prefixed name, label or acronym): the
        entities at most ``depth`` edges away in either direction, and the edges among them.
    depth:
        How many steps out from ``focus`` (0 keeps the focus alone).
    construct:
        The text of a SPARQL CONSTRUCT (or DESCRIBE) query: the entities named in its result
        are the nodes; the edges are those of the projection among them. Combines with
        ``focus`` (the ego network inside that subgraph) and ``types``.
    lang:
        Preferred language of labels and roles; falls back to English, then to any.

    Returns
    -------
    networkx.MultiDiGraph
        Possibly empty (a selection that matches nothing is not an error here; the CLI
        reports it).

    Raises
    ------
    NotFoundError
        Unknown type, or a focus that matches no entity (close matches listed) or names
        something that is not an entity.
    QueryError
        ``construct`` is not a CONSTRUCT/DESCRIBE query, or is malformed.

    Examples
    --------
    >>> import ssegraph
    >>> G = ssegraph.load().to_networkx(focus="UNTFSSE", depth=1)
    >>> G.nodes["id:untfsse"]["type"]
    'organisation'
    """
    if depth < 0:
        raise QueryError(f"depth must be 0 or more, not {depth}")
    with _collector_paused():
        return _Projection(kg, parse_types(types), (lang or "en").strip().lower()).run(
            focus=focus, depth=depth, construct=construct)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a graph is built.

    A projection allocates millions of small dicts, tuples and strings that all live on in the
    graph; every full collection walks all of them again, so the collector's share grows with
    the graph (at a million triples: 9–10.5 s with it, 7.8 s without). Nothing built here is
    garbage before the graph itself is dropped, so pausing loses nothing.
    """
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# -- SPARQL ---------------------------------------------------------------------------------
# Oxigraph plans a VALUES block well when it opens the group that uses it, and badly when it
# sits after a UNION, inside an OPTIONAL, or next to a second VALUES block (measured at 1M
# triples: milliseconds against seconds or minutes). So every query below puts its one
# restriction {r} first in each branch; {pin} pins ?p to a list of predicates, as a VALUES
# block when nothing else binds (the predicate index is then the fast way in) and as a FILTER
# when {r} already binds the subjects. {r} is empty for the whole graph: one template serves
# the whole graph and a selection alike, and the fold queries are generated from
# ssegraph.model.FOLDS, so both read exactly the same facts.

_Q_TYPES = "SELECT ?s ?c WHERE {{ {r} ?s a ?c . FILTER(?c IN ({classes})) }}"
_Q_TYPES_ALL = "SELECT ?s ?c WHERE {{ VALUES ?c {{ {classes} }} ?s a ?c }}"


def _steps(path: str) -> list[str]:
    """The alternatives of a fold path (``org:heldBy|^org:holds`` → both), each its own UNION
    branch: Oxigraph evaluates an alternation path inside a UNION for the whole store."""
    return [step.strip() for step in path.split("|") if step.strip()]


def _fold_branches(template: str) -> str:
    """One UNION branch per fold and path alternative, ``template`` formatted with the paths."""
    return "\n  UNION ".join("{{ " + template.format(source=src, target=tgt) + " }}"
                             for f in model.FOLDS for src in _steps(f.source) for tgt in _steps(f.target))


_Q_NEIGHBOURS = ("""SELECT DISTINCT ?y WHERE {{
  {{ {r} ?x ?p ?y . FILTER(isIRI(?y) && ?p NOT IN ({not_edges})) }}
  UNION {{ {r} ?y ?p ?x . FILTER(isIRI(?y) && ?p NOT IN ({not_edges})) }}
  UNION """ + _fold_branches("{{r}} ?n {source} ?x ; {target} ?y")
                 + "\n  UNION " + _fold_branches("{{r}} ?n {target} ?x ; {source} ?y") + "\n}}")
_Q_PREDICATES = "SELECT DISTINCT ?p WHERE { ?s ?p ?o }"
_Q_DIRECT_ALL = "SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {preds} }} ?s ?p ?o . FILTER(isIRI(?o)) }}"
_Q_DIRECT = """SELECT ?s ?p ?o WHERE {{ {r} ?s ?p ?o .
  FILTER(isIRI(?o) && ?p NOT IN ({not_edges})) }}"""
_Q_LITERALS = """SELECT ?s ?p ?o (LANG(?o) AS ?lang) WHERE {{
  {r} {pin} ?s ?p ?o . FILTER(isLiteral(?o)) }}"""
#: Sources of the nodes and of the fold nodes whose edge starts at a node. On the whole graph
#: the first branch alone already holds every fold node, so only it is run (see _sources).
_Q_SOURCES_NODES = f"SELECT ?x ?r WHERE {{{{ {{r}} ?s {_PROV} ?r BIND(?s AS ?x) }}}}"
_Q_SOURCES = ("SELECT ?x ?r WHERE {{\n  {{ {r} ?s " + _PROV + " ?r BIND(?s AS ?x) }}\n  UNION "
              + "\n  UNION ".join("{{ {r} ?x " + src + " ?s . ?x " + _PROV + " ?r }}"
                                  for f in model.FOLDS for src in _steps(f.source))
              + "\n}}")
_Q_URLS = "SELECT ?r ?u WHERE {{ {r} ?r schema:url ?u }}"
_Q_LOCATIONS = """SELECT ?s ?l WHERE {{
  {{ {r} ?s schema:location ?l }} UNION {{ {r} ?s eli:jurisdiction ?l }} FILTER(isIRI(?l)) }}"""
_Q_ADDRESS_COUNTRY = ("SELECT ?s ?code WHERE {{\n  "
                      + "\n  UNION ".join(
                          "{{ {r} ?n " + src + " ?s ; org:siteAddress ?a . ?a vcard:country-name ?code }}"
                          for f in model.FOLDS if f.family == "place" for src in _steps(f.source))
                      + "\n}}")
_Q_CONTAINED_ALL = """SELECT ?a ?b WHERE {
  { ?a schema:containedInPlace ?b } UNION { ?a skos:broader ?b } FILTER(isIRI(?b)) }"""
_Q_CONTAINED = """SELECT ?a ?b WHERE {{
  {r} ?s (schema:containedInPlace|skos:broader)* ?a . ?a schema:containedInPlace|skos:broader ?b .
  FILTER(isIRI(?b)) }}"""
_Q_TERMS = """SELECT ?s ?p ?o (LANG(?o) AS ?lang) WHERE {{
  {r} ?s ?p ?o . FILTER(?p IN (skos:prefLabel, rdfs:label, schema:name, rdf:type)) }}"""
_Q_ROLE_PROPERTIES = "SELECT ?role ?p WHERE { ?role org:roleProperty ?p }"
_Q_SUBPROPERTIES = "SELECT DISTINCT ?p ?q WHERE {{ VALUES ?q {{ {preds} }} ?p rdfs:subPropertyOf+ ?q }}"


def _fold_query(f: model.Fold) -> str:
    """The template that reads one fold's edges: node, source, target, role, yield, attributes.

    Like every template here it is completed with ``.format(r=...)``, so its own braces are
    doubled.
    """
    opt = " OPTIONAL {{{{ ?n {path} ?{var} }}}}"
    branches = " UNION ".join("{{ {r} ?n " + src + " ?s ; " + tgt + " ?tgt }}"
                              for src in _steps(f.source) for tgt in _steps(f.target))
    return ("SELECT ?n ?src ?tgt ?role ?yield " + " ".join(f"?a{i}" for i in range(len(f.attributes)))
            + " WHERE {{\n  " + branches + " BIND(?s AS ?src)"
            + " FILTER(isIRI(?tgt))"
            + (opt.format(path=f.role, var="role") if f.role else "")
            + (opt.format(path=f.yields_to, var="yield") if f.yields_to else "")
            + "".join(opt.format(path=path, var=f"a{i}") for i, (_, path) in enumerate(f.attributes))
            + " }}")


def _fold_dates_query(f: model.Fold) -> str:
    """The template that reads the start and end of a fold's dated nodes."""
    branches = " UNION ".join("{{ {r} ?n " + src + " ?s ; " + f.dates + " ?iv }}" for src in _steps(f.source))
    return ("SELECT ?n ?which ?d WHERE {{\n  " + branches
            + " ?iv ?which ?i . ?i ?tp ?d .\n  FILTER(?which IN (time:hasBeginning, time:hasEnd)"
            + " && ?tp IN (" + _DATE_PROPS.replace(" ", ", ") + ")) }}")


def _parse_tsv(text: str, *, literals: bool = True) -> list[list[str]]:
    """Read SPARQL TSV results into rows of plain strings.

    TSV rather than CSV: Oxigraph's CSV writer leaves an IRI that contains a comma unquoted
    (the bundled data has one), which shifts every later column of that row; TSV writes terms
    in Turtle syntax, where tabs and newlines are always escaped. The kind of a term (IRI,
    blank node, literal) is known from the query, so the values are returned bare. Without
    literals (``literals=False``) every field is an IRI, a blank node or unbound, and since
    no IRI contains ``<``, ``>`` or a tab, stripping the brackets from the whole text at once
    reads it several times faster. That shortcut is taken only when the text holds no quoted
    literal at all (a ``"``, which TSV writes around every string literal): a literal that
    turns up in a column expected to hold IRIs keeps its ``<`` and ``>``.
    """
    if not literals and '"' not in text:
        body = text.split("\n", 1)[1] if "\n" in text else ""
        body = body.replace("<", "").replace(">", "")
        return [line.split("\t") for line in body.split("\n") if line]
    lines = text.split("\n")
    rows = []
    term = _tsv_term
    for line in lines[1:]:
        if line:
            rows.append([term(f) for f in line.split("\t")])
    return rows


def _tsv_term(field: str) -> str:
    if not field:
        return ""
    first = field[0]
    if first == "<":
        return field[1:-1]
    if first == '"':
        value = field[1:field.rfind('"')]
        return _unescape(value) if "\\" in value else value
    return field  # a blank node (_:b0) or a number or boolean in Turtle's short form


_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")


def _unescape(value: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1) or m.group(2)
        return chr(int(code, 16)) if code else _ESCAPES.get(m.group(3), m.group(3))

    return _ESCAPE.sub(one, value)


def _values(var: str, iris: Iterable[str]) -> str:
    """A VALUES block of IRIs that came from the store (re-validated by pyoxigraph)."""
    import pyoxigraph as ox

    return f"VALUES ?{var} {{ {' '.join(str(ox.NamedNode(i)) for i in iris)} }}"


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _camel_words(local: str) -> str:
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).replace("_", " ").replace("-", " ")
    return " ".join(words.split()).lower()


def _local(iri: str) -> str:
    return re.split(r"[#/:]", iri.rstrip("/#"))[-1]


def _lang_rank(tag: str, lang: str) -> int:
    tag = tag.lower()
    if tag == lang or tag.startswith(lang + "-"):
        return 0
    if tag == "en" or tag.startswith("en-"):
        return 1
    return 2 if tag == "" else 3


def _blank_id(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:10]
    return f"{parts[0]}--{parts[1]}--{parts[2]}--{digest}"


def _end_of(first: str, second: str) -> str:
    return max(first, second) if first and second else first or second


class _Projection:
    """One projection run: the queries, and the dictionaries they fill."""

    def __init__(self, kg: KnowledgeGraph, kinds: tuple[str, ...], lang: str):
        self.kg, self.kinds, self.lang = kg, kinds, lang
        self.classes = {c: k.key for k in model.KINDS if k.key in kinds for c in k.classes}
        self.classes_sparql = ", ".join(f"<{c}>" for c in self.classes)
        self.types: dict[str, str] = {}  # node IRI -> type
        self.restricted = False  # whether queries bind the nodes in VALUES blocks
        self.sources: dict[str, set[str]] = {}
        self._folds_cache: dict[str, list[list[str]]] | None = None

    # -- running SPARQL ----------------------------------------------------------------
    def select(self, sparql: str, *, literals: bool = False, **params: Any) -> list[list[str]]:
        """Rows of a SELECT as lists of strings (IRIs bare, literals lexical, unbound "").

        ``literals`` says whether a column may hold a literal; without, the faster IRI-only
        reader is used.
        """
        return _parse_tsv(self.kg.query(sparql, **params).to("tsv"), literals=literals)

    def each(self, template: str, var: str = "s", pin: str = "", literals: bool = False,
             **fmt: str) -> list[list[str]]:
        """Run a query template once unrestricted, or once per chunk of the node set.

        ``pin`` is a space-separated list of predicates (CURIEs) for ``{pin}``.
        """
        if not self.restricted:
            return self.select(template.format(r="", pin=f"VALUES ?p {{ {pin} }}" if pin else "", **fmt),
                               literals=literals)
        rows: list[list[str]] = []
        in_list = f"FILTER(?p IN ({', '.join(pin.split())}))" if pin else ""
        for chunk in _chunks(sorted(self.types), RESTRICT_LIMIT):
            rows.extend(self.select(template.format(r=_values(var, chunk), pin=in_list, **fmt),
                                    literals=literals))
        return rows

    # -- selection ---------------------------------------------------------------------
    def run(self, *, focus: str | None, depth: int, construct: str | None) -> nx.MultiDiGraph:
        allowed = self._construct_iris(construct) if construct is not None else None
        if focus is not None:
            self._ego(focus, depth, allowed)
        elif allowed is not None:
            self._typed(allowed)
        else:
            for s, c in self.select(_Q_TYPES_ALL.format(classes=" ".join(f"<{c}>" for c in self.classes))):
                self._add_type(s, c)
        self.restricted = len(self.types) <= RESTRICT_LIMIT and (focus is not None or allowed is not None)
        return self._build(focus=focus, depth=depth, construct=construct is not None)

    def _add_type(self, iri: str, cls: str) -> None:
        kind = self.classes.get(cls)
        if kind is None or iri.startswith("_:"):
            return
        old = self.types.get(iri)
        if old is None or TYPES.index(kind) < TYPES.index(old):
            self.types[iri] = kind

    def _typed(self, iris: Iterable[str]) -> None:
        """Type the given IRIs (bulk, chunked), keeping those that are entities."""
        items = sorted(iris)
        if len(items) > RESTRICT_LIMIT:
            wanted = set(items)
            for s, c in self.select(_Q_TYPES_ALL.format(classes=" ".join(f"<{c}>" for c in self.classes))):
                if s in wanted:
                    self._add_type(s, c)
            return
        for chunk in _chunks(items, RESTRICT_LIMIT):
            for s, c in self.select(_Q_TYPES.format(r=_values("s", chunk), classes=self.classes_sparql)):
                self._add_type(s, c)

    def _construct_iris(self, construct: str) -> set[str]:
        import pyoxigraph as ox

        result = self.kg.query(construct)
        if result.kind != "graph":
            raise QueryError(f"--construct needs a CONSTRUCT or DESCRIBE query, not {result.kind.upper()}")
        iris: set[str] = set()
        for row in result.terms():
            for term in (row["subject"], row["object"]):
                if isinstance(term, ox.NamedNode):
                    iris.add(term.value)
        return iris

    def _ego(self, focus: str, depth: int, allowed: set[str] | None) -> None:
        node = self.kg.resolve(focus)
        iri = node.value
        found = model.kind_for(cls for (cls,) in self.select(
            "SELECT ?c WHERE { ?f a ?c . FILTER(isIRI(?c)) }", f=node))
        if found is None:
            raise NotFoundError(f"{focus!r} ({compact(iri)}) is not an organisation, person, "
                                "milestone, event or place, so it has no place in the network")
        if allowed is not None and iri not in allowed:
            raise NotFoundError(f"{focus!r} ({compact(iri)}) is not in the --construct result")
        self.types[iri] = found.key
        frontier = [iri]
        for _ in range(depth):
            candidates: set[str] = set()
            for chunk in _chunks(frontier, FRONTIER_CHUNK):
                q = _Q_NEIGHBOURS.format(r=_values("x", chunk), not_edges=_NOT_EDGES_SPARQL)
                candidates.update(y for (y,) in self.select(q))
            candidates -= self.types.keys()
            if allowed is not None:
                candidates &= allowed
            before = set(self.types)
            self._typed(candidates)  # keeps the entities of the selected types
            frontier = sorted(self.types.keys() - before)
            if not frontier:
                break

    # -- attributes and edges ------------------------------------------------------------
    def _build(self, *, focus: str | None, depth: int, construct: bool) -> nx.MultiDiGraph:
        import networkx as nx

        self.sources = self._sources()
        nodes = self._node_attributes()
        edges = self._edges()
        G = nx.MultiDiGraph()
        selection = [f"types={','.join(model.kind(k).plural.lower() for k in self.kinds)}"]
        if focus is not None:
            selection.append(f"focus={focus} depth={depth}")
        if construct:
            selection.append("construct")
        G.graph.update(name="ssegraph", lang=self.lang, selection=" ".join(selection))
        G.add_nodes_from((compact(i), a) for i, a in nodes.items())
        G.add_edges_from(edges)
        return G

    def _node_attributes(self) -> dict[str, dict[str, str]]:
        """Every node's attributes; its names chosen by :func:`ssegraph.model.choose_label`."""
        types, lang = self.types, self.lang
        values: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        scalars: dict[tuple[str, str], tuple[int, str]] = {}
        for s, p, o, tag in self.each(_Q_LITERALS, pin=_LITERAL_PROPS, literals=True):
            kind = types.get(s)
            if kind is None:
                continue
            values[s].append((p, o, tag))
            if p in _SCALARS:
                attr, for_kind = _SCALARS[p]
                if for_kind != kind:
                    continue
                rank = _SCALAR_RANK[p]
                old = scalars.get((s, attr))
                if old is None or (rank, o) < old:
                    scalars[s, attr] = (rank, o)
        sources = self.sources
        countries = self._countries()
        out: dict[str, dict[str, str]] = {}
        choose = model.choose_label
        get = scalars.get
        for iri, kind in types.items():
            vals = values.get(iri, ())
            label = choose(vals, lang) or compact(iri)
            has_acronym = any(p == model.ACRONYM for p, _, _ in vals)
            out[iri] = {
                "label": label, "name": label,
                "short": choose(vals, lang, short=True, kind=kind) or label,
                "type": kind, "kind": kind, "colour": model.kind(kind).colour, "iri": iri,
                "acronym": choose([v for v in vals if v[0] in _ACRONYM_PROPS], lang, short=True)
                if has_acronym else "",
                "country": countries.get(iri, ""),
                "date": get((iri, "date"), (0, ""))[1],
                "start": get((iri, "start"), (0, ""))[1],
                "end": get((iri, "end"), (0, ""))[1],
                "founded": get((iri, "founded"), (0, ""))[1],
                "symbol": get((iri, "symbol"), (0, ""))[1],
                "sources": " ".join(sorted(sources.get(iri, ()))),
            }
        return out

    def _sources(self) -> dict[str, set[str]]:
        """Source URLs of every node and fold node: ``schema:url`` of the src: record.

        A selection reads the sources of its nodes and of the fold nodes whose edge starts at one
        of them, one branch per fold of the model; the whole graph reads every subject's
        sources in one branch, which holds the same fold nodes and more.
        """
        rows = self.each(_Q_SOURCES) if self.restricted else self.select(_Q_SOURCES_NODES.format(r=""))
        records = {r for _, r in rows}
        if self.restricted and len(records) <= RESTRICT_LIMIT:
            url_rows = self.select(_Q_URLS.format(r=_values("r", sorted(records))), literals=True) if records else []
        else:
            url_rows = self.select(_Q_URLS.format(r=""), literals=True)
        urls: dict[str, list[str]] = defaultdict(list)
        for r, u in url_rows:
            urls[r].append(u)
        out: dict[str, set[str]] = defaultdict(set)
        for x, r in rows:
            out[x].update(urls.get(r) or ([r] if not r.startswith("_:") else []))
        return out

    @property
    def _fold_rows(self) -> dict[str, list[list[str]]]:
        """Each fold's rows (node, source, target, role, yield, attributes…), read once."""
        if self._folds_cache is None:
            self._folds_cache = {f.key: self.each(_fold_query(f)) for f in model.FOLDS}
        return self._folds_cache

    def _countries(self) -> dict[str, str]:
        """The country of each node, from its place, its site's place or its jurisdiction.

        The country is the first place up the ``schema:containedInPlace`` chain that is a
        ``schema:Country`` or an EU country authority IRI, else the top of the chain; shown by
        its label, else its ISO code, else its compact IRI. A ``vcard:country-name`` code on
        the site's address is the fallback.
        """
        types = self.types
        start: dict[str, set[str]] = defaultdict(set)  # node -> places it is in
        for iri, kind in types.items():
            if kind == "place":
                start[iri].add(iri)
        for f in model.FOLDS:
            if f.family == "place":
                for _, s, place, *_ in self._fold_rows[f.key]:
                    if s in types:
                        start[s].add(place)
        for s, loc in self.each(_Q_LOCATIONS):
            if s in types:
                start[s].add(loc)
        places = {p for ps in start.values() for p in ps}
        up: dict[str, str] = {}
        if places:
            if self.restricted and len(places) <= RESTRICT_LIMIT:
                rows = []
                for chunk in _chunks(sorted(places), RESTRICT_LIMIT):
                    rows.extend(self.select(_Q_CONTAINED.format(r=_values("s", chunk))))
            else:
                rows = self.select(_Q_CONTAINED_ALL)
            for a, b in rows:
                up.setdefault(a, min(b, up.get(a, b)))
        chain_members = places | set(up.values())
        info = self._terms(chain_members)
        out: dict[str, str] = {}
        for node, ps in start.items():
            best = ""
            for place in sorted(ps):
                country = self._country_of(place, up, info)
                if country:
                    best = country
                    break
            if best:
                out[node] = best
        for s, code in self.each(_Q_ADDRESS_COUNTRY, literals=True):
            if s in types and s not in out and code:
                out[s] = code
        return out

    def _country_of(self, place: str, up: dict[str, str],
                    info: dict[str, tuple[str, set[str]]]) -> str:
        chain, here = [place], place
        while here in up and up[here] not in chain:
            here = up[here]
            chain.append(here)
        for member in chain:
            if _COUNTRY_CLASS in info.get(member, ("", set()))[1] or member.startswith(_COUNTRY_NS):
                return self._name_of(member, info)
        return self._name_of(chain[-1], info) if len(chain) > 1 else ""

    def _name_of(self, iri: str, info: dict[str, tuple[str, set[str]]]) -> str:
        label = info.get(iri, ("", set()))[0]
        if label:
            return label
        if iri.startswith(_COUNTRY_NS):
            return iri[len(_COUNTRY_NS):]
        return compact(iri)

    def _terms(self, iris: Iterable[str]) -> dict[str, tuple[str, set[str]]]:
        """Label (in ``lang``) and classes of non-node terms: roles, countries, predicates.

        A value that is no IRI (a role given as a literal) has neither and is skipped.
        """
        items = sorted(i for i in set(iris) if _is_iri(i))
        best: dict[str, tuple] = {}
        classes: dict[str, set[str]] = defaultdict(set)
        rdf_type = _x("rdf:type")
        for chunk in _chunks(items, RESTRICT_LIMIT):
            for s, p, o, tag in self.select(_Q_TERMS.format(r=_values("s", chunk)), literals=True):
                if p == rdf_type:
                    classes[s].add(o)
                    continue
                key = (_lang_rank(tag, self.lang), p != _x("skos:prefLabel"), o, tag)
                if s not in best or key < best[s]:
                    best[s] = key
        return {i: (best[i][2] if i in best else "", classes.get(i, set())) for i in items}

    def _edges(self) -> list[tuple[str, str, str, dict[str, str]]]:
        """Fold edges (one per n-ary node, generated from ``model.FOLDS``), then direct edges."""
        types, sources = self.types, self.sources
        edges: dict[str, tuple[str, str, str, dict[str, str]]] = {}

        def add(s: str, o: str, eid: str, family: str, **attrs: str) -> None:
            data = dict.fromkeys(EDGE_ATTRIBUTES, "")
            data.update(attrs)
            data["interaction"] = data["label"]
            data["family"] = family
            data["colour"] = model.family(family).colour
            base, n = eid, 1
            while eid in edges:  # same id from two different facts: keep both, distinguishably
                n += 1
                eid = f"{base}#{n}"
            data["id"] = eid
            edges[eid] = (compact(s), compact(o), eid, data)

        folds = self._folds()
        roles = {r for info in folds.values() for r in info["roles"]}
        role_props = {r: p for r, p in self.select(_Q_ROLE_PROPERTIES)}
        role_terms = self._terms(roles)
        en_terms = self._terms_en(roles) if self.lang != "en" else role_terms
        replaced = {f.key: {_x(p) for p in f.replaces} for f in model.FOLDS}
        all_replaced = sorted({p for ps in replaced.values() for p in ps})
        if all_replaced:
            for p, q in self.select(_Q_SUBPROPERTIES.format(preds=" ".join(f"<{q}>" for q in all_replaced))):
                for ps in replaced.values():
                    if q in ps:
                        ps.add(p)

        def role_names(rs: Iterable[str], terms: dict) -> str:
            return ", ".join(sorted({(terms.get(r, ("", set()))[0] or _role_fallback(r)) for r in rs}))

        pairs: dict[str, set[tuple[str, str]]] = defaultdict(set)  # fold key -> (source, target)
        sources_of = defaultdict(set)  # fold node -> the sources of its edges
        for info in folds.values():
            sources_of[info["node"]].add(info["source"])
        for _, info in sorted(folds.items(), key=lambda kv: kv[0][1:] + kv[0][:1]):
            f, n, src, tgt = info["fold"], info["node"], info["source"], info["target"]
            rs = sorted(info["roles"])
            if f.replaces:
                pairs[f.key].add((src, tgt))
                replaced[f.key].update(role_props[r] for r in rs if r in role_props)
            if src not in types or tgt not in types:
                continue
            if any(src in sources_of.get(y, ()) for y in info["yields"]):
                continue  # another fold's node for the same source (a Membership via this Post) draws it
            role_en = role_names(rs, en_terms)
            predicate = next((role_props[r] for r in rs if r in role_props), _x(f.predicate))
            extra = {attr: " ".join(compact(v) for v in sorted(info["attrs"][attr]))
                     for attr, _ in f.attributes}
            blank = n.startswith("_:")
            if f.edge_id == "source--predicate--target":
                eid = f"{compact(src)}--{compact(predicate)}--{compact(tgt)}"
            elif blank:
                eid = _blank_id(compact(src), compact(predicate), compact(tgt), *rs, info["start"],
                                info["end"], *extra.values())
            elif f.edge_id == "node--source":
                eid = f"{compact(n)}--{compact(src)}"
            else:
                eid = compact(n)
            add(src, tgt, eid, f.family,
                label=f"{role_en} {f.label_suffix}" if role_en and f.label_suffix else f.label,
                predicate=predicate, role=role_names(rs, role_terms), start=info["start"],
                end=info["end"], sources=" ".join(sorted(sources.get(n, ()))),
                via="" if blank else compact(n), **extra)

        direct = self._direct()
        labels = self._predicate_labels({p for _, p, _ in direct})
        for s, p, o in sorted(direct):
            if s not in types or o not in types:
                continue
            if any(p in replaced[k] and (s, o) in ps for k, ps in pairs.items()):
                continue  # drawn already, with its role and dates, as a fold edge
            add(s, o, f"{compact(s)}--{compact(p)}--{compact(o)}", model.family_of(p).key,
                label=labels[p], predicate=p)
        return list(edges.values())

    def _folds(self) -> dict[tuple[str, str, str, str], dict[str, Any]]:
        """Every fold edge, keyed (fold, node, source, target): roles, dates, yields, attributes.

        A node with two sources (a Post held by two people, a Site shared by two organisations)
        gives two edges.
        """
        out: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        for f in model.FOLDS:
            dated: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for n, src, tgt, role, yielded, *attrs in self._fold_rows[f.key]:
                key = (f.key, n, src, tgt)
                info = out.get(key)
                if info is None:
                    info = out[key] = {"fold": f, "node": n, "source": src, "target": tgt,
                                       "roles": set(), "yields": set(), "start": "", "end": "",
                                       "attrs": {a: set() for a, _ in f.attributes}}
                    dated[n].append(info)
                if role:
                    info["roles"].add(role)
                if yielded:
                    info["yields"].add(yielded)
                for (attr, _), value in zip(f.attributes, attrs, strict=True):
                    if value:
                        info["attrs"][attr].add(value)
            if f.dates:
                for n, which, d in self.each(_fold_dates_query(f), literals=True):
                    for info in dated.get(n, ()):
                        attr = "start" if which == _BEGIN else "end"
                        old = info[attr]
                        info[attr] = (min(old, d) if attr == "start" else max(old, d)) if old else d
        return out

    def _terms_en(self, iris: Iterable[str]) -> dict[str, tuple[str, set[str]]]:
        lang, self.lang = self.lang, "en"
        try:
            return self._terms(iris)
        finally:
            self.lang = lang


    def _direct(self) -> set[tuple[str, str, str]]:
        """Triples between two nodes (any predicate), as (s, p, o)."""
        if self.restricted:
            rows = self.each(_Q_DIRECT, not_edges=_NOT_EDGES_SPARQL)
        else:
            preds = [p for (p,) in self.select(_Q_PREDICATES) if p not in _NOT_EDGE_IRIS]
            rows = self.select(_Q_DIRECT_ALL.format(preds=" ".join(f"<{p}>" for p in preds))) if preds else []
        return {(s, p, o) for s, p, o in rows}

    def _predicate_labels(self, preds: set[str]) -> dict[str, str]:
        unknown = sorted(p for p in preds if p not in PREDICATE_LABELS)
        terms = self._terms_en(unknown) if unknown else {}
        out = {}
        for p in preds:
            out[p] = PREDICATE_LABELS.get(p) or terms.get(p, ("", set()))[0] or _camel_words(_local(p)) or compact(p)
        return out


def _is_iri(text: str) -> bool:
    import pyoxigraph as ox

    if text.startswith("_:"):
        return False
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def _role_fallback(role: str) -> str:
    if not _is_iri(role):
        return role  # a literal role is its own name
    local = _local(role)
    return _camel_words(local[5:] if local.startswith("role-") else local)



def degrees(kg: KnowledgeGraph, kind: str | None = None) -> dict[str, int]:
    """:func:`ssegraph.model.degree` of every node of the whole projection, without building it.

    Reads only what links the nodes (their kinds, the fold rows, the direct links: the queries of
    the projection, none of the attribute queries), so ``stats`` can rank the most connected
    entities by the very number the view and the GEXF export show. ``kind`` keeps the nodes of
    one kind (their neighbours may be of any kind). Keys are compact IRIs.

    Examples
    --------
    >>> import ssegraph
    >>> d = degrees(ssegraph.load(), "organisation")
    >>> d["id:untfsse"] == ssegraph.model.degree(ssegraph.load().to_networkx(), "id:untfsse")
    True
    """
    types, nbrs = topology(kg)
    return {n: len(nbrs.get(n, ())) for n, k in types.items() if kind is None or k == kind}


def topology(kg: KnowledgeGraph) -> tuple[dict[str, str], dict[str, set[str]]]:
    """The whole projection's nodes ({compact IRI: kind key}) and neighbours, and nothing else."""
    with _collector_paused():
        p = _Projection(kg, TYPES, "en")
        for s, c in p.select(_Q_TYPES_ALL.format(classes=" ".join(f"<{c}>" for c in p.classes))):
            p._add_type(s, c)
        types = p.types
        nbrs: dict[str, set[str]] = defaultdict(set)

        def link(a: str, b: str) -> None:
            if a != b and a in types and b in types:
                nbrs[compact(a)].add(compact(b))
                nbrs[compact(b)].add(compact(a))

        for rows in p._fold_rows.values():
            for _, src, tgt, *_ in rows:
                link(src, tgt)
        for s, _, o in p._direct():
            link(s, o)
        return {compact(n): k for n, k in types.items()}, nbrs
