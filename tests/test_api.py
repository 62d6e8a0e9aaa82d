"""The Python API a notebook user relies on: typed DataFrames, serialisation, reprs."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyoxigraph as ox
import pytest

import ssegraph
from ssegraph.results import Result

DATA = Path(__file__).parent / "data"


def test_to_dataframe_types_dates_numbers_and_gaps(kg):
    df = kg.query("""
        SELECT ?m ?adopted ?n WHERE {
          VALUES (?m ?n) { (id:a-res-77-281 1) (id:oecd-legal-0472 UNDEF) (id:com-2021-778 3) }
          ?m eli:date_document ?adopted }""").to_dataframe()
    assert str(df["adopted"].dtype).startswith("datetime64")
    assert str(df["n"].dtype) == "Int64" and df["n"].isna().sum() == 1  # the gap stays an integer column
    assert df["m"].dtype == object


def test_mixed_precision_dates_are_not_forced_into_days(kg):
    df = kg.query("""
        SELECT ?d WHERE { VALUES ?m { id:a-res-77-281 id:un-sg-report-sse-2024 }
          ?m eli:date_document|dcterms:date ?d }""").to_dataframe()
    assert df["d"].dtype == object
    assert "2024-10" in set(df["d"])


def test_to_dataframe_can_compact_iris(kg):
    df = kg.named_query("untfsse-members").to_dataframe(compact_iris=True)
    assert {"id:ilo", "id:unctad", "id:diesis-network"} <= set(df["member"])


def test_query_keyword_parameters_and_csv(kg):
    rows = list(kg.query("SELECT ?l WHERE { ?x skos:prefLabel ?l FILTER(LANG(?l) = 'en') }", x="id:ilo"))
    assert rows == [{"l": "International Labour Organization"}]
    text = kg.query("SELECT ?a WHERE { ?x sse:acronym ?a }", x="id:ilo").to("csv")
    assert text == "a\r\nILO\r\n"


def test_csv_quotes_iris_that_hold_commas():
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/a,b"), ox.NamedNode("http://example.org/p"),
                      ox.Literal('say "hi", twice')))
    result = Result(lambda: store.query("SELECT ?s ?o WHERE { ?s ?p ?o }"))
    rows = list(csv.reader(io.StringIO(result.to("csv"))))
    assert rows == [["s", "o"], ["http://example.org/a,b", 'say "hi", twice']]


def test_reprs_for_the_notebook(kg, tmp_path):
    assert repr(kg.validate()).startswith("<ValidationReport conforms")
    assert "statements" in repr(kg.describe("UNTFSSE"))
    assert repr(kg.named_query("untfsse-members")).startswith("<Result select rows=")
    html = kg.view(focus="Diesis Network", depth=1)._repr_html_()
    assert html.startswith("<iframe") and "srcdoc=" in html


def test_memory_graph_for_long_sessions():
    kg = ssegraph.load([DATA / "tiny.ttl"], memory=True)
    assert kg.store is not None and "memory" in repr(kg)
    assert kg.resolve("TC").value == "https://w3id.org/ssegraph/id/tiny-coop"


def test_result_write_is_what_query_prints(kg, tmp_path):
    """``Result.write`` owns the formats: the table with its row limit, RDF names for a graph."""
    import io
    import json

    from ssegraph.errors import QueryError

    select = kg.query("SELECT ?o WHERE { ?o a org:Organization } ORDER BY ?o")
    buf = io.BytesIO()
    written = select.write("table", buf, max_rows=3)
    assert written.truncated and written.shown == 3 and written.rows > 3
    assert len(buf.getvalue().decode().splitlines()) == 2 + 3
    graph = kg.query("CONSTRUCT { ?o a org:Organization } WHERE { ?o a org:Organization }")
    out = tmp_path / "g.jsonld"
    assert graph.write("json", out).rows is None  # json of a graph is JSON-LD
    assert isinstance(json.loads(out.read_text(encoding="utf-8")), (list, dict))
    with pytest.raises(QueryError, match="does not fit a CONSTRUCT/DESCRIBE result"):
        graph.write("csv", tmp_path / "g.csv")
    assert not (tmp_path / "g.csv").exists()
    with pytest.raises(QueryError, match="does not fit a SELECT result"):
        select.write("ttl", io.BytesIO())
