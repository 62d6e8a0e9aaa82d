"""Every namespace the project uses, declared once.

The same table feeds the SPARQL prologue that ``query`` predeclares, the Turtle prefixes of
generated files and the compact labels of the network projection, so that a prefix never means
two things in two places. Plain strings keep this module free of heavy imports.
"""

from __future__ import annotations

SSE = "https://w3id.org/ssegraph/def#"
KOS = "https://w3id.org/ssegraph/kos/"
ID = "https://w3id.org/ssegraph/id/"
SRC = "https://w3id.org/ssegraph/source/"

PREFIXES: dict[str, str] = {
    "sse": SSE,
    "kos": KOS,
    "id": ID,
    "src": SRC,
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "http://schema.org/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "cv": "http://data.europa.eu/m8g/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "sdg": "http://metadata.un.org/sdg/",
    "country": "http://publications.europa.eu/resource/authority/country/",
    "wd": "http://www.wikidata.org/entity/",
}


def sparql_prologue(prefixes: dict[str, str] | None = None) -> str:
    """Return ``PREFIX`` lines for every project prefix, to prepend to user queries.

    Examples
    --------
    >>> "PREFIX org: <http://www.w3.org/ns/org#>" in sparql_prologue()
    True
    """
    table = PREFIXES if prefixes is None else prefixes
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in table.items())


def compact(iri: str) -> str:
    """Shorten ``iri`` to ``prefix:local`` when a project prefix matches, else return it.

    Examples
    --------
    >>> compact("http://www.w3.org/ns/org#memberOf")
    'org:memberOf'
    >>> compact("urn:x")
    'urn:x'
    """
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        return f"{best}:{iri[len(PREFIXES[best]):]}"
    return iri
