"""Scale-out proven on a second engine: a real Virtuoso Open Source 7 on 127.0.0.1.

One throw-away Virtuoso (database folder and virtuoso.ini written by tests/_virtuoso.py) serves
the whole module: ``publish`` of the whole graph with HTTP Digest and Basic authentication, the
password taken from the environment; wrong credentials as one line; ``--endpoint`` remote mode
answering every named query with the same rows as the embedded store; and a release's
``.nt.gz`` bulk-loaded with ``ld_dir`` + ``rdf_loader_run``. Without Virtuoso installed
(``apt-get install virtuoso-opensource``) every test here skips and says so.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from _virtuoso import BASIC_GSP, DBA, Virtuoso, virtuoso_binaries
from ssegraph.catalog import get_query, list_queries
from ssegraph.cli import cli
from ssegraph.remote import Endpoint

pytestmark = [
    pytest.mark.server,
    pytest.mark.slow,
    pytest.mark.skipif(virtuoso_binaries() is None,
                       reason="VIRTUOSO NOT INSTALLED (apt-get install virtuoso-opensource): "
                              "the Virtuoso publish/query/bulk-load tests did not run"),
]

GRAPH = "https://w3id.org/ssegraph/graph/main"
BASIC_GRAPH = "https://w3id.org/ssegraph/graph/basic"
RELEASE_GRAPH = "https://w3id.org/ssegraph/graph/release"
NAMED = [q.name for q in list_queries()]


@pytest.fixture(scope="module")
def dumps(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("virtuoso-dumps")


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory, dumps):
    with Virtuoso(tmp_path_factory.mktemp("virtuoso-db"), dirs_allowed=(dumps,)) as server:
        yield server


def invoke(cache_dir, *args, env=None):
    return CliRunner(env=env or {}).invoke(cli, ["--cache-dir", str(cache_dir), *args], catch_exceptions=False)


def count_in(virtuoso: Virtuoso, graph: str) -> int:
    return len(Endpoint(f"{virtuoso.query_url}?default-graph-uri={graph}", timeout=60))


@pytest.fixture(scope="module")
def published(virtuoso, cache_dir, kg):
    """The whole graph published with Digest authentication (Virtuoso's own /sparql-graph-crud-auth)."""
    r = invoke(cache_dir, "publish", "--endpoint", virtuoso.base + "/sparql-graph-crud-auth", "--user", DBA[0],
               env={"SSEGRAPH_PASSWORD": DBA[1]})
    assert r.exit_code == 0, r.output
    assert re.match(rf"published {len(kg.store)} triples \(.* bytes of N-Triples\) to <{GRAPH}>", r.stderr)
    return virtuoso


def test_publish_with_digest_puts_the_whole_graph(published, kg):
    assert count_in(published, GRAPH) == len(kg.store)


def test_publish_with_basic_and_the_password_from_the_environment(virtuoso, cache_dir, kg):
    r = invoke(cache_dir, "publish", "--endpoint", virtuoso.base + BASIC_GSP, "--graph", BASIC_GRAPH,
               env={"SSEGRAPH_AUTH": f"{DBA[0]}:{DBA[1]}"})
    assert r.exit_code == 0, r.output
    assert count_in(virtuoso, BASIC_GRAPH) == len(kg.store)
    again = invoke(cache_dir, "publish", "--endpoint", virtuoso.base + BASIC_GSP, "--graph", BASIC_GRAPH,
                   "--user", DBA[0], env={"SSEGRAPH_PASSWORD": DBA[1]})
    assert again.exit_code == 0 and "replaced (HTTP 200 OK)" in again.stderr
    assert count_in(virtuoso, BASIC_GRAPH) == len(kg.store)  # a PUT replaces: nothing doubled


@pytest.mark.parametrize("path", ["/sparql-graph-crud-auth", BASIC_GSP])
def test_wrong_credentials_are_one_line(virtuoso, cache_dir, path):
    url = virtuoso.base + path
    r = invoke(cache_dir, "publish", "--endpoint", url, "--graph", "https://example.org/never", "--user", "dba",
               env={"SSEGRAPH_PASSWORD": "not-the-password"})
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.splitlines() == [f"Error: graph store {url} refused the credentials (HTTP 401 Unauthorized)"]
    assert count_in(virtuoso, "https://example.org/never") == 0


# -- remote mode: every named query, the same rows -------------------------------------------
_NUMERIC = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in
            ("integer", "int", "long", "short", "decimal", "double", "float", "nonNegativeInteger")}
_CONCAT = re.compile(r'GROUP_CONCAT\s*\((?:[^;()]|\([^()]*\))*;\s*separator\s*=\s*"([^"]*)"\s*\)\s*AS\s*\?(\w+)',
                     re.IGNORECASE)


def normalise(value, separator: str | None):
    """One cell, as both engines must agree on it.

    Numbers compare by value (Virtuoso writes ``3`` where Oxigraph writes ``"3"^^xsd:integer``,
    and decimals with other digits); a ``GROUP_CONCAT`` cell compares as the set of its parts,
    since SPARQL leaves the order of the concatenated values to the engine.
    """
    if value is None:
        return None
    if isinstance(value, ox.BlankNode):
        return "_:"
    if isinstance(value, ox.NamedNode):
        return ("iri", value.value)
    if value.datatype is not None and value.datatype.value in _NUMERIC:
        try:
            return ("num", Decimal(value.value).normalize())
        except InvalidOperation:
            return ("num", value.value)
    if separator is not None:
        return ("concat", tuple(sorted(p for p in value.value.split(separator) if p)))
    return ("lit", value.value, value.language or "")


def rows_of(result, separators: dict[str, str]) -> list[tuple]:
    names = result.variables
    return sorted((tuple(normalise(row.get(n), separators.get(n)) for n in names) for row in result.terms()),
                  key=repr)


@pytest.mark.parametrize("name", NAMED)
def test_every_named_query_answers_the_same_rows_on_virtuoso(published, kg, name):
    import ssegraph

    remote = ssegraph.load(endpoint=f"{published.query_url}?default-graph-uri={GRAPH}", timeout=120)
    separators = {var: sep for sep, var in _CONCAT.findall(get_query(name).sparql)}
    local_rows = rows_of(kg.named_query(name), separators)
    remote_rows = rows_of(remote.named_query(name), separators)
    assert local_rows, f"{name} answers nothing locally: the comparison would prove nothing"
    assert remote_rows == local_rows


# -- bulk load of a release ------------------------------------------------------------------
def test_a_release_dump_bulk_loads_into_virtuoso(virtuoso, dumps, kg):
    import ssegraph
    from ssegraph.release import GENID, write_release

    report = write_release(kg, dumps / "release", version="0.0.0-virtuoso", previous=None)
    seconds = virtuoso.bulk_load(dumps / "release", "ssegraph-0.0.0-virtuoso.nt.gz", RELEASE_GRAPH)
    assert seconds < 120
    assert count_in(virtuoso, RELEASE_GRAPH) == report.triples == len(kg.store)
    remote = ssegraph.load(endpoint=f"{virtuoso.query_url}?default-graph-uri={RELEASE_GRAPH}", timeout=60)
    genids = remote.query("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), ?genid)) }",
                          genid=ox.Literal(GENID))
    assert int(next(iter(genids.terms()))["n"].value) == report.skolemised > 0
    separators = {var: sep for sep, var in _CONCAT.findall(get_query("untfsse-members").sparql)}
    members = rows_of(remote.named_query("untfsse-members"), separators)
    assert members == rows_of(kg.named_query("untfsse-members"), separators)
