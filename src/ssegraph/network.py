"""Projection: the RDF graph as a ``networkx.MultiDiGraph`` that Gephi, Cytoscape and yEd open.

RDF and network tools disagree on what a node is. In the store, a year, a country code and a
label are nodes as much as an organisation is; in Gephi they would turn the network into a
hairball of strings. So the projection keeps as nodes only the *entities* (organisations,
people, policy milestones, events, places), turns literals into node attributes, and folds the
n-ary nodes of the vocabulary contract into edges that carry their facts:

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
endpoint. Results come back as SPARQL CSV, which Oxigraph writes and Python's C ``csv`` module
reads several times faster than term objects can be built one by one. An ego network
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


#: The node types, in the order that decides the type of an entity with several classes.
TYPES: tuple[str, ...] = ("organisation", "person", "milestone", "event", "place")

#: How ``--types`` spells each type (ENTITY_TYPES of the CLI).
PLURALS = {"organisation": "organisations", "person": "people", "milestone": "milestones",
           "event": "events", "place": "places"}

#: The classes whose instances are nodes of each type.
TYPE_CLASSES: dict[str, tuple[str, ...]] = {
    "organisation": ("org:Organization", "org:FormalOrganization", "org:OrganizationalUnit",
                     "org:OrganizationalCollaboration", "foaf:Organization", "schema:Organization",
                     "schema:NGO", "schema:GovernmentOrganization"),
    "person": ("foaf:Person", "schema:Person"),
    "milestone": ("eli:LegalResource", "schema:Legislation"),
    "event": ("schema:Event", "cv:PublicEvent", "schema:EducationEvent", "schema:ConferenceEvent"),
    "place": ("schema:Place", "schema:City", "schema:Country", "schema:AdministrativeArea"),
}

_ALIASES = {alias: kind for kind in TYPES
            for alias in (kind, PLURALS[kind], kind.replace("isation", "ization"),
                          PLURALS[kind].replace("isation", "ization"))}
_ALIASES.update({"persons": "person", "orgs": "organisation", "org": "organisation"})

#: Node attributes, in the order writers list them. All strings; ``""`` when not known.
NODE_ATTRIBUTES: tuple[str, ...] = (
    "label", "name", "type", "iri", "acronym", "country", "date", "start", "end", "founded",
    "symbol", "sources",
)
#: Edge attributes. ``via`` is the n-ary node (Membership, Participation, Post, Site) the edge
#: stands for; ``sources`` (not ``source``, which node-link JSON and Cytoscape use for the
#: source node) holds the source URLs of that node.
EDGE_ATTRIBUTES: tuple[str, ...] = (
    "id", "label", "interaction", "predicate", "role", "start", "end", "sources", "via",
    "on_behalf_of",
)

# label properties, best first; skos:altLabel only serves to give acronyms a language
_LABEL_PROPS = ("skos:prefLabel", "foaf:name", "schema:name", "dcterms:title", "rdfs:label")
_LABEL_RANK = {_x(p): i for i, p in enumerate(_LABEL_PROPS)}
_ALT = _x("skos:altLabel")
_ACRONYM = _x("sse:acronym")
_SCALARS = {  # literal property -> node attribute (first listed wins for ``date``)
    _x("eli:id_local"): "symbol",
    _x("schema:foundingDate"): "founded",
    _x("eli:date_document"): "date",
    _x("dcterms:date"): "date",
    _x("schema:startDate"): "start",
    _x("schema:endDate"): "end",
}
_SCALAR_RANK = {p: i for i, p in enumerate(_SCALARS)}
_LITERAL_PROPS = " ".join([*_LABEL_PROPS, "skos:altLabel", "sse:acronym",
                           *(compact(p) for p in _SCALARS)])
_DATE_PROPS = "time:inXSDDate time:inXSDgYearMonth time:inXSDgYear time:inXSDDateTimeStamp"
_SITE_PROPS = "org:hasPrimarySite org:hasRegisteredSite org:hasSite"

#: Predicates that never link two entities in the vocabulary contract. They are left out of
#: the direct-edge and frontier queries only to spare the store work; the projection does not
#: depend on the list.
_NOT_EDGES = (
    "rdf:type", "prov:wasDerivedFrom", "prov:hadPrimarySource", "org:classification",
    "foaf:homepage", "eli:type_document", "dcterms:subject", "eli:is_about", "org:memberDuring",
    "org:role", "cv:role", "org:member", "org:organization", "cv:hasParticipant",
    "cv:hasParticipation", "sse:onBehalfOf", "sse:viaPost", "org:postIn", "org:heldBy",
    "org:holds", "org:hasPrimarySite", "org:hasRegisteredSite", "org:hasSite",
    "org:siteAddress", "sse:participantCount", "sse:confidence", "time:hasBeginning",
    "time:hasEnd", "skos:inScheme", "skos:topConceptOf", "skos:hasTopConcept", "schema:url",
    "org:roleProperty", "rdfs:subPropertyOf", "rdfs:subClassOf", "rdfs:domain", "rdfs:range",
    "prov:qualifiedAttribution", "schema:valueReference", "eli:jurisdiction",
    *_LABEL_PROPS, "skos:altLabel", "sse:acronym", *(compact(p) for p in _SCALARS),
)
_NOT_EDGE_IRIS = frozenset(_x(p) for p in _NOT_EDGES)
_NOT_EDGES_SPARQL = ", ".join(_NOT_EDGES)

#: Readable edge labels of the predicates the contract uses (English, like the ontology's own
#: ``rdfs:label``); other predicates use their ``rdfs:label``@en or their split local name.
PREDICATE_LABELS = {_x(k): v for k, v in {
    "org:memberOf": "member of", "sse:observerOf": "observer of", "org:headOf": "head of",
    "org:unitOf": "unit of", "org:hasUnit": "has unit", "org:subOrganizationOf": "part of",
    "org:hasSubOrganization": "has part", "org:linkedTo": "linked to",
    "eli:passed_by": "passed by", "eli:cites": "cites", "eli:based_on": "based on",
    "eli:amends": "amends", "eli:repeals": "repeals", "eli:changes": "changes",
    "eli:transposes": "transposes", "eli:applies": "applies", "eli:related_to": "related to",
    "eli:responsibility_of_agent": "responsibility of", "sse:followsUp": "follows up",
    "sse:implements": "implements", "sse:mandates": "mandates", "dcterms:relation": "related to",
    "dcterms:references": "references", "dcterms:publisher": "publisher",
    "prov:wasGeneratedBy": "outcome of", "prov:wasRevisionOf": "revision of",
    "schema:organizer": "organizer", "schema:contributor": "contributor",
    "schema:attendee": "attendee", "schema:sponsor": "sponsor", "schema:funder": "funder",
    "schema:location": "location", "schema:containedInPlace": "contained in",
    "schema:superEvent": "part of event", "schema:subEvent": "has sub-event",
    "owl:sameAs": "same as", "org:hasPrimarySite": "based in",
    "org:hasRegisteredSite": "registered in", "org:hasSite": "has site in",
    "cv:hasParticipation": "participant in", "org:holds": "holds post in",
}.items()}

_MEMBER_OF = _x("org:memberOf")
_SHORTCUTS = frozenset(_x(p) for p in ("org:memberOf", "sse:observerOf", "org:headOf"))
_COUNTRY_CLASS = _x("schema:Country")
_COUNTRY_NS = PREFIXES["country"]

#: Above this many nodes, restricted queries fetch everything and filter in Python instead of
#: sending a VALUES block (both are bulk; a huge VALUES block only costs parsing).
RESTRICT_LIMIT = 2000
#: Frontier nodes per ego-network query.
FRONTIER_CHUNK = 500


def parse_types(types: str | Iterable[str] | None) -> tuple[str, ...]:
    """Normalise a ``--types`` selection to the singular type names of :data:`TYPES`.

    Accepts singular or plural, British or American spelling, as a list or one
    comma-separated string; ``None`` means every type.

    Raises
    ------
    NotFoundError
        For an unknown type; the message names the valid ones.

    Examples
    --------
    >>> parse_types("organisations,events")
    ('organisation', 'event')
    >>> parse_types(["people", "organization"])
    ('person', 'organisation')
    """
    if types is None:
        return TYPES
    items = types.split(",") if isinstance(types, str) else list(types)
    kinds: list[str] = []
    for item in items:
        key = str(item).strip().lower()
        if not key:
            continue
        kind = _ALIASES.get(key)
        if kind is None:
            import difflib

            close = difflib.get_close_matches(key, [PLURALS[k] for k in TYPES], n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise NotFoundError(f"unknown type {str(item).strip()!r}{hint}; valid types: "
                                + ", ".join(PLURALS[k] for k in TYPES))
        if kind not in kinds:
            kinds.append(kind)
    if not kinds:
        raise NotFoundError("no type given; valid types: " + ", ".join(PLURALS[k] for k in TYPES))
    return tuple(kinds)


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
# when {r} already binds the subjects.

_Q_TYPES = "SELECT ?s ?c WHERE {{ {r} ?s a ?c . FILTER(?c IN ({classes})) }}"
_Q_TYPES_ALL = "SELECT ?s ?c WHERE {{ VALUES ?c {{ {classes} }} ?s a ?c }}"
_Q_NEIGHBOURS = """SELECT DISTINCT ?y WHERE {{
  {{ {r} ?x ?p ?y . FILTER(isIRI(?y) && ?p NOT IN ({not_edges})) }}
  UNION {{ {r} ?y ?p ?x . FILTER(isIRI(?y) && ?p NOT IN ({not_edges})) }}
  UNION {{ {r} ?m org:member ?x ; org:organization ?y }}
  UNION {{ {r} ?m org:organization ?x ; org:member ?y }}
  UNION {{ {r} ?y cv:hasParticipation ?pp . ?pp cv:hasParticipant ?x }}
  UNION {{ {r} ?x cv:hasParticipation ?pp . ?pp cv:hasParticipant ?y }}
  UNION {{ {r} ?post org:heldBy ?x ; org:postIn ?y }}
  UNION {{ {r} ?x org:holds ?post . ?post org:postIn ?y }}
  UNION {{ {r} ?post org:postIn ?x ; org:heldBy ?y }}
  UNION {{ {r} ?post org:postIn ?x . ?y org:holds ?post }}
  UNION {{ {r} ?x ?sp ?site . ?site schema:containedInPlace ?y . FILTER(?sp IN ({sites})) }}
  UNION {{ {r} ?y ?sp ?site . ?site schema:containedInPlace ?x . FILTER(?sp IN ({sites})) }}
}}"""
_Q_PREDICATES = "SELECT DISTINCT ?p WHERE { ?s ?p ?o }"
_Q_DIRECT_ALL = "SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {preds} }} ?s ?p ?o . FILTER(isIRI(?o)) }}"
_Q_DIRECT = """SELECT ?s ?p ?o WHERE {{ {r} ?s ?p ?o .
  FILTER(isIRI(?o) && ?p NOT IN ({not_edges})) }}"""
_Q_LITERALS = """SELECT ?s ?p ?o (LANG(?o) AS ?lang) WHERE {{
  {r} {pin} ?s ?p ?o . FILTER(isLiteral(?o)) }}"""
_Q_SOURCES_ALL = """SELECT ?x ?r WHERE {
  { ?x prov:wasDerivedFrom ?r } UNION { ?x prov:hadPrimarySource ?r } }"""
_Q_SOURCES = """SELECT ?x ?r WHERE {{
  {{ {r} ?s prov:wasDerivedFrom ?r BIND(?s AS ?x) }}
  UNION {{ {r} ?s prov:hadPrimarySource ?r BIND(?s AS ?x) }}
  UNION {{ {r} ?x org:member ?s ; prov:wasDerivedFrom|prov:hadPrimarySource ?r }}
  UNION {{ {r} ?s cv:hasParticipation ?x . ?x prov:wasDerivedFrom|prov:hadPrimarySource ?r }}
  UNION {{ {r} ?x org:postIn ?s ; prov:wasDerivedFrom|prov:hadPrimarySource ?r }}
}}"""
_Q_URLS = "SELECT ?r ?u WHERE {{ {r} ?r schema:url ?u }}"
_Q_MEMBERSHIPS = """SELECT ?m ?member ?org ?role ?post WHERE {{
  {r} ?m org:member ?s ; org:organization ?org . BIND(?s AS ?member)
  OPTIONAL {{ ?m org:role ?role }} OPTIONAL {{ ?m sse:viaPost ?post }} }}"""
_Q_MEMBERSHIP_DATES = """SELECT ?m ?which ?d WHERE {{
  {r} ?m org:member ?s ; org:memberDuring ?iv . ?iv ?which ?i . ?i ?tp ?d .
  FILTER(?which IN (time:hasBeginning, time:hasEnd) && ?tp IN ({dates})) }}"""
_Q_PARTICIPATIONS = """SELECT ?pp ?event ?agent ?role ?behalf WHERE {{
  {r} ?s cv:hasParticipation ?pp . ?pp cv:hasParticipant ?agent . BIND(?s AS ?event)
  OPTIONAL {{ ?pp cv:role ?role }} OPTIONAL {{ ?pp sse:onBehalfOf ?behalf }} }}"""
_Q_POSTS = """SELECT ?post ?org ?person ?role WHERE {{
  {{ {r} ?post org:postIn ?s ; org:heldBy ?person . BIND(?s AS ?org) OPTIONAL {{ ?post org:role ?role }} }}
  UNION {{ {r} ?post org:postIn ?s . ?person org:holds ?post . BIND(?s AS ?org)
          OPTIONAL {{ ?post org:role ?role }} }}
}}"""
_Q_SITES = """SELECT ?s ?p ?site ?place WHERE {{
  {r} {pin} ?s ?p ?site . ?site schema:containedInPlace ?place }}"""
_Q_LOCATIONS = """SELECT ?s ?l WHERE {{
  {{ {r} ?s schema:location ?l }} UNION {{ {r} ?s eli:jurisdiction ?l }} FILTER(isIRI(?l)) }}"""
_Q_ADDRESS_COUNTRY = """SELECT ?s ?code WHERE {{
  {r} ?s ?sp ?site . ?site org:siteAddress ?a . ?a vcard:country-name ?code .
  FILTER(?sp IN ({sites})) }}"""
_Q_CONTAINED_ALL = """SELECT ?a ?b WHERE {
  { ?a schema:containedInPlace ?b } UNION { ?a skos:broader ?b } FILTER(isIRI(?b)) }"""
_Q_CONTAINED = """SELECT ?a ?b WHERE {{
  {r} ?s (schema:containedInPlace|skos:broader)* ?a . ?a schema:containedInPlace|skos:broader ?b .
  FILTER(isIRI(?b)) }}"""
_Q_TERMS = """SELECT ?s ?p ?o (LANG(?o) AS ?lang) WHERE {{
  {r} ?s ?p ?o . FILTER(?p IN (skos:prefLabel, rdfs:label, schema:name, rdf:type)) }}"""
_Q_ROLE_PROPERTIES = "SELECT ?role ?p WHERE { ?role org:roleProperty ?p }"
_Q_MEMBER_SUBPROPERTIES = "SELECT DISTINCT ?p WHERE { ?p rdfs:subPropertyOf+ org:memberOf }"


def _parse_tsv(text: str, *, literals: bool = True) -> list[list[str]]:
    """Read SPARQL TSV results into rows of plain strings.

    TSV rather than CSV: Oxigraph's CSV writer leaves an IRI that contains a comma unquoted
    (the bundled data has one), which shifts every later column of that row; TSV writes terms
    in Turtle syntax, where tabs and newlines are always escaped. The kind of a term (IRI,
    blank node, literal) is known from the query, so the values are returned bare. Without
    literals (``literals=False``) every field is an IRI, a blank node or unbound, and since
    no IRI contains ``<``, ``>`` or a tab, stripping the brackets from the whole text at once
    reads it several times faster.
    """
    if not literals:
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
        self.classes = {_x(c): k for k in TYPES if k in kinds for c in TYPE_CLASSES[k]}
        self.classes_sparql = ", ".join(f"<{c}>" for c in self.classes)
        self.types: dict[str, str] = {}  # node IRI -> type
        self.restricted = False  # whether queries bind the nodes in VALUES blocks
        self.sources: dict[str, set[str]] = {}
        self._sites_cache: list[list[str]] | None = None

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
        kinds = set()
        for (cls,) in self.select("SELECT ?c WHERE { ?f a ?c . FILTER(isIRI(?c)) }", f=node):
            for k in TYPES:
                if cls in {_x(c) for c in TYPE_CLASSES[k]}:
                    kinds.add(k)
        if not kinds:
            raise NotFoundError(f"{focus!r} ({compact(iri)}) is not an organisation, person, "
                                "milestone, event or place, so it has no place in the network")
        if allowed is not None and iri not in allowed:
            raise NotFoundError(f"{focus!r} ({compact(iri)}) is not in the --construct result")
        self.types[iri] = min(kinds, key=TYPES.index)
        frontier = [iri]
        for _ in range(depth):
            candidates: set[str] = set()
            for chunk in _chunks(frontier, FRONTIER_CHUNK):
                q = _Q_NEIGHBOURS.format(r=_values("x", chunk), not_edges=_NOT_EDGES_SPARQL,
                                         sites=_SITE_PROPS.replace(" ", ", "))
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
        selection = [f"types={','.join(PLURALS[k] for k in self.kinds)}"]
        if focus is not None:
            selection.append(f"focus={focus} depth={depth}")
        if construct:
            selection.append("construct")
        G.graph.update(name="ssegraph", lang=self.lang, selection=" ".join(selection))
        G.add_nodes_from((compact(i), a) for i, a in nodes.items())
        G.add_edges_from(edges)
        return G

    def _node_attributes(self) -> dict[str, dict[str, str]]:
        types, lang = self.types, self.lang
        labels: dict[str, tuple] = {}
        acronyms: dict[str, list[str]] = defaultdict(list)
        alt_langs: dict[tuple[str, str], int] = {}
        scalars: dict[tuple[str, str], tuple[int, str]] = {}
        for s, p, o, tag in self.each(_Q_LITERALS, pin=_LITERAL_PROPS, literals=True):
            if s not in types:
                continue
            if p in _LABEL_RANK:
                key = (_lang_rank(tag, lang), _LABEL_RANK[p], o)
                if s not in labels or key < labels[s]:
                    labels[s] = key
            elif p == _ACRONYM:
                acronyms[s].append(o)
            elif p == _ALT:
                rank = _lang_rank(tag, lang)
                alt_langs[s, o] = min(rank, alt_langs.get((s, o), rank))
            elif p in _SCALARS:
                attr, rank = _SCALARS[p], _SCALAR_RANK[p]
                old = scalars.get((s, attr))
                if old is None or (rank, o) < old:
                    scalars[s, attr] = (rank, o)
        sources = self.sources
        countries = self._countries()
        out: dict[str, dict[str, str]] = {}
        for iri, kind in types.items():
            label = labels[iri][2] if iri in labels else compact(iri)
            acr = min(acronyms[iri], key=lambda a: (alt_langs.get((iri, a), 2), a)) if iri in acronyms else ""
            get = scalars.get
            out[iri] = {
                "label": label, "name": label, "type": kind, "iri": iri, "acronym": acr,
                "country": countries.get(iri, ""),
                "date": get((iri, "date"), (0, ""))[1] if kind == "milestone" else "",
                "start": get((iri, "start"), (0, ""))[1] if kind == "event" else "",
                "end": get((iri, "end"), (0, ""))[1] if kind == "event" else "",
                "founded": get((iri, "founded"), (0, ""))[1] if kind == "organisation" else "",
                "symbol": get((iri, "symbol"), (0, ""))[1] if kind == "milestone" else "",
                "sources": " ".join(sorted(sources.get(iri, ()))),
            }
        return out

    def _sources(self) -> dict[str, set[str]]:
        """Source URLs of every node and n-ary node: ``schema:url`` of the src: record."""
        rows = self.each(_Q_SOURCES) if self.restricted else self.select(_Q_SOURCES_ALL)
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
        for s, _, _, place in self._site_rows:
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
        for s, code in self.each(_Q_ADDRESS_COUNTRY, sites=_SITE_PROPS.replace(" ", ", "), literals=True):
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
        """Label (in ``lang``) and classes of non-node terms: roles, countries, predicates."""
        items = sorted(set(iris))
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
        types, sources = self.types, self.sources
        edges: dict[str, tuple[str, str, str, dict[str, str]]] = {}

        def add(s: str, o: str, eid: str, **attrs: str) -> None:
            data = dict.fromkeys(EDGE_ATTRIBUTES, "")
            data.update(attrs)
            data["interaction"] = data["label"]
            base, n = eid, 1
            while eid in edges:  # same id from two different facts: keep both, distinguishably
                n += 1
                eid = f"{base}#{n}"
            data["id"] = eid
            edges[eid] = (compact(s), compact(o), eid, data)

        # memberships first: their pairs suppress the shortcut triples
        memberships = self._memberships()
        roles = {r for m in memberships.values() for r in m["roles"]}
        role_rows = self.select(_Q_ROLE_PROPERTIES)
        role_props = {r: p for r, p in role_rows}
        shortcuts = set(_SHORTCUTS) | set(role_props.values())
        shortcuts.update(p for (p,) in self.select(_Q_MEMBER_SUBPROPERTIES))
        participations = self._participations()
        roles.update(r for p in participations.values() for r in p["roles"])
        posts = self.each(_Q_POSTS)
        roles.update(r for *_, r in posts if r)
        role_terms = self._terms(roles)
        en_terms = self._terms_en(roles) if self.lang != "en" else role_terms

        def role_names(rs: Iterable[str], terms: dict) -> str:
            return ", ".join(sorted({(terms.get(r, ("", set()))[0] or _role_fallback(r)) for r in rs}))

        pairs: set[tuple[str, str]] = set()
        via_posts: set[tuple[str, str]] = set()
        for m, info in sorted(memberships.items()):
            member, org = info["member"], info["org"]
            for post in info["posts"]:
                via_posts.add((post, member))
            pairs.add((member, org))
            if member not in types or org not in types:
                continue
            rs = sorted(info["roles"])
            role_en = role_names(rs, en_terms)
            prop = next((role_props[r] for r in rs if r in role_props), _MEMBER_OF)
            eid = compact(m) if not m.startswith("_:") else _blank_id(
                compact(member), compact(prop), compact(org), *rs, info["start"], info["end"])
            add(member, org, eid, label=f"{role_en} of" if role_en else "member of",
                predicate=prop, role=role_names(rs, role_terms), start=info["start"],
                end=info["end"], sources=" ".join(sorted(sources.get(m, ()))),
                via=compact(m) if not m.startswith("_:") else "")

        for pp, info in sorted(participations.items()):
            agent, event = info["agent"], info["event"]
            if agent not in types or event not in types:
                continue
            rs = sorted(info["roles"])
            role_en = role_names(rs, en_terms)
            behalf = sorted(info["behalf"])
            eid = compact(pp) if not pp.startswith("_:") else _blank_id(
                compact(agent), "cv:hasParticipation", compact(event), *rs, *behalf)
            add(agent, event, eid, label=f"{role_en} at" if role_en else "participant in",
                predicate=_x("cv:hasParticipation"), role=role_names(rs, role_terms),
                sources=" ".join(sorted(sources.get(pp, ()))),
                via=compact(pp) if not pp.startswith("_:") else "",
                on_behalf_of=" ".join(compact(b) for b in behalf))

        held: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        for post, org, person, role in posts:
            held[post, org, person].update([role] if role else [])
        for (post, org, person), rs_set in sorted(held.items()):
            if (post, person) in via_posts or person not in types or org not in types:
                continue
            rs = sorted(rs_set)
            role_en = role_names(rs, en_terms)
            eid = (f"{compact(post)}--{compact(person)}" if not post.startswith("_:")
                   else _blank_id(compact(person), "org:holds", compact(org), *rs))
            add(person, org, eid, label=f"{role_en} of" if role_en else "holds post in",
                predicate=_x("org:holds"), role=role_names(rs, role_terms),
                sources=" ".join(sorted(sources.get(post, ()))),
                via=compact(post) if not post.startswith("_:") else "")

        for s, p, site, place in sorted(self._site_rows):
            if s in types and place in types:
                add(s, place, f"{compact(s)}--{compact(p)}--{compact(place)}",
                    label=PREDICATE_LABELS.get(p, "based in"), predicate=p,
                    sources=" ".join(sorted(sources.get(site, ()))),
                    via=compact(site) if not site.startswith("_:") else "")

        direct = self._direct()
        labels = self._predicate_labels({p for _, p, _ in direct})
        for s, p, o in sorted(direct):
            if s not in types or o not in types:
                continue
            if p in shortcuts and (s, o) in pairs:
                continue  # drawn already, with its role and dates, as the Membership edge
            add(s, o, f"{compact(s)}--{compact(p)}--{compact(o)}", label=labels[p], predicate=p)
        return list(edges.values())

    @property
    def _site_rows(self) -> list[list[str]]:
        if self._sites_cache is None:
            self._sites_cache = self.each(_Q_SITES, pin=_SITE_PROPS)
        return self._sites_cache

    def _terms_en(self, iris: Iterable[str]) -> dict[str, tuple[str, set[str]]]:
        lang, self.lang = self.lang, "en"
        try:
            return self._terms(iris)
        finally:
            self.lang = lang

    def _memberships(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for m, member, org, role, post in self.each(_Q_MEMBERSHIPS):
            info = out.setdefault(m, {"member": member, "org": org, "roles": set(), "posts": set(),
                                      "start": "", "end": ""})
            if role:
                info["roles"].add(role)
            if post:
                info["posts"].add(post)
        begin = _x("time:hasBeginning")
        for m, which, d in self.each(_Q_MEMBERSHIP_DATES, dates=_DATE_PROPS.replace(" ", ", "), literals=True):
            if m in out:
                attr = "start" if which == begin else "end"
                old = out[m][attr]
                out[m][attr] = (min(old, d) if attr == "start" else max(old, d)) if old else d
        return out

    def _participations(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for pp, event, agent, role, behalf in self.each(_Q_PARTICIPATIONS):
            info = out.setdefault(pp, {"event": event, "agent": agent, "roles": set(), "behalf": set()})
            if role:
                info["roles"].add(role)
            if behalf:
                info["behalf"].add(behalf)
        return out

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


def _role_fallback(role: str) -> str:
    local = _local(role)
    return _camel_words(local[5:] if local.startswith("role-") else local)
