"""The cross-cutting shapes fire on what they forbid, and only there.

These three rules are written with SPARQL targets or core paths (see ``ontology/shapes.ttl``)
so that validation does not parse a query per node; each must still catch its case.
"""

from __future__ import annotations

from pathlib import Path

import pytest
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


# -- the two engines give the same report ----------------------------------------------------
DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("files", [
    [DATA / "breaks-shape.ttl"],
    [DATA / "breaks-many-shapes.ttl"],
    None,  # the bundled data
], ids=["breaks-shape", "breaks-many-shapes", "bundled"])
def test_store_engine_gives_the_pyshacl_report(files, cache_dir):
    """SPARQL on the store finds the suspects and pySHACL judges them: the same report, word
    for word, as pySHACL over the whole graph."""
    kg = ssegraph.load(files, cache_dir=cache_dir)
    fast, reference = kg.validate(engine="store"), kg.validate(engine="pyshacl")
    assert fast.to_text() == reference.to_text()
    assert fast.findings == reference.findings
    assert (fast.conforms, fast.triples) == (reference.conforms, reference.triples)
    if files is not None:
        assert not fast.conforms


def test_many_kinds_of_breakage_are_all_found(cache_dir):
    report = ssegraph.load([DATA / "breaks-many-shapes.ttl"], cache_dir=cache_dir).validate()
    shapes = {f.shape for f in report.violations}
    assert {"shp:OrganizationShape", "shp:MembershipShape", "shp:InstantShape", "shp:EventShape",
            "shp:CountShape", "shp:ParticipationShape", "shp:SourceRecordShape", "shp:SourcedShape",
            "shp:HomepageUniqueShape", "shp:TypedDateShape", "shp:LowConfidenceNoteShape"} <= shapes
    laws = {(f.focus, f.shape, f.path) for f in report.violations if f.focus in ("id:law-one", "id:law-two")}
    assert laws == {("id:law-one", "shp:MilestoneShape", "eli:id_local"),
                    ("id:law-two", "shp:MilestoneShape", "eli:id_local")}  # and no "has no source"


def test_an_unknown_constraint_makes_every_focus_node_a_suspect(tmp_path, cache_dir):
    """The compiler is conservative: a constraint it cannot say in SPARQL never hides a finding."""
    from ssegraph.shacl_sparql import compile_shapes

    shapes = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; ex:madeUp 3 ] .""",
        format="turtle")
    _, plans = compile_shapes(shapes)
    assert [p.checks for p in plans] == [
        ["SELECT DISTINCT ?this WHERE { { SELECT DISTINCT ?this WHERE "
         "{ { ?this <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/"
         "<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <urn:ex:C> } } }  }"]]


def test_shapes_the_store_cannot_run_fall_back_to_pyshacl(cache_dir, monkeypatch, caplog):
    from ssegraph import shacl_sparql

    def broken(select, shapes_graph):
        raise SyntaxError("Parser error: unknown prefix")

    monkeypatch.setattr(shacl_sparql, "suspects", broken)
    kg = ssegraph.load([DATA / "breaks-shape.ttl"], cache_dir=cache_dir)
    report = kg.validate()
    assert report.to_text() == kg.validate(engine="pyshacl").to_text() and not report.conforms
    assert "validating the whole graph with pySHACL instead" in caplog.text


def test_a_sparql_target_with_its_own_prefixes_makes_all_its_nodes_suspects():
    from ssegraph.shacl_sparql import compile_shapes

    shapes = rdflib.Graph().parse(data='''
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> .
        ex:S a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ;
            sh:select "PREFIX ex: <urn:ex:> SELECT ?this WHERE { ?this ex:p ?o }" ] ;
          sh:property [ sh:path ex:q ; sh:minCount 1 ] .''', format="turtle")
    _, plans = compile_shapes(shapes)
    assert [p.checks for p in plans] == [["PREFIX ex: <urn:ex:> SELECT ?this WHERE { ?this ex:p ?o }"]]


@pytest.mark.slow
def test_engines_agree_on_damaged_bundled_data(tmp_path, cache_dir):
    """Drop 3% of the bundled triples at random (seeded): many shapes break in many ways, and
    the store engine still reports exactly what pySHACL over the whole graph reports."""
    import random

    import pyoxigraph as ox

    from ssegraph.store import bundled_paths, expand_inputs, ontology_paths

    store = ox.Store()
    for f in expand_inputs([*bundled_paths(), *ontology_paths()]):
        store.load(path=str(f), format=ox.RdfFormat.from_extension(f.suffix.lstrip(".")))
    rnd = random.Random(3)
    kept = [ox.Triple(q.subject, q.predicate, q.object) for q in store if rnd.random() > 0.03]
    damaged = tmp_path / "damaged.nt"
    ox.serialize(kept, str(damaged), ox.RdfFormat.N_TRIPLES)
    kg = ssegraph.load([damaged], cache_dir=cache_dir, ontology=False)
    fast, reference = kg.validate(engine="store"), kg.validate(engine="pyshacl")
    assert len(reference.violations) > 20
    assert fast.to_text() == reference.to_text()
