"""Serve the graph as a SPARQL endpoint, and publish it to any SPARQL 1.1 store.

``serve`` does not implement a server: it runs the Oxigraph server (``oxigraph
serve-read-only``, from the ``oxigraph`` package on PyPI) over the very store the CLI builds
and caches, so the endpoint answers exactly what ``ssegraph query`` answers, with Oxigraph's
query page, its SPARQL 1.1 Protocol, its time limit and its streaming of large results. The
files' triples are in the store's default graph; only when a dataset input (TriG, N-Quads)
brought named graphs is the server started with ``--union-default-graph``, so a query without
``GRAPH`` sees what ``ssegraph query`` sees. It binds to loopback unless told otherwise and is read-only, so a
researcher's endpoint cannot be written to.

``publish`` pushes the whole graph to a store run by someone else with one Graph Store
Protocol ``PUT`` of N-Triples to one named graph. A ``PUT`` replaces the graph, so publishing
twice never duplicates, and the store applies it as one operation: a push that fails half-way
(network cut, server killed, malformed body) leaves the previous graph in place. This is what
the tests check against a real Oxigraph server; Fuseki (TDB2) and GraphDB run a ``PUT`` in one
transaction too.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import EndpointError, ServerError

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

__all__ = ["DEFAULT_GRAPH", "PublishReport", "Server", "find_oxigraph", "publish", "serve", "start_server"]

log = logging.getLogger(__name__)

#: The named graph ``publish`` replaces unless told another.
DEFAULT_GRAPH = "https://w3id.org/ssegraph/graph/main"

#: Seconds to wait for the Oxigraph server to say it listens.
READY_TIMEOUT = 30.0

_LOOPBACK = ("127.0.0.1", "::1", "localhost")


# -- the Oxigraph binary ----------------------------------------------------------------------
def find_oxigraph() -> str:
    """The ``oxigraph`` server binary: beside the running Python (a venv's ``bin/``), else PATH.

    Looking beside ``sys.executable`` first finds the binary that the ``oxigraph`` wheel
    installed into the same environment as ssegraph, even when that environment is not
    activated (``/path/to/venv/bin/ssegraph serve``).

    Raises
    ------
    ServerError
        If no binary is found.
    """
    names = ("oxigraph.exe", "oxigraph") if os.name == "nt" else ("oxigraph",)
    here = Path(sys.executable).parent
    for name in names:
        candidate = here / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise ServerError("the oxigraph server binary is not installed: pip install oxigraph")


# -- the running server -----------------------------------------------------------------------
def _bind_text(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _check_port(host: str, port: int) -> None:
    """Fail early, with a plain message, if ``host:port`` cannot be bound."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise ServerError(f"cannot serve on {host!r}: unknown host name") from None
    family, _, _, _, addr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        if os.name != "nt":  # as the server does, so a socket in TIME_WAIT is no obstacle
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(addr)
        except PermissionError:
            raise ServerError(f"not allowed to listen on port {port} (ports below 1024 need privileges)") from None
        except OSError as exc:
            if exc.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
                raise ServerError(f"port {port} on {host} is already in use; choose another with --port") from None
            raise ServerError(f"cannot listen on {_bind_text(host, port)}: {exc.strerror or exc}") from None


def _free_port(host: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _child_setup() -> Callable[[], None] | None:
    """On Linux, ask the kernel to stop the server if ssegraph dies without cleaning up."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return None

    def setup() -> None:  # runs in the child between fork and exec: keep it to one call
        prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG

    return setup


class Server:
    """A running ``oxigraph serve-read-only`` process; stop it with :meth:`stop` or ``with``.

    Build one with :func:`start_server`. Attributes: ``url`` (the query page), ``query_url``
    (the SPARQL endpoint), ``store`` (the store folder), ``process`` (the ``Popen``).
    """

    def __init__(self, process: subprocess.Popen, *, host: str, port: int, store: Path,
                 timeout: int | None, cors: bool, launch: Callable[[], subprocess.Popen] | None = None):
        self.process, self.host, self.port, self.store = process, host, port, store
        self.timeout, self.cors = timeout, cors
        self.url = f"http://{_bind_text(host, port)}/"
        self.query_url = self.url + "query"
        self.proxy: Any = None
        self._launch = launch
        self._launcher: Any = None
        self._lines: collections.deque[str] = collections.deque(maxlen=40)
        self._stopping = False
        self._restarting = False
        self._ready = threading.Event()
        self._reader = threading.Thread(target=self._read_stderr, name="oxigraph-stderr", daemon=True)
        self._reader.start()

    def restart(self) -> None:
        """Kill the Oxigraph process and start a fresh one on the same store and port.

        Oxigraph cannot cancel a query that has not sent its first result (a sort), so this is
        how the proxy frees the engine (see :mod:`ssegraph.serve_proxy`).
        """
        if self._launch is None or self._stopping:
            return
        self._restarting = True
        try:
            self.process.kill()
            self.process.wait(10)
            self._reader.join(2)
            if self.process.stderr is not None:
                self.process.stderr.close()
            self._ready = threading.Event()
            # Launched from one long-lived thread: on Linux the child gets SIGTERM when the
            # thread that started it ends (PR_SET_PDEATHSIG), and the proxy's request threads end.
            if self._launcher is None:
                import concurrent.futures

                self._launcher = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="oxigraph-launcher")
            self.process = self._launcher.submit(self._launch).result()
            self._reader = threading.Thread(target=self._read_stderr, name="oxigraph-stderr", daemon=True)
            self._reader.start()
            self._wait_ready(time.monotonic() + READY_TIMEOUT)
        finally:
            self._restarting = False

    def __repr__(self) -> str:
        state = "running" if self.running else f"stopped ({self.process.returncode})"
        return f"<Server {self.url} {state}>"

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        """Whether the server process is alive."""
        return self.process.poll() is None

    def _read_stderr(self) -> None:
        stream, ready = self.process.stderr, self._ready
        if stream is None:
            return
        for raw in stream:
            line = raw.decode("utf-8", "replace").rstrip()
            if not line:
                continue
            self._lines.append(line)
            if line.startswith("Listening for requests at"):
                ready.set()
            elif ready.is_set() and not line.startswith((" ", "Stack backtrace")):
                log.warning("oxigraph: %s", line)

    def _wait_ready(self, deadline: float) -> None:
        while not self._ready.wait(0.05):
            if self.process.poll() is not None:
                self._reader.join(2)
                raise ServerError(self._failure())
            if time.monotonic() > deadline:
                self.stop()
                raise ServerError(f"the oxigraph server did not start within {READY_TIMEOUT:g} s")

    def _failure(self) -> str:
        lines = [ln for ln in self._lines if ln.strip()]
        error = next((ln for ln in lines if ln.startswith("Error:")), lines[0] if lines else "")
        error = error.removeprefix("Error:").strip()
        if "Address already in use" in error:
            return f"port {self.port} on {self.host} is already in use; choose another with --port"
        code = self.process.returncode
        return f"the oxigraph server stopped (exit code {code}): {error or 'no message'}"

    def wait(self) -> int:
        """Block until the server exits; return its exit code.

        Raises
        ------
        ServerError
            If the server stopped by itself (it was not stopped by :meth:`stop`).
        """
        while True:
            process = self.process
            try:
                code = process.wait(0.5)
            except subprocess.TimeoutExpired:
                continue
            if self._restarting or process is not self.process:  # replaced by restart()
                time.sleep(0.05)
                continue
            break
        self._reader.join(2)
        if not self._stopping:
            raise ServerError(self._failure())
        return code

    def stop(self, grace: float = 5.0) -> None:
        """Stop the server: SIGTERM, then SIGKILL after ``grace`` seconds. Safe to call twice."""
        self._stopping = True
        if self.proxy is not None:
            self.proxy.stop()
            self.proxy = None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(grace)
        self._reader.join(2)
        if self.process.stderr is not None:
            self.process.stderr.close()


def _store_path(source: Any, cache_dir: str | os.PathLike[str] | None) -> Path:
    from .graph import KnowledgeGraph, load

    if isinstance(source, KnowledgeGraph):
        if source.endpoint:
            raise ServerError("this graph already reads a remote endpoint; serve it from its files instead")
        path = getattr(source.backend, "path", None)
        if path is None:
            raise ServerError("an in-memory graph cannot be served: load it with ssegraph.load(paths) "
                              "so that the server reads the cached on-disk store")
        return Path(path)
    if isinstance(source, (str, os.PathLike)) and (Path(source) / "CURRENT").is_file():
        return Path(source)  # an Oxigraph store folder
    if isinstance(source, (str, os.PathLike)):
        source = [source]
    # load() decides which files make the graph (the ontology joins any data) and builds or
    # finds their cached store: the server must read exactly the store the CLI reads.
    kg = load(list(source) if source is not None else None, cache_dir=cache_dir)
    return _store_path(kg, None)


def _has_named_graphs(path: Path) -> bool:
    import pyoxigraph as ox

    from .store import has_named_graphs

    store = ox.Store.read_only(str(path))
    try:
        return has_named_graphs(store)
    finally:
        del store


def start_server(
    source: KnowledgeGraph | str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    timeout: float | None = None,
    cors: bool = False,
    cache_dir: str | os.PathLike[str] | None = None,
    allow_service: bool = False,
) -> Server:
    """Start a read-only Oxigraph SPARQL server over the cached store; return once it listens.

    Oxigraph listens on a private loopback port behind :mod:`ssegraph.serve_proxy`, which
    refuses ``SERVICE`` (unless ``allow_service``), stops answers at the time limit even while
    they stream, and restarts Oxigraph to free it from a query nobody waits for.

    Parameters
    ----------
    source:
        What to serve: a :class:`~ssegraph.KnowledgeGraph` loaded from files, an Oxigraph store
        folder, or RDF files and folders (default: the bundled data and ontology). Files go
        through the same cache as every command, so a missing or stale store is built first.
    host, port:
        Where to listen. Loopback by default; ``port=0`` picks a free port.
    timeout:
        Query time limit in seconds (whole seconds, rounded up), for the whole answer; None for
        no limit. Oxigraph's own ``--timeout-s`` cancels most queries; the proxy cuts streamed
        answers and restarts Oxigraph for the queries it cannot cancel.
    cors:
        Allow cross-origin requests (Oxigraph answers ``Access-Control-Allow-Origin: *``).
    cache_dir:
        The store cache folder, as ``ssegraph --cache-dir``.
    allow_service:
        Let clients' queries use ``SERVICE``: the server then sends HTTP requests to any URL a
        client names (server-side request forgery). Off by default.

    Returns
    -------
    Server
        Running; call :meth:`Server.stop` (or use it in a ``with`` block). On Linux the server
        is also stopped by the kernel if the thread that started it dies.

    Raises
    ------
    ServerError
        The port is in use, the binary is missing, or the server failed to start.
    LoadError
        An input file is missing or malformed (while building the store).

    Examples
    --------
    >>> with start_server(port=0) as srv:                       # doctest: +SKIP
    ...     ssegraph.load(endpoint=srv.query_url).stats()["triples"]
    """
    if port == 0:
        port = _free_port(host)
    _check_port(host, port)
    store_path = _store_path(source, cache_dir)
    binary = find_oxigraph()
    limit = None if not timeout or timeout <= 0 else max(1, math.ceil(timeout))
    inner = ("127.0.0.1", _free_port("127.0.0.1"))  # Oxigraph itself: loopback, behind the proxy
    cmd = [binary, "serve-read-only", "--location", str(store_path), "--bind", _bind_text(*inner)]
    if _has_named_graphs(store_path):
        cmd.append("--union-default-graph")
    if limit is not None:
        cmd += ["--timeout-s", str(limit)]
    if cors:
        cmd.append("--cors")
    env = {k: v for k, v in os.environ.items() if k != "RUST_BACKTRACE"}

    def launch() -> subprocess.Popen:
        log.debug("starting %s", " ".join(cmd))
        try:
            return subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                start_new_session=True, preexec_fn=_child_setup(),
            )
        except OSError as exc:
            raise ServerError(f"cannot run {binary}: {exc.strerror or exc}") from None

    server = Server(launch(), host=host, port=port, store=store_path, timeout=limit, cors=cors, launch=launch)
    try:
        server._wait_ready(time.monotonic() + READY_TIMEOUT)
        from .serve_proxy import Proxy

        try:
            server.proxy = Proxy(host, port, inner, timeout=limit, allow_service=allow_service,
                                 restart=server.restart)
        except OSError as exc:
            raise ServerError(f"cannot listen on {_bind_text(host, port)}: {exc.strerror or exc}") from None
        server.proxy.start()
    except BaseException:
        server.stop()
        raise
    if host not in _LOOPBACK:
        log.warning("listening on %s: the endpoint is reachable from other machines", host)
    return server


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into KeyboardInterrupt, so ``finally`` blocks stop the server."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    wanted = [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {s: signal.signal(s, interrupt) for s in wanted}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def serve(
    source: KnowledgeGraph | str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    timeout: float | None = None,
    cors: bool = False,
    cache_dir: str | os.PathLike[str] | None = None,
    on_ready: Callable[[Server], None] | None = None,
    allow_service: bool = False,
) -> None:
    """Serve the graph until interrupted (Ctrl-C, SIGTERM); the Python twin of ``ssegraph serve``.

    The parameters are those of :func:`start_server`; ``on_ready`` is called with the running
    :class:`Server` (the CLI prints its URL there; the library itself never prints). The server
    process is always stopped before this returns, whatever ends the wait, so no orphan is left
    listening on the port.

    Raises
    ------
    KeyboardInterrupt
        On Ctrl-C or SIGTERM, after the server has stopped.
    ServerError
        If the server could not start or stopped by itself.
    """
    with _stop_on_signals():
        server = start_server(source, host=host, port=port, timeout=timeout, cors=cors, cache_dir=cache_dir,
                              allow_service=allow_service)
        try:
            if on_ready is not None:
                on_ready(server)
            server.wait()
        finally:
            server.stop()


# -- publish ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class PublishReport:
    """What :func:`publish` sent: where, which graph, how many triples and bytes, the answer."""

    endpoint: str
    graph: str
    triples: int
    bytes: int
    status: int
    reason: str
    seconds: float

    @property
    def created(self) -> bool:
        """True when the store says the graph is new (``201 Created``)."""
        return self.status == 201

    def to_text(self) -> str:
        """The summary line ``ssegraph publish`` prints."""
        verb = "created" if self.created else "replaced"
        return (f"published {self.triples} triples ({self.bytes:,} bytes of N-Triples) to <{self.graph}> "
                f"at {self.endpoint}: {verb} (HTTP {self.status} {self.reason}) in {self.seconds:.1f} s")


_GSP_HINT = ("give the Graph Store Protocol URL: Oxigraph http://HOST:7878/store, Fuseki "
             "http://HOST:3030/DATASET/data, GraphDB http://HOST:7200/repositories/REPO/rdf-graphs/service, "
             "Virtuoso http://HOST:8890/sparql-graph-crud-auth, QLever http://HOST:7001/")


def publish(
    kg: KnowledgeGraph,
    endpoint: str,
    *,
    graph: str | None = None,
    auth: str | tuple[str, str] | None = None,
    timeout: float = 300.0,
) -> PublishReport:
    """Replace one named graph of a SPARQL 1.1 store with this graph (Graph Store Protocol ``PUT``).

    The whole graph is serialised once as N-Triples into a temporary file and sent
    with one ``PUT {endpoint}?graph={graph}``. A ``PUT`` replaces the graph as one operation,
    so publishing twice does not duplicate anything and a push that fails half-way leaves the
    previous graph as it was. Read it back with ``ssegraph --endpoint QUERY-URL …``; on a store
    whose default graph is not the union of its named graphs, add
    ``?default-graph-uri=GRAPH`` to that URL.

    Parameters
    ----------
    kg:
        The graph to publish (usually ``ssegraph.load(...)`` of the local files).
    endpoint:
        The store's Graph Store Protocol URL (not its query URL): Oxigraph ``…/store``,
        Fuseki ``…/DATASET/data`` (or ``…/DATASET``), GraphDB
        ``…/repositories/REPO/rdf-graphs/service``, Virtuoso ``…/sparql-graph-crud-auth``,
        QLever the server root with ``?access-token=…``. Credentials may be in the URL.
    graph:
        The named graph to replace (default :data:`DEFAULT_GRAPH`).
    auth:
        ``"user:password"`` or a pair: HTTP Basic, or Digest when the server asks for it.
    timeout:
        Seconds to wait on the network; large graphs take a while to load.

    Returns
    -------
    PublishReport
        The endpoint, graph IRI, triples and bytes sent, and the store's answer.

    Raises
    ------
    EndpointError
        The store is unreachable, refused the credentials or answered an HTTP error.
    ServerError
        The graph IRI is not an absolute IRI.
    """
    import pyoxigraph as ox

    from .remote import http_request, split_credentials

    target = graph or DEFAULT_GRAPH
    try:
        ox.NamedNode(target)
    except ValueError:
        raise ServerError(f"--graph {target!r} is not an absolute IRI") from None
    if not urllib.parse.urlsplit(target).scheme:
        raise ServerError(f"--graph {target!r} is not an absolute IRI")
    url, creds = split_credentials(endpoint, auth)
    parts = urllib.parse.urlsplit(url)
    params = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
              if k not in ("graph", "default")]
    params.append(("graph", target))
    put_url = urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(params)))
    started = time.monotonic()
    with tempfile.TemporaryFile() as body:
        kg.triples().to("nt", body)
        size = body.tell()
        body.seek(0)
        triples = sum(chunk.count(b"\n") for chunk in iter(lambda: body.read(1 << 20), b""))
        try:
            answer = http_request(
                "PUT", put_url, body=body, auth=creds, timeout=timeout, what="graph store", display=url,
                headers={"Content-Type": "application/n-triples", "Content-Length": str(size)},
            )
        except EndpointError as exc:
            raise _with_gsp_hint(exc, url) from None
    answer.body.close()
    shown = urllib.parse.urlunsplit(parts._replace(query=""))
    return PublishReport(shown, target, triples, size, answer.status, answer.reason, time.monotonic() - started)


def _with_gsp_hint(exc: EndpointError, url: str) -> EndpointError:
    text = str(exc)
    path = urllib.parse.urlsplit(url).path.rstrip("/")
    looks_like_query = path.endswith(("/query", "/sparql", "/update")) or path == ""
    if any(f"HTTP {c}" in text for c in (400, 404, 405, 415)) and looks_like_query:
        return EndpointError(f"{text}; is this a query URL? {_GSP_HINT}")
    return exc
