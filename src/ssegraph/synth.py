"""Synthetic SSE-shaped Turtle at a requested size, for benchmarks.

Users load national registries of SSE enterprises (tens of thousands of organisations, a million
triples and more); the bundled graph is a few thousand triples. To know that every command stays
fast at that scale, the benchmarks need data of that shape at 10k, 100k and 1M triples. This module
writes it: organisations of every type with sites and places, memberships with roles and dated
intervals (plus the shortcut triple), people and posts, policy milestones that cite and follow up
earlier ones, events with organisers, partners, participations and participant counts, and the
source records that every one of them is derived from, all conforming to ``ontology/shapes.ttl``.

Design choices, and why:

- **Deterministic.** One ``random.Random(seed)`` drives everything, and nothing depends on set or
  dict ordering, so the same seed gives the same bytes on every run and machine: benchmark runs
  compare like with like, and a failing test can be reproduced.
- **Its own namespace.** Every instance IRI starts with ``id:synth-`` (sources ``src:synth-``), so
  synthetic data can be loaded next to the curated data without ever colliding with it.
- **Streamed, grown unit by unit.** Each step adds one organisation and, with fixed probabilities,
  the memberships, people, milestones, events, places and sources around it, until the requested
  triple count is reached. Ratios therefore stay the same at every size (about 45 triples per
  organisation), while hubs grow by preferential attachment as real networks do. Text is
  buffered and written in large chunks: a million triples take a few seconds.
- **Atomic.** Each file is written through :func:`ssegraph._io.atomic_write`, so an interrupted
  run never leaves half a file that a later benchmark would load.

Well-known IRIs, for benchmarks that need parameters: ``id:synth-org-0`` is the largest network
(the hub most memberships point to) and ``id:synth-doc-0`` the oldest milestone (the most cited).
"""

from __future__ import annotations

import contextlib
import os
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ._io import atomic_write
from .errors import SsegraphError
from .namespaces import PREFIXES

__all__ = ["SYNTH_HUB", "SYNTH_MILESTONE", "SynthSummary", "generate_synth", "parse_count",
           "write_synth"]

#: The network most synthetic memberships point to.
SYNTH_HUB = "https://w3id.org/ssegraph/id/synth-org-0"
#: The oldest synthetic milestone, which later ones cite most.
SYNTH_MILESTONE = "https://w3id.org/ssegraph/id/synth-doc-0"

#: The files written, one per domain as in ``data/``.
FILES = ("organisations", "memberships", "people", "policy", "events", "places", "sources")

_PREFIXES = {p: PREFIXES[p] for p in ("id", "src", "sse", "kos", "org", "foaf", "schema", "eli", "dcterms",
                                      "prov", "time", "skos", "cv", "rdfs", "xsd", "sdg", "country")}

# Organisation types (kos:orgtype-*) with weights for a registry-like mix: mostly associations,
# cooperatives and local actors, a few networks, governments and international bodies.
_ORG_TYPES: tuple[tuple[str, float], ...] = (
    ("ngo", 30), ("financial-cooperative", 12), ("foundation", 8), ("local-government", 7),
    ("training-centre", 4), ("cooperative-federation", 4), ("sse-network", 3),
    ("representative-body", 3), ("research-institute", 3), ("university", 3),
    ("business-confederation", 2), ("ministry", 2), ("subnational-government", 2),
    ("multi-stakeholder-initiative", 1.5), ("regional-sse-network", 1.5),
    ("association-of-local-governments", 1), ("research-network", 1), ("national-government", 0.6),
    ("legislature", 0.6), ("governing-organ", 0.6), ("network-of-networks", 0.5),
    ("intergovernmental-organisation", 0.3), ("inter-agency-mechanism", 0.2),
    ("scientific-organisation", 0.2),
)
_NETWORK_TYPES = frozenset({
    "cooperative-federation", "sse-network", "regional-sse-network", "network-of-networks",
    "research-network", "business-confederation", "association-of-local-governments",
    "multi-stakeholder-initiative", "inter-agency-mechanism",
})
_COLLABORATION_TYPES = frozenset({"multi-stakeholder-initiative", "inter-agency-mechanism"})
_PARENT_TYPES = frozenset({"intergovernmental-organisation", "national-government", "ministry"})
# Who adopts milestones, and of which kinds (kos:doctype-*).
_DOCTYPES_BY_TYPE: dict[str, tuple[str, ...]] = {
    "legislature": ("national-law", "national-law", "regulation"),
    "national-government": ("decree", "national-law", "strategy-action-plan"),
    "ministry": ("decree", "regulation", "strategy-action-plan"),
    "subnational-government": ("subnational-law", "strategy-action-plan"),
    "local-government": ("strategy-action-plan", "declaration"),
    "governing-organ": ("declaration", "roadmap", "intergovernmental-declaration"),
    "intergovernmental-organisation": ("intergovernmental-declaration", "roadmap"),
}
_NETWORK_DOCTYPES = ("position-paper", "declaration", "roadmap", "knowledge-platform")
_LAW_TYPES = frozenset({"national-law", "subnational-law", "decree", "regulation"})
# The instrument family (dcterms:type → kos:instrument-*) of each document type; every synthetic
# milestone is adopted (sse:status kos:status-adopted): the shapes want exactly one of each.
_FAMILY_BY_DOCTYPE = {
    "national-law": "other-law", "subnational-law": "other-law", "decree": "implementing-act",
    "regulation": "implementing-act", "strategy-action-plan": "strategy-plan",
    "intergovernmental-declaration": "international", "declaration": "policy-document",
    "roadmap": "policy-document", "position-paper": "policy-document", "knowledge-platform": "policy-document",
}

_COUNTRIES = ("FRA", "ESP", "ITA", "PRT", "BEL", "DEU", "POL", "GRC", "IRL", "SWE", "CAN", "BRA",
              "ARG", "MEX", "COL", "SEN", "MAR", "TUN", "CMR", "ZAF", "KEN", "KOR", "JPN", "IND",
              "PHL", "LUX", "CHE", "GBR", "USA", "URY")
_SYLLABLES = ("bel", "mar", "val", "tor", "sen", "ria", "lon", "dor", "ven", "cas", "mon", "tel",
              "san", "fal", "ber", "gua", "lim", "nor", "sol", "tar", "cor", "pal", "mir", "vel")
_CITY_SUFFIX = ("", "ville", "burg", "port", "dale", "field", "mont", "sur-Mer", "haven")
_ORG_ADJ = ("Solidarity", "Community", "Cooperative", "Social", "Mutual", "Popular", "Green",
            "Fair", "Inclusive", "Rural", "Urban", "Women's", "Youth", "Workers'", "Circular",
            "Regional", "Local", "Ethical", "Citizen", "Common")
_ORG_NOUN = {
    "ngo": ("Association", "Alliance", "Initiative", "Collective", "Action Group"),
    "financial-cooperative": ("Credit Union", "Savings Cooperative", "Ethical Bank", "Mutual Fund"),
    "foundation": ("Foundation", "Trust", "Fund"),
    "local-government": ("City Council", "Municipality", "District Council"),
    "training-centre": ("Training Centre", "Academy", "School of the Social Economy"),
    "cooperative-federation": ("Federation of Cooperatives", "Cooperative Union"),
    "sse-network": ("SSE Network", "Social Economy Network", "Solidarity Economy Platform"),
    "representative-body": ("Chamber of the Social Economy", "Council of Cooperatives"),
    "research-institute": ("Research Institute", "Observatory", "Centre for Studies"),
    "university": ("University", "Institute of Technology", "College"),
    "business-confederation": ("Confederation of Enterprises", "Employers' Union"),
    "ministry": ("Ministry of Social Economy", "Ministry of Labour", "Secretariat of State"),
    "subnational-government": ("Regional Government", "Provincial Government"),
    "multi-stakeholder-initiative": ("Partnership", "Coalition", "Compact"),
    "regional-sse-network": ("Continental SSE Network", "Intercontinental Network"),
    "association-of-local-governments": ("Network of Cities", "League of Municipalities"),
    "research-network": ("Research Network", "Scholars' Network"),
    "national-government": ("Government", "Federal Government"),
    "legislature": ("Parliament", "National Assembly", "Congress"),
    "governing-organ": ("Council", "Governing Body", "Assembly", "Committee"),
    "network-of-networks": ("Global Network", "World Forum", "Intercontinental Network"),
    "intergovernmental-organisation": ("Intergovernmental Organisation", "Union of States"),
    "inter-agency-mechanism": ("Inter-Agency Task Force", "Inter-Agency Group"),
    "scientific-organisation": ("Academy of Sciences", "Scientific Union"),
}
_FR_NOUN = {"ngo": "Association", "foundation": "Fondation", "financial-cooperative": "Coopérative",
            "sse-network": "Réseau", "university": "Université"}
_FIRST = ("Ana", "Luis", "Marie", "Jean", "Fatou", "Amadou", "Sofia", "Marco", "Yuna", "Min-jun",
          "Olga", "Piotr", "Aisha", "Omar", "Lucía", "Diego", "Claire", "Paul", "Nadia", "Karim",
          "Inês", "João", "Hana", "Kenji", "Grace", "Samuel", "Elena", "Nikos", "Zanele", "Thabo")
_LAST = ("Silva", "García", "Martin", "Dubois", "Diop", "Ndiaye", "Rossi", "Bianchi", "Kim",
         "Park", "Nowak", "Kowalski", "Haddad", "Benali", "López", "Fernández", "Moreau", "Lambert",
         "Okafor", "Mensah", "Santos", "Costa", "Tanaka", "Sato", "Wanjiru", "Mbeki", "Papadopoulos",
         "Ionescu", "Novak", "Jensen")
_POST_ROLES = ("director", "president", "executive-director", "general-coordinator",
               "secretary-general", "chair", "co-president", "board-member")
_PARTICIPATION_ROLES = ("speaker", "speaker", "representative", "attendee", "facilitator")
_EVENT_KIND = ("Forum", "Symposium", "Conference", "Summit", "Meeting", "Week", "Congress",
               "Webinar")
_EVENT_TOPIC = ("the Social and Solidarity Economy", "Cooperative Finance", "Social Innovation",
                "Decent Work", "Local Development", "the Circular Economy", "Public Policies",
                "Community Enterprise", "Food Sovereignty", "Just Transition")
_DOC_TOPIC = ("on the social and solidarity economy", "on cooperatives", "on social enterprises",
              "on mutual societies", "promoting the social economy", "on ethical finance",
              "on decent work in the social economy", "on social innovation",
              "on public procurement and the social economy", "on community land trusts")
_DOC_KIND = {"national-law": "Law", "subnational-law": "Regional Law", "decree": "Decree",
             "regulation": "Regulation", "strategy-action-plan": "Action Plan",
             "declaration": "Declaration", "roadmap": "Roadmap",
             "intergovernmental-declaration": "Joint Declaration",
             "position-paper": "Position Paper", "knowledge-platform": "Knowledge Hub"}
_COUNT_KINDS = ("actual", "actual", "approximate", "expected", "registered")

# Per organisation added: how likely each neighbouring item is. About 45 triples per unit.
_P_NETWORK_JOINS = (0.0, 0.5, 0.85, 1.0)  # cumulative: 1, 2 or 3 networks joined
_P_OBSERVER = 0.2
_P_MEMBERSHIP_END = 0.1
_P_PERSON = 0.5
_P_TENURE = 0.2
_P_MILESTONE = 0.1
_P_EVENT = 0.05
_P_PLACE = 0.03
_P_SOURCE = 0.15
_P_LOW_CONFIDENCE = 0.01
_SEED_NETWORKS = 5


class SynthError(SsegraphError):
    """The synthetic data could not be written (bad size, unwritable folder)."""


@dataclass
class SynthSummary:
    """What :func:`write_synth` wrote: the files, the exact triple count and entity counts."""

    folder: Path
    files: list[Path]
    triples: int
    counts: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        parts = ", ".join(f"{n:,} {k}" for k, n in self.counts.items())
        return f"{self.triples:,} triples in {len(self.files)} files ({parts})"


def parse_count(text: str | int) -> int:
    """Read a triple count written as ``10000``, ``10k``, ``100K``, ``1M`` or ``1.5m``.

    Examples
    --------
    >>> parse_count("10k"), parse_count("1M"), parse_count("2500")
    (10000, 1000000, 2500)
    """
    if isinstance(text, int):
        return text
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*", str(text).replace("_", "").replace(",", ""))
    if not m:
        raise SynthError(f"{text!r} is not a triple count (e.g. 10000, 10k, 1M)")
    scale = {"": 1, "k": 1_000, "m": 1_000_000}[m.group(2).lower()]
    return int(float(m.group(1)) * scale)


def _lit(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def _typed(value: str, datatype: str) -> str:
    return f'"{value}"^^xsd:{datatype}'


class _Writer:
    """Buffers the Turtle text of each file and counts the triples emitted."""

    def __init__(self) -> None:
        self.buffers: dict[str, list[str]] = {name: [] for name in FILES}
        self.sizes: dict[str, int] = dict.fromkeys(FILES, 0)
        self.triples = 0

    def block(self, file: str, subject: str, pairs: list[tuple[str, tuple[str, ...] | str]],
              extra: int = 0) -> None:
        """One subject with its predicate-object pairs; ``extra`` counts nested blank-node triples."""
        lines = []
        for pred, objs in pairs:
            if isinstance(objs, str):
                lines.append(f"{pred} {objs}")
                self.triples += 1
            else:
                lines.append(f"{pred} {', '.join(objs)}")
                self.triples += len(objs)
        text = f"{subject} " + " ;\n    ".join(lines) + " .\n\n"
        self.buffers[file].append(text)
        self.sizes[file] += len(text)
        self.triples += extra

    def line(self, file: str, text: str, triples: int = 1) -> None:
        self.buffers[file].append(text)
        self.sizes[file] += len(text)
        self.triples += triples

    def drain(self, threshold: int = 0) -> Iterator[tuple[str, str]]:
        for name in FILES:
            if self.sizes[name] > threshold and self.buffers[name]:
                yield name, "".join(self.buffers[name])
                self.buffers[name] = []
                self.sizes[name] = 0


@dataclass
class _Org:
    type: str
    founded: int
    country: str


def generate_synth(triples: int, seed: int = 0, counts: dict[str, int] | None = None
                   ) -> Iterator[tuple[str, str]]:
    """Yield ``(file stem, Turtle text)`` chunks of a synthetic graph of about ``triples`` triples.

    The chunks of one file, concatenated in order, are a valid Turtle document (the first chunk
    of each file carries its prefixes). The graph is complete when the iterator is exhausted;
    ``counts``, if given, is filled with the number of entities of each kind and the exact triple
    count under ``"triples"``.

    Raises
    ------
    SynthError
        If ``triples`` is not positive.
    """
    if triples <= 0:
        raise SynthError(f"cannot generate {triples} triples: ask for at least 1")
    rng = random.Random(seed)
    w = _Writer()
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in _PREFIXES.items())
    for name in FILES:
        w.line(name, f"# Synthetic SSE-shaped data ({name}) written by ssegraph synth, seed {seed}, "
                     f"for about {triples} triples. Not real data: every IRI is id:synth-… .\n"
                     f"{header}\n", triples=0)

    type_names = [t for t, _ in _ORG_TYPES]
    type_cum: list[float] = []
    total = 0.0
    for _, weight in _ORG_TYPES:
        total += weight
        type_cum.append(total)

    orgs: list[_Org] = []
    networks: list[int] = []
    parents: list[int] = []
    authorities: list[int] = []
    post_people: list[tuple[int, int]] = []  # (person, organisation)
    n = dict.fromkeys(("sources", "places", "memberships", "people", "posts", "milestones",
                       "events", "participations"), 0)
    expected_units = max(1, triples // 43)
    expected_docs = max(1.0, expected_units * _P_MILESTONE)

    def pick_type() -> str:
        u = rng.random() * total
        lo, hi = 0, len(type_cum) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if type_cum[mid] < u:
                lo = mid + 1
            else:
                hi = mid
        return type_names[lo]

    def new_source(publisher: int | None) -> str:
        s = n["sources"]
        n["sources"] += 1
        year = rng.randrange(2008, 2025)
        pairs: list[tuple[str, tuple[str, ...] | str]] = [
            ("a", ("prov:Entity", "schema:CreativeWork")),
            ("schema:url", f"<https://synth-source-{s}.example.org/page/{rng.randrange(1, 999)}>"),
            ("dcterms:title", _lit(f"Synthetic source record {s}", "en")),
            ("dcterms:issued", _typed(f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}", "date")),
            ("sse:retrieved", _typed(f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}", "date")),
        ]
        if publisher is not None:
            pairs.append(("dcterms:publisher", f"id:synth-org-{publisher}"))
        w.block("sources", f"src:synth-src-{s}", pairs)
        return f"src:synth-src-{s}"

    def source() -> str:
        """A source record for the next statement: usually a recent one, sometimes a new one."""
        if n["sources"] == 0 or rng.random() < _P_SOURCE:
            return new_source(rng.randrange(len(orgs)) if orgs else None)
        recent = n["sources"]
        return f"src:synth-src-{rng.randrange(max(0, recent - 40), recent)}"

    def new_place() -> int:
        p = n["places"]
        n["places"] += 1
        first = rng.choice(_SYLLABLES).capitalize() + rng.choice(_SYLLABLES)
        suffix = rng.choice(_CITY_SUFFIX)
        name = f"{first}{suffix}" if not suffix.startswith("sur") else f"{first}-{suffix}"
        w.block("places", f"id:synth-place-{p}", [
            ("a", "schema:Place"),
            ("schema:name", _lit(f"{name} {p}", "en")),
            ("schema:containedInPlace", f"country:{_COUNTRIES[p % len(_COUNTRIES)]}"),
        ])
        return p

    def place() -> int:
        if n["places"] == 0 or rng.random() < _P_PLACE:
            return new_place()
        return int(n["places"] * rng.random() ** 1.5)

    def date_between(y0: int, y1: int) -> tuple[int, str]:
        y = rng.randrange(y0, max(y0 + 1, y1))
        return y, f"{y}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"

    def instant(year: int) -> str:
        u = rng.random()
        if u < 0.6:
            return f"[ a time:Instant ; time:inXSDgYear {_typed(str(year), 'gYear')} ]"
        if u < 0.85:
            return (f"[ a time:Instant ; time:inXSDDate "
                    f"{_typed(f'{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}', 'date')} ]")
        return f"[ a time:Instant ; time:inXSDgYearMonth {_typed(f'{year}-{rng.randrange(1, 13):02d}', 'gYearMonth')} ]"

    def low_confidence(pairs: list[tuple[str, tuple[str, ...] | str]], what: str) -> None:
        if rng.random() < _P_LOW_CONFIDENCE:
            pairs.append(("sse:confidence", "kos:confidence-low"))
            pairs.append(("skos:editorialNote", _lit(f"Synthetic: two sources disagree on the {what}.", "en")))

    def new_org() -> int:
        i = len(orgs)
        t = "sse-network" if i < _SEED_NETWORKS else pick_type()
        if t == "governing-organ" and not parents:
            t = "ngo"
        founded_year = rng.randrange(1900, 2023) if t in _PARENT_TYPES else rng.randrange(1950, 2024)
        p = place()
        country = _COUNTRIES[p % len(_COUNTRIES)]
        orgs.append(_Org(t, founded_year, country))
        adj = rng.choice(_ORG_ADJ)
        noun = rng.choice(_ORG_NOUN[t])
        name = f"{adj} {noun} {i}"
        acronym = "".join(word[0] for word in f"{adj} {noun}".split() if word[0].isalpha()).upper()
        if t in _COLLABORATION_TYPES:
            classes: tuple[str, ...] = ("org:Organization", "org:OrganizationalCollaboration")
        elif t == "governing-organ":
            classes = ("org:Organization", "org:OrganizationalUnit")
        else:
            classes = ("org:Organization", "org:FormalOrganization")
        labels = [_lit(name, "en")]
        if rng.random() < 0.25:
            labels.append(_lit(f"{_FR_NOUN.get(t, 'Organisation')} {adj.lower()} {i}", "fr"))
        u = rng.random()
        if u < 0.5:
            founded = _typed(str(founded_year), "gYear")
        elif u < 0.8:
            founded = _typed(f"{founded_year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}", "date")
        else:
            founded = _typed(f"{founded_year}-{rng.randrange(1, 13):02d}", "gYearMonth")
        pairs: list[tuple[str, tuple[str, ...] | str]] = [
            ("a", classes),
            ("skos:prefLabel", tuple(labels)),
            ("rdfs:label", _lit(name, "en")),
            ("sse:acronym", _lit(f"{acronym}{i}")),
            ("org:classification", f"kos:orgtype-{t}"),
            ("org:hasPrimarySite", f"id:synth-org-{i}-site"),
            ("schema:foundingDate", founded),
        ]
        if rng.random() < 0.7:
            pairs.append(("foaf:homepage", f"<https://synth-org-{i}.example.org/>"))
        if t == "governing-organ":
            pairs.append(("org:unitOf", f"id:synth-org-{parents[int(len(parents) * rng.random() ** 2)]}"))
        pairs.append(("prov:wasDerivedFrom", source()))
        low_confidence(pairs, "founding date")
        w.block("organisations", f"id:synth-org-{i}", pairs)
        w.block("organisations", f"id:synth-org-{i}-site", [
            ("a", "org:Site"), ("schema:containedInPlace", f"id:synth-place-{p}")])
        if t in _NETWORK_TYPES:
            networks.append(i)
        if t in _PARENT_TYPES:
            parents.append(i)
        if t in _DOCTYPES_BY_TYPE:
            authorities.append(i)
        return i

    def join(member: int) -> None:
        u = rng.random()
        k = next(j for j, c in enumerate(_P_NETWORK_JOINS) if u <= c and j > 0)
        chosen: list[int] = []
        for _ in range(k * 3):  # a few tries to find k distinct networks other than itself
            if len(chosen) == k:
                break
            target = networks[int(len(networks) * rng.random() ** 2)]
            if target != member and target not in chosen:
                chosen.append(target)
        for target in chosen:
            mid = n["memberships"]
            n["memberships"] += 1
            observer = rng.random() < _P_OBSERVER
            start = min(2024, max(orgs[member].founded, orgs[target].founded) + rng.randrange(0, 12))
            interval = f"[ a time:Interval ; time:hasBeginning {instant(start)}"
            extra = 4
            if rng.random() < _P_MEMBERSHIP_END:
                interval += f" ; time:hasEnd {instant(min(2025, start + rng.randrange(1, 10)))}"
                extra += 3
            interval += " ]"
            pairs: list[tuple[str, tuple[str, ...] | str]] = [
                ("a", "org:Membership"),
                ("org:member", f"id:synth-org-{member}"),
                ("org:organization", f"id:synth-org-{target}"),
                ("org:role", "kos:role-observer" if observer else "kos:role-member"),
                ("org:memberDuring", interval),
                ("prov:wasDerivedFrom", source()),
            ]
            if rng.random() < 0.2:
                pairs.append(("prov:hadPrimarySource", source()))
            low_confidence(pairs, "start of the membership")
            w.block("memberships", f"id:synth-ms-{mid}", pairs, extra=extra)
            shortcut = "sse:observerOf" if observer else "org:memberOf"
            w.line("memberships", f"id:synth-org-{member} {shortcut} id:synth-org-{target} .\n\n")

    def person(org_index: int) -> None:
        k = n["people"]
        n["people"] += 1
        n["posts"] += 1
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)} {k}"
        role = rng.choice(_POST_ROLES)
        w.block("people", f"id:synth-person-{k}", [
            ("a", "foaf:Person"), ("foaf:name", _lit(name)), ("org:holds", f"id:synth-post-{k}"),
            ("prov:wasDerivedFrom", source())])
        w.block("people", f"id:synth-post-{k}", [
            ("a", "org:Post"),
            ("org:postIn", f"id:synth-org-{org_index}"),
            ("org:role", f"kos:role-{role}"),
            ("skos:prefLabel", _lit(f"{role.replace('-', ' ').capitalize()} of organisation {org_index}", "en")),
            ("org:heldBy", f"id:synth-person-{k}"),
            ("prov:wasDerivedFrom", source()),
        ])
        if rng.random() < _P_TENURE:
            mid = n["memberships"]
            n["memberships"] += 1
            start = min(2024, orgs[org_index].founded + rng.randrange(0, 20))
            w.block("people", f"id:synth-ms-{mid}", [
                ("a", "org:Membership"),
                ("org:member", f"id:synth-person-{k}"),
                ("org:organization", f"id:synth-org-{org_index}"),
                ("org:role", f"kos:role-{role}"),
                ("sse:viaPost", f"id:synth-post-{k}"),
                ("org:memberDuring", f"[ a time:Interval ; time:hasBeginning {instant(start)} ]"),
                ("prov:wasDerivedFrom", source()),
            ], extra=4)
        post_people.append((k, org_index))

    def milestone() -> None:
        m = n["milestones"]
        n["milestones"] += 1
        if authorities and rng.random() < 0.75:
            body = authorities[int(len(authorities) * rng.random() ** 1.5)]
            doctype = rng.choice(_DOCTYPES_BY_TYPE[orgs[body].type])
        else:
            body = networks[int(len(networks) * rng.random() ** 2)]
            doctype = rng.choice(_NETWORK_DOCTYPES)
        # Dates grow with the index (with jitter), so that a milestone cites older ones.
        year = min(2024, 1990 + int(35 * m / expected_docs) + rng.randrange(-1, 2))
        kind = _DOC_KIND[doctype]
        pairs: list[tuple[str, tuple[str, ...] | str]] = [
            ("a", ("eli:LegalResource", "schema:Legislation")),
            ("eli:id_local", _lit(f"SYN/{year}/{m}")),
        ]
        titles = [_lit(f"{kind} {rng.choice(_DOC_TOPIC)} (synthetic {m})", "en")]
        if rng.random() < 0.3:
            titles.append(_lit(f"Texte synthétique {m}", "fr"))
        if rng.random() < 0.1:
            titles.append(_lit(f"Texto sintético {m}", "es"))
        pairs.append(("dcterms:title", tuple(titles)))
        pairs.append(("eli:type_document", f"kos:doctype-{doctype}"))
        pairs.append(("dcterms:type", f"kos:instrument-{_FAMILY_BY_DOCTYPE.get(doctype, 'policy-document')}"))
        pairs.append(("sse:status", "kos:status-adopted"))
        pairs.append(("eli:passed_by", f"id:synth-org-{body}"))
        if rng.random() < 0.9:
            adopted = f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
            pairs.append(("eli:date_document", _typed(adopted, "date")))
        elif rng.random() < 0.5:
            pairs.append(("dcterms:date", _typed(str(year), "gYear")))
        else:
            pairs.append(("dcterms:date", _typed(f"{year}-{rng.randrange(1, 13):02d}", "gYearMonth")))
        if doctype in _LAW_TYPES:
            pairs.append(("eli:jurisdiction", f"country:{orgs[body].country}"))
        if m > 0:
            cited = sorted({int(m * rng.random() ** 2) for _ in range(rng.randrange(0, 4))})
            if cited:
                pairs.append(("eli:cites", tuple(f"id:synth-doc-{c}" for c in cited)))
            if rng.random() < 0.3:
                pairs.append(("sse:followsUp", f"id:synth-doc-{rng.randrange(max(0, m - 30), m)}"))
        if rng.random() < 0.5:
            pairs.append(("dcterms:subject", f"sdg:{rng.choice((1, 5, 8, 10, 11, 12, 17))}"))
        pairs.append(("prov:wasDerivedFrom", source()))
        if rng.random() < 0.3:
            pairs.append(("prov:hadPrimarySource", source()))
        low_confidence(pairs, "adoption date")
        w.block("policy", f"id:synth-doc-{m}", pairs)

    def event() -> None:
        e = n["events"]
        n["events"] += 1
        year, start = date_between(2005, 2025)
        day = int(start[-2:])
        end = f"{start[:-2]}{min(28, day + rng.randrange(0, 4)):02d}"
        organiser = networks[int(len(networks) * rng.random() ** 2)]
        partners = sorted({rng.randrange(len(orgs)) for _ in range(rng.randrange(0, 4))} - {organiser})
        attendees = sorted({rng.randrange(len(orgs)) for _ in range(rng.randrange(0, 5))})
        pairs: list[tuple[str, tuple[str, ...] | str]] = [
            ("a", "schema:Event"),
            ("schema:name", _lit(f"{rng.choice(_EVENT_KIND)} on {rng.choice(_EVENT_TOPIC)} {year} ({e})", "en")),
            ("schema:startDate", _typed(start, "date")),
            ("schema:endDate", _typed(end, "date")),
            ("schema:location", f"id:synth-place-{place()}"),
            ("schema:organizer", f"id:synth-org-{organiser}"),
        ]
        if partners:
            pairs.append(("schema:contributor", tuple(f"id:synth-org-{x}" for x in partners)))
        if attendees:
            pairs.append(("schema:attendee", tuple(f"id:synth-org-{x}" for x in attendees)))
        participations = []
        if post_people:
            for j in range(rng.randrange(1, 5)):
                k, on_behalf = post_people[rng.randrange(len(post_people))]
                pid = f"id:synth-event-{e}-p{j}"
                participations.append(pid)
                n["participations"] += 1
                w.block("events", pid, [
                    ("a", "cv:Participation"),
                    ("cv:hasParticipant", f"id:synth-person-{k}"),
                    ("cv:role", f"kos:role-{rng.choice(_PARTICIPATION_ROLES)}"),
                    ("sse:onBehalfOf", f"id:synth-org-{on_behalf}"),
                    ("prov:wasDerivedFrom", source()),
                ])
        if participations:
            pairs.append(("cv:hasParticipation", tuple(participations)))
        counts_here = []
        for j in range(1 if rng.random() < 0.85 else 2):
            cid = f"id:synth-event-{e}-count{j}"
            counts_here.append(cid)
            w.block("events", cid, [
                ("a", "schema:QuantitativeValue"),
                ("schema:minValue" if rng.random() < 0.1 else "schema:value",
                 _typed(str(rng.randrange(20, 3000)), "integer")),
                ("schema:valueReference", f"kos:count-{_COUNT_KINDS[(e + j) % len(_COUNT_KINDS)]}"),
                ("prov:wasDerivedFrom", source()),
            ])
        pairs.append(("sse:participantCount", tuple(counts_here)))
        if rng.random() < 0.5:
            pairs.append(("dcterms:subject", f"sdg:{rng.choice((5, 8, 10, 11, 17))}"))
        pairs.append(("prov:wasDerivedFrom", source()))
        low_confidence(pairs, "number of participants")
        w.block("events", f"id:synth-event-{e}", pairs)

    while w.triples < triples:
        i = new_org()
        if i > 0:
            join(i)
        if i < _SEED_NETWORKS or rng.random() < _P_PERSON:
            person(i)
        if rng.random() < _P_MILESTONE:
            milestone()
        if rng.random() < _P_EVENT:
            event()
        yield from w.drain(threshold=1 << 20)
    yield from w.drain()
    if counts is not None:
        counts.clear()
        counts.update({"organisations": len(orgs), **n, "triples": w.triples})


def write_synth(folder: str | os.PathLike[str], triples: int, seed: int = 0) -> SynthSummary:
    """Write a synthetic graph of about ``triples`` triples as ``synth-*.ttl`` files in ``folder``.

    The count is met to within one organisation's worth of statements (a few dozen triples).
    Each file is replaced atomically; other files in ``folder`` are left alone.

    Parameters
    ----------
    folder:
        Created if missing.
    triples:
        How many triples to write, at least.
    seed:
        The same seed writes the same bytes.

    Raises
    ------
    SynthError
        If ``triples`` is not positive or ``folder`` cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     summary = write_synth(tmp, 1000, seed=1)
    >>> 1000 <= summary.triples < 1200
    True
    """
    out = Path(folder)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SynthError(f"{out}: cannot create the folder: {exc.strerror}") from None
    paths = {name: out / f"synth-{name}.ttl" for name in FILES}
    counts: dict[str, int] = {}
    with contextlib.ExitStack() as stack:
        handles = {name: stack.enter_context(atomic_write(paths[name])) for name in FILES}
        for name, text in generate_synth(triples, seed, counts):
            handles[name].write(text)
    total = counts.pop("triples")
    return SynthSummary(out, [paths[name] for name in FILES], total, counts)
