"""The vocabulary as data: entity kinds, the label rule, relation families and the n-ary folds.

Everything that needs to know "what is an organisation", "what is this thing called", "what
colour is a milestone" or "which node stands for an edge" reads this module: the network
projection (:mod:`ssegraph.network`), ``describe``, ``stats``, the views, the timeline, the GEXF
writer and the CLI's ``--types``. A newcomer adds an entity kind, a label property, a relation
family or an n-ary fold here, in one record, and every front end follows.

Plain data and plain functions only: no pyoxigraph, networkx or pyvis import, so the CLI can read
it for ``--help`` at no cost.

Colours are the Okabe-Ito palette (Okabe & Ito, *Color Universal Design*, 2008), which stays
distinguishable under the common colour-vision deficiencies; each kind also has its own shape
so that no information rests on colour alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import NotFoundError
from .namespaces import PREFIXES

__all__ = [
    "ACRONYM",
    "ALT_LABEL",
    "DATE_PROPERTIES",
    "DEGREE",
    "FOLDS",
    "KINDS",
    "LABEL_PROPERTIES",
    "OKABE_ITO",
    "PREDICATE_LABELS",
    "RELATION_FAMILIES",
    "SYMBOL",
    "EntityKind",
    "Fold",
    "RelationFamily",
    "choose_label",
    "degree",
    "expand",
    "family",
    "family_of",
    "fold",
    "kind",
    "kind_for",
    "parse_kinds",
    "tell_apart",
]


def expand(curie: str) -> str:
    """``"org:memberOf"`` → the full IRI (a full IRI is returned unchanged).

    Examples
    --------
    >>> expand("org:memberOf")
    'http://www.w3.org/ns/org#memberOf'
    """
    prefix, sep, local = curie.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return curie


#: The Okabe-Ito palette by name.
OKABE_ITO: dict[str, str] = {
    "black": "#000000", "orange": "#E69F00", "sky blue": "#56B4E9", "bluish green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish purple": "#CC79A7",
}
#: The colour of anything the model does not know (a kind or family outside the tables).
OTHER_COLOUR = "#7F7F7F"


# -- entity kinds ----------------------------------------------------------------------------

@dataclass(frozen=True)
class EntityKind:
    """One kind of node: which classes make it, what it is called and how it is drawn.

    ``classes`` are full IRIs. ``shape`` is a vis-network node shape; ``glyph`` the same shape as
    one character, for legends in text and HTML.
    """

    key: str
    classes: tuple[str, ...]
    label: str
    plural: str
    colour: str
    shape: str
    glyph: str = "\u25cf"

    @property
    def aliases(self) -> tuple[str, ...]:
        """Names ``--types`` accepts: key, plural, lower-case label, American spelling."""
        names = [self.key, self.plural.lower(), self.label.lower()]
        names += [n.replace("isation", "ization") for n in names]
        return tuple(dict.fromkeys(names))


def _classes(*curies: str) -> tuple[str, ...]:
    return tuple(expand(c) for c in curies)


#: The entity kinds, in the order that decides the kind of an entity with classes of several.
KINDS: tuple[EntityKind, ...] = (
    EntityKind("organisation", _classes(
        "org:Organization", "org:FormalOrganization", "org:OrganizationalUnit",
        "org:OrganizationalCollaboration", "foaf:Organization", "schema:Organization",
        "schema:NGO", "schema:GovernmentOrganization"),
        "Organisation", "Organisations", OKABE_ITO["blue"], "dot", "\u25cf"),
    EntityKind("person", _classes("foaf:Person", "schema:Person"),
               "Person", "People", OKABE_ITO["reddish purple"], "triangle", "\u25b2"),
    EntityKind("milestone", _classes("eli:LegalResource", "schema:Legislation"),
               "Policy milestone", "Milestones", OKABE_ITO["vermillion"], "square", "\u25a0"),
    EntityKind("event", _classes("schema:Event", "cv:PublicEvent", "schema:EducationEvent",
                                 "schema:ConferenceEvent"),
               "Event", "Events", OKABE_ITO["bluish green"], "diamond", "\u25c6"),
    EntityKind("place", _classes("schema:Place", "schema:City", "schema:Country",
                                 "schema:AdministrativeArea"),
               "Place", "Places", OKABE_ITO["orange"], "triangleDown", "\u25bc"),
)

#: Where a policy milestone applies as law (``eli:jurisdiction``): the countries of the EU
#: authority table, subnational areas and the scopes of international instruments. Not a node
#: kind of the projected network, where a milestone's jurisdiction and country are attributes
#: (a hundred country hubs would bury the ties between organisations), but every jurisdiction
#: has its page on the site (:mod:`ssegraph.site`), which lists :data:`PAGE_KINDS`.
JURISDICTION = EntityKind("jurisdiction", _classes("eli:AdministrativeArea"),
                          "Jurisdiction", "Jurisdictions", OKABE_ITO["sky blue"], "hexagon", "\u2b22")
#: The kinds of entity that get a page of their own on the site.
PAGE_KINDS: tuple[EntityKind, ...] = (*KINDS, JURISDICTION)

_BY_KEY = {k.key: k for k in KINDS}
_BY_ALIAS = {alias: k for k in KINDS for alias in k.aliases}
_BY_ALIAS.update({"persons": _BY_KEY["person"], "org": _BY_KEY["organisation"],
                  "orgs": _BY_KEY["organisation"], "policy milestones": _BY_KEY["milestone"]})
_KIND_OF_CLASS: dict[str, EntityKind] = {}
for _k in KINDS:
    for _c in _k.classes:
        _KIND_OF_CLASS.setdefault(_c, _k)
_RANK = {k.key: i for i, k in enumerate(KINDS)}


def kind(key: str) -> EntityKind:
    """The entity kind called ``key`` (singular or plural, British or American spelling).

    Raises
    ------
    NotFoundError
        For an unknown kind; the message lists the valid ones.

    Examples
    --------
    >>> kind("people").key
    'person'
    >>> kind("organization").colour
    '#0072B2'
    """
    found = _BY_ALIAS.get(str(key).strip().lower())
    if found is None:
        import difflib

        plurals = [k.plural.lower() for k in KINDS]
        close = difflib.get_close_matches(str(key).strip().lower(), plurals, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise NotFoundError(f"unknown type {str(key).strip()!r}{hint}; valid types: " + ", ".join(plurals))
    return found


def kind_for(class_iris: Iterable[str]) -> EntityKind | None:
    """The kind of an entity with these classes (full IRIs or CURIEs); None if not an entity.

    When the classes belong to several kinds, the first in :data:`KINDS` wins.

    Examples
    --------
    >>> kind_for(["http://schema.org/Event", "http://www.w3.org/ns/org#Organization"]).key
    'organisation'
    >>> kind_for(["skos:Concept"]) is None
    True
    """
    best: EntityKind | None = None
    for c in class_iris:
        k = _KIND_OF_CLASS.get(c) or _KIND_OF_CLASS.get(expand(c))
        if k is not None and (best is None or _RANK[k.key] < _RANK[best.key]):
            best = k
    return best


def parse_kinds(types: str | Iterable[str] | None) -> tuple[str, ...]:
    """Normalise a ``--types`` selection to kind keys, in the order given; None means all.

    Examples
    --------
    >>> parse_kinds("organisations,events")
    ('organisation', 'event')
    """
    if types is None:
        return tuple(k.key for k in KINDS)
    items = types.split(",") if isinstance(types, str) else list(types)
    keys: list[str] = []
    for item in items:
        if str(item).strip():
            key = kind(item).key
            if key not in keys:
                keys.append(key)
    if not keys:
        raise NotFoundError("no type given; valid types: " + ", ".join(k.plural.lower() for k in KINDS))
    return tuple(keys)


# -- labels ----------------------------------------------------------------------------------

#: Label properties, best first: one ranked list for every front end. ``skos:altLabel`` is last
#: (a fallback name, and the language of an acronym); acronyms and symbols are not names and
#: are chosen by ``short=True`` instead.
LABEL_PROPERTIES: tuple[str, ...] = _classes(
    "skos:prefLabel", "foaf:name", "schema:name", "dcterms:title", "rdfs:label", "skos:altLabel")
#: An organisation's acronym (a sub-property of skos:altLabel).
ACRONYM = expand("sse:acronym")
#: A milestone's official symbol (A/RES/77/281, COM(2021) 778).
SYMBOL = expand("eli:id_local")
#: Dates that place an entity in time, best first: the year of a short milestone label.
DATE_PROPERTIES: tuple[str, ...] = _classes(
    "eli:date_document", "dcterms:date", "schema:startDate", "schema:foundingDate")
_LABEL_RANK = {p: i for i, p in enumerate(LABEL_PROPERTIES)}
#: Alternative labels: a fallback name, and the language of an acronym.
ALT_LABEL = expand("skos:altLabel")
_ALT = ALT_LABEL
_SHORT_TITLE = 40


def _lang_rank(tag: str, lang: str) -> int:
    tag = (tag or "").lower()
    if tag == lang or tag.startswith(lang + "-"):
        return 0
    if tag == "en" or tag.startswith("en-"):
        return 1
    return 2 if tag == "" else 3


def _as_triples(values: Mapping[str, Iterable] | Iterable) -> list[tuple[str, str, str]]:
    """Normalise label input to (property IRI, text, language tag) triples."""
    out: list[tuple[str, str, str]] = []
    if isinstance(values, Mapping):
        for prop, vals in values.items():
            for v in ([vals] if isinstance(vals, str) else vals):
                text, tag = (v, "") if isinstance(v, str) else (v[0], v[1] if len(v) > 1 else "")
                out.append((expand(prop), str(text), tag or ""))
        return out
    for row in values:
        prop, text, *rest = row
        out.append((expand(prop), str(text), (rest[0] if rest else "") or ""))
    return out


def _clip(text: str, limit: int = _SHORT_TITLE) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit - 1]
    return cut.rstrip(" ,;:-") + "\u2026"


def choose_label(values: Mapping[str, Iterable] | Iterable, lang: str = "en", *,
                 short: bool = False, kind: str | None = None) -> str:
    """The one name of an entity, from its literal values.

    ``values`` is either a mapping ``{property: [(text, lang), ...]}`` (a bare string is a text
    without language) or an iterable of ``(property, text, lang)`` triples; properties as full
    IRIs or CURIEs. Language: ``lang`` first, then English, then untagged, then any other.

    The full label is the best-ranked value of :data:`LABEL_PROPERTIES`. ``short=True`` gives
    the identifying label a reader knows: an organisation's acronym (preferring one whose
    ``skos:altLabel`` is in ``lang``), a milestone's symbol, else a milestone's short title and
    year, else the full label. Returns ``""`` when nothing names the entity.

    Examples
    --------
    >>> v = {"skos:prefLabel": [("International Labour Organization", "en"),
    ...                         ("Organisation internationale du Travail", "fr")],
    ...      "sse:acronym": ["ILO"]}
    >>> choose_label(v, "fr")
    'Organisation internationale du Travail'
    >>> choose_label(v, short=True)
    'ILO'
    >>> m = {"dcterms:title": [("Promoting the social and solidarity economy for sustainable development", "en")],
    ...      "eli:date_document": ["2024-12-19"]}
    >>> choose_label(m, short=True)
    'Promoting the social and solidarity… (2024)'
    """
    lang = (lang or "en").strip().lower()
    triples = _as_triples(values)
    best: tuple | None = None
    for prop, text, tag in triples:
        rank = _LABEL_RANK.get(prop)
        if rank is not None and text.strip():
            key = (_lang_rank(tag, lang), rank, text)
            if best is None or key < best:
                best = key
    full = best[2] if best else ""  # verbatim: a label is data, not layout
    if not short:
        return full
    acronyms = [(text, tag) for prop, text, tag in triples if prop == ACRONYM and text.strip()]
    if acronyms:
        alt = {}
        for prop, text, tag in triples:
            if prop == _ALT:
                r = _lang_rank(tag, lang)
                alt[text] = min(r, alt.get(text, r))
        return min(acronyms, key=lambda a: (alt.get(a[0], _lang_rank(a[1], lang)), a[0]))[0]
    symbols = sorted(text for prop, text, _ in triples if prop == SYMBOL and text.strip())
    if symbols:
        return symbols[0]
    if kind == "milestone" or (kind is None and any(p == expand("dcterms:title") for p, _, _ in triples)):
        year = _year(triples)
        if full:
            return f"{_clip(full)} ({year})" if year else _clip(full)
    return full


def _year(triples: list[tuple[str, str, str]]) -> str:
    for prop in DATE_PROPERTIES:
        for p, text, _ in triples:
            if p == prop and re.match(r"-?\d{4}", text):
                return text[:4]
    return ""


def tell_apart(labels: Mapping[str, str], qualifiers: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Make equal labels distinct by adding the first qualifier that differs.

    ``labels`` maps an id to its label; ``qualifiers`` an id to candidate qualifiers, best first
    (a symbol, then a year). A label used by one id only is kept as is. Two texts both titled
    "Promoting the social and solidarity economy…" become "… (A/RES/77/281)" and "… (2024)".

    Examples
    --------
    >>> tell_apart({"a": "X", "b": "X", "c": "Y"}, {"a": ["A/1", "2023"], "b": ["", "2024"]})
    {'a': 'X (A/1)', 'b': 'X (2024)', 'c': 'Y'}
    """
    groups: dict[str, list[str]] = {}
    for key, label in labels.items():
        groups.setdefault(label, []).append(key)
    out = dict(labels)
    for label, keys in groups.items():
        if len(keys) < 2 or not label:
            continue
        for key in keys:
            extra = next((q for q in qualifiers.get(key, ()) if q), "")
            if extra and extra not in label:
                out[key] = f"{label} ({extra})"
    return out


# -- relation families -----------------------------------------------------------------------

@dataclass(frozen=True)
class RelationFamily:
    """A family of relations drawn in one colour and toggled together in a legend."""

    key: str
    label: str
    colour: str
    predicates: tuple[str, ...] = ()


RELATION_FAMILIES: tuple[RelationFamily, ...] = (
    RelationFamily("membership", "Membership and roles", OKABE_ITO["blue"], _classes(
        "org:memberOf", "sse:observerOf", "org:headOf", "org:hasMember", "org:holds",
        "org:hasMembership")),
    RelationFamily("lineage", "Policy lineage", OKABE_ITO["vermillion"], _classes(
        "eli:cites", "eli:based_on", "eli:amends", "eli:repeals", "eli:changes", "eli:transposes",
        "eli:applies", "eli:related_to", "sse:followsUp", "sse:implements", "sse:mandates",
        "dcterms:relation", "dcterms:references", "prov:wasRevisionOf", "eli:is_realized_by",
        "eli:realizes")),
    RelationFamily("organising", "Organising and authorship", OKABE_ITO["bluish green"], _classes(
        "eli:passed_by", "eli:responsibility_of_agent", "schema:organizer", "schema:contributor",
        "schema:sponsor", "schema:funder", "dcterms:publisher", "dcterms:creator",
        "prov:wasGeneratedBy", "org:unitOf", "org:hasUnit", "org:subOrganizationOf",
        "org:hasSubOrganization", "org:linkedTo", "schema:superEvent", "schema:subEvent",
        "owl:sameAs")),
    RelationFamily("participation", "Participation", OKABE_ITO["reddish purple"], _classes(
        "cv:hasParticipation", "schema:attendee", "schema:performer")),
    RelationFamily("place", "Place", OKABE_ITO["orange"], _classes(
        "org:hasPrimarySite", "org:hasRegisteredSite", "org:hasSite", "schema:location",
        "schema:containedInPlace", "eli:jurisdiction", "schema:areaServed", "schema:foundingLocation",
        "schema:address", "schema:spatialCoverage", "dcterms:spatial")),
    RelationFamily("other", "Other", OTHER_COLOUR),
)
_FAMILY_BY_KEY = {f.key: f for f in RELATION_FAMILIES}
_FAMILY_OF_PREDICATE = {p: f for f in RELATION_FAMILIES for p in f.predicates}


def family(key: str) -> RelationFamily:
    """The relation family called ``key`` (``"membership"``, ``"lineage"``, …)."""
    try:
        return _FAMILY_BY_KEY[key]
    except KeyError:
        raise NotFoundError(f"unknown relation family {key!r}; valid: "
                            + ", ".join(_FAMILY_BY_KEY)) from None


#: Readable edge labels of the predicates the contract uses (English, like the ontology's own
#: ``rdfs:label``); other predicates use their ``rdfs:label``@en or their split local name.
PREDICATE_LABELS: dict[str, str] = {expand(k): v for k, v in {
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
    "eli:jurisdiction": "jurisdiction",
}.items()}
#: How a relation reads from its object's side: the links *to* an entity, on its page of the site
#: ("has member" for org:memberOf). A predicate not here reads 'is “{label}” of'.
INVERSE_LABELS: dict[str, str] = {expand(p): w for p, w in {
    "org:memberOf": "has member", "sse:observerOf": "has observer", "org:headOf": "headed by",
    "org:unitOf": "has unit", "org:hasUnit": "unit of", "org:subOrganizationOf": "has part",
    "org:hasSubOrganization": "part of", "org:linkedTo": "linked from",
    "eli:passed_by": "adopted", "eli:cites": "cited by", "eli:based_on": "basis of",
    "eli:amends": "amended by", "eli:amended_by": "amends", "eli:repeals": "repealed by",
    "eli:repealed_by": "repeals", "eli:changes": "changed by", "eli:transposes": "transposed by",
    "eli:applies": "applied by", "eli:related_to": "related to",
    "eli:responsibility_of_agent": "responsible for", "sse:followsUp": "followed up by",
    "sse:implements": "implemented by", "sse:mandates": "mandated by",
    "dcterms:relation": "related to", "dcterms:references": "referenced by",
    "dcterms:replaces": "replaced by", "dcterms:publisher": "publisher of",
    "prov:wasGeneratedBy": "led to", "prov:wasRevisionOf": "revised by",
    "schema:organizer": "organiser of", "schema:contributor": "contributor to",
    "schema:attendee": "attended", "schema:sponsor": "sponsor of", "schema:funder": "funder of",
    "schema:location": "place of", "schema:containedInPlace": "contains",
    "schema:superEvent": "has sub-event", "schema:subEvent": "part of the event",
    "schema:founder": "founder of", "schema:foundingLocation": "place of founding of",
    "owl:sameAs": "same as", "org:hasPrimarySite": "seat of", "org:hasRegisteredSite": "registered office of",
    "org:hasSite": "site of", "eli:jurisdiction": "jurisdiction of", "eli:relevant_for": "scope of",
    "dcterms:spatial": "spatial coverage of", "skos:broader": "broader than", "skos:narrower": "narrower than",
    "prov:wasInfluencedBy": "influenced", "schema:about": "subject of", "schema:mentions": "mentioned by",
    "org:originalOrganization": "original organisation of", "org:resultingOrganization": "resulted from",
    "org:resultedFrom": "resulted in", "schema:areaServed": "served by",
}.items()}
_FAMILY_OF_LABEL = {label: _FAMILY_OF_PREDICATE[p] for p, label in PREDICATE_LABELS.items()
                    if p in _FAMILY_OF_PREDICATE}


def family_of(edge_label_or_predicate: str) -> RelationFamily:
    """The relation family of a predicate (IRI or CURIE) or of a projected edge's label.

    Fold edges are labelled by role ("observer of", "chair at"): a label ending in a fold's
    label suffix falls in that fold's family. Anything unknown is ``other``.

    Examples
    --------
    >>> family_of("sse:followsUp").key
    'lineage'
    >>> family_of("observer of").key
    'membership'
    >>> family_of("speaker at").key
    'participation'
    """
    text = (edge_label_or_predicate or "").strip()
    found = _FAMILY_OF_PREDICATE.get(text) or _FAMILY_OF_PREDICATE.get(expand(text)) \
        or _FAMILY_OF_LABEL.get(text.lower())
    if found is not None:
        return found
    for f in FOLDS:
        if f.predicate == expand(text):
            return _FAMILY_BY_KEY[f.family]
    for f in FOLDS:
        if f.label_suffix and text.lower().endswith(" " + f.label_suffix):
            return _FAMILY_BY_KEY[f.family]
    return _FAMILY_BY_KEY["other"]


# -- n-ary folds -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Fold:
    """An n-ary node of the vocabulary that the projection draws as one edge.

    Paths are SPARQL property paths read *from the n-ary node* (CURIEs; ``^p`` is ``p``
    backwards), so a fold whose node is pointed at (a Site, a Participation) is said as easily
    as one that points out (a Membership):

    ``cls``          the class of the n-ary node ("" when it is found by ``source`` alone);
    ``source``       path n-ary node → the edge's source entity;
    ``target``       path n-ary node → the edge's target entity;
    ``role``         path to the role concept(s) ("" if none);
    ``dates``        path to a ``time:Interval`` whose beginning/end give ``start``/``end``;
    ``attributes``   (edge attribute, path) pairs copied as compact IRIs (``on_behalf_of``);
    ``predicate``    the edge's ``predicate`` attribute (a role's ``org:roleProperty`` wins);
    ``label``        the edge label without a role; with roles it is "{roles} {label_suffix}";
    ``edge_id``      "node" (the n-ary node's IRI), "node--source" (one node, several holders)
                     or "source--predicate--target";
    ``replaces``     direct predicates source → target not drawn again when this edge exists;
    ``yields_to``    path from this n-ary node to a node of another fold that already draws
                     the same tie (a Post is not drawn when a Membership ``sse:viaPost`` it);
    ``family``       the :class:`RelationFamily` key.
    """

    key: str
    cls: str
    source: str
    target: str
    predicate: str
    label: str
    family: str
    role: str = ""
    label_suffix: str = ""
    dates: str = ""
    attributes: tuple[tuple[str, str], ...] = ()
    edge_id: str = "node"
    replaces: tuple[str, ...] = ()
    yields_to: str = ""


FOLDS: tuple[Fold, ...] = (
    Fold("membership", "org:Membership", source="org:member", target="org:organization",
         predicate="org:memberOf", label="member of", family="membership", role="org:role",
         label_suffix="of", dates="org:memberDuring",
         replaces=("org:memberOf", "sse:observerOf", "org:headOf")),
    Fold("participation", "cv:Participation", source="cv:hasParticipant",
         target="^cv:hasParticipation", predicate="cv:hasParticipation", label="participant in",
         family="participation", role="cv:role", label_suffix="at",
         attributes=(("on_behalf_of", "sse:onBehalfOf"),)),
    Fold("post", "org:Post", source="org:heldBy|^org:holds", target="org:postIn",
         predicate="org:holds", label="holds post in", family="membership", role="org:role",
         label_suffix="of", edge_id="node--source", yields_to="^sse:viaPost"),
    Fold("primary-site", "", source="^org:hasPrimarySite", target="schema:containedInPlace",
         predicate="org:hasPrimarySite", label="based in", family="place",
         edge_id="source--predicate--target"),
    Fold("registered-site", "", source="^org:hasRegisteredSite", target="schema:containedInPlace",
         predicate="org:hasRegisteredSite", label="registered in", family="place",
         edge_id="source--predicate--target"),
    Fold("site", "", source="^org:hasSite", target="schema:containedInPlace",
         predicate="org:hasSite", label="has site in", family="place",
         edge_id="source--predicate--target"),
)


def fold(key: str) -> Fold:
    """The n-ary fold called ``key``."""
    for f in FOLDS:
        if f.key == key:
            return f
    raise NotFoundError(f"unknown fold {key!r}; valid: " + ", ".join(f.key for f in FOLDS))


# -- degree ----------------------------------------------------------------------------------

#: What :func:`degree` counts, said once for stats, the view's panel and the GEXF export.
DEGREE = ("the number of distinct entities linked to it in the projected network, in either "
          "direction and by any relation (two links to the same entity count once)")


def degree(G: Any, node: Any) -> int:
    """The degree used everywhere: distinct neighbours in either direction (see :data:`DEGREE`).

    A MultiDiGraph's own ``G.degree`` counts every parallel edge and both directions, so one
    organisation that is member, observer and host of the same body would count three times.
    """
    if G.is_directed():
        nbrs = set(G.successors(node)) | set(G.predecessors(node))
    else:
        nbrs = set(G.neighbors(node))
    nbrs.discard(node)
    return len(nbrs)
