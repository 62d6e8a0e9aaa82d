"""Versioned, self-describing releases of the graph: dumps, tables, VoID/DCAT, citation, changelog.

A release is what a researcher cites and an analyst downloads: one folder that says what it
holds without the repository around it. :func:`write_release` (``ssegraph release -o DIR``)
writes, for version ``V``:

``ssegraph-V.nt.gz``
    every triple of the graph (data + ontology, as every command sees it), skolemised;
``ssegraph-V.nq.gz``
    the same statements with one named graph per input file
    (``https://w3id.org/ssegraph/graph/data/organisations`` …), so a store can drop or replace
    one file's statements;
``tables/*.csv``
    milestones, organisations, memberships, posts, events, participations and sources, one row
    per entity, UTF-8, one header row (the queries are ``src/ssegraph/tables/*.rq``; their
    ``# column:`` lines are the data dictionary);
``README.md``, ``LICENSE.txt``, ``CITATION.cff``, ``void.ttl``, ``CHANGES.md``, ``SHA256SUMS``.

Three choices shape it:

- **Skolem IRIs from content.** Several stores reject blank nodes on insert (DESIGN.md §3), and
  a blank node label changes with every parse, so each blank node becomes
  ``https://w3id.org/ssegraph/.well-known/genid/HASH`` (RDF 1.1 §3.5), where HASH digests what
  the node says (its statements, recursively) and where it hangs (the subject and predicate
  that point at it). The same data gives the same IRIs in every release, so two releases
  diff cleanly; two nodes that say the same thing in the same place get numbered variants, so
  the skolemised graph stays isomorphic to the store's.
- **One pass, native work, the store left as loaded.** The files are bulk-loaded once into an
  in-memory store (a named graph each). Oxigraph serialises each graph once as N-Triples; the
  blank nodes are skolemised in that text (a ``_:`` label is a term only at the start of a line
  or before the final `` .``), the N-Quads dump is the same text with each graph's name added,
  and the N-Triples dump is the graphs one after the other, less the lines an earlier graph
  already holds (a triple stated in two files is written once). Tables are SPARQL results
  serialised by Oxigraph as W3C CSV. Nothing writes the store, so the tables and the
  vocabulary counts run in two worker threads from the start (Oxigraph releases the GIL while
  it evaluates and serialises) while this thread computes the skolem map. Compressed files
  carry no timestamp, so the same data gives byte-identical dumps (``SOURCE_DATE_EPOCH`` fixes
  the issued date too).
- **All or nothing.** Everything is written into a temporary folder beside the target and
  renamed into place at the end; a non-empty target is refused unless ``force=True``.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import logging
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ExportError, LoadError
from .namespaces import PREFIXES, compact, sparql_prologue
from .store import RDF_EXTENSIONS, sha256_file

__all__ = [
    "GENID",
    "GRAPH_BASE",
    "LICENCE",
    "ReleaseError",
    "ReleaseReport",
    "TABLES",
    "Table",
    "graph_iri",
    "list_tables",
    "skolem_map",
    "write_release",
]

log = logging.getLogger(__name__)

#: Where skolem IRIs live (RDF 1.1 Concepts §3.5: a well-known IRI under the data's authority).
GENID = "https://w3id.org/ssegraph/.well-known/genid/"
#: Named graphs of the N-Quads dump: this plus the file's path without its extension.
GRAPH_BASE = "https://w3id.org/ssegraph/graph/"
#: Where a release's files are published (relative IRIs in void.ttl resolve against this).
RELEASE_BASE = "https://w3id.org/ssegraph/release/"
#: The licence of the data, as pyproject.toml declares it for the package.
LICENCE = {
    "spdx": "CC0-1.0",
    "iri": "http://creativecommons.org/publicdomain/zero/1.0/",
    "name": "Creative Commons Zero v1.0 Universal (public domain dedication)",
}
#: The tables of a release, in the order the README lists them.
TABLES = ("milestones", "organisations", "memberships", "posts", "events", "participations", "sources")
TABLE_DIR = Path(__file__).parent / "tables"
#: gzip level of the dumps: 6 is zlib's default, 3x faster than gzip.open's 9 for 3% more bytes.
GZIP_LEVEL = 6


class ReleaseError(ExportError):
    """A release cannot be written: the folder is not empty, or cannot be written."""


# -- tables -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Table:
    """One CSV table of a release: its query and the documentation of its columns."""

    name: str
    title: str
    description: str
    columns: tuple[tuple[str, str], ...]
    sparql: str


def list_tables(folder: Path = TABLE_DIR) -> list[Table]:
    """The release tables, read from ``tables/*.rq`` (header lines ``# column: name | meaning``).

    Raises
    ------
    ReleaseError
        When a query's SELECT variables and its documented columns differ: an undocumented
        column would reach users without a line in the data dictionary.
    """
    tables = []
    for name in TABLES:
        path = folder / f"{name}.rq"
        text = path.read_text(encoding="utf-8")
        title = description = ""
        columns = []
        for line in text.splitlines():
            m = re.match(r"#\s*(title|description|column)\s*:\s*(.*)$", line)
            if not m:
                continue
            key, value = m.groups()
            if key == "title":
                title = value.strip()
            elif key == "description":
                description = value.strip()
            else:
                col, _, meaning = value.partition("|")
                columns.append((col.strip(), meaning.strip()))
        tables.append(Table(name, title, description, tuple(columns), text))
    return tables


# -- skolemisation ----------------------------------------------------------------------------
_BNODE_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) } }"


def skolem_map(quads: Iterable[Any]) -> dict[Any, Any]:
    """Map every blank node of ``quads`` to a skolem IRI derived from its content and place.

    A node's *content* digests its statements, sorted, with a nested blank node replaced by its
    own content; its *place* digests the subjects (an IRI, or a parent's final digest) and
    predicates that point at it. The IRI is ``GENID`` + the digest of both. Nodes with the same
    content in the same place (indistinguishable, so any order gives the same graph) are told
    apart by a counter, in the order of their graph names.

    Parameters
    ----------
    quads:
        pyoxigraph ``Quad`` objects or ``(subject, predicate, object, graph)`` sequences: at
        least every statement that has a blank node.

    Returns
    -------
    dict
        ``pyoxigraph.BlankNode`` → ``pyoxigraph.NamedNode``.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> g = ox.parse(b'<http://ex/a> <http://ex/p> [ <http://ex/q> "1" ] .', format=ox.RdfFormat.TURTLE)
    >>> [iri.value for iri in skolem_map(g).values()]
    ['https://w3id.org/ssegraph/.well-known/genid/e44c3b27a016070d6349f3e292892f89']
    """
    import pyoxigraph as ox

    bnode, quad = ox.BlankNode, ox.Quad
    nodes: dict[str, Any] = {}
    names: dict[Any, str] = {}  # str() of predicates, IRIs and graphs, computed once each

    def name(t: Any) -> str:
        if type(t) is bnode:
            key = str(t)
            nodes.setdefault(key, t)
            return key
        found = names.get(t)
        if found is None:
            found = names[t] = str(t) if t is not None else ""
        return found

    def statements() -> Iterable[tuple[str, str, str, str]]:
        for q in quads:
            s, p, o, g = (q.subject, q.predicate, q.object, q.graph_name) if type(q) is quad else q
            yield name(s), name(p), str(o) if type(o) is not bnode else name(o), name(g)

    return {nodes[b]: ox.NamedNode(iri) for b, iri in _skolem_iris(statements()).items()}


def _skolem_iris(statements: Iterable[tuple[str, str, str, str]]) -> dict[str, str]:
    """:func:`skolem_map` over statements written as N-Triples terms (``_:label`` for a blank
    node; the graph name, or "" for the default graph): blank node → skolem IRI, as text."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    inc: dict[str, list[tuple[str, str]]] = defaultdict(list)
    graph_of: dict[str, str] = {}
    for s, p, o, g in statements:
        if s.startswith("_:"):
            out[s].append((p, o))
            if s not in graph_of:
                graph_of[s] = g
        if o.startswith("_:"):
            inc[o].append((s, p))
            if o not in graph_of:
                graph_of[o] = g
    content: dict[str, str] = {}
    final: dict[str, str] = {}
    busy: set[str] = set()
    sha = hashlib.sha256

    def content_of(b: str) -> str:
        done = content.get(b)
        if done is not None:
            return done
        if b in busy:  # a cycle of blank nodes: the back edge says only that it is one
            return "cycle"
        busy.add(b)
        lines = sorted(f"{p} [{content_of(o)}]" if o.startswith("_:") else f"{p} {o}" for p, o in out.get(b, ()))
        busy.discard(b)
        content[b] = done = sha("\n".join(lines).encode()).hexdigest()
        return done

    def final_of(b: str) -> str:
        done = final.get(b)
        if done is not None:
            return done
        if b in busy:
            return content_of(b)
        busy.add(b)
        places = sorted(f"[{final_of(s)}] {p}" if s.startswith("_:") else f"{s} {p}" for s, p in inc.get(b, ()))
        busy.discard(b)
        final[b] = done = sha((content_of(b) + "\n@" + "\n".join(places)).encode()).hexdigest()
        return done

    groups: dict[str, list[str]] = defaultdict(list)
    for b in graph_of:
        groups[final_of(b)].append(b)
    mapping = {}
    for h, nodes in groups.items():
        if len(nodes) > 1:
            nodes.sort(key=graph_of.__getitem__)
        for i, b in enumerate(nodes):
            mapping[b] = GENID + (h[:32] if i == 0 else sha(f"{h}#{i}".encode()).hexdigest()[:32])
    return mapping


@dataclass
class _Scan:
    """What one pass over the N-Triples of each graph finds (see :func:`_scan`)."""

    statements: list[tuple[str, str, str, str]] = field(default_factory=list)
    repeated: list[set[bytes]] = field(default_factory=list)

    def predicates(self) -> dict[str, int]:
        """How many statements of each predicate repeat a triple of an earlier graph."""
        out: dict[str, int] = defaultdict(int)
        for lines in self.repeated:
            for line in lines:
                out[line.split(b" ", 2)[1][1:-1].decode("utf-8")] += 1
        return out


def _has_line(text: bytes, line: bytes) -> bool:
    return text.startswith(line + b"\n") or b"\n" + line + b"\n" in text


def _scan(texts: list[bytes], graphs: list[Any]) -> _Scan:
    """The statements with a blank node, and the lines of each graph already stated in an earlier one.

    A line of N-Triples is ``subject predicate object .``, and neither a subject nor a predicate
    holds a space (a line that only quotes ``_:`` in a literal is ignored by the digests). A
    triple stated in two files is the same line in two graphs: lines are compared by their hash,
    and a shared hash is confirmed in the text (no false match), so the merged graph's triples
    and property counts come exact without a ``DISTINCT`` over the store (1.2 s at 1M triples).
    """
    found = _Scan()
    seen: set[int] = set()
    for i, (text, g) in enumerate(zip(texts, graphs, strict=True)):
        lines = text.split(b"\n")
        lines.pop()  # after the last line break
        if b"_:" in text:
            graph = str(g)
            for line in lines:
                if b"_:" in line:
                    s, p, o = line.decode("utf-8").split(" ", 2)
                    found.statements.append((s, p, o[:-2], graph))
        hashes = set(map(hash, lines))
        again: set[bytes] = set()
        if not seen.isdisjoint(hashes):
            common = hashes & seen
            again = {line for line in lines if hash(line) in common
                     and any(_has_line(texts[j], line) for j in range(i))}
        found.repeated.append(again)
        seen |= hashes
    return found


def _without(text: bytes, lines: set[bytes]) -> bytes:
    """``text`` without the given lines."""
    return b"".join(line + b"\n" for line in text.split(b"\n")[:-1] if line not in lines)


#: A blank node label in N-Triples; it is a term only as the subject (at the start of a line) or
#: as the object (between the predicate's ">" and the final " ."): a literal holds no raw line
#: break, an IRI no space, so "_:" elsewhere is inside a literal.
_BNODE = re.compile(rb"_:(\S+)")


def skolemise_ntriples(data: bytes, mapping: dict[Any, Any]) -> bytes:
    r"""N-Triples ``data`` with each blank node replaced by its IRI in ``mapping``.

    ``mapping`` is :func:`skolem_map`'s result, or its labels and IRIs as bytes. Rewriting the
    serialised text is what lets a release leave its store unchanged: one regular-expression
    pass over the dump instead of removing and re-adding every statement with a blank node.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> nt = b'<http://ex/a> <http://ex/p> _:n1 .\n_:n1 <http://ex/q> "_:n1 x" .\n'
    >>> m = skolem_map(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))
    >>> print(skolemise_ntriples(nt, m).decode().replace(GENID, "genid:"), end="")
    <http://ex/a> <http://ex/p> <genid:8f390816e7b55bd946f381808679dc98> .
    <genid:8f390816e7b55bd946f381808679dc98> <http://ex/q> "_:n1 x" .
    """
    if not mapping or b"_:" not in data:
        return data
    labels = mapping
    if not isinstance(next(iter(mapping)), bytes):
        labels = {b.value.encode(): iri.value.encode() for b, iri in mapping.items()}

    def term(m: re.Match[bytes]) -> bytes:
        start, end = m.span()
        if (start == 0 or data[start - 1] == 10) or (data[start - 2:start] == b"> " and data[end:end + 3] == b" .\n"):
            return b"<" + labels[m.group(1)] + b">"
        return m.group(0)

    return _BNODE.sub(term, data)


def _skolemise_store(store: Any, rows: list[tuple], mapping: dict[Any, Any]) -> None:
    """Replace the blank nodes of ``rows`` (every statement with one) in ``store`` itself."""
    import pyoxigraph as ox

    remove, quad = store.remove, ox.Quad
    for s, p, o, g in rows:  # measured: as fast as a SPARQL DELETE with the same filter
        remove(quad(s, p, o, g))
    get = mapping.get
    store.extend([ox.Quad(get(s, s), p, get(o, o), g) for s, p, o, g in rows])


# -- files ------------------------------------------------------------------------------------
def graph_iri(path: Path, root: Path | None = None) -> str:
    """The named graph of one input file in the N-Quads dump.

    Examples
    --------
    >>> graph_iri(Path("/repo/data/organisations.ttl"), Path("/repo"))
    'https://w3id.org/ssegraph/graph/data/organisations'
    """
    from .store import package_root

    root = root or package_root()
    try:
        rel = path.resolve().relative_to(root.resolve())
        parts = rel.with_suffix("").parts
    except ValueError:
        parts = ("file", path.stem)
    return GRAPH_BASE + "/".join(re.sub(r"[^A-Za-z0-9._-]+", "-", p) for p in parts)


def _load_per_file(files: list[Path], loaded: Any = None) -> tuple[Any, dict[Path, str]]:
    """Bulk-load each file into its own named graph; ``loaded(store, graph)`` after each one."""
    import pyoxigraph as ox

    from .store import RDF_EXTENSIONS, _cause, _display

    store = ox.Store()
    graphs: dict[Path, str] = {}
    used: set[str] = set()
    for f in files:
        iri = graph_iri(f)
        n = 2
        while iri in used:
            iri, n = f"{graph_iri(f)}-{n}", n + 1
        used.add(iri)
        graphs[f] = iri
        fmt = getattr(ox.RdfFormat, RDF_EXTENSIONS[f.suffix.lower()])
        try:
            store.bulk_load(path=str(f), format=fmt, base_iri=f.as_uri(), to_graph=ox.NamedNode(iri))
        except SyntaxError as exc:
            raise LoadError(_display(f), _cause(exc), exc.lineno, exc.offset) from None
        except OSError as exc:
            raise LoadError(_display(f), exc.strerror or str(exc)) from None
        if loaded is not None:
            loaded(store, ox.NamedNode(iri))
    return store, graphs


def _gzip_writer(path: Path):
    raw = open(path, "wb")  # noqa: SIM115 - closed by the caller through the returned pair
    return raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=GZIP_LEVEL, mtime=0)


def _write_gzip(path: Path, chunks: Iterable[bytes]) -> int:
    """Write ``chunks`` gzipped to ``path``; return the number of lines.

    Whole graphs at a time: zlib compresses a large buffer without Python's lock, where a
    serialiser writing into a ``GzipFile`` calls back into Python for every few kilobytes.
    """
    lines = 0
    raw, gz = _gzip_writer(path)
    with raw, gz:
        for chunk in chunks:
            lines += chunk.count(b"\n")
            gz.write(chunk)
    return lines


def _graph_ntriples(store: Any, graphs: list[Any]) -> list[bytes]:
    """Each graph of ``graphs`` as N-Triples, in memory."""
    import pyoxigraph as ox

    return [store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g) for g in graphs]


def _as_nquads(ntriples: bytes, graph: Any) -> bytes:
    """N-Triples of one graph as N-Quads in that graph (every " .\n" ends a statement)."""
    import pyoxigraph as ox

    if isinstance(graph, ox.DefaultGraph):
        return ntriples
    return ntriples.replace(b" .\n", f" {graph} .\n".encode())  # <iri>, or _:label from TriG


def _write_table(store: Any, table: Table, path: Path) -> int:
    import pyoxigraph as ox

    result = store.query(sparql_prologue() + table.sparql, use_default_graph_as_union=True)
    variables = [v.value for v in result.variables]
    documented = [c for c, _ in table.columns]
    if variables != documented:
        raise ReleaseError(f"tables/{table.name}.rq: columns {variables} differ from the documented {documented}")
    result.serialize(str(path), format=ox.QueryResultsFormat.CSV)  # a path: written without Python's lock
    with open(path, encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


_CLASS_COUNTS = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"
_PROPERTY_COUNTS = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"
_TERM_DOCS = """
SELECT ?t (SAMPLE(?l0) AS ?label) (SAMPLE(?d0) AS ?definition) WHERE {
  VALUES ?t { %s }
  OPTIONAL { ?t rdfs:label|skos:prefLabel ?l0 FILTER(LANGMATCHES(LANG(?l0), "en")) }
  OPTIONAL { ?t rdfs:comment|skos:definition ?d0 FILTER(LANGMATCHES(LANG(?d0), "en")) }
} GROUP BY ?t"""


def _vocabulary(store: Any, repeated: dict[str, int] | None = None) -> tuple[list[tuple[str, int, str, str]],
                                                                            list[tuple[str, int, str, str]]]:
    """Classes (IRI, entities) and properties (IRI, triples) used, with label and definition.

    Property counts are of the statements in the per-file graphs, less ``repeated`` (property →
    statements that repeat a triple of another file; see :func:`_scan`), so of distinct triples.
    A class that is a blank node or a skolem IRI is left out.
    """
    import pyoxigraph as ox

    classes = {r["c"].value: int(r["n"].value) for r in store.query(_CLASS_COUNTS, use_default_graph_as_union=True)
               if isinstance(r["c"], ox.NamedNode) and not r["c"].value.startswith(GENID)}
    props = {r["p"].value: int(r["n"].value) for r in store.query(_PROPERTY_COUNTS, use_default_graph_as_union=True)}
    for prop, n in (repeated or {}).items():
        props[prop] -= n
    terms = sorted(set(classes) | set(props))
    docs: dict[str, tuple[str, str]] = {}
    for i in range(0, len(terms), 200):
        values = " ".join(f"<{t}>" for t in terms[i:i + 200])
        for r in store.query(sparql_prologue() + _TERM_DOCS % values, use_default_graph_as_union=True):
            label = r["label"].value if r["label"] is not None else ""
            definition = r["definition"].value if r["definition"] is not None else ""
            docs[r["t"].value] = (label, definition)

    def rows(counts: dict[str, int]) -> list[tuple[str, int, str, str]]:
        return [(t, n, *docs.get(t, ("", ""))) for t, n in sorted(counts.items(), key=lambda kv: compact(kv[0]))]

    return rows(classes), rows(props)


# -- the report -------------------------------------------------------------------------------
@dataclass
class ReleaseReport:
    """What :func:`write_release` wrote: where, which version, how many triples, the files."""

    folder: Path
    version: str
    issued: str
    triples: int
    graphs: dict[str, str]
    tables: dict[str, int]
    files: dict[str, tuple[int, str]] = field(default_factory=dict)
    skolemised: int = 0
    previous: str | None = None
    seconds: float = 0.0

    def to_text(self) -> str:
        """The summary ``ssegraph release`` prints on stderr."""
        tables = ", ".join(f"{n} {name}" for name, n in self.tables.items())
        since = f"changes since {self.previous}" if self.previous else "first release (no earlier v* tag)"
        return (f"released ssegraph {self.version} to {self.folder}: {self.triples:,} triples in "
                f"{len(self.graphs)} graphs, {self.skolemised} blank nodes skolemised; tables: {tables}; "
                f"{since}; {len(self.files)} files in {self.seconds:.1f} s")


# -- the release ------------------------------------------------------------------------------
def _issued_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    return dt.datetime.now(dt.UTC).date().isoformat()


def input_files(source: Any = None) -> list[Path]:
    """The files a release holds: a KnowledgeGraph's inputs, or paths as :func:`ssegraph.load` reads them.

    Paths (files and folders; default the bundled data) get the bundled ontology added, as
    every command loads it; nothing is parsed here, so a release never builds the store cache
    it does not need.
    """
    from .store import bundled_paths, expand_inputs, ontology_paths

    if hasattr(source, "files"):
        if getattr(source, "endpoint", None):
            raise ReleaseError("a release is made from local files, not from a remote endpoint")
        return [Path(f) for f in source.files]
    if isinstance(source, (str, os.PathLike)):
        source = [source]
    given = list(source) if source is not None else bundled_paths()
    return expand_inputs([*given, *ontology_paths()])


def write_release(
    kg: Any,
    folder: str | os.PathLike[str],
    *,
    version: str | None = None,
    force: bool = False,
    previous: str | None = "auto",
    issued: str | None = None,
    repo: str | os.PathLike[str] | None = None,
) -> ReleaseReport:
    """Write a release of ``kg``'s files to ``folder``: the Python twin of ``ssegraph release``.

    Parameters
    ----------
    kg:
        A :class:`~ssegraph.KnowledgeGraph` loaded from files (``ssegraph.load()``), whose input
        files (data and ontology) the release holds; or data files and folders (None: the
        bundled data), read with the bundled ontology as ``ssegraph.load`` reads them.
    folder:
        Where to write; created, or replaced as a whole when ``force`` is true.
    version:
        The version in file names and metadata (default: ``ssegraph.__version__``).
    force:
        Replace a non-empty ``folder``.
    previous:
        The git revision CHANGES.md compares with: ``"auto"`` (the latest ``v*`` tag other than
        this version's), a revision, or None for no comparison ("first release").
    issued:
        The issue date (ISO); default today in UTC, or ``$SOURCE_DATE_EPOCH``.
    repo:
        The git checkout whose tags and history CHANGES.md reads (default: the one holding the
        bundled data, when it is a checkout).

    Returns
    -------
    ReleaseReport

    Raises
    ------
    ReleaseError
        The folder is not empty (without ``force``) or cannot be written.
    LoadError
        An input file does not parse (``file:line:col: cause``).
    """
    import time

    from . import __version__

    started = time.monotonic()
    files = input_files(kg)
    if not files:
        raise ReleaseError("the graph has no input files to release")
    version = version or __version__
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._+-]*", version):
        raise ReleaseError(f"version {version!r} is not usable in a file name")
    issued = issued or _issued_date()
    from ._io import folder_in_place

    shown = Path(folder)
    with folder_in_place(folder, force=force, error=ReleaseError) as tmp:
        report = _build(kg, files, tmp, version=version, issued=issued, previous=previous, repo=repo)
    report.folder = shown
    report.seconds = time.monotonic() - started
    return report


_LONGEST_FIRST = ("memberships", "organisations", "posts", "sources", "milestones", "participations", "events")


def _build(kg: Any, files: list[Path], out: Path, *, version: str, issued: str, previous: str | None,
           repo: Any) -> ReleaseReport:
    import pyoxigraph as ox

    # While a file loads (one core), another thread serialises the graph of the one before
    # (Oxigraph reads without Python's lock); not when a TriG or N-Quads file could still add to
    # a graph already loaded.
    dumper = ThreadPoolExecutor(max_workers=1)
    early: dict[Any, Any] = {}
    if all(RDF_EXTENSIONS.get(f.suffix.lower()) in ("TURTLE", "N_TRIPLES") for f in files):
        def loaded(store: Any, graph: Any) -> None:
            early[graph] = dumper.submit(_graph_ntriples, store, [graph])
    else:
        loaded = None
    try:
        store, graphs = _load_per_file(files, loaded)
    except BaseException:
        dumper.shutdown(wait=False, cancel_futures=True)
        raise
    dumper.shutdown(wait=False)  # the last graph may still be serialising
    in_order = [ox.NamedNode(g) for g in graphs.values()]
    extra = sorted(set(store.named_graphs()) - set(in_order), key=str)  # from TriG or N-Quads inputs
    every = [*in_order, *extra, ox.DefaultGraph()]
    nt, nq = out / f"ssegraph-{version}.nt.gz", out / f"ssegraph-{version}.nq.gz"
    (out / "tables").mkdir()
    tables = list_tables()
    rank = {name: i for i, name in enumerate(_LONGEST_FIRST)}
    # The store is never written while these run: the blank nodes are skolemised in the dumps'
    # text, so everything that reads the store starts at once. Two workers (the machine this was
    # measured on has two cores; Oxigraph queries and serialises without Python's lock) take the
    # tables, longest first, then the vocabulary counts, while this thread has the graphs
    # serialised and computes the skolem map from their text; two more threads compress the
    # dumps.
    pool = ThreadPoolExecutor(max_workers=2)
    writer = ThreadPoolExecutor(max_workers=2)
    try:
        table_jobs = [(t, pool.submit(_write_table, store, t, out / "tables" / f"{t.name}.csv"))
                      for t in sorted(tables, key=lambda t: rank.get(t.name, len(rank)))]
        parts = [early.pop(g).result()[0] if g in early else _graph_ntriples(store, [g])[0] for g in every]
        scan = _scan(parts, every)
        vocab_job = pool.submit(_vocabulary, store, scan.predicates())
        mapping = _skolem_iris(scan.statements)
        labels = {b[2:].encode(): iri.encode() for b, iri in mapping.items()}
        for i, text in enumerate(parts):
            parts[i] = skolemise_ntriples(text, labels)
        nq_job = writer.submit(_write_gzip, nq, (_as_nquads(text, g) for text, g in zip(parts, every, strict=True)))
        # The merged graph: the graphs one after the other, less the triples an earlier one stated.
        merged = (_without(text, {skolemise_ntriples(line + b"\n", labels)[:-1] for line in again}) if again
                  else text for text, again in zip(parts, scan.repeated, strict=True))
        nt_job = writer.submit(_write_gzip, nt, merged)
        del parts, merged
        counts = {t.name: job.result() for t, job in table_jobs}
        classes, properties = vocab_job.result()
        # A table showing a blank node (none of the bundled ones does) shows its skolem IRI, as the
        # dumps do: skolemise the store itself, now that nothing reads it, and write it again.
        blank = [t for t in tables if b"_:" in (out / "tables" / f"{t.name}.csv").read_bytes()]
        if blank and mapping:
            rows = [tuple(r) for r in store.query(_BNODE_QUADS)]
            _skolemise_store(store, rows, {ox.BlankNode(b[2:]): ox.NamedNode(iri) for b, iri in mapping.items()})
            for t in blank:
                counts[t.name] = _write_table(store, t, out / "tables" / f"{t.name}.csv")
        del store  # its last reference: freed (0.3 s at 1M) while the dumps are compressed
        triples = nt_job.result()
        nq_job.result()
    except BaseException:
        # Ctrl-C or a failed job: start nothing more (a job already inside Oxigraph finishes;
        # its file goes with the temporary folder). A dump being compressed is waited for (a
        # second or two): it would otherwise write on while the temporary folder is removed.
        pool.shutdown(wait=False, cancel_futures=True)
        writer.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()
    writer.shutdown()
    skolemised = len(mapping)
    table_counts = {t.name: counts[t.name] for t in tables}

    changes, since = _changes(previous, version, repo, files)
    (out / "CHANGES.md").write_text(changes, encoding="utf-8")
    (out / "LICENSE.txt").write_text(_licence_text(), encoding="utf-8")
    (out / "CITATION.cff").write_text(_citation(version, issued), encoding="utf-8")
    dumps = {p.name: (p.stat().st_size, sha256_file(p)) for p in (nt, nq)}
    (out / "void.ttl").write_bytes(_void(version, issued, triples, classes, properties, graphs, dumps, table_counts))
    (out / "README.md").write_text(
        _readme(version, issued, triples, graphs, tables, table_counts, classes, properties, dumps, since),
        encoding="utf-8")
    sums = {}
    for p in sorted(out.rglob("*")):
        if p.is_file():
            rel = p.relative_to(out).as_posix()
            sums[rel] = dumps[rel] if rel in dumps else (p.stat().st_size, sha256_file(p))
    (out / "SHA256SUMS").write_text("".join(f"{h}  {name}\n" for name, (_, h) in sums.items()), encoding="utf-8")
    return ReleaseReport(out, version, issued, triples, {str(f): g for f, g in graphs.items()}, table_counts,
                         sums, skolemised, since)


# -- CHANGES.md -------------------------------------------------------------------------------
def previous_tag(repo: Path, version: str) -> str | None:
    """The latest ``v*`` tag of ``repo`` other than ``v{version}`` (by version order), or None."""
    from .diff import git_tags

    tags = [t for t in git_tags(repo) if t != f"v{version}"]
    return tags[-1] if tags else None


def _data_folder(files: list[Path], repo: Path) -> Path | None:
    """The repository's data folder when the release holds it (the default), else None."""
    data = (repo / "data").resolve()
    return data if any(data in f.resolve().parents for f in files) else None


def _changes(previous: str | None, version: str, repo: Any, files: list[Path]) -> tuple[str, str | None]:
    from .diff import diff_paths, find_repo, materialise_revision

    head = f"# Changes in ssegraph {version}\n\n"
    root = find_repo(Path(repo) if repo else None)
    data = _data_folder(files, root) if root else None
    if previous == "auto":
        if root is not None and data is None:  # other data than the repository's: its tags say nothing
            return head + ("No comparison: this release does not hold the data folder of the git checkout "
                           f"{root}, whose release tags are the only history known.\n"), None
        previous = previous_tag(root, version) if root else None
    if not previous:
        return head + "First release: there is no earlier release tag (`v*`) to compare with.\n", None
    if root is None:
        raise ReleaseError(f"cannot compare with {previous}: the data is not in a git checkout")
    if data is None:
        raise ReleaseError(f"cannot compare with {previous}: the release does not hold {root / 'data'}")
    with materialise_revision(root, previous, "data") as old:
        d = diff_paths(old, data, old_name=previous, new_name=version)
    return head + d.to_markdown(heading_level=2), previous


# -- the other files --------------------------------------------------------------------------
def _licence_text() -> str:
    from importlib import resources

    legal = resources.files("ssegraph").joinpath("assets/CC0-1.0.txt").read_text(encoding="utf-8")
    return (
        "The ssegraph data (every file of this release) is dedicated to the public domain under\n"
        f"{LICENCE['name']} ({LICENCE['iri']}).\n\n"
        "To the extent possible under law, the ssegraph contributors have waived all copyright and\n"
        "related or neighbouring rights to this dataset. The short quotations in the sources table\n"
        "(sse:quote) are excerpts of the cited documents, kept as evidence; their authors' rights in\n"
        "those documents are theirs and are not waived by this dedication.\n\n"
        "The full legal code follows.\n\n" + legal
    )


def _yaml(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def _citation(version: str, issued: str) -> str:
    return "\n".join([
        "cff-version: 1.2.0",
        f"message: {_yaml('If you use this dataset, please cite it as below.')}",
        "type: dataset",
        f"title: {_yaml('ssegraph: the open knowledge graph of the Social and Solidarity Economy')}",
        f"version: {_yaml(version)}",
        f"date-released: {_yaml(issued)}",
        f"license: {LICENCE['spdx']}",
        "url: \"https://w3id.org/ssegraph\"",
        "authors:",
        "  - name: \"ssegraph contributors\"",
        "keywords:",
        *[f"  - {_yaml(k)}" for k in ("social and solidarity economy", "knowledge graph", "linked data",
                                       "policy", "RDF")],
        f"abstract: {_yaml('Organisations, policy milestones, memberships and events of the social and solidarity economy as linked data, every fact with its source.')}",  # noqa: E501
        "",
    ])


def _void(version: str, issued: str, triples: int, classes: list, properties: list, graphs: dict[Path, str],
          dumps: dict[str, tuple[int, str]], tables: dict[str, int]) -> bytes:
    """VoID + DCAT description of the release, as Turtle."""
    import pyoxigraph as ox

    base = f"{RELEASE_BASE}{version}/"
    void, dcat, dct = "http://rdfs.org/ns/void#", "http://www.w3.org/ns/dcat#", PREFIXES["dcterms"]
    spdx, xsd, rdf = "http://spdx.org/rdf/terms#", PREFIXES["xsd"], PREFIXES["rdf"]
    owl = PREFIXES["owl"]

    def n(iri: str) -> Any:
        return ox.NamedNode(iri)

    def lit(value: Any, dtype: str | None = None, lang: str | None = None) -> Any:
        if lang:
            return ox.Literal(str(value), language=lang)
        return ox.Literal(str(value), datatype=n(xsd + dtype)) if dtype else ox.Literal(str(value))

    ds = n(base)
    out: list[Any] = []

    def add(s: Any, p: str, o: Any) -> None:
        out.append(ox.Triple(s, n(p), o))

    add(ds, rdf + "type", n(void + "Dataset"))
    add(ds, rdf + "type", n(dcat + "Dataset"))
    add(ds, dct + "title", lit("ssegraph: the open knowledge graph of the Social and Solidarity Economy", lang="en"))
    add(ds, dct + "description", lit("Organisations, policy milestones, memberships and events of the social and "
                                     "solidarity economy, every fact with its source.", lang="en"))
    add(ds, owl + "versionInfo", lit(version))
    add(ds, dcat + "version", lit(version))
    add(ds, dct + "issued", lit(issued, "date"))
    add(ds, dct + "license", n(LICENCE["iri"]))
    add(ds, dct + "publisher", lit("ssegraph contributors"))
    add(ds, dcat + "landingPage", n("https://w3id.org/ssegraph"))
    add(ds, void + "uriSpace", lit(PREFIXES["id"]))
    add(ds, void + "triples", lit(triples, "integer"))
    add(ds, void + "classes", lit(len(classes), "integer"))
    add(ds, void + "properties", lit(len(properties), "integer"))
    add(ds, void + "vocabulary", n(PREFIXES["sse"]))
    for iri, count, _, _ in classes:
        part = n(f"{base}#class-{_slug(compact(iri))}")
        add(ds, void + "classPartition", part)
        add(part, void + "class", n(iri))
        add(part, void + "entities", lit(count, "integer"))
    for iri, count, _, _ in properties:
        part = n(f"{base}#property-{_slug(compact(iri))}")
        add(ds, void + "propertyPartition", part)
        add(part, void + "property", n(iri))
        add(part, void + "triples", lit(count, "integer"))
    for f, g in graphs.items():
        sub = n(g)
        add(ds, void + "subset", sub)
        add(sub, rdf + "type", n(void + "Dataset"))
        add(sub, dct + "source", lit(f.name))
    media = {".nt.gz": "application/n-triples", ".nq.gz": "application/n-quads"}
    for name, (size, sha) in dumps.items():
        dist = n(base + name)
        kind = next(m for suffix, m in media.items() if name.endswith(suffix))
        add(ds, void + "dataDump", dist)
        add(ds, dcat + "distribution", dist)
        add(dist, rdf + "type", n(dcat + "Distribution"))
        add(dist, dcat + "downloadURL", dist)
        add(dist, dcat + "mediaType", n(f"https://www.iana.org/assignments/media-types/{kind}"))
        add(dist, dcat + "compressFormat", n("https://www.iana.org/assignments/media-types/application/gzip"))
        add(dist, dcat + "byteSize", lit(size, "nonNegativeInteger"))
        add(dist, dct + "license", n(LICENCE["iri"]))
        checksum = n(f"{base}#sha256-{_slug(name)}")
        add(dist, spdx + "checksum", checksum)
        add(checksum, rdf + "type", n(spdx + "Checksum"))
        add(checksum, spdx + "algorithm", n(spdx + "checksumAlgorithm_sha256"))
        add(checksum, spdx + "checksumValue", lit(sha, "hexBinary"))
    for name, rows in tables.items():
        dist = n(f"{base}tables/{name}.csv")
        add(ds, dcat + "distribution", dist)
        add(dist, rdf + "type", n(dcat + "Distribution"))
        add(dist, dcat + "downloadURL", dist)
        add(dist, dcat + "mediaType", n("https://www.iana.org/assignments/media-types/text/csv"))
        add(dist, dct + "title", lit(f"{name} table ({rows} rows)", lang="en"))
    prefixes = {"void": void, "dcat": dcat, "dcterms": dct, "spdx": spdx, "xsd": xsd, "owl": owl,
                "rdfs": PREFIXES["rdfs"], **{p: PREFIXES[p] for p in ("org", "eli", "schema", "prov", "skos", "foaf",
                                                                       "time", "cv", "sse", "kos")}}
    header = (f"# VoID + DCAT description of ssegraph {version} (issued {issued}). The files of this release\n"
              f"# folder are named as published under {base}\n").encode()
    return header + ox.serialize(out, format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _readme(version: str, issued: str, triples: int, graphs: dict[Path, str], tables: list[Table],
            counts: dict[str, int], classes: list, properties: list, dumps: dict[str, tuple[int, str]],
            since: str | None) -> str:
    lines = [
        f"# ssegraph {version}: the open knowledge graph of the Social and Solidarity Economy",
        "",
        f"Issued {issued}. {triples:,} triples about organisations, policy milestones, memberships, posts, "
        "events and participations of the social and solidarity economy (SSE), every fact with its source "
        "record (`prov:wasDerivedFrom` → a source with its URL and the quoted passage).",
        "",
        f"**Licence:** {LICENCE['name']}, `{LICENCE['spdx']}` (see `LICENSE.txt`). "
        "**Cite:** see `CITATION.cff`. "
        f"**Changes:** see `CHANGES.md` ({'since ' + since if since else 'first release'}).",
        "",
        "## Files",
        "",
        "| file | what | bytes | SHA-256 |",
        "|---|---|---|---|",
    ]
    what = {".nt.gz": "every triple, N-Triples, gzip; blank nodes skolemised",
            ".nq.gz": "the same statements, N-Quads, gzip, one named graph per source file"}
    for name, (size, sha) in dumps.items():
        kind = next(w for suffix, w in what.items() if name.endswith(suffix))
        lines.append(f"| `{name}` | {kind} | {size:,} | `{sha}` |")
    lines += [
        "| `tables/*.csv` | one table per kind of entity (below) | | |",
        "| `void.ttl` | VoID + DCAT description: counts, classes, properties, files, sizes, checksums | | |",
        "| `CHANGES.md` | what changed since the previous release, entity by entity | | |",
        "| `README.md` | this data dictionary | | |",
        f"| `LICENSE.txt` | the licence, {LICENCE['spdx']}, with its legal code | | |",
        "| `CITATION.cff` | how to cite this version (Citation File Format 1.2) | | |",
        "| `SHA256SUMS` | checksums of every file (`sha256sum -c SHA256SUMS`) | | |",
        "",
        "Skolemised blank nodes are IRIs under `https://w3id.org/ssegraph/.well-known/genid/`, derived "
        "from what the node says and where it hangs: the same data gives the same IRIs in every release. "
        "Load either dump into any triple store (unpacked with `gunzip` where the store wants plain files), "
        "or with Virtuoso's bulk loader, which reads `.gz` (`ld_dir` + `rdf_loader_run`; see docs/scale.md in the "
        "ssegraph repository).",
        "",
        "Named graphs of the N-Quads dump:",
        "",
    ]
    lines += [f"- `{g}` ← `{f.name}`" for f, g in graphs.items()]
    lines += [
        "",
        "## Tables",
        "",
        "UTF-8 CSV (RFC 4180, the W3C SPARQL 1.1 CSV results format): one header row, one row per entity, "
        "IRIs written out in full. A cell with several values joins them with ` | `. An empty cell means the "
        "graph holds no value. Dates are written at the precision the sources give: `YYYY`, `YYYY-MM` or "
        "`YYYY-MM-DD`. Each table is one SPARQL query (`src/ssegraph/tables/NAME.rq` in the repository).",
        "",
    ]
    for t in tables:
        lines += [f"### `tables/{t.name}.csv`: {t.title} ({counts.get(t.name, 0):,} rows)", "", t.description, "",
                  "| column | meaning |", "|---|---|"]
        lines += [f"| `{c}` | {_md(m)} |" for c, m in t.columns]
        lines.append("")
    lines += [
        "## Classes used",
        "",
        "Every class with at least one instance in this release, with the number of its instances and "
        "its label and definition where the ssegraph ontology gives them.",
        "",
        "| class | IRI | instances | label | definition |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| `{compact(i)}` | <{i}> | {n:,} | {_md(lb)} | {_md(d)} |" for i, n, lb, d in classes]
    lines += [
        "",
        "## Properties used",
        "",
        "| property | IRI | triples | label | definition |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| `{compact(i)}` | <{i}> | {n:,} | {_md(lb)} | {_md(d)} |" for i, n, lb, d in properties]
    lines += ["", "## Prefixes", "", "| prefix | namespace |", "|---|---|"]
    lines += [f"| `{p}:` | <{ns}> |" for p, ns in PREFIXES.items()]
    lines.append("")
    return "\n".join(lines)
