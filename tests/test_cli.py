"""The core commands as a user runs them: exit codes, stdout data, one-line errors on stderr."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
TINY = str(DATA / "tiny.ttl")


def test_validate_conforms_on_the_bundled_data(run):
    r = run("validate")
    assert r.exit_code == 0, r.stdout
    assert r.stdout.startswith("conforms:")


def test_validate_names_file_entity_shape_and_message(run):
    r = run("--data", str(DATA / "breaks-shape.ttl"), "validate")
    assert r.exit_code == 1
    assert "shp:SourcedShape" in r.stdout
    assert "breaks-shape.ttl: id:unsourced-network" in r.stdout
    assert "has no source" in r.stdout
    assert "at most one official symbol" in r.stdout
    assert "4 violations" in r.stdout


def test_syntax_error_is_one_line_with_file_line_column(run, tmp_path):
    r = run("--data", str(DATA / "bad-syntax.ttl"), "stats", cache=tmp_path)
    assert r.exit_code == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: ") and "bad-syntax.ttl:3:11: " in lines[0]
    assert "Traceback" not in r.stderr and r.stdout == ""
    assert not (tmp_path / "stores").exists() or not any(
        (p / ".complete").exists() for p in (tmp_path / "stores").iterdir())


@pytest.mark.parametrize(
    "args, message",
    [
        (["query", "SELEC ?x WHERE {}"], "SPARQL syntax error"),
        (["query", "--name", "untfsse-member"], "no named query 'untfsse-member'; did you mean untfsse-members"),
        (["query", "--name", "milestones-between", "-p", "from=yesterday"], "is not a valid date"),
        (["query", "--name", "untfsse-members", "-p", "colour=red"], "has no parameter 'colour'"),
        (["--data", "missing.ttl", "stats"], "missing.ttl: no such file or folder"),
        (["query", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"], "INSERT is a SPARQL update"),
        (["query", "PREFIX x: <urn:x#>\nDELETE WHERE { ?s ?p ?o }"], "DELETE is a SPARQL update"),
        (["query", "LOAD <http://example.org/x.ttl>"], "LOAD is a SPARQL update"),
        (["query", "CLEAR ALL"], "CLEAR is a SPARQL update"),
        (["describe", "Nothing Like This"], "no entity named 'Nothing Like This'"),
    ],
)
def test_bad_input_gives_one_error_line_and_exit_2(run, args, message):
    r = run(*args)
    assert r.exit_code == 2, r.stdout
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), r.stderr
    assert message in lines[0]
    assert "Traceback" not in r.stderr


def test_unknown_format_is_a_usage_error(run):
    r = run("query", "--format", "yaml", "ASK {}")
    assert r.exit_code == 2
    assert "Invalid value for '--format'" in r.stderr


def test_missing_required_parameter(tmp_path, run):
    (tmp_path / "needs-org.rq").write_text(
        "# title: t\n# param: org iri The organisation\nSELECT ?m WHERE { ?m org:organization ?org }\n")
    r = run("--queries", str(tmp_path), "query", "--name", "needs-org")
    assert r.exit_code == 2
    assert "needs --param org=" in r.stderr


def test_named_queries_from_a_users_folder(tmp_path, run):
    """``--queries DIR`` lists the user's queries beside the bundled ones, and runs them."""
    from ssegraph.catalog import list_queries

    (tmp_path / "my-count.rq").write_text(
        "# title: How many organisations\n# description: A count of org:Organization.\n"
        "SELECT (COUNT(?o) AS ?n) WHERE { ?o a org:Organization }\n", encoding="utf-8")
    listed = run("--queries", str(tmp_path), "queries")
    assert listed.exit_code == 0
    assert f"my-count  [{tmp_path / 'my-count.rq'}]\n  How many organisations" in listed.stdout
    assert all(q.name in listed.stdout for q in list_queries())  # the bundled ones still there
    answered = run("--queries", str(tmp_path), "query", "--name", "my-count", "--format", "csv")
    assert answered.exit_code == 0 and answered.stdout.splitlines()[0] == "n"
    assert int(answered.stdout.splitlines()[1]) > 10
    missing = run("--queries", str(tmp_path / "nope"), "queries")
    assert missing.exit_code == 2 and missing.stderr.startswith("Error: ")
    assert "no such queries folder" in missing.stderr


def test_load_takes_query_folders_too(tmp_path, kg, cache_dir):
    import ssegraph

    (tmp_path / "untfsse-members.rq").write_text("# title: Mine\nSELECT ?x WHERE { BIND(1 AS ?x) }\n")
    mine = ssegraph.load(cache_dir=cache_dir, queries=[tmp_path])
    assert [r["x"] for r in mine.named_query("untfsse-members")] == [1]  # the user's wins over the bundled
    assert len(list(kg.named_query("untfsse-members"))) > 1


def test_formats_are_the_w3c_result_formats(run):
    q = "SELECT ?l WHERE { id:tiny-coop skos:prefLabel ?l } ORDER BY ?l"
    as_csv = run("--data", TINY, "query", q, "--format", "csv")
    assert as_csv.exit_code == 0
    assert list(csv.reader(io.StringIO(as_csv.stdout))) == [["l"], ["Petite coopérative"], ["Tiny Cooperative"]]
    as_json = json.loads(run("--data", TINY, "query", q, "-f", "json").stdout)
    assert [b["l"]["xml:lang"] for b in as_json["results"]["bindings"]] == ["fr", "en"]
    root = ET.fromstring(run("--data", TINY, "query", q, "-f", "xml").stdout)
    assert root.tag == "{http://www.w3.org/2005/sparql-results#}sparql"
    tsv = run("--data", TINY, "query", q, "-f", "tsv").stdout.splitlines()
    assert tsv[0] == "?l" and tsv[2] == '"Tiny Cooperative"@en'
    ask = json.loads(run("--data", TINY, "query", "ASK { id:tiny-coop a org:Organization }", "-f", "json").stdout)
    assert ask["boolean"] is True


def test_construct_gives_rdf(run):
    r = run("--data", TINY, "query", "CONSTRUCT { ?s sse:acronym ?a } WHERE { ?s sse:acronym ?a }", "-f", "ttl")
    assert r.exit_code == 0
    import pyoxigraph as ox

    triples = list(ox.parse(r.stdout.encode(), format=ox.RdfFormat.TURTLE))
    assert len(triples) == 1 and triples[0].object.value == "TC"
    nt = run("--data", TINY, "query", "DESCRIBE id:tiny-coop", "-f", "nt")
    assert nt.exit_code == 0 and "<https://w3id.org/ssegraph/id/tiny-coop>" in nt.stdout


def test_query_from_file_and_stdin(run, tmp_path):
    f = tmp_path / "q.rq"
    f.write_text("SELECT ?a WHERE { ?s sse:acronym ?a }")
    assert "TC" in run("--data", TINY, "query", str(f), "-f", "csv").stdout
    assert "TC" in run("--data", TINY, "query", "-", "-f", "csv", input=f.read_text()).stdout


def test_params_are_bound_by_value_not_pasted(run):
    q = "SELECT ?s WHERE { ?s sse:acronym ?a }"
    hostile = 'TC" } UNION { ?s ?p ?o } #'
    r = run("--data", TINY, "query", q, "-p", f"a={hostile}", "-f", "csv")
    assert r.exit_code == 0
    assert r.stdout.strip() == "s"  # the hostile text is one literal that matches nothing
    r = run("--data", TINY, "query", q, "-p", "a=TC", "-f", "csv")
    assert r.stdout.splitlines()[1] == "https://w3id.org/ssegraph/id/tiny-coop"


def test_table_output_compacts_iris_and_flags_truncation(run):
    r = run("query", "SELECT ?s WHERE { ?s a skos:Concept } ORDER BY ?s", "--max-rows", "3")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0] == "s" and ":" in lines[2] and not lines[2].startswith("http")
    assert len(lines) == 5
    assert "truncated: showing 3 of" in r.stderr


def test_queries_lists_every_named_query_with_parameters(run):
    from ssegraph.catalog import list_queries

    r = run("queries")
    assert r.exit_code == 0
    for q in list_queries():
        assert q.name in r.stdout and q.title in r.stdout
    assert "--param org=<iri> (default id:untfsse)" in r.stdout
    as_json = json.loads(run("queries", "-f", "json").stdout)
    assert {q["name"] for q in as_json} == {q.name for q in list_queries()}


def test_describe_finds_by_acronym_label_and_iri_with_sources(run):
    for name in ("TC", "tiny cooperative", "id:tiny-coop", "https://w3id.org/ssegraph/id/tiny-coop"):
        r = run("--data", TINY, "describe", name)
        assert r.exit_code == 0, (name, r.stderr)
        assert r.stdout.startswith("Tiny Cooperative (TC)  <https://w3id.org/ssegraph/id/tiny-coop>\n  organisation\n")
        assert "src:tiny-page  https://example.org/tiny" in r.stdout
        assert "defined in" in r.stdout and "tiny.ttl" in r.stdout


def test_describe_suggests_close_matches(run):
    r = run("--data", TINY, "describe", "Tiny Cooperativ")
    assert r.exit_code == 2
    assert "close matches: Tiny Cooperative (id:tiny-coop)" in r.stderr


def test_stats_counts_classes_and_does_not_parse_twice(run, tmp_path, monkeypatch):
    first = run("--data", TINY, "stats", cache=tmp_path)
    assert first.exit_code == 0
    assert "org:Organization" in first.stdout and "triples from" in first.stdout
    from ssegraph import store

    def boom(*a, **k):
        raise AssertionError("parsed a file on unchanged data")

    monkeypatch.setattr(store, "load_file", boom)
    second = run("--data", TINY, "stats", cache=tmp_path)
    assert second.exit_code == 0 and second.stdout == first.stdout
    data = json.loads(run("--data", TINY, "stats", "-f", "json", cache=tmp_path).stdout)
    assert data["classes"]["org:Organization"] == 1


def test_output_file_is_written_atomically(run, tmp_path):
    out = tmp_path / "rows.csv"
    r = run("--data", TINY, "query", "SELECT ?a WHERE { ?s sse:acronym ?a }", "-f", "csv", "-o", str(out))
    assert r.exit_code == 0 and out.read_text().splitlines() == ["a", "TC"]
    assert [p.name for p in tmp_path.iterdir()] == ["rows.csv"]
