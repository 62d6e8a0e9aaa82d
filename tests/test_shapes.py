"""The cross-cutting shapes fire on what they forbid, and only there.

These three rules are written with SPARQL targets or core paths (see ``ontology/shapes.ttl``)
so that validation does not parse a query per node; each must still catch its case.
"""

from __future__ import annotations

from pathlib import Path

import rdflib

import ssegraph
from ssegraph.store import ontology_paths, shapes_path
from ssegraph.validate import validate_graph

PREFIXES = """
@prefix id: <https://w3id.org/ssegraph/id/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <http://schema.org/> .
@prefix sse: <https://w3id.org/ssegraph/def#> .
@prefix kos: <https://w3id.org/ssegraph/kos/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix src: <https://w3id.org/ssegraph/source/> .
"""

SOURCE = """
src:page a prov:Entity ; schema:url <https://example.org/page> .
"""


def org(local: str, extra: str = "") -> str:
    return f'id:{local} a org:Organization ; skos:prefLabel "{local}"@en ; prov:wasDerivedFrom src:page {extra} .\n'


def findings(tmp_path: Path, body: str) -> list:
    f = tmp_path / "case.ttl"
    f.write_text(PREFIXES + SOURCE + body, encoding="utf-8")
    kg = ssegraph.load([f], cache_dir=tmp_path / "cache")
    return [x for x in kg.validate().findings if x.severity == "Violation"]


def test_clean_nodes_raise_nothing(tmp_path):
    body = org("a", '; schema:foundingDate "2001-02-03"^^xsd:date') + org(
        "b", '; sse:confidence kos:confidence-low ; skos:editorialNote "two sources disagree"@en')
    assert findings(tmp_path, body) == []


def test_an_untyped_date_is_a_violation_on_its_node(tmp_path):
    body = org("a", '; schema:foundingDate "2001"') + org("b", '; schema:foundingDate "2001"^^xsd:gYear')
    found = [f for f in findings(tmp_path, body) if f.shape == "shp:TypedDateShape"]
    assert [f.focus for f in found] == ["id:a"]
    assert found[0].files and found[0].files[0].endswith("case.ttl")


def test_low_confidence_without_a_note_is_a_violation(tmp_path):
    body = org("a", "; sse:confidence kos:confidence-low") + org("b", "; sse:confidence kos:confidence-high")
    found = findings(tmp_path, body)
    assert [(f.focus, f.shape) for f in found] == [("id:a", "shp:LowConfidenceNoteShape")]
    assert "editorialNote" in found[0].message


def test_an_upper_case_language_tag_is_a_violation(tmp_path):
    # Oxigraph lower-cases tags when it parses, so this rule guards graphs built with rdflib.
    g = rdflib.Graph()
    for folder in ontology_paths():
        for f in sorted(Path(folder).rglob("*.ttl")):
            if f.name != "shapes.ttl":
                g.parse(f, format="turtle")
    g.parse(data=PREFIXES + SOURCE + org("a") + 'id:b a org:Organization ; skos:prefLabel "B"@EN ;'
            " prov:wasDerivedFrom src:page .", format="turtle")
    found = [f for f in validate_graph(g, shapes_path()).findings if f.severity == "Violation"]
    assert [(f.focus, f.shape) for f in found] == [("id:b", "shp:LowercaseLanguageTagShape")]
    assert "EN" in found[0].message
