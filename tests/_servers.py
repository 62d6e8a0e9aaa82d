"""Real servers for tests/test_server.py and tests/test_remote.py, always stopped.

Every helper is a context manager that stops what it started in ``finally``: Oxigraph server
processes (SIGTERM, then SIGKILL), and small loopback HTTP/TCP servers that play the parts a
real store cannot be made to play on demand: an authenticating reverse proxy in front of a real
Oxigraph server, a proxy that cuts a request half-way (and can kill the store at that moment),
a server that answers a fixed error, and a socket that never answers. Everything binds to
127.0.0.1 on a free port and every wait is bounded.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
import http.server
import os
import secrets
import signal
import socket
import struct
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from ssegraph.server import find_oxigraph

HOST = "127.0.0.1"
START_TIMEOUT = 20.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.connect((HOST, port))
        except OSError:
            return True
        return False


def processes_with(text: str) -> list[int]:
    """PIDs (Linux /proc) whose command line contains ``text``: finds orphans by their --bind."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if text in cmd and int(entry.name) != os.getpid():
            found.append(int(entry.name))
    return found


# -- Oxigraph ---------------------------------------------------------------------------------
class Oxigraph:
    """``oxigraph serve`` or ``serve-read-only`` on a free loopback port."""

    def __init__(self, location: Path, *, read_only: bool = False, union: bool = False,
                 timeout_s: int | None = None, port: int | None = None):
        self.location, self.read_only, self.union, self.timeout_s = Path(location), read_only, union, timeout_s
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None
        self.stderr: list[str] = []

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def query_url(self) -> str:
        return self.base + "/query"

    @property
    def store_url(self) -> str:
        return self.base + "/store"

    def start(self) -> Oxigraph:
        cmd = [find_oxigraph(), "serve-read-only" if self.read_only else "serve",
               "--location", str(self.location), "--bind", f"{HOST}:{self.port}"]
        if self.union:
            cmd.append("--union-default-graph")
        if self.timeout_s:
            cmd += ["--timeout-s", str(self.timeout_s)]
        self.process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE)
        ready = threading.Event()

        def read() -> None:
            assert self.process is not None and self.process.stderr is not None
            for raw in self.process.stderr:
                line = raw.decode("utf-8", "replace").rstrip()
                self.stderr.append(line)
                if line.startswith("Listening for requests"):
                    ready.set()

        threading.Thread(target=read, daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT
        while not ready.wait(0.05):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"oxigraph did not start: {self.stderr}")
        return self

    def kill(self) -> None:
        """SIGKILL: the store dies as in a crash, with no chance to finish anything."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.process.stderr is not None:
            self.process.stderr.close()


@contextlib.contextmanager
def oxigraph(location: Path, **kwargs) -> Iterator[Oxigraph]:
    server = Oxigraph(location, **kwargs)
    try:
        yield server.start()
    finally:
        server.stop()


def sparql(url: str, query: str, *, accept: str = "text/csv", method: str = "POST",
           timeout: float = 30) -> tuple[int, str, bytes]:
    """A raw SPARQL Protocol request, as a researcher's script or curl would send it."""
    if method == "GET":
        req = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}),
                                     headers={"Accept": accept})
    else:
        req = urllib.request.Request(url, data=query.encode(), method="POST",
                                     headers={"Accept": accept, "Content-Type": "application/sparql-query"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=timeout) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def count(query_url: str, where: str = "{ ?s ?p ?o }") -> int:
    status, _, body = sparql(query_url, f"SELECT (COUNT(*) AS ?n) WHERE {where}")
    assert status == 200, body
    return int(body.decode().split()[-1])


# -- small HTTP servers -------------------------------------------------------------------------
class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextlib.contextmanager
def _serving(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    server = _Server((HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


class _Quiet(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep pytest output clean
        pass


@contextlib.contextmanager
def fixed_answer(status: int, content_type: str, body: bytes, headers: dict[str, str] | None = None) -> Iterator[str]:
    """A server that answers every request with the same status and body."""

    class Handler(_Quiet):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = _answer

    with _serving(Handler) as url:
        yield url


@contextlib.contextmanager
def auth_proxy(upstream: str, user: str, password: str, *, scheme: str = "basic") -> Iterator[str]:
    """A reverse proxy demanding HTTP Basic or Digest credentials, in front of a real store."""
    realm = "ssegraph-test"
    nonce = secrets.token_hex(16)
    target = urllib.parse.urlsplit(upstream)

    def md5(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - RFC 2617 Digest

    class Handler(_Quiet):
        def _authorised(self) -> bool:
            header = self.headers.get("Authorization", "")
            if scheme == "basic":
                expected = base64.b64encode(f"{user}:{password}".encode()).decode()
                return header == f"Basic {expected}"
            if not header.startswith("Digest "):
                return False
            fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(header[7:]))
            ha1 = md5(f"{fields.get('username')}:{realm}:{password}")
            ha2 = md5(f"{self.command}:{fields.get('uri')}")
            want = md5(f"{ha1}:{nonce}:{fields.get('nc')}:{fields.get('cnonce')}:auth:{ha2}")
            return fields.get("username") == user and fields.get("response") == want

        def _proxy(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            if not self._authorised():
                self.send_response(401)
                if scheme == "basic":
                    self.send_header("WWW-Authenticate", f'Basic realm="{realm}"')
                else:
                    self.send_header("WWW-Authenticate", f'Digest realm="{realm}", nonce="{nonce}", qop="auth", '
                                                          'algorithm="MD5"')
                self.send_header("Content-Type", "text/plain")
                message = b"Unauthorized: valid credentials are required\n"
                self.send_header("Content-Length", str(len(message)))
                self.end_headers()
                self.wfile.write(message)
                return
            conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
            conn.request(self.command, self.path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            self.send_response(resp.status)
            if resp.getheader("Content-Type"):
                self.send_header("Content-Type", resp.getheader("Content-Type"))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            conn.close()

        do_GET = do_POST = do_PUT = _proxy

    with _serving(Handler) as url:
        yield url


@contextlib.contextmanager
def silent_server() -> Iterator[str]:
    """A socket that accepts connections and never answers: a hung endpoint."""
    sock = socket.socket()
    sock.bind((HOST, 0))
    sock.listen(16)
    try:
        yield f"http://{HOST}:{sock.getsockname()[1]}/query"
    finally:
        sock.close()


@contextlib.contextmanager
def cut_proxy(upstream_port: int, *, cut_after: int,
              on_cut: Callable[[], None] | None = None) -> Iterator[tuple[str, dict]]:
    """A TCP proxy that forwards ``cut_after`` bytes of each request to the store, then cuts.

    At the cut it calls ``on_cut`` (to kill the store, say) and closes both connections, so the
    store has received a request with half its body and the client sees the connection drop.
    Yields the proxy's base URL and a dict recording how many bytes were forwarded.
    """
    listener = socket.socket()
    listener.bind((HOST, 0))
    listener.listen(4)
    listener.settimeout(0.1)
    stop = threading.Event()
    stats = {"forwarded": 0, "cuts": 0}

    def handle(client: socket.socket) -> None:
        client.settimeout(10)
        upstream = socket.create_connection((HOST, upstream_port), timeout=10)
        sent = 0
        try:
            while sent < cut_after:
                chunk = client.recv(min(65536, cut_after - sent))
                if not chunk:
                    break
                upstream.sendall(chunk)
                sent += len(chunk)
            stats["forwarded"] += sent
            stats["cuts"] += 1
            time.sleep(0.2)  # let the store read what it got before the cut
            if on_cut is not None:
                on_cut()
        finally:
            for s in (upstream, client):
                with contextlib.suppress(OSError):
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST, as a crash
                s.close()

    def loop() -> None:
        while not stop.is_set():
            try:
                client, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=handle, args=(client,), daemon=True).start()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{listener.getsockname()[1]}", stats
    finally:
        stop.set()
        thread.join(5)
        listener.close()


def environ_without_proxies() -> dict[str, str]:
    """The environment for subprocesses, without proxy settings that could catch loopback."""
    return {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
