"""The query gallery: ``queries/index.html`` and a page per named query, ``queries/{name}.html``.

Each page shows the query's title, description and parameters, its SPARQL text, a command
line that runs it, and its answer on the graph the site is built from: a table (the first
:data:`SHOWN_ROWS` rows; IRIs of entities with a page are links shown by their label) and a
download of every row, ``queries/{name}.csv`` (``.ttl`` for a CONSTRUCT or DESCRIBE query),
written by :meth:`ssegraph.results.Result.write`, the writer behind ``ssegraph query --format
csv``. Parameters take their declared defaults, bound by value as ``ssegraph query`` binds them.
A query with a required parameter and no default is shown, not run, with the parameter to give.

Every query runs under a time limit (``build_site(query_timeout=…)``, 30 s by default; ``ssegraph
site`` takes the global ``--timeout``): pyoxigraph cannot stop a query,
so when the graph is an on-disk store the queries run in one worker process
(:class:`ssegraph.graph.WorkerBackend`, as ``ssegraph.load(query_timeout=S)`` runs them), which
is killed when a query runs past the limit; its page
then says "not run: took longer than N s" and the build goes on. A graph held in memory
(``ssegraph.load(memory=True)``) has no store a second process can open: its queries run in
the building process, unbounded.

With an endpoint (``ssegraph site --endpoint-link URL``) each page also links to
``URL?query=…``: the query text with its parameters bound to their defaults by
:func:`ssegraph.sparql_binding.bind_values` and the project prefixes declared, URL-encoded.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import shlex
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from .._query_worker import QueryTimeout
from ..catalog import NamedQuery, Param
from ..errors import ExportError, NotFoundError, QueryError
from ..graph import KnowledgeGraph, LocalBackend, WorkerBackend, with_prologue
from ..namespaces import compact
from ..sparql_binding import bind_values
from .context import SiteContext

#: Seconds each gallery query may run before it is stopped and its page says so.
#: Rows of an answer shown in its page's table (the download holds every row).
SHOWN_ROWS = 500
#: An example value per parameter type, for the command line of a parameter with no default.
EXAMPLE_VALUES = {"iri": "id:ilo", "string": "text", "date": "2020-01-01", "year": "2020", "integer": "10",
                  "lang": "fr"}

_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def query_stem(name: str) -> str:
    """Where a named query's files live, without extension: ``queries/{name}``.

    A name that is not a plain file name (or is ``index``, the gallery's own page) gets a
    digest instead, so that a query from a user's folder can never write outside ``queries/``
    or over another page.

    Examples
    --------
    >>> query_stem("untfsse-members")
    'queries/untfsse-members'
    >>> query_stem("index")
    'queries/index-1bc04b52'
    """
    if _SAFE_NAME.fullmatch(name) and name.lower() != "index" and not name.endswith("."):
        return f"queries/{name}"
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    clean = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")[:60]
    return f"queries/{clean or 'query'}-{digest}"


def check_endpoint(url: str | None) -> None:
    """Refuse an endpoint link that is not an ``http(s)`` URL (a ``javascript:`` one, say).

    Raises
    ------
    ExportError
        One line naming the URL.
    """
    if url is None:
        return
    from ..view import is_web_url

    if not is_web_url(url) or any(c.isspace() for c in url):
        raise ExportError(f"--endpoint-link {url!r} is not an http(s) URL")


def endpoint_url(endpoint: str, sparql: str) -> str:
    """``endpoint?query=…`` (``&query=`` when the URL has a query string already), URL-encoded.

    Examples
    --------
    >>> endpoint_url("http://127.0.0.1:7878/query", "ASK { ?s ?p ?o }")
    'http://127.0.0.1:7878/query?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D'
    """
    base, _, _ = endpoint.partition("#")
    return base + ("&" if "?" in base else "?") + "query=" + quote(sparql, safe="")


def live_query(kg: KnowledgeGraph, nq: NamedQuery) -> str | None:
    """The text to send to an endpoint: parameters bound to their defaults by value, the project
    prefixes declared; None when a parameter has no default."""
    if any(p.required for p in nq.params):
        return None
    subs = {p.name: kg.bind(p.default, p.type) for p in nq.params}
    return with_prologue(bind_values(nq.sparql.removeprefix("\ufeff"), subs))


def cli_example(nq: NamedQuery) -> str:
    """``ssegraph query --name NAME -p p=value …`` with each default (an example value when none)."""
    parts = ["ssegraph", "query", "--name", shlex.quote(nq.name)]
    for p in nq.params:
        value = p.default if p.default is not None else EXAMPLE_VALUES.get(p.type, "VALUE")
        parts += ["-p", shlex.quote(f"{p.name}={value}")]
    return " ".join(parts)


# -- running the queries ----------------------------------------------------------------------
@contextlib.contextmanager
def bounded(kg: Any, seconds: float) -> Iterator[Any]:
    """A graph answering like ``kg`` whose queries run in a worker process stopped after
    ``seconds`` or above the default memory limit (:class:`ssegraph.graph.WorkerBackend`), or
    ``kg`` itself when its store cannot be opened by a second process (in memory, remote)."""
    from ..limits import default_memory_limit

    backend = getattr(kg, "backend", None)
    if type(backend) is not LocalBackend or backend.path is None:
        yield kg
        return
    memory = default_memory_limit()
    worker = WorkerBackend(backend.store, path=backend.path, files=backend.files, timeout=seconds,
                           max_memory_mb=memory / (1024 * 1024) if memory else None)
    try:
        yield KnowledgeGraph(worker, files=kg.files, allow_service=kg.allow_service, queries=kg.queries)
    finally:
        worker.close()


# -- one query ----------------------------------------------------------------------------------
@dataclass
class Entry:
    """What the gallery shows of one named query."""

    query: NamedQuery
    stem: str
    #: ran, needs (a parameter without default), slow (stopped at the time limit), failed
    status: str
    message: str = ""
    kind: str = ""
    columns: list[str] = field(default_factory=list)
    rows: int = 0
    cells: list[list[dict[str, str]]] = field(default_factory=list)
    download: str = ""
    seconds: float = 0.0
    live: str | None = None
    #: the answer of an ASK query
    truth: bool | None = None

    @property
    def page(self) -> str:
        return f"{self.stem}.html"

    @property
    def required(self) -> list[Param]:
        return [p for p in self.query.params if p.required]

    @property
    def summary(self) -> str:
        """The answer in a few words, for the gallery's index."""
        if self.status == "ran":
            if self.kind == "ask":
                return f"{'yes' if self.truth else 'no'} ({self.seconds:.2f} s)"
            unit = "triple" if self.kind == "graph" else "row"
            return f"{self.rows:,} {unit}{'' if self.rows == 1 else 's'} ({self.seconds:.2f} s)"
        if self.status == "needs":
            return "not run: give " + ", ".join(p.name for p in self.required)
        if self.status == "slow":
            return f"not run: {self.message}"
        return "failed: " + self.message


def _cell(ctx: SiteContext, term: Any, page: str) -> dict[str, str]:
    """A table cell: its text, a link to an entity's page (shown by its label), a title (the
    IRI) and a language tag; empty strings where there is none."""
    import pyoxigraph as ox

    text, href, title, lang = "", "", "", ""
    if isinstance(term, bool):
        text = "true" if term else "false"
    elif isinstance(term, ox.NamedNode):
        ref = ctx.ref(term.value)
        if ref is not None:
            text, href, title = ref.label, ctx.href(term.value, page) or "", ref.curie
        else:
            text = compact(term.value)
            title = term.value if text != term.value else ""
    elif isinstance(term, ox.BlankNode):
        text = f"_:{term.value}"
    elif isinstance(term, ox.Literal):
        text, lang = term.value, term.language or ""
    elif term is not None:
        text = str(term)
    return {"text": text, "href": href, "title": title, "lang": lang}


def run_entry(ctx: SiteContext, kg: Any, nq: NamedQuery) -> Entry:
    """Run ``nq`` with its defaults on ``kg`` (a :func:`bounded` graph), write its download file,
    and return what its page shows."""
    entry = Entry(nq, query_stem(nq.name), "ran")
    if ctx.endpoint:
        try:
            entry.live = live_query(ctx.kg, nq)
        except (QueryError, NotFoundError):
            entry.live = None  # a default that does not resolve: the page shows the failure below
    if entry.required:
        entry.status = "needs"
        return entry
    started = time.monotonic()
    try:
        result = kg.named_query(nq.name)
        rows = result._term_rows()  # kept: the table and the download read the same answer
        entry.kind = result.kind
        entry.columns = (result.variables if result.kind == "select"
                         else ["subject", "predicate", "object"] if result.kind == "graph" else ["result"])
        ext = "ttl" if result.kind == "graph" else "csv"
        target = ctx.out / f"{entry.stem}.{ext}"
        target.parent.mkdir(parents=True, exist_ok=True)
        result.write(ext, target)
    except QueryTimeout:
        entry.status, entry.message = "slow", f"took longer than {ctx.query_timeout:g} s"
        return entry
    except (QueryError, NotFoundError) as exc:
        entry.status, entry.message = "failed", str(exc)
        return entry
    finally:
        entry.seconds = time.monotonic() - started
    entry.download = f"{entry.stem.rsplit('/', 1)[-1]}.{ext}"
    entry.rows = len(rows)
    if result.kind == "ask":
        entry.truth = bool(rows and rows[0].get("result"))
    entry.cells = [[_cell(ctx, row.get(c), entry.page) for c in entry.columns] for row in rows[:SHOWN_ROWS]]
    return entry


# -- the section ----------------------------------------------------------------------------------
def write(ctx: SiteContext) -> None:
    """Write ``queries/index.html`` and, per named query, its page and its download."""
    check_endpoint(ctx.endpoint)
    entries: list[Entry] = []
    with bounded(ctx.kg, ctx.query_timeout) as kg:
        for nq in ctx.kg.list_queries():
            entry = run_entry(ctx, kg, nq)
            live = endpoint_url(ctx.endpoint, entry.live) if ctx.endpoint and entry.live else None
            ctx.write_page(entry.page, "query.html", title=nq.title, entry=entry, live=live,
                           cli=cli_example(nq), shown_rows=SHOWN_ROWS, seconds=ctx.query_timeout)
            entry.cells = []  # the index needs the summary only
            entries.append(entry)
    ctx.write_page("queries/index.html", "gallery.html", title="Query gallery", entries=entries,
                   seconds=ctx.query_timeout, shown_rows=SHOWN_ROWS)
