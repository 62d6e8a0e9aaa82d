"""The KnowledgeGraph: one object around the store, with a method per question.

Every command of the CLI is a thin call to one of these methods, so a notebook can do
everything the command line does. The graph reads either the embedded Oxigraph store (on disk,
cached; or in memory for long sessions) or any SPARQL 1.1 endpoint (``endpoint=URL``).
"""

from __future__ import annotations

import functools
import logging
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .errors import NotFoundError, QueryError
from .namespaces import ID, PREFIXES, compact
from .results import Result
from .sparql_binding import bind_values, check_query

log = logging.getLogger(__name__)

@functools.cache
def lookup_properties() -> tuple[str, ...]:
    """What :meth:`KnowledgeGraph.resolve` matches a name against, best first: the model's label
    properties, then acronyms and symbols, then alternative labels. (A function so that a
    ``query`` process, which never resolves a name, does not import the model.)"""
    from . import model

    return (*(p for p in model.LABEL_PROPERTIES if p != model.ALT_LABEL), model.ACRONYM, model.SYMBOL,
            model.ALT_LABEL)


class LocalBackend:
    """Queries a pyoxigraph store.

    The data lives in the store's default graph. Only when a dataset input (TriG, N-Quads)
    brought named graphs are queries run over the union of all graphs: asking Oxigraph for the
    union costs 10–30% per query at a million triples, for nothing when there is one graph.
    """

    def __init__(self, store: Any, *, path: Path | None = None, files: tuple[Path, ...] = ()):
        from .store import has_named_graphs

        self.store, self.path, self.files = store, path, files
        self.union = has_named_graphs(store)

    def query(self, sparql: str, substitutions: Mapping[str, Any] | None = None) -> Any:
        text = bind_values(sparql, substitutions) if substitutions else sparql
        try:
            return self.store.query(text, use_default_graph_as_union=self.union)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {_sparql_cause(exc)}") from None
        except (OSError, RuntimeError, ValueError) as exc:  # e.g. SERVICE allowed but unreachable
            raise QueryError(f"query failed: {' '.join(str(exc).split())}") from None

    def __len__(self) -> int:
        return len(self.store)


class WorkerBackend(LocalBackend):
    """Runs queries in a worker process that is killed at the time limit: a bounded query in Python.

    pyoxigraph cannot be interrupted, and Ctrl-C (a notebook's "interrupt") does not reach a
    query inside the engine. A process can be killed, so with ``ssegraph.load(...,
    query_timeout=S)`` queries run in ``python -m ssegraph._query_worker`` on the same on-disk
    store (read-only, as the CLI reads it) and come back as SPARQL JSON or N-Triples. The worker
    stays up between queries and is replaced after one was stopped. ``max_memory_mb`` caps its
    resident memory. The site's query gallery bounds its queries the same way.
    """

    def __init__(self, store: Any, *, path: Path, files: tuple[Path, ...] = (), timeout: float | None,
                 max_memory_mb: float | None = None):
        from ._query_worker import QueryWorker

        super().__init__(store, path=path, files=files)
        self.timeout = timeout if timeout and timeout > 0 else None
        self.max_bytes = int(max_memory_mb * 1024 * 1024) if max_memory_mb else 0
        self.worker = QueryWorker(path, union=self.union, timeout=self.timeout, max_bytes=self.max_bytes)
        self._last: tuple[str, str, bytes] | None = None

    def query(self, sparql: str, substitutions: Mapping[str, Any] | None = None) -> Any:
        import pyoxigraph as ox

        text = bind_values(sparql, substitutions) if substitutions else sparql
        if self._last is not None and self._last[0] == text:  # a Result reading its answer again
            kind, payload = self._last[1:]
        else:
            kind, payload = self.worker.ask(text)
            self._last = (text, kind, payload)
        if kind == "graph":
            return [ox.Triple(q.subject, q.predicate, q.object)
                    for q in ox.parse(payload, format=ox.RdfFormat.N_TRIPLES)]
        return ox.parse_query_results(payload, format=ox.QueryResultsFormat.JSON)

    def close(self) -> None:
        """End the worker process (it also ends with this process)."""
        self.worker.close()


def _sparql_cause(exc: SyntaxError) -> str:
    msg = " ".join(str(exc.msg or exc).split())
    return msg


class KnowledgeGraph:
    """The SSE knowledge graph, ready to query.

    Build one with :func:`ssegraph.load`. ``kg.query(...)``, ``kg.describe(...)``,
    ``kg.stats()``, ``kg.validate()``, ``kg.to_networkx(...)``, ``kg.view(...)`` are the
    Python twins of the CLI commands.

    Examples
    --------
    >>> import ssegraph
    >>> kg = ssegraph.load()
    >>> bool(kg.query("ASK { id:untfsse a org:Organization }"))
    True
    """

    def __init__(self, backend: Any, *, files: Iterable[Path] = (), endpoint: str | None = None,
                 allow_service: bool = False, queries: Iterable[str | os.PathLike[str]] = ()):
        self.backend = backend
        self.files = tuple(files)
        self.endpoint = endpoint
        #: Whether local queries may use SERVICE (off: it makes the engine send HTTP requests).
        #: A remote endpoint decides that for itself.
        self.allow_service = allow_service or bool(endpoint)
        #: The user's folders of named queries, looked in before the bundled catalogue.
        self.queries = tuple(Path(q) for q in queries)

    def list_queries(self) -> list[Any]:
        """The named queries this graph knows: the user's folders' and the bundled ones."""
        from .catalog import list_queries

        return list_queries(queries=self.queries)

    def __repr__(self) -> str:
        where = self.endpoint or (getattr(self.backend, "path", None) or "memory")
        return f"<KnowledgeGraph {len(self.files)} files, store={where}>"

    @property
    def store(self) -> Any:
        """The underlying ``pyoxigraph.Store`` (None in remote mode)."""
        return getattr(self.backend, "store", None)

    # -- SPARQL ---------------------------------------------------------------------------
    def query(self, sparql: str, params: Mapping[str, Any] | None = None, **kwargs: Any) -> Result:
        """Run a SPARQL query; the project prefixes (``id:``, ``org:``, ``eli:`` …) are predeclared.

        Parameters are bound by value: ``kg.query("SELECT ?l { ?x skos:prefLabel ?l }", x="id:ilo")``
        binds ``?x`` to the IRI, never by pasting text into the query. A value may be a
        pyoxigraph term, a Python ``str``/``int``/``date``, or a CURIE/IRI string for ``iri``
        parameters (see :meth:`bind`).

        Raises
        ------
        QueryError
            For a syntax error or an update (the graph is read-only here).
        """
        values = dict(params or {})
        values.update(kwargs)
        text = _prepare(sparql, self.allow_service)
        subs = {k: self.bind(v) for k, v in values.items()}
        shift = len(text) - len(sparql.removeprefix("\ufeff"))
        return Result(lambda: self._run(text, subs, shift))

    def _run(self, text: str, subs: Mapping[str, Any], shift: int) -> Any:
        """Run prepared ``text``; a syntax error's line-1 column is put back into the user's text."""
        try:
            return self.backend.query(text, subs)
        except QueryError as exc:  # the same class (a QueryTimeout stays one), the user's positions
            raise type(exc)(_user_position(str(exc), shift)) from None

    def named_query(self, name: str, params: Mapping[str, str] | None = None) -> Result:
        """Run a query of the catalogue by name, with its declared parameters.

        Raises
        ------
        NotFoundError
            Unknown query name (close matches listed).
        QueryError
            A required parameter is missing or a value does not fit its type.
        """
        from .catalog import get_query

        nq = get_query(name, queries=self.queries)
        given = dict(params or {})
        declared = {p.name: p for p in nq.params}
        unknown = sorted(set(given) - set(declared))
        if unknown:
            hint = ", ".join(declared) or "none"
            raise QueryError(f"query {name!r} has no parameter {unknown[0]!r} (parameters: {hint})")
        subs: dict[str, Any] = {}
        for p in nq.params:
            raw = given.get(p.name, p.default)
            if raw is None:
                raise QueryError(f"query {name!r} needs --param {p.name}=… ({p.help or p.type})")
            subs[p.name] = self.bind(raw, p.type)
        text = _prepare(nq.sparql, self.allow_service)
        shift = len(text) - len(nq.sparql)
        return Result(lambda: self._run(text, subs, shift))

    def bind(self, value: Any, type_: str | None = None) -> Any:
        """Turn a parameter value into a pyoxigraph term of the given catalogue type."""
        import datetime as dt

        import pyoxigraph as ox

        xsd = PREFIXES["xsd"]
        if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
            return value
        if type_ is None:
            if isinstance(value, bool):
                return ox.Literal(str(value).lower(), datatype=ox.NamedNode(xsd + "boolean"))
            if isinstance(value, int):
                type_ = "integer"
            elif isinstance(value, dt.date):
                type_ = "date"
                value = value.isoformat()
            elif isinstance(value, str) and (_looks_like_iri(value)):
                type_ = "iri"
            else:
                type_ = "string"
        value = str(value)
        try:
            if type_ == "iri":
                return self.resolve(value)
            if type_ == "integer":
                return ox.Literal(str(int(value)), datatype=ox.NamedNode(xsd + "integer"))
            if type_ == "year":
                if not re.fullmatch(r"-?\d{4}", value):
                    raise ValueError
                return ox.Literal(str(int(value)), datatype=ox.NamedNode(xsd + "integer"))
            if type_ == "date":
                dt.date.fromisoformat(value)
                return ox.Literal(value, datatype=ox.NamedNode(xsd + "date"))
            if type_ == "lang":
                if not re.fullmatch(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*", value):
                    raise ValueError
                return ox.Literal(value.lower())
        except ValueError:
            raise QueryError(f"value {value!r} is not a valid {type_}") from None
        return ox.Literal(value)

    # -- entities -------------------------------------------------------------------------
    def resolve(self, name: str) -> Any:
        """Find an entity by IRI, prefixed name (``id:ilo``), label, acronym or symbol.

        Raises
        ------
        NotFoundError
            When nothing matches; the message lists the closest labels.
        """
        import pyoxigraph as ox

        name = name.strip()
        if name.startswith("<") and name.endswith(">"):
            return _iri(name[1:-1], name)
        if re.match(r"^[a-z][a-z0-9+.-]*://", name, re.IGNORECASE) or name.startswith("urn:"):
            return _iri(name, name)
        prefix, sep, local = name.partition(":")
        if sep and prefix in PREFIXES and " " not in local:
            return _iri(PREFIXES[prefix] + local, name)
        rows = list(self.query(_find_by_label(), name=ox.Literal(name.lower())).terms())
        if rows:
            ranked = sorted(rows, key=lambda r: (int(r["rank"].value), r["s"].value))
            return ranked[0]["s"]
        slug = ox.NamedNode(ID + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"))
        if bool(self.query("ASK { ?s ?p ?o }", s=slug)):
            return slug
        raise NotFoundError(f"no entity named {name!r}{self._suggest(name)}")

    def labels(self, iris: Iterable[str], lang: str = "en", *, short: bool = False) -> dict[str, str]:
        """The model's label (:func:`ssegraph.model.choose_label`) of each IRI; ``""`` if none.

        One query for all of them, so every front end names an entity the same way.
        """
        import pyoxigraph as ox

        from . import model

        items = sorted(set(iris))
        values: dict[str, list[tuple[str, str, str]]] = {i: [] for i in items}
        classes: dict[str, list[str]] = {i: [] for i in items}
        for start in range(0, len(items), 500):
            chunk = " ".join(str(ox.NamedNode(i)) for i in items[start:start + 500])
            q = (f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {chunk} }} "
                 f"{{ VALUES ?p {{ {_naming()} }} ?s ?p ?o }} UNION {{ ?s a ?o BIND(rdf:type AS ?p) }} }}")
            for row in self.query(q).terms():
                s, p, o = row["s"].value, row["p"].value, row["o"]
                if p == _RDF_TYPE:
                    classes[s].append(o.value)
                elif isinstance(o, ox.Literal):
                    values[s].append((p, o.value, o.language or ""))
        out = {}
        for i in items:
            k = model.kind_for(classes[i])
            out[i] = model.choose_label(values[i], lang, short=short, kind=k.key if k else None)
        return out

    def _suggest(self, name: str) -> str:
        import difflib

        labels: dict[str, str] = {}
        for row in self.query(_all_labels()).terms():
            labels.setdefault(row["l"].value, compact(row["s"].value))
        close = difflib.get_close_matches(name, list(labels), n=5, cutoff=0.5)
        lowered = {k.lower(): k for k in labels}
        close += [lowered[k] for k in difflib.get_close_matches(name.lower(), list(lowered), n=5, cutoff=0.5)]
        seen = []
        for c in close:
            if c not in seen:
                seen.append(c)
        if not seen:
            return ""
        return "; close matches: " + ", ".join(f"{c} ({labels[c]})" for c in seen[:5])

    def describe(self, name: str, lang: str = "en") -> Description:
        """Everything the graph says about one entity, and where it says it."""
        from .describe import describe

        return describe(self, name, lang)

    def stats(self, lang: str = "en") -> dict[str, Any]:
        """Triples, entities by kind and class, milestones by year and adopting body, most connected."""
        from .stats import stats

        return stats(self, lang)

    def validate(self, *, engine: str | None = None) -> Any:
        """Run the SHACL shapes; returns a :class:`ssegraph.validate.ValidationReport`.

        ``engine``: ``"store"`` (SPARQL on the store finds suspects, pySHACL judges them; the
        default on a local store) or ``"pyshacl"`` (pySHACL over the whole graph). Same report.
        """
        from .validate import validate

        return validate(self, engine=engine)

    def triples(self) -> Result:
        """Every triple of the graph (all input files, merged)."""
        return self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")

    def to_rdflib(self):
        """An in-memory ``rdflib.Graph`` copy of the whole graph (for pySHACL and rdflib users)."""
        import rdflib

        g = rdflib.Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns, override=True)
        store = self.store
        if store is None:  # an endpoint: its N-Triples
            g.parse(data=self.triples().to("nt"), format="nt")
            return g
        # Term by term from the store, so that a blank node keeps its store label and every
        # report about it (both validation engines) names it the same way.
        from .validate import to_rdflib_term

        add = g.add
        graph = None if self.backend.union else _default_graph()
        for q in self.backend.store.quads_for_pattern(None, None, None, graph):
            add((to_rdflib_term(q.subject), to_rdflib_term(q.predicate), to_rdflib_term(q.object)))
        return g

    # -- network, views, exports (implemented in their own modules) -------------------
    def to_networkx(self, **selection: Any):
        """Project the graph to a ``networkx.MultiDiGraph`` (see :mod:`ssegraph.network`)."""
        from .network import project

        return project(self, **selection)

    def view(self, path: str | os.PathLike[str] | None = None, **options: Any):
        """An interactive offline HTML network view; shown inline in Jupyter, saved if ``path``."""
        from .view import view

        return view(self, path, **options)

    def timeline(self, path: str | os.PathLike[str] | None = None, **options: Any):
        """The policy milestones and events on a time axis; inline in Jupyter, saved if ``path``."""
        from .timeline import timeline

        return timeline(self, path, **options)


def _default_graph() -> Any:
    import pyoxigraph as ox

    return ox.DefaultGraph()


class Description:
    """What :meth:`KnowledgeGraph.describe` returns: properties, links and sources of one entity."""

    def __init__(self, iri: str, label: str, types: list[str], outgoing: list[tuple[str, Any, str]],
                 incoming: list[tuple[str, str, str]], sources: list[dict[str, str]], files: list[str],
                 *, kind: str = "", short: str = ""):
        self.iri, self.label, self.types = iri, label, types
        self.outgoing, self.incoming, self.sources, self.files = outgoing, incoming, sources, files
        #: The model's kind (``"Organisation"``, ``"Policy milestone"``; ``""`` if not an entity)
        #: and the short identifying label (acronym, symbol).
        self.kind, self.short = kind, short

    def __repr__(self) -> str:
        n, s = len(self.outgoing), len(self.sources)
        return f"<Description {compact(self.iri)} {self.label!r}: {n} statements, {s} sources>"

    def to_text(self) -> str:
        """The readable block ``ssegraph describe`` prints."""
        from .describe import format_description

        return format_description(self)


@functools.lru_cache(maxsize=256)
def _prepare(sparql: str, allow_service: bool = False) -> str:
    """The text sent for ``sparql``: refused if an update (or SERVICE), with the prologue; remembered.

    A notebook or a benchmark asks the same catalogue questions again and again; looking at a
    query's tokens and prologue costs more than a fast query itself (0.1 ms).
    """
    sparql = sparql.removeprefix("\ufeff")  # a byte-order mark left by an editor is not SPARQL
    check_query(sparql, allow_service=allow_service)
    return with_prologue(sparql)


def check_read_only(sparql: str) -> None:
    """Refuse SPARQL updates: the graph is read-only; edit the Turtle files instead."""
    check_query(sparql, allow_service=True)


_POSITION = re.compile(r"\b(?:error )?at (?:line )?1(:| column )(\d+)")


def _user_position(message: str, shift: int) -> str:
    """Move a line-1 column back by the ``shift`` characters of the prologue ssegraph prepended."""
    def fix(m: re.Match[str]) -> str:
        col = int(m.group(2))
        return m.group(0)[: m.start(2) - m.start(0)] + str(col - shift if col > shift else col)

    return _POSITION.sub(fix, message, count=1) if shift else message


def with_prologue(sparql: str) -> str:
    """Prepend the project prefixes the query does not declare itself (on its first line)."""
    return _prologue(sparql) + sparql


def _prologue(sparql: str) -> str:
    declared = {m.group(1) for m in re.finditer(r"PREFIX\s+([\w-]*):", sparql, re.IGNORECASE)}
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items() if p not in declared]
    # on the query's first line, so the line numbers of syntax errors are the user's own (and
    # the columns on line 1 are moved back by its length: see _user_position)
    return " ".join(lines) + " "


def _iri(value: str, given: str) -> Any:
    """``NamedNode(value)``, or a one-line error quoting what the user gave."""
    import pyoxigraph as ox

    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise QueryError(f"{given!r} is not a valid IRI ({exc})") from None


def _looks_like_iri(value: str) -> bool:
    if value.startswith("<") and value.endswith(">"):
        return True
    if re.match(r"^https?://", value):
        return True
    prefix, sep, local = value.partition(":")
    return bool(sep) and prefix in PREFIXES and " " not in local and bool(local)


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@functools.cache
def _find_by_label() -> str:
    values = " ".join(f"(<{p}> {i})" for i, p in enumerate(lookup_properties()))
    return f"""
SELECT ?s ?rank WHERE {{
  VALUES (?p ?rank) {{ {values} }}
  ?s ?p ?l .
  FILTER(isIRI(?s) && LCASE(STR(?l)) = ?name)
}}"""


@functools.cache
def _all_labels() -> str:
    from . import model

    props = " ".join(f"<{p}>" for p in lookup_properties() if p != model.ALT_LABEL)
    return f"SELECT DISTINCT ?s ?l WHERE {{ VALUES ?p {{ {props} }} ?s ?p ?l . FILTER(isIRI(?s)) }}"


@functools.cache
def _naming() -> str:
    """The literal properties :func:`ssegraph.model.choose_label` reads."""
    from . import model

    return " ".join(f"<{p}>" for p in dict.fromkeys(
        (*model.LABEL_PROPERTIES, model.ACRONYM, model.SYMBOL, *model.DATE_PROPERTIES)))


def load(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    endpoint: str | None = None,
    memory: bool = False,
    ontology: bool = True,
    timeout: float | None = 60.0,
    allow_service: bool = False,
    query_timeout: float | None = None,
    max_memory_mb: float | None = None,
    queries: Iterable[str | os.PathLike[str]] = (),
) -> KnowledgeGraph:
    """Load the knowledge graph.

    Parameters
    ----------
    paths:
        A Turtle (or other RDF) file or folder, as ``str`` or ``Path``, or a list of them;
        default: the bundled ``data/`` and ``ontology/``.
    cache_dir:
        Where the on-disk store is cached (default ``~/.cache/ssegraph``).
    endpoint:
        Read from this SPARQL 1.1 endpoint instead of the embedded store.
    memory:
        Parse into memory instead of the disk cache: slower to open, faster per query;
        good for a notebook that asks many questions.
    ontology:
        Also load the bundled ontology and SKOS lists (labels of roles and types, and the
        subclass axioms SHACL needs). On by default, whatever ``paths`` are.
    timeout:
        Seconds for a remote endpoint's whole answer (None: no limit). Local queries are bounded
        by the command line (see :mod:`ssegraph.limits`).
    allow_service:
        Let local queries use ``SERVICE``, which makes the engine send HTTP requests to the
        servers the query names. Off by default (see docs/security.md).
    query_timeout, max_memory_mb:
        Bound every local query: each runs in a worker process that is killed after
        ``query_timeout`` seconds (a :class:`QueryError` is raised; Ctrl-C stops it too) and may
        not use more than ``max_memory_mb``. Costs a process start per query (see
        :class:`WorkerBackend`); the command line bounds queries in-process instead.
    queries:
        Folders of your own named queries (``.rq`` files with the catalogue's header), listed
        and run beside the bundled ones (:mod:`ssegraph.catalog`).

    Raises
    ------
    LoadError
        ``file:line:column: cause`` when an input file is missing or malformed.
    NotFoundError
        A ``queries`` folder that does not exist.

    Examples
    --------
    >>> import ssegraph
    >>> kg = ssegraph.load()
    >>> kg.resolve("UNTFSSE").value
    'https://w3id.org/ssegraph/id/untfsse'
    """
    queries = tuple(queries)
    if queries:
        from .catalog import search_path

        search_path(queries=queries)  # a missing folder fails now
    if endpoint:
        from .remote import Endpoint

        return KnowledgeGraph(Endpoint(endpoint, timeout=timeout), endpoint=endpoint, queries=queries)
    from . import store as _store

    if isinstance(paths, (str, os.PathLike)):  # one path, not an iterable of characters
        paths = [paths]
    given = list(paths) if paths is not None else _store.bundled_paths()
    files = _store.expand_inputs([*given, *(_store.ontology_paths() if ontology else [])])
    if memory:
        return KnowledgeGraph(LocalBackend(_store.memory_store(files), files=tuple(files)), files=files,
                              allow_service=allow_service, queries=queries)
    store, info = _store.open_cached(files, Path(cache_dir) if cache_dir else None)
    if info.built:
        log.info("built the store for %d files in %s", len(files), info.path)
    if query_timeout or max_memory_mb:
        backend: LocalBackend = WorkerBackend(store, path=info.path, files=info.files, timeout=query_timeout,
                                              max_memory_mb=max_memory_mb)
    else:
        backend = LocalBackend(store, path=info.path, files=info.files)
    return KnowledgeGraph(backend, files=files, allow_service=allow_service, queries=queries)
