"""The small loopback proxy in front of ``oxigraph serve-read-only`` that ``ssegraph serve`` runs.

Oxigraph's server cannot do three things a public-facing endpoint needs (measured with
oxigraph 0.5.13, see docs/security.md):

- **refuse SERVICE**: any client could make the machine call any URL (SSRF); the server has no
  option to turn it off. The proxy reads the query of every ``/query`` request with the same
  tokenizer as the command line (:mod:`ssegraph.sparql_binding`) and answers ``400`` to a
  ``SERVICE`` unless ``--allow-service`` was given.
- **bound a streamed answer**: ``--timeout-s`` stops a query only until its first result is
  sent; a ``SELECT *`` over a cross product streamed 7.4 GB in 200 s. The proxy stops relaying
  at the time limit, ends the answer with a line saying so (without the final chunk, so HTTP
  clients see it is incomplete) and closes the connection to Oxigraph, which then stops.
- **free the engine**: a sorted cross product never reaches its first result, ignores
  ``--timeout-s`` and ran on for minutes after its client left. When an answer has not started
  by the time limit, or its client leaves first, the proxy restarts the Oxigraph process (well
  under a second on the cached store). Other answers in flight at that moment are cut too; for a
  local, read-only endpoint that is the price of a machine that cannot be taken down by a query.

Everything else (the query page, the protocol, content negotiation, CORS, read-only refusals)
is Oxigraph's own, relayed unchanged.
"""

from __future__ import annotations

import contextlib
import http.client
import http.server
import logging
import select
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable

from .sparql_binding import uses_service

log = logging.getLogger(__name__)

#: Seconds past the time limit before the proxy cuts an answer Oxigraph did not stop itself.
GRACE = 2.0
#: The largest request body relayed (a query or form); larger ones get 413.
MAX_BODY = 8 * 1024 * 1024
_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "content-length", "host"}


class Proxy:
    """A threaded HTTP proxy from ``host:port`` to the Oxigraph server at ``upstream``.

    ``restart`` is called (under a lock) when the engine must be freed.
    """

    def __init__(self, host: str, port: int, upstream: tuple[str, int], *, timeout: float | None,
                 allow_service: bool, restart: Callable[[], None]):
        self.upstream, self.timeout, self.allow_service = upstream, timeout, allow_service
        self._restart, self._restart_lock = restart, threading.Lock()
        self.restarts = 0
        proxy = self

        class Handler(_Handler):
            owner = proxy

        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        server_cls = type("_Server", (http.server.ThreadingHTTPServer,), {
            "address_family": family, "daemon_threads": True, "request_queue_size": 128})
        self.httpd = server_cls((host, port), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="ssegraph-proxy", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def free_engine(self, why: str) -> None:
        """Restart Oxigraph: the only way to stop a query it no longer streams to anyone."""
        with self._restart_lock:
            log.warning("restarting the oxigraph server: %s", why)
            self._restart()
            self.restarts += 1


class _Handler(http.server.BaseHTTPRequestHandler):
    owner: Proxy
    protocol_version = "HTTP/1.1"
    server_version = "ssegraph"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        log.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._relay()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = do_PATCH = do_GET  # noqa: N815

    # -- one request ----------------------------------------------------------------------
    def _relay(self) -> None:
        owner = self.owner
        self.close_connection = True
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self._plain(413, f"request body over {MAX_BODY // (1024 * 1024)} MiB")
        body = self.rfile.read(length) if length else b""
        query = self._query_text(body)
        if query is not None and not owner.allow_service and uses_service(query):
            return self._plain(400, "SERVICE is refused by this endpoint: it would make the server send "
                                    "HTTP requests on a client's behalf (start it with --allow-service to allow it)")
        started = time.monotonic()
        # Oxigraph's own --timeout-s gets the first chance (its answer says why it stopped); the
        # proxy acts GRACE seconds later, on what Oxigraph could not stop.
        deadline = started + owner.timeout + GRACE if owner.timeout else None
        with owner._restart_lock:  # a restart in progress finishes first
            pass
        conn = http.client.HTTPConnection(*owner.upstream, timeout=10)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
        headers["Connection"] = "close"
        try:
            conn.request(self.command, self.path, body=body or None, headers=headers)
        except OSError:
            conn.close()
            return self._plain(502, "the SPARQL engine is restarting; try again")
        try:
            if not self._wait_for_answer(conn, deadline):
                return
            try:
                resp = conn.getresponse()
            except (OSError, http.client.HTTPException):
                return self._plain(502, "the SPARQL engine stopped answering (restarted after another query?)")
            self._stream(resp, deadline)
        finally:
            conn.close()

    def _query_text(self, body: bytes) -> str | None:
        parts = urllib.parse.urlsplit(self.path)
        if not parts.path.rstrip("/").endswith("query"):
            return None
        found = urllib.parse.parse_qs(parts.query).get("query", [])
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype == "application/sparql-query":
            found.append(body.decode("utf-8", "replace"))
        elif ctype == "application/x-www-form-urlencoded":
            found += urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("query", [])
        return "\n".join(found) if found else None

    def _wait_for_answer(self, conn: http.client.HTTPConnection, deadline: float | None) -> bool:
        """Wait until Oxigraph starts answering; False (engine freed) at the limit or if the client left."""
        upstream, client = conn.sock, self.connection
        while True:
            wait = 0.25 if deadline is None else min(0.25, deadline - time.monotonic())
            if wait <= 0:
                conn.close()
                self.owner.free_engine(f"a query ran past the {self.owner.timeout:g} s time limit")
                self._plain(503, "The SPARQL operation has been cancelled: over the time limit of "
                                 f"{self.owner.timeout:g} s")
                return False
            ready, _, _ = select.select([upstream, client], [], [], wait)
            if upstream in ready:
                return True
            if client in ready and not _peek(client):
                conn.close()
                self.owner.free_engine("a client left before its query answered")
                return False

    def _stream(self, resp: http.client.HTTPResponse, deadline: float | None) -> None:
        self.send_response_only(resp.status, resp.reason)
        for k, v in resp.getheaders():
            if k.lower() not in _HOP:
                self.send_header(k, v)
        length = resp.getheader("Content-Length")
        chunked = length is None
        self.send_header("Transfer-Encoding" if chunked else "Content-Length", "chunked" if chunked else length)
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD":
            return
        sock = _sock_of(resp)
        try:
            while True:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    note = (f"\nThe SPARQL operation has been cancelled: over the time limit of "
                            f"{self.owner.timeout:g} s\n").encode()
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(note), note) if chunked else note)
                    return  # no final chunk: clients see an incomplete answer
                if sock is not None:
                    sock.settimeout(min(left, 30) if left is not None else 30)
                try:
                    data = resp.read1(1 << 16)
                except TimeoutError:
                    continue
                if not data:
                    break
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        except (OSError, http.client.HTTPException):
            return  # the client left (its answer stops here, and so does Oxigraph's, on its next write)

    def _plain(self, status: int, message: str) -> None:
        data = (message + "\n").encode()
        with contextlib.suppress(OSError):
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)


def _peek(sock: socket.socket) -> bool:
    """Whether a readable client socket is still open (readable with no data means it left)."""
    try:
        return bool(sock.recv(1, socket.MSG_PEEK))
    except (BlockingIOError, InterruptedError):
        return True
    except OSError:
        return False


def _sock_of(resp: http.client.HTTPResponse) -> socket.socket | None:
    with contextlib.suppress(AttributeError):
        sock = resp.fp.raw._sock  # type: ignore[union-attr]
        if isinstance(sock, socket.socket):
            return sock
    return None
