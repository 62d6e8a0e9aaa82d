"""``--endpoint``: every read command gives the same answer from a real SPARQL server.

The bundled data is built into a private cache and served read-only by ``oxigraph
serve-read-only --union-default-graph`` on a free loopback port; each command then runs twice,
once on the embedded store and once with ``--endpoint``, and the answers are compared. The
error cases use a real server where one can produce the error, and small loopback stand-ins
(``_servers.py``) where none can on demand.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import ssegraph
from _cli import one_error_line
from _servers import (
    HOST,
    auth_proxy,
    fixed_answer,
    free_port,
    oxigraph,
    silent_server,
)
from ssegraph.catalog import list_queries
from ssegraph.cli import cli
from ssegraph.errors import EndpointError, QueryError
from ssegraph.graph import LocalBackend
from ssegraph.remote import Endpoint, bind_values, query_form

pytestmark = pytest.mark.server


def run(args: list[str]):
    result = CliRunner().invoke(cli, args)
    assert "Traceback" not in result.output, result.output
    return result


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("remote") / "cache"


@pytest.fixture(scope="module")
def local(cache):
    return ssegraph.load(cache_dir=cache)


@pytest.fixture(scope="module")
def server(local):
    """The CLI's own store of the bundled data, served read-only."""
    with oxigraph(local.backend.path, read_only=True, union=True) as srv:
        yield srv


@pytest.fixture(scope="module")
def remote(server):
    return ssegraph.load(endpoint=server.query_url)


def both(cache, server, *args: str):
    """Run a command locally and with --endpoint; both must succeed."""
    a = run(["--cache-dir", str(cache), *args])
    b = run(["--endpoint", server.query_url, *args])
    assert a.exit_code == 0, a.stderr
    assert b.exit_code == 0, b.stderr
    return a, b


# -- same answers -----------------------------------------------------------------------------
NAMED = [q.name for q in list_queries()]


@pytest.mark.parametrize("name", NAMED)
def test_named_queries_same_remote_as_local(cache, server, name):
    a, b = both(cache, server, "query", "--name", name, "--format", "csv")
    sparql = next(q for q in list_queries() if q.name == name).sparql
    if "ORDER BY" in sparql.upper():
        assert b.stdout_bytes == a.stdout_bytes
    else:
        assert sorted(b.stdout_bytes.splitlines()) == sorted(a.stdout_bytes.splitlines())


def test_named_queries_are_not_all_empty(cache, server):
    # the comparison above would pass on two empty answers; most questions have answers
    answered = 0
    for name in NAMED:
        b = run(["--endpoint", server.query_url, "query", "--name", name, "--format", "csv"])
        answered += b.stdout.count("\n") > 1
    assert answered >= len(NAMED) // 2


def test_parameters_inside_filter_and_optional(cache, server, local, remote):
    # A VALUES block placed after the query would leave ?name unbound inside the FILTER and
    # ?o unbound inside the OPTIONAL: both would silently answer something else.
    q = """SELECT ?s ?label ?homepage WHERE {
      ?s sse:acronym ?a FILTER(LCASE(STR(?a)) = ?name)
      OPTIONAL { ?s skos:prefLabel ?label FILTER(LANG(?label) = "en") }
      OPTIONAL { ?s foaf:homepage ?homepage }
    } ORDER BY ?s"""
    a, b = both(cache, server, "query", q, "-p", "name=untfsse", "--format", "json")
    assert json.loads(a.stdout) == json.loads(b.stdout)
    assert json.loads(b.stdout)["results"]["bindings"]
    grouped = "SELECT ?o (COUNT(?m) AS ?n) WHERE { ?m org:organization ?o } GROUP BY ?o"
    rows_local = [(r["o"], r["n"]) for r in local.query(grouped, o="id:untfsse")]
    rows_remote = [(r["o"], r["n"]) for r in remote.query(grouped, o="id:untfsse")]
    assert rows_local == rows_remote and rows_remote[0][1] > 0


def test_construct_ask_and_describe_same_remote_as_local(cache, server):
    import rdflib
    from rdflib.compare import isomorphic

    construct = "CONSTRUCT { ?o ?p ?v } WHERE { ?o ?p ?v }"
    a, b = both(cache, server, "query", construct, "-p", "o=id:untfsse", "--format", "nt")
    ga = rdflib.Graph().parse(data=a.stdout, format="nt")
    gb = rdflib.Graph().parse(data=b.stdout, format="nt")
    assert len(ga) > 5 and isomorphic(ga, gb)
    asks = (("ASK { id:untfsse a org:Organization }", "true"), ("ASK { id:untfsse a foaf:Person }", "false"))
    for ask, expected in asks:
        a, b = both(cache, server, "query", ask)
        assert a.stdout.strip() == b.stdout.strip() == expected
    a, b = both(cache, server, "query", "DESCRIBE id:untfsse", "--format", "nt")
    ga, gb = (rdflib.Graph().parse(data=r.stdout, format="nt") for r in (a, b))
    assert len(ga) > 5 and isomorphic(ga, gb)


def test_stats_same_remote_as_local(cache, server):
    a, b = both(cache, server, "stats", "--format", "json")
    local_stats, remote_stats = json.loads(a.stdout), json.loads(b.stdout)
    assert local_stats.pop("files") > 0 and remote_stats.pop("files") == 0  # files are a local notion
    assert local_stats == remote_stats
    assert remote_stats["triples"] > 1000
    text = run(["--endpoint", server.query_url, "stats"])
    assert text.exit_code == 0 and text.stdout.startswith(f"{remote_stats['triples']} triples")


def test_describe_same_remote_as_local(local, remote, server):
    for name in ("UNTFSSE", "id:a-res-77-281", "Diesis Network"):  # acronym, prefixed name, label
        d_local, d_remote = local.describe(name), remote.describe(name)
        assert d_remote.iri == d_local.iri and d_remote.label == d_local.label
        assert d_remote.types == d_local.types
        assert sorted(map(str, d_remote.outgoing)) == sorted(map(str, d_local.outgoing))
        assert d_remote.incoming == d_local.incoming and d_remote.sources == d_local.sources
        assert d_local.sources and d_remote.files == []
    result = run(["--endpoint", server.query_url, "describe", "UNTFSSE"])
    assert result.exit_code == 0 and "sources:" in result.stdout


def _edge_key(graph, u, v, data):
    def node(n):
        return "_:" if str(n).startswith("_:") else str(n)

    return node(u), node(v), str(data.get("label", ""))


def test_to_networkx_same_remote_as_local(local, remote):
    g_local, g_remote = local.to_networkx(), remote.to_networkx()
    iris = lambda g: {n for n in g.nodes if not str(n).startswith("_:")}  # noqa: E731
    assert iris(g_remote) == iris(g_local) and g_remote.number_of_nodes() == g_local.number_of_nodes()
    assert sorted(_edge_key(g_local, u, v, d) for u, v, d in g_local.edges(data=True)) == sorted(
        _edge_key(g_remote, u, v, d) for u, v, d in g_remote.edges(data=True))


def test_export_graphml_same_remote_as_local(cache, server, tmp_path):
    import networkx as nx

    a = run(["--cache-dir", str(cache), "export", "graphml", "-o", str(tmp_path / "local.graphml")])
    b = run(["--endpoint", server.query_url, "export", "graphml", "-o", str(tmp_path / "remote.graphml")])
    assert a.exit_code == 0, a.stderr
    assert b.exit_code == 0, b.stderr
    g_local = nx.read_graphml(tmp_path / "local.graphml")
    g_remote = nx.read_graphml(tmp_path / "remote.graphml")
    assert g_local.number_of_nodes() > 0
    assert g_remote.number_of_nodes() == g_local.number_of_nodes()
    assert g_remote.number_of_edges() == g_local.number_of_edges()

    def nodes(g):
        return sorted(
            (n if not n.startswith("_:") else "_:", json.dumps(d, sort_keys=True, default=str))
            for n, d in g.nodes(data=True)
        )

    assert nodes(g_remote) == nodes(g_local)
    assert sorted(_edge_key(g_local, u, v, d) for u, v, d in g_local.edges(data=True)) == sorted(
        _edge_key(g_remote, u, v, d) for u, v, d in g_remote.edges(data=True))


def test_endpoint_len_and_repr(server, local):
    e = Endpoint(f"http://ann:secret@{HOST}:{server.port}/query", timeout=5)
    assert "secret" not in repr(e) and "ann" not in repr(e)
    distinct = int(next(iter(local.query("SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")))["n"])
    assert len(Endpoint(server.query_url)) == distinct


def test_values_binding_matches_oxigraph_substitutions(local, server):
    """The VALUES rewriting answers what Oxigraph's own substitutions answer, query by query."""
    backend = local.backend
    assert isinstance(backend, LocalBackend)
    endpoint = Endpoint(server.query_url)
    untfsse = ox.NamedNode("https://w3id.org/ssegraph/id/untfsse")
    en = ox.Literal("en")
    cases = [
        ("SELECT ?p ?o WHERE { ?s ?p ?o FILTER(!isBlank(?o)) } ORDER BY ?p ?o", {"s": untfsse}),
        ("SELECT ?m WHERE { { SELECT ?m ?o { ?m org:organization ?o } } } ORDER BY ?m", {"o": untfsse}),
        ("SELECT ?l WHERE { ?s skos:prefLabel ?l FILTER(LANG(?l) = ?lang) }", {"s": untfsse, "lang": en}),
        ("SELECT (COUNT(*) AS ?n) WHERE { ?x ?p ?s }", {"s": untfsse}),
        ("SELECT ?s WHERE { ?s org:memberOf|sse:observerOf ?o } ORDER BY ?s", {"o": untfsse}),
    ]
    from ssegraph.graph import with_prologue

    for q, subs in cases:
        text = with_prologue(q)
        want = [tuple(str(v) for v in sol) for sol in backend.query(text, subs)]
        got = [tuple(str(v) for v in sol) for sol in endpoint.query(text, subs)]
        assert got == want, q
        assert want, q


def test_bind_values_places_the_block_inside_the_where_group():
    x = {"x": ox.NamedNode("http://ex/a")}
    assert bind_values("CONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o }", x) == (
        "CONSTRUCT { ?x ?p ?o } WHERE { VALUES (?x) { (<http://ex/a>) } ?x ?p ?o }")
    assert bind_values("CONSTRUCT WHERE { ?x ?p ?o } LIMIT 3", x) == (
        "CONSTRUCT { ?x ?p ?o } WHERE { VALUES (?x) { (<http://ex/a>) } ?x ?p ?o } LIMIT 3")
    assert bind_values("DESCRIBE ?x", x) == "DESCRIBE ?x WHERE { VALUES (?x) { (<http://ex/a>) } } "
    sub = bind_values("SELECT * WHERE { SELECT ?x { ?x ?p ?o } }", x)
    assert sub == "SELECT * WHERE { VALUES (?x) { (<http://ex/a>) } { SELECT ?x { ?x ?p ?o } } }"
    tricky = 'SELECT ?o # { not a brace\nFROM <http://g/> WHERE { ?x ?p "}" , """{""" . OPTIONAL { ?x ?q ?o } }'
    out = bind_values(tricky, x)
    assert out.index("VALUES") > out.index("WHERE {")
    for text in (tricky, sub, "DESCRIBE ?x"):
        ox.Store().query(bind_values(text, x))  # every rewrite is valid SPARQL
    assert bind_values("SELECT * { ?s ?p ?o }", {}) == "SELECT * { ?s ?p ?o }"
    assert query_form("PREFIX a: <http://a/>\n# ASK\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }") == "CONSTRUCT"


def test_bind_values_refuses_what_it_cannot_write():
    with pytest.raises(QueryError, match="blank node|BlankNode"):
        bind_values("SELECT * { ?s ?p ?o }", {"s": ox.BlankNode("b")})
    with pytest.raises(QueryError, match="not a SPARQL variable name"):
        bind_values("SELECT * { ?s ?p ?o }", {"s) } INSERT": ox.Literal("x")})
    with pytest.raises(QueryError, match="not a SPARQL query"):
        bind_values("CLEAR ALL", {"s": ox.Literal("x")})
    # a value is a term: text that looks like SPARQL stays a string literal
    evil = ox.Literal('"} } ; DROP ALL ; SELECT * { "')
    text = bind_values("SELECT ?s WHERE { ?s ?p ?o FILTER(?o = ?v) }", {"v": evil})
    assert list(ox.Store().query(text)) == []


# -- errors: one line, exit 2, no traceback ---------------------------------------------------
@pytest.mark.parametrize("command", [["stats"], ["query", "ASK { ?s ?p ?o }"], ["describe", "UNTFSSE"]])
def test_unreachable_endpoint(command):
    url = f"http://{HOST}:{free_port()}/query"
    line = one_error_line(run(["--endpoint", url, *command]))
    assert line == f"Error: cannot reach endpoint {url}: connection refused (is the server running?)"


def test_endpoint_that_never_answers_times_out():
    with silent_server() as url:
        line = one_error_line(run(["--endpoint", url, "--timeout", "1", "stats"]))
    assert line == f"Error: endpoint {url} did not answer within 1 s (raise --timeout?)"


def test_http_errors_from_a_real_server(server):
    syntax = one_error_line(run(["--endpoint", server.query_url, "query", "SELECT * WHERE {"]))
    assert syntax.startswith(f"Error: endpoint {server.query_url} answered HTTP 400 Bad Request: ")
    wrong_path = one_error_line(run(["--endpoint", server.base + "/nothing", "stats"]))
    assert wrong_path == (f"Error: endpoint {server.base}/nothing answered HTTP 404 Not Found: "
                          "POST /nothing is not supported by this server")


@pytest.mark.parametrize(("status", "ctype", "body", "expected"), [
    (500, "text/plain", b"Internal error: storage is corrupted\nmore detail\n",
     "answered HTTP 500 Internal Server Error: Internal error: storage is corrupted"),
    (503, "text/html", b"<html><head><title>503 Service Unavailable</title></head><body><h1>down</h1></body></html>",
     "answered HTTP 503 Service Unavailable: 503 Service Unavailable"),
    (502, "application/json", b'{"exception": "Query timed out after 10s", "status": "ERROR"}',
     "answered HTTP 502 Bad Gateway: Query timed out after 10s"),
    (200, "text/html", b"<html><body>Welcome to the portal</body></html>",
     "answered with an HTML page, not SPARQL results: is it the query URL?"),
    (200, "application/sparql-results+json", b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":',
     "sent an incomplete or malformed answer"),
])
def test_http_error_answers_are_one_line(status, ctype, body, expected):
    with fixed_answer(status, ctype, body) as base:
        line = one_error_line(run(["--endpoint", base + "/sparql", "stats"]))
    assert line.startswith(f"Error: endpoint {base}/sparql ") and expected in line


def test_redirects_are_reported_not_followed():
    with fixed_answer(301, "text/plain", b"moved", {"Location": "https://elsewhere.example/sparql"}) as base:
        line = one_error_line(run(["--endpoint", base + "/sparql", "stats"]))
    assert "redirects (HTTP 301 Moved Permanently) to https://elsewhere.example/sparql" in line


def test_credentials(server, local):
    with auth_proxy(server.base, "ann", "s3cret") as proxy:
        host = proxy.removeprefix("http://")
        wrong = one_error_line(run(["--endpoint", f"http://ann:nope@{host}/query", "stats"]))
        assert wrong == f"Error: endpoint http://{host}/query refused the credentials (HTTP 401 Unauthorized)"
        missing = one_error_line(run(["--endpoint", f"http://{host}/query", "stats"]))
        assert "needs credentials (HTTP 401 Unauthorized)" in missing
        ok = run(["--endpoint", f"http://ann:s3cret@{host}/query", "query", "ASK { id:untfsse ?p ?o }"])
        assert ok.exit_code == 0 and ok.stdout.strip() == "true"
        assert len(Endpoint(f"http://{host}/query", auth="ann:s3cret")) == len(Endpoint(server.query_url))
    with auth_proxy(server.base, "dba", "pw", scheme="digest") as proxy:
        assert len(Endpoint(proxy + "/query", auth=("dba", "pw"))) > 0
        with pytest.raises(EndpointError, match="refused the credentials"):
            len(Endpoint(proxy + "/query", auth=("dba", "wrong")))


def test_not_an_http_url():
    line = one_error_line(run(["--endpoint", "ftp://example.org/sparql", "stats"]))
    assert line == "Error: 'ftp://example.org/sparql' is not an http:// or https:// URL"
