"""Read the graph from any SPARQL 1.1 endpoint (``ssegraph --endpoint URL …``).

:class:`Endpoint` is the remote twin of the embedded store's backend: it speaks the SPARQL 1.1
Protocol over HTTP with the standard library only, and hands pyoxigraph objects back
(``QuerySolutions``, ``QueryBoolean`` or a list of ``Triple``), so that
:class:`ssegraph.results.Result` and everything built on ``kg.query`` (``describe``, ``stats``,
the network projection, exports and views) work unchanged against Oxigraph server, Fuseki,
GraphDB, Virtuoso or QLever.

Three choices shape it:

- **Parameters become a ``VALUES`` block.** Remote stores do not support Oxigraph's query
  substitutions (SEP-0007), so a bound parameter is written as ``VALUES (?x) { (<iri>) }`` at
  the start of the query's outer ``WHERE`` group, from the term's own N-Triples serialisation.
  User text is never pasted into the query: a value is a pyoxigraph term or nothing.
- **Answers are read whole and checked before they are handed on.** A server may send
  ``200 OK``, start streaming results and then stop with an error in the body (Oxigraph does
  this when its ``--timeout-s`` cuts a query off), so a partial answer must not pass for a short
  one: the answer is parsed once completely, and a broken one becomes an :class:`EndpointError`.
- **Every failure is one line.** Unreachable host, refused connection, time limit, HTTP
  4xx/5xx (with the status and the first line of the server's message), refused credentials:
  each becomes an :class:`~ssegraph.errors.EndpointError` that the CLI prints as ``Error: …``.

The small HTTP layer (:func:`http_request`) is shared with :func:`ssegraph.server.publish`.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import ipaddress
import re
import socket
import ssl
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from .errors import EndpointError
from .sparql_binding import bind_values, query_form  # one binder for local and remote (re-exported)

__all__ = ["Endpoint", "HttpAnswer", "bind_values", "http_request", "split_credentials"]

#: Answers larger than this are spooled to a temporary file instead of memory.
SPOOL_BYTES = 32 * 1024 * 1024

_SOLUTIONS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_USER_AGENT = "ssegraph (+https://w3id.org/ssegraph)"


# -- HTTP -------------------------------------------------------------------------------------
def split_credentials(url: str, auth: str | tuple[str, str] | None = None) -> tuple[str, tuple[str, str] | None]:
    """Take ``user:password@`` out of ``url``; ``auth`` (``"user:password"`` or a pair) wins.

    urllib does not send credentials written in a URL, and they must not appear in error
    messages either, so they are split off once, here.

    Raises
    ------
    EndpointError
        If the URL is not an absolute http(s) URL or ``auth`` has no ``:``.

    Examples
    --------
    >>> split_credentials("http://ann:s3cret@localhost:3030/ds/sparql")
    ('http://localhost:3030/ds/sparql', ('ann', 's3cret'))
    >>> split_credentials("http://localhost:7878/query", "bob:pw")
    ('http://localhost:7878/query', ('bob', 'pw'))
    """
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"{url!r} is not an http:// or https:// URL")
    creds: tuple[str, str] | None = None
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, netloc = netloc.rsplit("@", 1)
        user, _, password = userinfo.partition(":")
        creds = (urllib.parse.unquote(user), urllib.parse.unquote(password))
    if isinstance(auth, str):
        user, sep, password = auth.partition(":")
        if not sep:
            raise EndpointError("credentials must be given as user:password")
        creds = (user, password)
    elif auth is not None:
        creds = (str(auth[0]), str(auth[1]))
    clean = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    return clean, creds


def _display(url: str) -> str:
    """The URL as shown in messages: no credentials, no access token."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    shown = [(k, "…" if "token" in k.lower() or k.lower() in ("key", "apikey") else v) for k, v in query]
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, urllib.parse.urlencode(shown, safe=":/"), ""))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuse redirects: urllib turns a redirected POST or PUT into a GET without its body."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENERS: dict[bool, urllib.request.OpenerDirector] = {}


_requests = threading.local()


def _record(sock: Any) -> None:
    """Remember a connection's socket, so that :class:`_Deadline` can cut it."""
    socks = getattr(_requests, "socks", None)
    if socks is not None:
        socks.append(sock)


class _Connection(http.client.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _record(self.sock)


class _TLSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _record(self.sock)


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_Connection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_TLSConnection, req, context=self._context)


class _Deadline:
    """Cut every connection a request opened when its time is up: a server that drips its headers
    one byte at a time never trips a per-read timeout, so the whole answer, connect to last byte,
    is bounded by a timer that shuts the sockets down."""

    def __init__(self, seconds: float | None):
        self.fired = threading.Event()
        self.socks: list[Any] = []
        self.timer = threading.Timer(seconds, self._cut) if seconds else None

    def __enter__(self) -> _Deadline:
        _requests.socks = self.socks
        if self.timer is not None:
            self.timer.daemon = True
            self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.timer is not None:
            self.timer.cancel()
        _requests.socks = None

    def _cut(self) -> None:
        self.fired.set()
        for sock in self.socks:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _opener(loopback: bool) -> urllib.request.OpenerDirector:
    """One opener per kind, reused: building one per request leaves garbage cycles behind."""
    if loopback not in _OPENERS:
        handlers: list[Any] = [_NoRedirect(), _HTTPHandler(), _HTTPSHandler()]
        if loopback:
            handlers.append(urllib.request.ProxyHandler({}))  # never send loopback traffic to a proxy
        _OPENERS[loopback] = urllib.request.build_opener(*handlers)
    return _OPENERS[loopback]


@dataclass
class HttpAnswer:
    """A successful HTTP answer: status, headers and the body spooled to a file."""

    status: int
    reason: str
    headers: Any
    body: IO[bytes]
    size: int
    url: str = field(repr=False, default="")

    @property
    def media_type(self) -> str:
        """The Content-Type without parameters, lower-case ('' when missing)."""
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    def text_tail(self, limit: int = 300) -> str:
        """The last line of the body, for messages about a broken answer."""
        self.body.seek(max(0, self.size - limit))
        tail = self.body.read().decode("utf-8", "replace")
        self.body.seek(0)
        lines = [ln.strip() for ln in tail.splitlines() if ln.strip()]
        return lines[-1] if lines else ""


def http_request(
    method: str,
    url: str,
    *,
    body: bytes | IO[bytes] | None = None,
    headers: Mapping[str, str] | None = None,
    auth: tuple[str, str] | None = None,
    timeout: float | None = 30.0,
    what: str = "endpoint",
    display: str | None = None,
    whole: bool = False,
) -> HttpAnswer:
    """Send one HTTP request and return the answer, or raise a one-line :class:`EndpointError`.

    Basic credentials are sent with the first request, so a large body is sent once; when the
    server asks for Digest instead (Virtuoso's ``/sparql-auth``), the request is repeated once
    with a Digest answer, rewinding a file body. ``timeout`` bounds each network wait and the
    whole download of the answer.

    Parameters
    ----------
    method, url:
        The request; ``url`` carries no credentials (see :func:`split_credentials`).
    body:
        Bytes, or a seekable binary file whose ``Content-Length`` must be in ``headers``.
    what:
        How messages name the server ("endpoint", "graph store").
    display:
        The URL as messages show it (default ``url``); credentials and tokens are hidden.
    whole:
        ``timeout`` bounds the whole exchange, from connecting to the last byte of the answer
        (queries); otherwise each wait and the download of the answer (publish's upload of a
        large graph may take longer than the time the store then needs).

    Raises
    ------
    EndpointError
        Unreachable, timed out, closed mid-way, redirected, or an HTTP error status.
    """
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise EndpointError(f"{url!r} is not an http:// or https:// URL")
    hdrs = {"User-Agent": _USER_AGENT, **(headers or {})}
    if auth is not None:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
        hdrs["Authorization"] = f"Basic {token}"
    opener = _opener(_is_loopback(urllib.parse.urlsplit(url).hostname or ""))
    shown = _display(display or url)
    deadline = time.monotonic() + (timeout if timeout else float("inf"))
    timeout = timeout or None  # 0 or None: no limit
    with _Deadline(timeout if whole else None) as cut:
        late = EndpointError(f"{what} {shown} did not answer within {timeout or 0:g} s (raise --timeout?)")
        try:
            answer = _exchange(method, url, body, hdrs, auth, opener, shown, deadline, timeout, what)
        except EndpointError:
            if cut.fired.is_set():
                raise late from None
            raise
        if cut.fired.is_set():  # the cut socket read as a clean end: the answer is short, not whole
            answer.body.close()
            raise late
        return answer


def _exchange(method: str, url: str, body: Any, hdrs: dict[str, str], auth: tuple[str, str] | None,
              opener: urllib.request.OpenerDirector, shown: str, deadline: float, timeout: float | None,
              what: str) -> HttpAnswer:
    """The request and its answer: what :func:`request` bounds (see there)."""
    if auth is not None and body is not None:
        # Learn the scheme before sending a body: a Digest server (Virtuoso) cuts the
        # connection of a large request that came with Basic credentials, mid-body.
        challenge = _probe_digest(opener, url, timeout)
        probe = urllib.request.Request(url, method=method)  # noqa: S310 - http(s) checked above
        digest = _digest_header(probe, challenge, auth) if challenge else None
        if digest:
            hdrs["Authorization"] = digest
    for attempt in (1, 2):
        if hasattr(body, "seek"):
            body.seek(0)  # type: ignore[union-attr]
        req = urllib.request.Request(url, data=body, method=method, headers=hdrs)  # noqa: S310 - http(s) checked above
        try:
            resp = opener.open(req, timeout=timeout)
        except urllib.error.HTTPError as exc:
            challenge = _digest_challenge(exc.headers)
            if exc.code == 401 and auth is not None and challenge is None and attempt == 1:
                # Virtuoso answers Basic credentials on a Digest path with a bare 401 and no
                # challenge: ask for one with a HEAD that carries no credentials and no body.
                challenge = _probe_digest(opener, url, timeout)
            if exc.code == 401 and auth is not None and challenge and attempt == 1:
                digest = _digest_header(req, challenge, auth)
                if digest:
                    exc.close()
                    hdrs["Authorization"] = digest
                    continue
            raise _http_error(exc, shown, auth, what) from None
        except Exception as exc:  # every transport failure becomes one line
            if auth is not None and body is not None and _credentials_refused(opener, url, auth, timeout):
                raise EndpointError(f"{what} {shown} refused the credentials (HTTP 401 Unauthorized)") from None
            raise _transport_error(exc, shown, timeout, what) from None
        try:
            spool, size = _read_body(resp, deadline, shown, timeout, what)
        finally:
            resp.close()
        return HttpAnswer(resp.status, resp.reason, resp.headers, spool, size, url)
    raise EndpointError(f"{what} {shown} refused the credentials (HTTP 401 Unauthorized)")  # pragma: no cover


def _read_body(resp: Any, deadline: float, shown: str, timeout: float | None, what: str) -> tuple[IO[bytes], int]:
    """Read the whole answer before ``deadline``: a server dripping a byte a second is cut off.

    ``read1`` returns whatever has arrived (``read(n)`` would wait for all ``n`` bytes, so the
    deadline was only checked every 64 KiB), and each wait on the socket is shortened to the
    time left.
    """
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # returned open
    size = 0
    sock = _socket_of(resp)
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            if sock is not None:
                sock.settimeout(min(left, timeout) if timeout else (None if left == float("inf") else left))
            chunk = resp.read1(1 << 16)
            if not chunk:
                break
            spool.write(chunk)
            size += len(chunk)
    except Exception as exc:  # same: one line
        spool.close()
        raise _transport_error(exc, shown, timeout, what) from None
    spool.seek(0)
    return spool, size


def _socket_of(resp: Any) -> socket.socket | None:
    """The socket under an ``http.client`` response, to shorten its waits (None if hidden)."""
    with contextlib.suppress(AttributeError):
        sock = resp.fp.raw._sock
        if isinstance(sock, socket.socket):
            return sock
    return None


def _digest_challenge(headers: Any) -> dict[str, str] | None:
    for value in (headers.get_all("WWW-Authenticate") or []) if headers is not None else []:
        scheme, _, rest = value.partition(" ")
        if scheme.lower() == "digest":
            items = urllib.request.parse_http_list(rest)
            return urllib.request.parse_keqv_list([i for i in items if "=" in i])
    return None


def _probe_digest(opener: urllib.request.OpenerDirector, url: str, timeout: float | None) -> dict[str, str] | None:
    """The Digest challenge a server sends to a HEAD request without credentials, or None."""
    req = urllib.request.Request(url, method="HEAD", headers={"User-Agent": _USER_AGENT})  # noqa: S310
    try:
        opener.open(req, timeout=timeout).close()
    except urllib.error.HTTPError as exc:
        exc.close()
        return _digest_challenge(exc.headers) if exc.code == 401 else None
    except Exception:  # no challenge to be had: the caller reports the first 401
        return None
    return None


def _credentials_refused(opener: urllib.request.OpenerDirector, url: str, auth: tuple[str, str],
                         timeout: float) -> bool:
    """After a connection cut mid-body: do these credentials get a 401 on a bodiless HEAD?"""
    challenge = _probe_digest(opener, url, timeout)
    req = urllib.request.Request(url, method="HEAD", headers={"User-Agent": _USER_AGENT})  # noqa: S310
    token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
    answer = _digest_header(req, challenge, auth) if challenge else f"Basic {token}"
    if not answer:
        return False
    req.add_header("Authorization", answer)
    try:
        opener.open(req, timeout=timeout).close()
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code == 401
    except Exception:
        return False
    return False


def _digest_header(req: urllib.request.Request, challenge: dict[str, str], auth: tuple[str, str]) -> str | None:
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, req.full_url, auth[0], auth[1])
    handler = urllib.request.AbstractDigestAuthHandler(manager)
    try:
        value = handler.get_authorization(req, challenge)
    except (ValueError, KeyError):
        return None
    return f"Digest {value}" if value else None


def _first_line(exc: urllib.error.HTTPError) -> str:
    try:
        raw = exc.read(4096)
    except Exception:  # the message is a courtesy
        return ""
    text = raw.decode("utf-8", "replace")
    if "<" in text and re.search(r"<(html|body|head|!doctype|h1|title|p)\b", text, re.IGNORECASE):
        title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
        text = title.group(1) if title else re.sub(r"<[^>]+>", " ", text)
    for line in text.splitlines():
        line = " ".join(line.split())
        if line.startswith("{") and '"exception"' in text:  # QLever answers errors as JSON
            m = re.search(r'"exception"\s*:\s*"((?:[^"\\]|\\.)*)"', text)
            line = m.group(1) if m else line
        if line:
            return line if len(line) <= 200 else line[:199] + "…"
    return ""


def _http_error(exc: urllib.error.HTTPError, shown: str, auth: tuple[str, str] | None, what: str) -> EndpointError:
    status = f"HTTP {exc.code} {exc.reason}".strip()
    detail = _first_line(exc)
    if exc.code in (301, 302, 303, 307, 308):
        target = exc.headers.get("Location", "") if exc.headers is not None else ""
        return EndpointError(f"{what} {shown} redirects ({status}) to {target or 'another URL'}; use that URL instead")
    if exc.code == 401:
        if auth is None:
            return EndpointError(
                f"{what} {shown} needs credentials ({status}); give them as user:password "
                "(--auth for publish, or https://user:password@host/… in the URL)"
            )
        return EndpointError(f"{what} {shown} refused the credentials ({status})")
    if exc.code == 403:
        suffix = f": {detail}" if detail else ""
        hint = "" if auth is None else " (wrong credentials, or the user may not do this)"
        return EndpointError(f"{what} {shown} refused the request ({status}{suffix}){hint}")
    suffix = f": {detail}" if detail else ""
    return EndpointError(f"{what} {shown} answered {status}{suffix}")


def _transport_error(exc: BaseException, shown: str, timeout: float | None, what: str) -> EndpointError:
    reason: Any = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return EndpointError(f"{what} {shown} did not answer within {timeout or 0:g} s (raise --timeout?)")
    if isinstance(reason, ConnectionRefusedError):
        return EndpointError(f"cannot reach {what} {shown}: connection refused (is the server running?)")
    if isinstance(reason, socket.gaierror):
        return EndpointError(f"cannot reach {what} {shown}: unknown host")
    if isinstance(reason, ssl.SSLError):
        return EndpointError(f"cannot reach {what} {shown}: TLS error: {reason.reason or reason}")
    if isinstance(reason, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError,
                           http.client.RemoteDisconnected, http.client.IncompleteRead)):
        return EndpointError(f"{what} {shown} closed the connection before answering completely")
    if isinstance(reason, http.client.HTTPException):
        return EndpointError(f"{what} {shown} sent a malformed HTTP answer ({type(reason).__name__})")
    if isinstance(reason, OSError):
        return EndpointError(f"cannot reach {what} {shown}: {reason.strerror or reason}")
    return EndpointError(f"cannot reach {what} {shown}: {reason}")


# -- the endpoint -----------------------------------------------------------------------------
def _check_solutions(body: IO[bytes], results_format: Any) -> None:
    """Parse an answer to its end, then rewind: a cut-off answer must not pass as a short one."""
    import pyoxigraph as ox

    try:
        parsed = ox.parse_query_results(body, format=results_format)
        if isinstance(parsed, ox.QuerySolutions):
            for _ in parsed:
                pass
    finally:
        parsed = None
        body.seek(0)


class Endpoint:
    """A SPARQL 1.1 Protocol endpoint, queried like the embedded store.

    Parameters
    ----------
    url:
        The query URL: Oxigraph ``http://host:7878/query``, Fuseki ``http://host:3030/ds/sparql``
        (or ``/ds/query``), GraphDB ``http://host:7200/repositories/REPO``, Virtuoso
        ``http://host:8890/sparql``, QLever ``http://host:7001/``. Credentials may be written
        in it (``https://user:password@host/…``); protocol parameters kept in it are sent with
        every query, e.g. ``?default-graph-uri=…`` to read one published named graph as the
        default graph on a store whose default graph is not the union of its graphs.
    timeout:
        Seconds to wait for the server: each network wait, and the whole answer.
    auth:
        ``"user:password"`` or a ``(user, password)`` pair (HTTP Basic; Digest when asked).

    Examples
    --------
    >>> Endpoint("http://ann:pw@localhost:7878/query", timeout=5)
    <Endpoint http://localhost:7878/query>
    """

    def __init__(self, url: str, *, timeout: float | None = 30.0, auth: str | tuple[str, str] | None = None):
        self.url, self.auth = split_credentials(url, auth)
        self.timeout = float(timeout) if timeout else None  # None: no limit

    def __repr__(self) -> str:
        return f"<Endpoint {_display(self.url)}>"

    def query(self, sparql: str, substitutions: Mapping[str, Any] | None = None) -> Any:
        """Run a query remotely; return what ``pyoxigraph.Store.query`` would.

        Returns
        -------
        pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | list[pyoxigraph.Triple]
            Solutions and booleans are parsed with ``pyoxigraph.parse_query_results``; graphs
            (CONSTRUCT, DESCRIBE) with ``pyoxigraph.parse``, as a list of triples.

        Raises
        ------
        QueryError
            A parameter cannot be bound (blank node, bad name).
        EndpointError
            The endpoint is unreachable, too slow, answers an HTTP error or a broken answer.
        """
        text = bind_values(sparql, substitutions)
        form = query_form(text)
        accept = {"SELECT": _SOLUTIONS_ACCEPT, "ASK": _SOLUTIONS_ACCEPT}.get(
            form or "", _GRAPH_ACCEPT if form else f"{_SOLUTIONS_ACCEPT}, {_GRAPH_ACCEPT}"
        )
        # A URL-encoded POST (SPARQL 1.1 Protocol §2.1.2), not a direct POST of the query text:
        # Virtuoso 7.2 never answers a direct POST (tests/test_virtuoso.py); every store takes this.
        answer = http_request(
            "POST", self.url, body=urllib.parse.urlencode({"query": text}).encode("ascii"), auth=self.auth,
            timeout=self.timeout, whole=True,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
        return self._parse(answer)

    def _parse(self, answer: HttpAnswer) -> Any:
        import pyoxigraph as ox

        shown = _display(self.url)
        media = answer.media_type
        results_format = ox.QueryResultsFormat.from_media_type(media) if media else None
        if results_format is None and media in ("application/json", "application/xml", "text/xml"):
            results_format = ox.QueryResultsFormat.JSON if "json" in media else ox.QueryResultsFormat.XML
        rdf_format = None if results_format else (ox.RdfFormat.from_media_type(media) if media else None)
        if results_format is None and rdf_format is None:
            what = "an HTML page" if "html" in media else (f"{media}" if media else "an answer without Content-Type")
            raise EndpointError(
                f"endpoint {shown} answered with {what}, not SPARQL results: is it the query URL? "
                "(Oxigraph …/query, Fuseki …/ds/sparql, GraphDB …/repositories/REPO, Virtuoso …/sparql)"
            )
        # pyoxigraph results may only be dropped by the thread that made them: keep them out of
        # any traceback (a kept exception would hold this frame until some other thread's
        # garbage collection frees it), so the error is raised outside the except clause.
        cause = ""
        try:
            if results_format is not None:
                if results_format == ox.QueryResultsFormat.CSV:
                    raise SyntaxError("CSV results cannot be read back losslessly")
                _check_solutions(answer.body, results_format)
                return ox.parse_query_results(answer.body, format=results_format)
            return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(answer.body, format=rdf_format)]
        except (SyntaxError, ValueError) as exc:
            cause = " ".join(str(getattr(exc, "msg", None) or exc).split())
        # a server that fails mid-stream appends its message to what it had sent (Oxigraph:
        # '…"bindings":[The SPARQL operation has been cancelled'): quote that message
        tail = re.search(r"([A-Za-z][^{}\[\]<>\"]{8,})$", answer.text_tail())
        said = f"; it ends with: {tail.group(1).strip()}" if tail else ""
        raise EndpointError(f"endpoint {shown} sent an incomplete or malformed answer ({cause}){said}")

    def __len__(self) -> int:
        """The number of triples in the endpoint's default graph (a ``COUNT`` query)."""
        import pyoxigraph as ox

        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        rows = list(result) if isinstance(result, ox.QuerySolutions) else []
        with contextlib.suppress(IndexError, TypeError, ValueError):
            return int(rows[0]["n"].value)
        raise EndpointError(f"endpoint {_display(self.url)} did not answer a COUNT query with a number")
