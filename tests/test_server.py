"""``serve`` and ``publish`` against real Oxigraph servers on loopback.

``serve`` runs as a subprocess (``python -m ssegraph serve``), exactly as a researcher starts
it; ``publish`` goes to a read-write ``oxigraph serve`` started by the tests. Every server is
started by a fixture or context manager that stops it in ``finally`` (see ``_servers.py``).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import ssegraph
from _servers import (
    HOST,
    auth_proxy,
    count,
    cut_proxy,
    environ_without_proxies,
    free_port,
    oxigraph,
    port_is_free,
    processes_with,
    sparql,
)
from ssegraph.cli import cli
from ssegraph.errors import EndpointError, ServerError
from ssegraph.remote import Endpoint
from ssegraph.server import DEFAULT_GRAPH, publish, start_server

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = [ROOT / "tests" / "data" / "server-organisations.ttl", ROOT / "tests" / "data" / "server-policy.ttl"]
DATA = [*FIXTURES, ROOT / "ontology"]

PREFIXES = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX sse: <https://w3id.org/ssegraph/def#>
"""
#: A SELECT over both fixture files: the answer needs the union of their named graphs.
ORGS = PREFIXES + """SELECT ?o ?label ?acronym ?observed WHERE {
  ?o a org:Organization ; skos:prefLabel ?label .
  OPTIONAL { ?o sse:acronym ?acronym }
  OPTIONAL { ?o sse:observerOf ?observed }
} ORDER BY ?o ?label"""
#: Genuinely slow: a three-way cross product of ~1,000 triples is ~10^9 solutions to count.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
}


def data_args(cache: Path, files=DATA) -> list[str]:
    args = ["--cache-dir", str(cache)]
    for f in files:
        args += ["--data", str(f)]
    return args


def run(args: list[str]):
    result = CliRunner().invoke(cli, args)
    assert "Traceback" not in result.output, result.output
    return result


def one_error_line(result) -> str:
    """The stderr of a failed command: exactly one ``Error: …`` line, nothing on stdout."""
    assert result.exit_code != 0
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


# -- `ssegraph serve` as a subprocess ---------------------------------------------------------
class Serve:
    """``python -m ssegraph … serve`` with its stdout read line by line."""

    def __init__(self, cache: Path, *args: str, files=DATA):
        self.port = free_port()
        cmd = [sys.executable, "-m", "ssegraph", *data_args(cache, files), "serve", "--port", str(self.port), *args]
        self.process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env=environ_without_proxies(), cwd=cache.parent)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        self.query_url = self.page_url = ""
        deadline = time.monotonic() + 60
        while not self.query_url:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    code, err = self.stop()
                    raise RuntimeError(f"serve did not start ({code}): {err}") from None
                continue
            if line.startswith("query page:"):
                self.page_url = line.split()[-1]
            if line.startswith("SPARQL endpoint:"):
                self.query_url = line.split()[-1]

    def _pump(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    @property
    def bind(self) -> str:
        """The ``--bind`` of the Oxigraph child (on a private port behind ssegraph's proxy)."""
        if not getattr(self, "_bind", ""):
            for pid in processes_with("serve-read-only"):
                try:
                    ppid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
                    cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
                except (OSError, ValueError, IndexError):
                    continue
                if ppid == self.process.pid and b"--bind" in cmd:
                    self._bind = f"--bind {cmd[cmd.index(b'--bind') + 1].decode()} "
        return getattr(self, "_bind", "") or f"--bind {HOST}:{self.port} "

    def stop(self, sig: int = signal.SIGTERM) -> tuple[int, str]:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        err = self.process.stderr.read()
        self.process.stderr.close()
        return self.process.returncode, err


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("server") / "cache"


@pytest.fixture(scope="module")
def served(cache):
    """``ssegraph serve --timeout 1`` over the fixture data and the ontology."""
    srv = Serve(cache, "--timeout", "1")
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def local_kg(cache, served):
    return ssegraph.load(DATA, cache_dir=cache)


def test_serve_prints_loopback_urls_and_the_query_page(served):
    assert served.query_url == f"http://{HOST}:{served.port}/query"
    assert served.page_url == f"http://{HOST}:{served.port}/"
    status, ctype, body = sparql(served.page_url, "", method="GET", accept="text/html")
    assert status == 200 and ctype.startswith("text/html")
    assert b"yasgui" in body.lower()  # Oxigraph's built-in query page


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", ["json", "csv", "xml"])
def test_select_formats_match_the_embedded_query(served, cache, method, fmt):
    local = run([*data_args(cache), "query", ORGS, "--format", fmt])
    assert local.exit_code == 0, local.stderr
    status, ctype, body = sparql(served.query_url, ORGS, accept=MEDIA[fmt], method=method)
    assert status == 200, body
    assert ctype.startswith(MEDIA[fmt])
    if fmt == "csv":
        assert body == local.stdout_bytes  # byte for byte: the same serialiser
        assert body.decode().count("\n") == 1 + 5  # header; 3 organisations, two with 2 labels
        return
    fmt_enum = ox.QueryResultsFormat.JSON if fmt == "json" else ox.QueryResultsFormat.XML
    remote_rows = [tuple(str(s[v]) for v in ("o", "label", "acronym", "observed"))
                   for s in ox.parse_query_results(body, format=fmt_enum)]
    local_rows = [tuple(str(s[v]) for v in ("o", "label", "acronym", "observed"))
                  for s in ox.parse_query_results(local.stdout_bytes, format=fmt_enum)]
    assert remote_rows == local_rows and len(remote_rows) == 5
    if fmt == "json":
        assert json.loads(body)["head"]["vars"] == ["o", "label", "acronym", "observed"]


def test_union_of_file_graphs_is_the_default_graph(served, local_kg):
    # an event (server-policy.ttl) organised by an organisation labelled in server-organisations.ttl
    q = PREFIXES + """PREFIX schema: <http://schema.org/>
SELECT ?label WHERE {
  ?e a schema:Event ; schema:organizer ?o . ?o skos:prefLabel ?label FILTER(LANG(?label) = "en")
}"""
    status, _, body = sparql(served.query_url, q)
    assert body.decode().split() == ["label", "Server", "Test", "Task", "Force"]
    assert count(served.query_url) == len(list(local_kg.triples()))


def test_update_is_refused(served):
    before = count(served.query_url)
    insert = "INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }"
    req_update = sparql(served.query_url.replace("/query", "/update"), insert)
    assert req_update[0] == 403 and b"read-only" in req_update[2]
    assert sparql(served.query_url, insert)[0] == 400  # not a query
    store_url = served.query_url.replace("/query", "/store?graph=urn:x:g")
    assert put(store_url, b"<urn:x:s> <urn:x:p> <urn:x:o> .\n") == 403
    assert count(served.query_url) == before


def put(url: str, body: bytes) -> int:
    import urllib.error
    import urllib.request

    req = urllib.request.Request(url, data=body, method="PUT", headers={"Content-Type": "application/n-triples"})
    try:
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(req, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_query_over_the_time_limit_is_cut_off(served, cache):
    started = time.monotonic()
    status, _, body = sparql(served.query_url, SLOW, accept=MEDIA["json"], timeout=60)
    elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 20, elapsed  # ran until the 1 s limit, then stopped: no hang
    text = body.decode()
    assert "cancelled" in text  # Oxigraph has already sent 200 and the head; the body ends in the error
    with pytest.raises(ValueError):
        json.loads(text)
    started = time.monotonic()
    result = run(["--endpoint", served.query_url, "query", SLOW])
    assert time.monotonic() - started < 20
    assert result.exit_code == 2
    line = one_error_line(result)
    assert "incomplete or malformed answer" in line and "cancelled" in line


def test_twenty_concurrent_clients_get_correct_answers(served, local_kg):
    subjects = sorted({r["s"] for r in local_kg.query(
        "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), STR(id:srv-))) }")})
    subjects = (subjects * 3)[:20]
    assert len(subjects) == 20
    q = "SELECT ?p ?o WHERE { ?s ?p ?o FILTER(!isBlank(?o)) } ORDER BY ?p ?o"
    expected = {s: [(r["p"], str(r["o"])) for r in local_kg.query(q, s=ox.NamedNode(s))] for s in set(subjects)}
    endpoint = ssegraph.load(endpoint=served.query_url, timeout=30)
    barrier = threading.Barrier(20, timeout=30)

    def client(s: str):
        barrier.wait()  # all twenty ask at once
        answers = []
        for _ in range(5):
            rows = [(r["p"], str(r["o"])) for r in endpoint.query(q, s=ox.NamedNode(s))]
            answers.append(rows)
        return s, answers

    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        futures = [pool.submit(client, s) for s in subjects]
        results = [f.result(timeout=120) for f in futures]
    for s, answers in results:
        assert all(a == expected[s] for a in answers), s
        assert expected[s]


def test_cors_only_when_asked(served, cache):
    import urllib.request

    def allow_origin(url: str) -> str | None:
        req = urllib.request.Request(url + "?query=ASK%7B%7D", headers={"Origin": "https://example.org"})
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(req, timeout=10) as resp:
            return resp.headers.get("Access-Control-Allow-Origin")

    assert allow_origin(served.query_url) is None
    with start_server(DATA, port=0, cors=True, cache_dir=cache) as srv:
        assert allow_origin(srv.query_url) == "*"
    assert not srv.running


def test_serve_reads_the_cli_store_and_rebuilds_when_stale(tmp_path):
    files = []
    for f in FIXTURES:
        shutil.copy(f, tmp_path / f.name)
        files.append(tmp_path / f.name)
    cache = tmp_path / "cache"
    with start_server(files, port=0, cache_dir=cache) as srv:  # no store yet: built first
        first = count(srv.query_url)
        assert srv.store == ssegraph.load(files, cache_dir=cache).backend.path  # the CLI's own store
        assert len(list((cache / "stores").iterdir())) == 1  # found, not rebuilt
        local = run([*data_args(cache, files), "query", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "-f", "csv"])
        assert local.stdout.split()[-1] == str(first)  # read-only CLI beside the read-only server
    with open(files[0], "a", encoding="utf-8") as fh:
        fh.write('\nid:srv-agency sse:acronym "STA" .\n')
    with start_server(files, port=0, cache_dir=cache) as srv2:  # stale: rebuilt before serving
        assert count(srv2.query_url) == first + 1
        assert srv2.store != srv.store


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_stopping_serve_leaves_no_orphan(cache, sig):
    srv = Serve(cache)
    try:
        assert count(srv.query_url) > 0
        assert processes_with(srv.bind)  # the oxigraph child is there
    finally:
        code, err = srv.stop(sig)
    assert code == 0, err
    assert "Traceback" not in err and err.strip().endswith("stopped")
    deadline = time.monotonic() + 5
    while processes_with(srv.bind) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes_with(srv.bind) == []
    assert port_is_free(srv.port)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux-only")
def test_killed_serve_takes_its_server_down(cache):
    srv = Serve(cache)
    try:
        assert processes_with(srv.bind)
        srv.process.kill()  # no finally, no signal handler: only the kernel can clean up
        srv.process.wait(10)
        deadline = time.monotonic() + 10
        while processes_with(srv.bind) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert processes_with(srv.bind) == []
    finally:
        srv.stop()
        for pid in processes_with(srv.bind):  # never leave one behind, even when the test fails
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def test_port_in_use_is_one_line(cache):
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        sock.listen(1)
        port = sock.getsockname()[1]
        result = run([*data_args(cache), "serve", "--port", str(port)])
    assert result.exit_code == 2
    assert one_error_line(result) == f"Error: port {port} on 127.0.0.1 is already in use; choose another with --port"


def test_serve_refuses_the_global_endpoint(cache):
    result = run(["--endpoint", "http://127.0.0.1:9/query", "serve"])
    assert result.exit_code == 2
    assert "serve works on the local files" in result.stderr and "Traceback" not in result.stderr


def test_server_error_for_an_in_memory_graph():
    kg = ssegraph.load(FIXTURES, memory=True)
    with pytest.raises(ServerError, match="in-memory graph cannot be served"):
        start_server(kg, port=0)


# -- publish ----------------------------------------------------------------------------------
@pytest.fixture()
def store_server(tmp_path):
    """A fresh read-write ``oxigraph serve`` (default graph: not the union)."""
    with oxigraph(tmp_path / "remote-store") as srv:
        yield srv


def distinct_count(kg) -> int:
    return int(next(iter(kg.query("SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")))["n"])


def remote_graph(query_url: str, graph: str = DEFAULT_GRAPH):
    import rdflib

    status, _, body = sparql(query_url, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                             accept="application/n-triples")
    assert status == 200
    return rdflib.Graph().parse(data=body.decode(), format="nt")


def isomorphic(kg, graph) -> bool:
    from rdflib.compare import isomorphic as iso

    return iso(kg.to_rdflib(), graph)


def in_graph(query_url: str, graph: str = DEFAULT_GRAPH) -> int:
    return count(query_url, f"{{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")


def versions(tmp_path: Path):
    """Two versions of the data: v2 adds one statement and drops another."""
    v1, v2 = tmp_path / "v1", tmp_path / "v2"
    for d in (v1, v2):
        d.mkdir()
        for f in FIXTURES:
            shutil.copy(f, d / f.name)
    text = (v2 / "server-organisations.ttl").read_text(encoding="utf-8")
    text = text.replace('    sse:acronym "STN" ;\n', "")
    text += '\nid:srv-agency sse:acronym "STA" .\n'
    (v2 / "server-organisations.ttl").write_text(text, encoding="utf-8")
    return v1, v2


def test_publish_counts_and_does_not_duplicate(store_server, local_kg):
    first = publish(local_kg, store_server.store_url)
    local = distinct_count(local_kg)
    assert first.triples == local == in_graph(store_server.query_url)
    assert first.created and first.graph == DEFAULT_GRAPH and first.bytes > 0
    second = publish(local_kg, store_server.store_url)
    assert not second.created and second.status == 204
    assert in_graph(store_server.query_url) == local  # replaced, not added
    assert count(store_server.query_url, "{ GRAPH ?g { ?s ?p ?o } }") == local  # nothing elsewhere
    assert isomorphic(local_kg, remote_graph(store_server.query_url))  # blank nodes included


def test_publish_replaces_the_previous_version(store_server, tmp_path):
    v1, v2 = versions(tmp_path)
    kg1 = ssegraph.load([v1], cache_dir=tmp_path / "cache")
    kg2 = ssegraph.load([v2], cache_dir=tmp_path / "cache")
    publish(kg1, store_server.store_url)
    publish(kg2, store_server.store_url)
    got = remote_graph(store_server.query_url)
    assert isomorphic(kg2, got)
    assert not isomorphic(kg1, got)


def test_publish_cli_reports_what_it_sent(store_server, cache, local_kg):
    graph = "https://example.org/graph/sse-test"
    result = run([*data_args(cache), "publish", "--endpoint", store_server.store_url, "--graph", graph])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    n = distinct_count(local_kg)
    assert re.fullmatch(
        rf"published {n} triples \([\d,]+ bytes of N-Triples\) to <{re.escape(graph)}> at "
        rf"{re.escape(store_server.store_url)}: created \(HTTP 201 Created\) in \d+\.\d s\n", result.stderr)
    assert in_graph(store_server.query_url, graph) == n


def nt_size(kg) -> int:
    return len(kg.triples().to("nt").encode())


def test_cut_connection_leaves_the_previous_graph(store_server, tmp_path):
    v1, v2 = versions(tmp_path)
    kg1 = ssegraph.load([v1], cache_dir=tmp_path / "cache")
    kg2 = ssegraph.load([v2], cache_dir=tmp_path / "cache")
    publish(kg1, store_server.store_url)
    with cut_proxy(store_server.port, cut_after=nt_size(kg2) // 2) as (proxy, stats):
        with pytest.raises(EndpointError, match="closed the connection|did not answer"):
            publish(kg2, proxy + "/store", timeout=10)
    assert stats["cuts"] == 1 and stats["forwarded"] > 1000  # the store got half a body
    assert isomorphic(kg1, remote_graph(store_server.query_url))


def test_store_killed_mid_push_keeps_the_previous_graph(tmp_path):
    v1, v2 = versions(tmp_path)
    kg1 = ssegraph.load([v1], cache_dir=tmp_path / "cache")
    kg2 = ssegraph.load([v2], cache_dir=tmp_path / "cache")
    location = tmp_path / "remote-store"
    with oxigraph(location) as store:
        publish(kg1, store.store_url)
        with cut_proxy(store.port, cut_after=nt_size(kg2) // 2, on_cut=store.kill) as (proxy, stats):
            with pytest.raises(EndpointError):
                publish(kg2, proxy + "/store", timeout=10)
        assert stats["cuts"] == 1
        assert store.process.poll() is not None  # the store really died mid-way
    with oxigraph(location) as restarted:  # same data folder, after the crash
        assert isomorphic(kg1, remote_graph(restarted.query_url))
        assert in_graph(restarted.query_url) == distinct_count(kg1)


def test_publish_credentials(store_server, cache, local_kg):
    base = [*data_args(cache), "publish"]
    with auth_proxy(store_server.base, "ann", "s3cret") as proxy:
        url = proxy + "/store"
        wrong = CliRunner(env={"SSEGRAPH_PASSWORD": "wrong"}).invoke(cli, [*base, "--endpoint", url, "--user", "ann"])
        assert wrong.exit_code == 2
        assert one_error_line(wrong) == f"Error: graph store {url} refused the credentials (HTTP 401 Unauthorized)"
        on_the_line = run([*base, "--endpoint", url, "--auth", "ann:s3cret"])
        assert on_the_line.exit_code == 2 and "never taken from the command line" in on_the_line.stderr
        in_url = run([*base, "--endpoint", url.replace("http://", "http://ann:s3cret@")])
        assert in_url.exit_code == 2 and "the URL carries a password" in in_url.stderr
        missing = run([*base, "--endpoint", url])
        assert "needs credentials (HTTP 401 Unauthorized)" in one_error_line(missing)
        assert in_graph(store_server.query_url) == 0
        ok = CliRunner(env={"SSEGRAPH_AUTH": "ann:s3cret"}).invoke(cli, [*base, "--endpoint", url])
        assert ok.exit_code == 0, ok.stderr
        ok = CliRunner(env={"SSEGRAPH_PASSWORD": "s3cret"}).invoke(cli, [*base, "--endpoint", url, "--user", "ann"])
        assert ok.exit_code == 0, ok.stderr
    assert in_graph(store_server.query_url) == distinct_count(local_kg)


def test_publish_digest_credentials(store_server, local_kg):
    with auth_proxy(store_server.base, "dba", "pw", scheme="digest") as proxy:
        with pytest.raises(EndpointError, match="refused the credentials"):
            publish(local_kg, proxy + "/store", auth="dba:nope")
        report = publish(local_kg, proxy + "/store", auth="dba:pw")  # body re-sent after the challenge
    assert report.triples == in_graph(store_server.query_url) == distinct_count(local_kg)


def test_publish_errors_are_one_line(served, store_server, cache):
    base = [*data_args(cache), "publish"]
    read_only = run([*base, "--endpoint", served.query_url.replace("/query", "/store")])
    assert one_error_line(read_only).endswith("refused the request (HTTP 403 Forbidden: The server is read-only)")
    query_url = run([*base, "--endpoint", store_server.query_url])
    line = one_error_line(query_url)
    assert "HTTP 4" in line and "is this a query URL?" in line and "Oxigraph http://HOST:7878/store" in line
    down = run([*base, "--endpoint", f"http://{HOST}:{free_port()}/store"])
    assert "connection refused" in one_error_line(down)
    bad_graph = run([*base, "--endpoint", store_server.store_url, "--graph", "not an iri"])
    assert "is not an absolute IRI" in one_error_line(bad_graph)
    no_target = run([*base])
    assert no_target.exit_code == 2 and "publish needs the store's Graph Store URL" in no_target.stderr
    misplaced = run(["--endpoint", store_server.store_url, "publish"])
    assert misplaced.exit_code == 2 and "publish works on the local files" in misplaced.stderr


def test_published_graph_reads_back_with_default_graph_uri(store_server, cache, local_kg):
    publish(local_kg, store_server.store_url)
    plain = Endpoint(store_server.query_url)
    assert len(plain) == 0  # this store's default graph is not the union of its graphs
    url = f"{store_server.query_url}?default-graph-uri={DEFAULT_GRAPH}"
    assert len(Endpoint(url)) == distinct_count(local_kg)
    local = run([*data_args(cache), "stats", "-f", "json"])
    remote = run(["--endpoint", url, "stats", "-f", "json"])
    assert remote.exit_code == 0, remote.stderr
    a, b = json.loads(local.stdout), json.loads(remote.stdout)
    a.pop("files"), b.pop("files")
    assert a == b
