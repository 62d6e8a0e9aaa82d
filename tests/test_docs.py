"""The documentation: the ontology reference page, the CLI reference and each command's help."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, URIRef

from ssegraph.cli import COMMANDS, cli
from ssegraph.docs import build_docs, generate_docs, read_reference
from ssegraph.errors import LoadError

REPO = Path(__file__).parent.parent
ONTOLOGY = REPO / "ontology"
CLI_REFERENCE = REPO / "docs" / "cli-reference.md"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
TERM_TYPES = (OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


@pytest.fixture(scope="module")
def page() -> str:
    return generate_docs(ONTOLOGY)


def _ontology_terms() -> set[URIRef]:
    """Every class and property of ssegraph.ttl, read independently of the generator."""
    g = rdflib.Graph().parse(ONTOLOGY / "ssegraph.ttl")
    terms = {s for t in TERM_TYPES for s in g.subjects(RDF.type, t)}
    for p in (RDFS.subClassOf, RDFS.subPropertyOf):
        for s, o in g.subject_objects(p):
            terms |= {s, o}
    return {t for t in terms if isinstance(t, URIRef)}


def _card(page: str, iri: str) -> str:
    """The <section> that documents ``iri`` (its IRI line is unique to it)."""
    marker = f'<p class="iri">{html.escape(iri)}</p>'
    at = page.index(marker)
    start = page.rindex("<section", 0, at)
    return page[start:page.index("</section>", at)]


def test_every_term_of_the_ontology_is_documented(page):
    terms = _ontology_terms()
    assert len(terms) > 20
    missing = [t for t in terms if f'<p class="iri">{html.escape(str(t))}</p>' not in page]
    assert not missing


def test_project_terms_carry_label_definition_domain_range_and_examples(page):
    g = rdflib.Graph().parse(ONTOLOGY / "ssegraph.ttl")
    project = [t for t in _ontology_terms() if str(t).startswith("https://w3id.org/ssegraph/def#")]
    assert len(project) >= 10
    for term in project:
        card = _card(page, str(term))
        for p in (RDFS.label, RDFS.comment, SKOS.example):
            for value in g.objects(term, p):
                assert html.escape(str(value)) in card, (term, p)
        for p in (RDFS.domain, RDFS.range, RDFS.subPropertyOf, SKOS.closeMatch):
            for value in g.objects(term, p):
                assert f'title="{html.escape(str(value))}"' in card, (term, p)
    acronym = _card(page, "https://w3id.org/ssegraph/def#acronym")
    assert "sub-property of" in acronym and "skos:altLabel" in acronym and "sigle" in acronym
    assert "shp:OrganizationShape" in acronym  # the shapes that check a term are named on its card


def test_every_concept_scheme_with_labels_in_en_fr_es(page):
    g = rdflib.Graph()
    for f in sorted((ONTOLOGY / "kos").glob("*.ttl")):
        g.parse(f)
    schemes = list(g.subjects(RDF.type, SKOS.ConceptScheme))
    assert len(schemes) >= 5
    for scheme in schemes:
        card = _card(page, str(scheme))
        for label in g.objects(scheme, SKOS.prefLabel):
            assert html.escape(str(label)) in card
        for concept in g.subjects(SKOS.inScheme, scheme):
            assert f'title="{html.escape(str(concept))}"' in card
            langs = {lab.language for lab in g.objects(concept, SKOS.prefLabel)}
            # The project's own lists are trilingual; the M49 areas reproduce a UN standard and
            # carry only the names read from it (English), never names of our own making.
            wanted = {"en"} if str(scheme).endswith("/kos/m49") else {"en", "fr", "es"}
            assert wanted <= langs, concept
            for lab in g.objects(concept, SKOS.prefLabel):
                assert html.escape(str(lab)) in card
    assert "<th>en</th><th>fr</th><th>es</th>" in page


def test_every_shape_is_summarised(page):
    g = rdflib.Graph().parse(ONTOLOGY / "shapes.ttl")
    shapes = {s for s in g.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    assert len(shapes) >= 10
    for shape in shapes:
        card = _card(page, str(shape))
        for msg in g.objects(shape, SH.message):
            assert html.escape(str(msg)) in card
    sourced = _card(page, "https://w3id.org/ssegraph/shapes#SourcedShape")
    assert "has no source" in sourced and "prov:wasDerivedFrom" in sourced and "minCount" in sourced


def test_page_is_self_contained_and_inert(page):
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    lowered = page.lower()
    for needle in ("<script", "<link", "src=", "@import", "<iframe", "<img"):
        assert needle not in lowered, needle
    assert page == generate_docs(ONTOLOGY)  # deterministic: regenerating gives an identical diff-free page


HOSTILE = """\
@prefix ex:   <https://example.org/def#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix vann: <http://purl.org/vocab/vann/> .

<https://example.org/def> a owl:Ontology ;
    rdfs:label "Test <script>alert('title')</script>"@en ;
    vann:preferredNamespaceUri "https://example.org/def#" .

ex:Thing a owl:Class ;
    rdfs:label "thing <script>alert(1)</script>"@en ;
    rdfs:comment "A <b onmouseover=\\"alert(2)\\">thing</b> & more"@en ;
    rdfs:seeAlso <javascript:alert(3)> ;
    skos:example "ex:a a ex:Thing . # </pre><script>alert(4)</script>" .

ex:related a owl:ObjectProperty ;
    rdfs:label "related\\" onclick=\\"alert(5)"@en ;
    rdfs:domain ex:Thing ;
    rdfs:range <javascript:alert(6)> .

ex:scheme a skos:ConceptScheme ;
    skos:prefLabel "Scheme <script>alert(7)</script>"@en .
ex:c1 a skos:Concept ; skos:inScheme ex:scheme ; skos:notation "<i>c1</i>" ;
    skos:prefLabel "one <script>alert(8)</script>"@en, "un"@fr, "uno"@es .
"""
HOSTILE_SHAPES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/def#> .
ex:ThingShape a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:related ; sh:minCount 1 ; sh:message "<script>alert(9)</script>"@en ] .
"""


@pytest.fixture
def hostile_ontology(tmp_path) -> Path:
    folder = tmp_path / "ontology"
    (folder / "kos").mkdir(parents=True)
    (folder / "ssegraph.ttl").write_text(HOSTILE.split("ex:scheme a")[0], encoding="utf-8")
    (folder / "kos" / "scheme.ttl").write_text(
        HOSTILE.split("\n\n")[0] + "\n\nex:scheme a" + HOSTILE.split("ex:scheme a")[1], encoding="utf-8")
    (folder / "shapes.ttl").write_text(HOSTILE_SHAPES, encoding="utf-8")
    return folder


def test_every_value_is_escaped(hostile_ontology):
    page = generate_docs(hostile_ontology)
    assert "<script" not in page.lower()
    assert "<b " not in page and "<i>" not in page
    assert 'onclick="' not in page and 'onmouseover="' not in page
    assert not re.search(r'href="\s*javascript:', page, re.IGNORECASE)
    for text in ("thing &lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b onmouseover=&quot;alert(2)&quot;&gt;",
                 "&amp; more", "&lt;/pre&gt;&lt;script&gt;alert(4)&lt;/script&gt;", "related&quot; onclick=",
                 "one &lt;script&gt;alert(8)&lt;/script&gt;", "&lt;script&gt;alert(9)&lt;/script&gt;",
                 "&lt;i&gt;c1&lt;/i&gt;"):
        assert text in page, text
    assert "javascript:alert(6)" in page  # shown as text, never as a link


def test_generator_handles_another_ontology(hostile_ontology):
    ref = read_reference(hostile_ontology)
    assert [str(t) for t in ref.terms()] == ["https://example.org/def#Thing", "https://example.org/def#related"]
    assert [str(s) for s in ref.schemes()] == ["https://example.org/def#scheme"]
    assert [str(s) for s in ref.node_shapes()] == ["https://example.org/def#ThingShape"]


def test_build_docs_writes_one_page_atomically(tmp_path):
    out = tmp_path / "site" / "ontology"
    path = build_docs(out)
    assert path == out / "index.html"
    assert [p.name for p in out.iterdir()] == ["index.html"]  # no temporary file left behind
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_broken_turtle_is_a_load_error_with_file_and_line(tmp_path):
    (tmp_path / "ssegraph.ttl").write_text("@prefix ex: <http://e/> .\nex:a ex:b\n ex:c ex:d .\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"ssegraph\.ttl:3: not valid Turtle"):
        read_reference(tmp_path)
    with pytest.raises(LoadError, match="no such ontology folder"):
        read_reference(tmp_path / "missing")


def test_docs_command(run, tmp_path):
    r = run("docs", "-o", str(tmp_path / "out"))
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    assert re.match(r"wrote .*index\.html: \d+ terms, \d+ concept schemes, \d+ shapes", r.stderr)
    assert (tmp_path / "out" / "index.html").is_file()


def test_docs_command_error_is_one_line(run, tmp_path):
    (tmp_path / "ont").mkdir()
    (tmp_path / "ont" / "ssegraph.ttl").write_text("ex:a ex:b .\n", encoding="utf-8")
    r = run("docs", "-o", str(tmp_path / "out"), "--ontology", str(tmp_path / "ont"))
    assert r.exit_code == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "ssegraph.ttl" in lines[0]
    assert not (tmp_path / "out" / "index.html").exists()


# -- the command line ----------------------------------------------------------------------
@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_has_help_and_is_documented(name):
    cmd = cli.get_command(None, name)  # a command that fails to import fails here
    assert cmd is not None, f"{name} is listed in COMMANDS but not found"
    assert cmd.help and cmd.help.strip()
    assert "Example" in cmd.help and "In Python:" in cmd.help
    text = CLI_REFERENCE.read_text(encoding="utf-8")
    assert f"\n## ssegraph {name}\n" in text, f"{name} is missing from docs/cli-reference.md: run cog -r"


def test_cli_reference_is_not_stale():
    cog = Path(sys.executable).parent / "cog"
    command = [str(cog)] if cog.exists() else [sys.executable, "-m", "cogapp"]
    r = subprocess.run([*command, "--check", str(CLI_REFERENCE)], capture_output=True, text=True, timeout=120,
                       cwd=REPO)
    hint = "docs/cli-reference.md is stale: run .venv/bin/cog -r docs/cli-reference.md"
    assert r.returncode == 0, f"{hint}\n{r.stdout}{r.stderr}"


# -- CONTRIBUTING.md -------------------------------------------------------------------------
def _contributing_examples() -> tuple[str, str, list[str]]:
    """The worked example, the broken example and the Violation lines CONTRIBUTING.md shows."""
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```turtle\n(.*?)```", text, re.DOTALL)
    good = next(b for b in blocks if b.startswith("# HYPOTHETICAL example"))
    broken = next(b for b in blocks if b.startswith("# HYPOTHETICAL and deliberately broken"))
    shown = text.split("```console\n$ ssegraph --data data/ --data my-additions.ttl validate\n")[-1].split("```")[0]
    violations = [line.strip() for line in shown.splitlines() if line.strip().startswith("Violation:")]
    return good, broken, violations


def test_contributing_example_is_hypothetical_and_not_in_data():
    good, broken, violations = _contributing_examples()
    assert "example.org" in good and len(violations) >= 5
    for f in (REPO / "data").glob("*.ttl"):
        assert "example-solidarity-network" not in f.read_text(encoding="utf-8"), f


@pytest.mark.slow
def test_contributing_examples_validate_as_shown(tmp_path, cache_dir):
    """The worked example conforms with the bundled data; the broken one fails as the guide shows."""
    import ssegraph

    good, broken, violations = _contributing_examples()
    for name, text in (("good", good), ("broken", broken)):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "my-additions.ttl").write_text(text, encoding="utf-8")
    good_report = ssegraph.load([REPO / "data", tmp_path / "good" / "my-additions.ttl"],
                                cache_dir=cache_dir).validate()
    assert not [f for f in good_report.findings if any("my-additions" in x for x in f.files)], good_report.to_text()
    report = ssegraph.load([REPO / "data", tmp_path / "broken" / "my-additions.ttl"], cache_dir=cache_dir).validate()
    ours = [f for f in report.findings if any("my-additions" in x for x in f.files)]
    text = report.to_text()
    assert len(ours) == len(violations), text
    for line in violations:
        assert line in text, f"CONTRIBUTING.md shows {line!r}, which validate no longer prints:\n{text}"


def test_architecture_names_what_exists():
    """docs/architecture.md says where to change things: every place it names must exist."""
    import ssegraph.export as export
    from ssegraph import catalog, model, network

    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    for heading in ("a projection rule", "an entity kind", "a named query", "an export format"):
        assert f"### … {heading}" in text
    assert model.FOLDS and model.KINDS and model.RELATION_FAMILIES and model.choose_label and model.DEGREE
    assert network._NOT_EDGES and network.degrees and export.FORMATS and export.register and export.ExportFormat
    assert catalog.QUERY_DIR.name == "queries" and "--queries DIR" in text
