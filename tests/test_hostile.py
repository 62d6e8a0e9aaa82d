"""Hostile and careless use (issue 13): every failure class driven the way a user meets it.

Each test runs the command line (CliRunner, or a real process where signals, the process
guard, special files or another user matter) or the public API. Servers bind 127.0.0.1;
every wait and loop is bounded.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import ssegraph
from ssegraph.cli import cli

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny.ttl"
SSEGRAPH = [sys.executable, "-m", "ssegraph"]
#: ~10^9 solutions over the ontology loaded with any data: minutes of engine time.
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SORTED = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"

HOSTILE = """@prefix id: <https://w3id.org/ssegraph/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix org: <http://www.w3.org/ns/org#> .
id:evil a org:Organization ; skos:prefLabel "Evil\\u001b]0;pwned\\u0007\\u001b[2J Co\\rX"@en .
id:formula a org:Organization ; skos:prefLabel "=HYPERLINK(\\"http://evil.example/\\",\\"x\\")"@en .
"""


def invoke(*args: str, input: bytes | str | None = None):
    result = CliRunner().invoke(cli, list(args), input=input)
    assert "Traceback" not in result.output
    return result


def one_error_line(result) -> str:
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def run_process(*args: str, timeout: float = 60, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*SSEGRAPH, *args], capture_output=True, timeout=timeout, **kwargs)


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hostile") / "cache"


@pytest.fixture(scope="module")
def tiny(cache) -> list[str]:
    """``--cache-dir C --data tiny.ttl`` (the ontology joins it: ~1,000 triples), store built."""
    args = ["--cache-dir", str(cache), "--data", str(TINY)]
    assert invoke(*args, "query", "ASK {}").exit_code == 0
    return args


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, cache) -> list[str]:
    folder = tmp_path_factory.mktemp("hostile-data")
    (folder / "hostile.ttl").write_text(HOSTILE, encoding="utf-8")
    return ["--cache-dir", str(cache), "--data", str(folder / "hostile.ttl")]


# -- every query is bounded -------------------------------------------------------------------
def test_local_query_stops_at_the_time_limit(tiny):
    started = time.monotonic()
    proc = run_process(*tiny, "--timeout", "1", "query", CROSS)
    elapsed = time.monotonic() - started
    assert proc.returncode == 2
    assert proc.stderr.decode().splitlines() == [
        "Error: the query took longer than the time limit of 1 s (raise it with --timeout S, or --timeout 0 for none)"]
    assert elapsed < 10, elapsed
    assert proc.stdout == b""


def test_timeout_is_shown_in_help_and_bad_values_are_clear():
    help_text = invoke("--help").output
    assert "--timeout S" in help_text and "[default: 60.0]" in help_text and "0 for none" in help_text
    for bad in ("-1", "nan"):
        result = invoke("--timeout", bad, "query", "ASK {}")
        assert result.exit_code == 2
        assert "is not a time limit; give seconds above 0 (e.g. --timeout 120), or 0 for no limit" in result.stderr


def test_timeout_zero_means_no_limit(tiny):
    result = invoke(*tiny, "--timeout", "0", "query", "ASK { ?s ?p ?o }")
    assert result.exit_code == 0 and result.stdout == "true\n"


@pytest.mark.slow
@pytest.mark.parametrize("query", [CROSS, SORTED], ids=["cross-product", "order-by"])
def test_ctrl_c_ends_a_query_inside_the_engine_at_once(tiny, query):
    proc = subprocess.Popen([*SSEGRAPH, *tiny, "--timeout", "0", "query", query, "--format", "csv"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        time.sleep(2.0)  # well inside the engine by now
        assert proc.poll() is None
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=10)
        elapsed = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
    assert proc.returncode == 130
    assert err.decode().strip() == "Aborted."
    assert elapsed < 1.5, elapsed


@pytest.mark.slow
def test_memory_limit_stops_the_command_with_one_line(cache):
    # the bundled data (7k triples): sorting its cross product needs gigabytes
    proc = run_process("--cache-dir", str(cache), "--timeout", "0", "--max-memory", "250", "query", SORTED,
                       "--format", "csv", timeout=120)
    assert proc.returncode == 2
    lines = proc.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: the command needed more than 250 MB of memory")


def test_interrupted_output_leaves_no_temp_file(tiny, tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("previous\n")
    proc = run_process(*tiny, "--timeout", "1", "query", CROSS, "-o", str(target), "--format", "csv")
    assert proc.returncode == 2
    assert target.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_python_api_bounds_queries_in_a_worker(tiny):
    kg = ssegraph.load(TINY, cache_dir=Path(tiny[1]), query_timeout=1, max_memory_mb=250)
    plain = ssegraph.load(TINY, cache_dir=Path(tiny[1]))
    q = "SELECT ?l WHERE { id:tiny-coop skos:prefLabel ?l } ORDER BY ?l"
    assert list(kg.query(q)) == list(plain.query(q)) and len(list(kg.query(q))) == 2
    assert bool(kg.query("ASK { ?s ?p ?o }"))
    started = time.monotonic()
    with pytest.raises(ssegraph.QueryError, match="longer than the time limit of 1 s"):
        kg.query(CROSS)
    assert time.monotonic() - started < 8
    with pytest.raises(ssegraph.QueryError, match=r"^SPARQL syntax error: error at 1:"):
        kg.query("SELECT * WHERE { ?s ?p }")


@pytest.mark.slow
def test_python_api_memory_limit(cache):
    kg = ssegraph.load(cache_dir=cache, query_timeout=0, max_memory_mb=250)
    with pytest.raises(ssegraph.QueryError, match="needed more than 250 MB of memory"):
        kg.query(SORTED)


# -- no outbound requests unless asked ---------------------------------------------------------
def test_service_is_refused_locally_unless_allowed(tiny):
    q = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    line = one_error_line(invoke(*tiny, "query", q))
    assert line.startswith("Error: SERVICE is refused") and "--allow-service" in line
    lower = q.replace("SERVICE", "service")
    assert one_error_line(invoke(*tiny, "query", lower)).startswith("Error: SERVICE is refused")
    # allowed: the engine tries (a closed loopback port here), and its failure is one line too
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    allowed = invoke(*tiny, "--allow-service", "query", q.replace("127.0.0.1:9", f"127.0.0.1:{closed}"))
    assert "Connection refused" in one_error_line(allowed)
    # the word in a string, a comment or a variable is not a SERVICE clause
    ok = invoke(*tiny, "query", 'SELECT ?service WHERE { BIND("SERVICE <http://x/> {}" AS ?service) } # SERVICE')
    assert ok.exit_code == 0 and "SERVICE <http://x/> {}" in ok.stdout
    with pytest.raises(ssegraph.QueryError, match="SERVICE is refused"):
        ssegraph.load(TINY, cache_dir=Path(tiny[1])).query(q)


# -- one binder ---------------------------------------------------------------------------------
def test_binder_cannot_be_steered_by_comments_or_strings(tiny):
    one = ["-p", "o=id:tiny-coop"]
    comment = "# the WHERE { in this comment used to get the values\nSELECT ?l WHERE { ?o skos:prefLabel ?l }"
    result = invoke(*tiny, "query", comment, *one, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert sorted(result.stdout.splitlines()[1:]) == ["Petite coopérative", "Tiny Cooperative"]
    string = 'SELECT ?l WHERE { ?o skos:prefLabel ?l FILTER(?l != "x WHERE { y") }'
    result = invoke(*tiny, "query", string, *one, "--format", "csv")
    assert sorted(result.stdout.splitlines()[1:]) == ["Petite coopérative", "Tiny Cooperative"]
    evil = 'x" } } SELECT * WHERE { ?s ?p ?o } #'
    result = invoke(*tiny, "query", 'SELECT ?l WHERE { ?o skos:prefLabel ?l FILTER(STR(?l) = ?v) }',
                    "-p", f"v={evil}", "--format", "csv")
    assert result.exit_code == 0 and result.stdout.splitlines() == ["l"]  # a term, matched as a value


def test_one_binder_for_local_and_remote_and_its_plan_is_cached():
    from ssegraph import graph, remote, sparql_binding

    assert graph.bind_values is remote.bind_values is sparql_binding.bind_values
    x = {"x": ox.NamedNode("http://ex/a")}
    forms = [
        "SELECT * WHERE { { SELECT ?x WHERE { ?x ?p ?o } } }",
        "SELECT * WHERE { SELECT ?x { ?x ?p ?o } }",
        "SELECT (EXISTS { ?x ?p ?o } AS ?e) WHERE { ?x ?p ?o }",
        "CONSTRUCT WHERE { ?x ?p ?o }",
        "CONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o }",
        "DESCRIBE ?x",
        "ASK { ?x ?p '''WHERE { \"''' }",
    ]
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://ex/a"), ox.NamedNode("http://ex/p"), ox.Literal("v")))
    for text in forms:
        bound = sparql_binding.bind_values(text, x)
        assert "VALUES (?x) { (<http://ex/a>) }" in bound
        store.query(bound)  # valid SPARQL
    before = sparql_binding._plan.cache_info().hits
    sparql_binding.bind_values(forms[0], {"x": ox.NamedNode("http://ex/b")})
    assert sparql_binding._plan.cache_info().hits == before + 1


# -- special files -----------------------------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_output_through_a_fifo_reaches_its_reader(tiny, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = invoke(*tiny, "query", "ASK { ?s ?p ?o }", "--format", "json", "-o", str(fifo))
    reader.join(10)
    assert result.exit_code == 0, result.stderr
    assert got == [b'{"head":{},"boolean":true}']
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_output_follows_symlinks_and_dev_stdout(tiny, tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    assert invoke(*tiny, "query", "ASK {}", "-o", str(link)).exit_code == 0
    assert link.is_symlink() and real.read_text() == "true\n"
    if Path("/dev/stdout").exists():
        to_stdout = tmp_path / "to-stdout"
        to_stdout.symlink_to("/dev/stdout")
        proc = run_process(*tiny, "query", "ASK {}", "-o", str(to_stdout))
        assert proc.returncode == 0 and proc.stdout == b"true\n"
        assert to_stdout.is_symlink()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_full_device_and_closed_pipe(tiny):
    proc = run_process(*tiny, "query", "ASK {}", "-o", "/dev/full")
    assert proc.returncode == 2
    assert proc.stderr.decode().splitlines() == ["Error: /dev/full: cannot write: No space left on device"]
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([*SSEGRAPH, *tiny, "query", "SELECT * { ?s ?p ?o }", "--format", "csv"],
                              stdout=full, stderr=subprocess.PIPE, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.decode().splitlines() == ["Error: cannot write: No space left on device"]
    # a reader that leaves early (`| head -c 10`): quiet, success
    p = subprocess.Popen([*SSEGRAPH, *tiny, "query", "SELECT * { ?s ?p ?o }", "--format", "csv"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.read(10)
    p.stdout.close()
    err = p.stderr.read()
    p.wait(60)
    assert b"Traceback" not in err and p.returncode == 0, err


# -- caches that heal ----------------------------------------------------------------------------
def _store_of(cache: Path) -> Path:
    stores = [p for p in (cache / "stores").iterdir() if not p.name.startswith(".")]
    assert len(stores) == 1
    return stores[0]


@pytest.mark.parametrize("damage", ["truncate", "delete"])
def test_damaged_store_is_rebuilt_once_with_a_notice(tmp_path, damage):
    cache = tmp_path / "cache"
    args = ["--cache-dir", str(cache), "--data", str(TINY), "query", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
            "--format", "csv"]
    first = invoke(*args)
    assert first.exit_code == 0
    table = max((p for p in _store_of(cache).iterdir() if p.suffix == ".sst"), key=lambda p: p.stat().st_size)
    if damage == "truncate":
        with open(table, "r+b") as fh:
            fh.truncate(100)
    else:
        table.unlink()
    healed = invoke(*args)
    assert healed.exit_code == 0 and healed.stdout == first.stdout
    assert healed.stderr.startswith(f"the cached store {_store_of(cache)} is damaged (") and \
        healed.stderr.endswith("; rebuilding it\n") and healed.stderr.count("\n") == 1
    again = invoke(*args)
    assert again.stderr == "" and again.stdout == first.stdout


def test_edit_keeping_size_and_mtime_is_seen_and_killed_builds_are_cleaned(tmp_path):
    data = tmp_path / "d.ttl"
    data.write_text('<urn:x:a> <urn:x:p> "aaa" .\n')
    cache = tmp_path / "cache"
    args = ["--cache-dir", str(cache), "--data", str(data), "query", 'SELECT ?o { <urn:x:a> <urn:x:p> ?o }',
            "--format", "csv"]
    assert invoke(*args).stdout.splitlines() == ["o", "aaa"]
    st = data.stat()
    data.write_text('<urn:x:a> <urn:x:p> "bbb" .\n')  # same size
    os.utime(data, ns=(st.st_atime_ns, st.st_mtime_ns))  # same mtime: cp -p, rsync -t, tar
    dead = cache / "stores" / ".build-0123-killed"
    dead.mkdir()
    assert invoke(*args).stdout.splitlines() == ["o", "bbb"]
    assert not dead.exists()


def test_store_module_imports_without_fcntl():
    code = "import sys; sys.modules['fcntl'] = None; import ssegraph.store, ssegraph._io, ssegraph.limits"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# -- parsers bounded -------------------------------------------------------------------------------
def test_rdfxml_entities_are_refused_before_the_parser(tmp_path):
    bomb = tmp_path / "bomb.rdf"
    lol = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    bomb.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY l0 "lol">{lol}]>\n'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
                    '<rdf:Description rdf:about="urn:x"><rdf:value>&l9;</rdf:value></rdf:Description></rdf:RDF>\n')
    result = invoke("--cache-dir", str(tmp_path / "c"), "--data", str(bomb), "query", "ASK {}")
    line = one_error_line(result)
    assert line.startswith(f"Error: {bomb}:2:") and "DOCTYPE declaring entities is refused" in line


def test_oversized_literal_names_the_file(tmp_path):
    big = tmp_path / "big.ttl"
    big.write_bytes(b'<urn:x:a> <urn:x:p> "' + b"x" * (17 * 1024 * 1024) + b'" .\n')
    result = invoke("--cache-dir", str(tmp_path / "c"), "--data", str(big), "query", "ASK {}")
    assert one_error_line(result) == f"Error: {big}: a literal or IRI is over 16 MiB, more than the parser accepts"


def test_byte_order_marks_are_accepted(tmp_path):
    data = tmp_path / "bom.ttl"
    data.write_bytes(b'\xef\xbb\xbf<urn:x:a> <urn:x:p> "v" .\n')
    query = tmp_path / "q.rq"
    query.write_bytes(b"\xef\xbb\xbfSELECT ?o { <urn:x:a> <urn:x:p> ?o }")
    result = invoke("--cache-dir", str(tmp_path / "c"), "--data", str(data), "query", str(query), "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["o", "v"]


# -- remote deadline -------------------------------------------------------------------------------
@contextlib.contextmanager
def dripping_server(headers: bool = False):
    """A loopback HTTP server that drips one byte every 0.2 s: of its body (after the headers),
    or, with ``headers=True``, of its headers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(4)
    stop = threading.Event()

    def serve() -> None:
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            with conn:
                with contextlib.suppress(OSError):
                    conn.recv(65536)
                    head = (b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                            b"Content-Length: 100000\r\n")
                    if headers:
                        head += b"X-Drip: " + b"a" * 1000
                    else:
                        conn.sendall(head + b"\r\n")
                    for i in range(300):  # bounded: 60 s at most
                        if stop.is_set():
                            break
                        conn.sendall(head[i:i + 1] if headers and i < len(head) else b" ")
                        time.sleep(0.2)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/query"
    finally:
        stop.set()
        thread.join(5)
        sock.close()


@pytest.mark.parametrize("headers", [False, True], ids=["body", "headers"])
def test_remote_timeout_bounds_the_whole_answer(headers):
    with dripping_server(headers) as url:
        started = time.monotonic()
        result = invoke("--endpoint", url, "--timeout", "1", "query", "ASK {}")
        elapsed = time.monotonic() - started
    assert one_error_line(result) == f"Error: endpoint {url} did not answer within 1 s (raise --timeout?)"
    assert elapsed < 5, elapsed


# -- one-line errors ---------------------------------------------------------------------------------
def test_non_utf8_query_on_stdin_and_in_a_file(tiny, tmp_path):
    line = one_error_line(invoke(*tiny, "query", "-", input=b'SELECT * { ?s ?p "\xff" }'))
    assert line == "Error: stdin:1:19: not UTF-8 text (byte 0xff); save the query as UTF-8"
    rq = tmp_path / "bad.rq"
    rq.write_bytes(b"# caf\xe9\nASK {}")
    assert one_error_line(invoke(*tiny, "query", str(rq))) == \
        f"Error: {rq}:1:6: not UTF-8 text (byte 0xe9); save the query as UTF-8"


def test_invalid_iris_are_one_line(tiny, tmp_path):
    assert one_error_line(invoke(*tiny, "describe", "<http://a b>")) == \
        "Error: '<http://a b>' is not a valid IRI (Invalid IRI code point ' ')"
    result = invoke(*tiny, "export", "graphml", "-o", str(tmp_path / "g.graphml"), "--focus", "http://a b")
    assert one_error_line(result) == "Error: 'http://a b' is not a valid IRI (Invalid IRI code point ' ')"


def test_cache_folder_that_is_a_file(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    line = one_error_line(invoke("--cache-dir", str(blocker), "--data", str(TINY), "query", "ASK {}"))
    assert line.startswith(f"Error: cannot use the cache folder {blocker}: ") and "--cache-dir" in line


def _as_other_user() -> list[str]:
    """A command prefix that runs as an unprivileged user (root reads everything)."""
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: cannot drop privileges")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all"]


@pytest.fixture()
def shared_tmp():
    """A folder the unprivileged user can reach (pytest's own tmp_path is private to root)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="ssegraph-hostile-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        for p in folder.rglob("*"):
            with contextlib.suppress(OSError):
                p.chmod(0o777)
        shutil.rmtree(folder, ignore_errors=True)


def test_unreadable_input_and_read_only_cache_as_a_normal_user(shared_tmp):
    prefix = _as_other_user()
    tmp_path = shared_tmp
    secret = tmp_path / "secret.ttl"
    secret.write_text('<urn:x:a> <urn:x:p> "v" .\n')
    secret.chmod(0o000)
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o777)
    cache.chmod(0o777)
    env = {**os.environ, "HOME": str(tmp_path)}
    proc = subprocess.run([*prefix, *SSEGRAPH, "--cache-dir", str(cache), "--data", str(secret), "query", "ASK {}"],
                          capture_output=True, timeout=60, env=env)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.decode().splitlines() == [f"Error: {secret}: Permission denied"]
    readable = tmp_path / "ok.ttl"
    readable.write_text('<urn:x:a> <urn:x:p> "v" .\n')
    readable.chmod(0o644)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    proc = subprocess.run([*prefix, *SSEGRAPH, "--cache-dir", str(locked), "--data", str(readable), "query", "ASK {}"],
                          capture_output=True, timeout=60, env=env)
    lines = proc.stderr.decode().splitlines()
    assert proc.returncode == 2 and len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"Error: cannot use the cache folder {locked}: ") and "Permission denied" in lines[0]


def test_load_takes_one_path_as_str_or_path(tmp_path):
    kg = ssegraph.load(str(TINY), cache_dir=tmp_path)
    assert bool(kg.query("ASK { id:tiny-coop a org:Organization }"))
    assert len(ssegraph.load(TINY, cache_dir=tmp_path, ontology=False).files) == 1


def test_syntax_error_columns_are_the_users_own(tiny):
    text = "SELECT * WHERE { ?s ?p }"
    with pytest.raises(SyntaxError) as raw:
        ox.Store().query(text)
    position = raw.value.msg.split(":")[0] + ":" + raw.value.msg.split(":")[1]  # "error at 1:N"
    line = one_error_line(invoke(*tiny, "query", text))
    assert line.startswith(f"Error: SPARQL syntax error: {position}:"), (line, position)


# -- terminal and spreadsheet safety ------------------------------------------------------------------
def test_control_characters_are_escaped_on_the_terminal(hostile):
    described = invoke(*hostile, "describe", "id:evil")
    assert described.exit_code == 0
    assert "\x1b" not in described.stdout and "\r" not in described.stdout and "\x07" not in described.stdout
    assert "Evil\\x1b]0;pwned\\x07\\x1b[2J Co\\x0dX" in described.stdout
    table = invoke(*hostile, "query", "SELECT ?l { id:evil skos:prefLabel ?l }")
    assert "\x1b" not in table.stdout and "Evil\\x1b]0;pwned" in table.stdout
    raw = invoke(*hostile, "query", "SELECT ?l { id:evil skos:prefLabel ?l }", "--format", "json")
    assert "\\u001B" in raw.stdout or "\\u001b" in raw.stdout  # data formats keep the data


def test_csv_export_defuses_formulas_and_query_csv_stays_exact(hostile, tmp_path):
    assert invoke(*hostile, "export", "csv", "-o", str(tmp_path / "safe")).exit_code == 0
    safe = (tmp_path / "safe-nodes.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in safe and ',=HYPERLINK' not in safe
    assert invoke(*hostile, "export", "csv", "--csv-formulas", "-o", str(tmp_path / "raw")).exit_code == 0
    assert '"=HYPERLINK(' in (tmp_path / "raw-nodes.csv").read_text(encoding="utf-8")
    result = invoke(*hostile, "query", "SELECT ?l { id:formula skos:prefLabel ?l }", "--format", "csv")
    assert result.stdout_bytes == b'l\r\n"=HYPERLINK(""http://evil.example/"",""x"")"\r\n'


# -- serve ----------------------------------------------------------------------------------------------
def _post(url: str, query: str, timeout: float = 30) -> tuple[int, bytes]:
    data = urllib.parse.urlencode({"query": query}).encode()
    req = urllib.request.Request(url, data=data, headers={"Accept": "text/csv"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except Exception as exc:  # an incomplete answer
        return -1, repr(exc).encode()


@pytest.mark.server
@pytest.mark.slow
def test_serve_refuses_service_and_frees_the_engine(cache):
    from ssegraph.server import start_server

    with start_server([TINY], port=0, timeout=1, cache_dir=cache) as srv:
        assert srv.host == "127.0.0.1"
        status, body = _post(srv.query_url, "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
        assert status == 400 and body.startswith(b"SERVICE is refused by this endpoint")
        first = srv.process.pid
        started = time.monotonic()
        status, body = _post(srv.query_url, SORTED)  # never reaches a first result by itself
        assert status == 503 and b"cancelled" in body
        assert time.monotonic() - started < 8
        assert srv.proxy.restarts == 1 and srv.process.pid != first
        with contextlib.suppress(OSError):  # the old engine is gone, not still sorting
            os.kill(first, 0)
            pytest.fail("the first oxigraph process still runs")
        status, body = _post(srv.query_url, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
        assert status == 200 and body.split()[0] == b"n"
        # a client that leaves before its answer: the engine is freed at once
        sock = socket.create_connection((srv.host, srv.port), timeout=5)
        payload = urllib.parse.urlencode({"query": SORTED}).encode()
        sock.sendall(b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: %d\r\n\r\n%s" % (len(payload), payload))
        time.sleep(0.3)
        sock.close()
        deadline = time.monotonic() + 5
        while srv.proxy.restarts < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert srv.proxy.restarts == 2
        # a streamed answer ends at the limit, visibly incomplete
        started = time.monotonic()
        status, body = _post(srv.query_url, "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
        assert time.monotonic() - started < 8
        assert b"cancelled" in body or status == -1


@pytest.mark.server
def test_serve_allows_service_only_when_asked(cache):
    from ssegraph.server import start_server

    with start_server([TINY], port=0, timeout=5, cache_dir=cache, allow_service=True) as srv:
        status, body = _post(srv.query_url, "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
        assert status != 400 or b"SERVICE is refused" not in body
