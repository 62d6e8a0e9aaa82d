"""Build, cache and open the embedded Oxigraph store.

The Turtle files are the source of truth; the store is a disposable cache of them. It lives in
a folder keyed by a hash of every input file, the package version and the pyoxigraph version
(Oxigraph's storage format may change between releases), so an unchanged second command opens
it without parsing anything.

Every triple goes into the store's default graph. An earlier layout put each file in its own
named graph so that ``validate`` and ``describe`` could name the file behind a statement, but
Oxigraph indexes named-graph quads six ways instead of three: at a million triples that cost
1.5× the build time and 10–30% on every query, paid by every user for a question only a
curator asks. :func:`defining_files` answers that question instead, on demand, by re-reading
the few files that can mention the entity. Quads of dataset inputs (TriG, N-Quads) keep their
graphs; queries then see the union of all graphs.

Building happens in a temporary folder that is renamed into place under a lock: two commands
started at once never see a half-built store, and a parse error leaves the previous good store
untouched. Folders of builds that were killed are removed by the next build (under the lock, no
other build can be running). The last thing a build writes is ``.complete``, the list of the
store's files with their sizes: a store whose files no longer match it (a file truncated or
deleted), or that Oxigraph cannot open, is rebuilt once, with a one-line notice.

The cache key notices an edit that keeps a file's size and modification time (``cp -p``,
``rsync -t``, a tar restore): a file's inode and status-change time (ctime, which no user can set)
are part of the cheap check, so such a file is hashed again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CacheError, LoadError

log = logging.getLogger(__name__)

#: File extensions read as RDF, with their pyoxigraph format names.
RDF_EXTENSIONS = {
    ".ttl": "TURTLE",
    ".nt": "N_TRIPLES",
    ".nq": "N_QUADS",
    ".trig": "TRIG",
    ".rdf": "RDF_XML",
    ".owl": "RDF_XML",
    ".n3": "N3",
    ".jsonld": "JSON_LD",
}

#: How many cached stores to keep; older ones are removed after a build.
KEEP_STORES = 8

#: The layout of the stores this version builds; part of the cache key, so a store built with
#: another layout (1: a named graph per file) is rebuilt rather than misread.
STORE_LAYOUT = 2


def package_root() -> Path:
    """The folder that holds the bundled ``data/`` and ``ontology/``.

    A wheel carries them in ``ssegraph/bundled``; an editable install or a checkout reads the
    repository's own folders, so curators' edits are seen at once.
    """
    here = Path(__file__).resolve().parent
    bundled = here / "bundled"
    if (bundled / "data").is_dir():
        return bundled
    return here.parents[1]


def bundled_paths() -> list[Path]:
    """The bundled data folder (the curated Turtle files)."""
    return [package_root() / "data"]


def ontology_paths() -> list[Path]:
    """The ontology and SKOS lists, loaded with any data (not the SHACL shapes, which only
    ``validate`` reads): labels of roles and types, and the subclass axioms SHACL needs."""
    return [package_root() / "ontology"]


def shapes_path() -> Path:
    """The SHACL shapes of the vocabulary contract."""
    return package_root() / "ontology" / "shapes.ttl"


def expand_inputs(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Turn files and folders into a sorted list of RDF files (folders are searched recursively).

    ``shapes.ttl`` files are skipped inside folders: shapes describe the data, they are not data.

    Raises
    ------
    LoadError
        If a path does not exist or a folder holds no RDF file.
    """
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise LoadError(str(raw), "no such file or folder")
        if p.is_dir():
            found = sorted(
                f for f in p.rglob("*")
                if f.suffix.lower() in RDF_EXTENSIONS and f.name != "shapes.ttl" and f.is_file()
            )
            if not found:
                raise LoadError(str(raw), "folder holds no RDF file (.ttl, .nt, .nq, .trig, .rdf, .jsonld)")
            files.extend(found)
        else:
            if p.suffix.lower() not in RDF_EXTENSIONS:
                raise LoadError(str(raw), f"unknown RDF file extension {p.suffix!r}")
            files.append(p)
    seen: set[Path] = set()
    unique = []
    for f in files:
        r = f.resolve()
        if r not in seen:
            seen.add(r)
            unique.append(r)
    return unique


def default_cache_dir() -> Path:
    """``$SSEGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/ssegraph``, else ``~/.cache/ssegraph``."""
    env = os.environ.get("SSEGRAPH_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "ssegraph"


def _versions() -> str:
    # The package's own __version__, not importlib.metadata: looking up the installed
    # distribution costs more than the rest of a one-shot query's start-up (it scans sys.path
    # and imports the email package); both give the same string, so the keys are unchanged.
    import pyoxigraph

    from . import __version__

    return f"ssegraph={__version__};pyoxigraph={pyoxigraph.__version__};layout={STORE_LAYOUT}"


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MiB blocks (cache keys, release checksums)."""
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class _HashCache:
    """Remembers each file's (size, mtime) and hash, so unchanged big inputs are not re-read.

    The cheap check (size and modification time) proves a file unchanged; only a file whose
    size or mtime moved is hashed again. The same proof covers a whole set of files, so the
    store key of an unchanged set is remembered too: a one-shot command on unchanged data then
    hashes nothing at all (not even the key), which keeps ``hashlib`` off its start-up path.
    """

    #: Where the remembered store keys live inside ``hashes.json`` (no file path has a NUL).
    KEYS = "\0keys"
    #: How many remembered store keys to keep (most recent last).
    MAX_KEYS = 32

    def __init__(self, cache_dir: Path):
        self.path = cache_dir / "hashes.json"
        try:
            self.entries: dict[str, list] = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self.entries = {}
        if not isinstance(self.entries, dict):
            self.entries = {}
        keys = self.entries.pop(self.KEYS, None)
        self.keys: dict[str, str] = keys if isinstance(keys, dict) else {}
        self.dirty = False

    def remembered(self, fingerprint: str) -> str | None:
        """The store key computed earlier for exactly these (path, size, mtime) and versions."""
        return self.keys.get(fingerprint)

    def remember(self, fingerprint: str, key: str) -> None:
        self.keys.pop(fingerprint, None)
        self.keys[fingerprint] = key
        while len(self.keys) > self.MAX_KEYS:
            del self.keys[next(iter(self.keys))]
        self.dirty = True

    def digest(self, file: Path) -> str:
        st = file.stat()
        key = str(file)
        entry = self.entries.get(key)
        cheap = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        if entry and len(entry) == 5 and entry[:4] == cheap:
            return entry[4]
        try:
            digest = sha256_file(file)
        except OSError as exc:
            raise LoadError(_display(file), exc.strerror or str(exc)) from None
        self.entries[key] = [*cheap, digest]
        self.dirty = True
        return digest

    def save(self) -> None:
        if not self.dirty:
            return
        import tempfile

        with contextlib.suppress(OSError):
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".hashes.")
            with os.fdopen(fd, "w") as fh:
                json.dump({**self.entries, self.KEYS: self.keys}, fh)
            os.replace(tmp, self.path)


def store_key(files: list[Path], cache_dir: Path) -> str:
    """The cache key of a set of input files: their paths and hashes plus the versions."""
    hashes = _HashCache(cache_dir)
    versions = _versions()
    stats = []
    for f in files:
        try:
            stats.append((f, f.stat()))
        except OSError as exc:
            raise LoadError(_display(f), exc.strerror or str(exc)) from None
    fingerprint = versions + "".join(
        f"\n{f}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}" for f, st in stats)
    key = hashes.remembered(fingerprint)
    if key is None:
        import hashlib

        h = hashlib.sha256(versions.encode())
        for f in files:
            h.update(str(f).encode() + b"\0" + hashes.digest(f).encode() + b"\n")
        key = h.hexdigest()[:24]
        hashes.remember(fingerprint, key)
    hashes.save()
    return key


@contextlib.contextmanager
def _locked(cache_dir: Path) -> Iterator[None]:
    """An exclusive lock on ``build.lock``: ``fcntl.flock`` on POSIX, ``msvcrt.locking`` on
    Windows (imported here, so that the package imports everywhere)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    with open(cache_dir / "build.lock", "a+b") as lock:
        if os.name == "nt":
            import msvcrt
            import time

            lock.seek(0)
            while True:
                try:
                    msvcrt.locking(lock.fileno(), msvcrt.LK_NBLCK, 1)
                    break
                except OSError:
                    time.sleep(0.1)
            try:
                yield
            finally:
                lock.seek(0)
                msvcrt.locking(lock.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def load_file(store, path: Path) -> None:
    """Bulk-load one RDF file into the default graph of ``store`` (dataset formats keep their graphs).

    Raises
    ------
    LoadError
        ``path:line:column: cause`` for a syntax error, or the OS error for an unreadable file.
    """
    import pyoxigraph as ox

    fmt = getattr(ox.RdfFormat, RDF_EXTENSIONS[path.suffix.lower()])
    try:
        with open(path, "rb") as fh:
            head = fh.read(3)
            if fmt == ox.RdfFormat.RDF_XML:
                check_xml_entities(path)
            if head == b"\xef\xbb\xbf":  # a UTF-8 byte-order mark (Windows editors): skip it
                store.bulk_load(fh, format=fmt, base_iri=path.as_uri())
                return
        store.bulk_load(path=str(path), format=fmt, base_iri=path.as_uri())
    except SyntaxError as exc:
        raise LoadError(_display(path), _cause(exc), exc.lineno, exc.offset) from None
    except MemoryError:
        raise LoadError(_display(path), "a literal or IRI is over 16 MiB, more than the parser accepts") from None
    except OSError as exc:
        raise LoadError(_display(path), exc.strerror or str(exc)) from None


def check_xml_entities(path: Path) -> None:
    """Refuse RDF/XML that declares entities: a 1 kB file of nested entities ("billion laughs")
    asks the parser for gigabytes. Entities are a DOCTYPE feature RDF/XML never needs.

    Raises
    ------
    LoadError
        ``path:line:column`` of the ``<!ENTITY`` or ``<!DOCTYPE … [`` declaration.
    """
    data = path.read_bytes()
    at = data.find(b"<!ENTITY")
    if at < 0:
        doctype = data.find(b"<!DOCTYPE")
        at = doctype if doctype >= 0 and b"[" in data[doctype:data.find(b">", doctype) + 1 or None] else -1
    if at >= 0:
        line = data.count(b"\n", 0, at) + 1
        col = at - (data.rfind(b"\n", 0, at) + 1) + 1
        raise LoadError(_display(path), "RDF/XML with a DOCTYPE declaring entities is refused (entity expansion "
                        "can ask for gigabytes); write the entities out or convert the file to Turtle", line, col)


def _cause(exc: SyntaxError) -> str:
    msg = exc.msg or str(exc)
    # pyoxigraph says "Parser error between line 3 column 11 and line 4 column 1: cause"
    if msg.startswith("Parser error") and ": " in msg:
        msg = msg.split(": ", 1)[1]
    return msg


def _display(path: Path) -> str:
    """A path relative to the working folder when it is under it, for short error lines."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class StoreInfo:
    """Where a cached store lives and whether this call had to build it."""

    path: Path
    files: tuple[Path, ...]
    built: bool


def ensure_store(files: list[Path], cache_dir: Path | None = None, *, rebuild: bool = False) -> StoreInfo:
    """Return the on-disk store for ``files``, building it first if it is missing or stale.

    ``rebuild=True`` replaces the store even if it looks complete (it was found damaged).

    Raises
    ------
    LoadError
        An input file is missing, unreadable or malformed.
    CacheError
        The cache folder cannot be made or written (a file, read-only, full, another user's).
    """
    cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
    try:
        return _ensure_store(files, cache_dir, rebuild)
    except OSError as exc:
        detail = f"{exc.filename}: " if exc.filename and Path(exc.filename) != cache_dir else ""
        raise CacheError(f"cannot use the cache folder {cache_dir}: {detail}{exc.strerror or exc} "
                         "(choose another with --cache-dir or $SSEGRAPH_CACHE_DIR)") from None


def _ensure_store(files: list[Path], cache_dir: Path, rebuild: bool) -> StoreInfo:
    cache_dir.mkdir(parents=True, exist_ok=True)
    stores = cache_dir / "stores"
    key = store_key(files, cache_dir)
    final = stores / key
    if not rebuild and (final / ".complete").exists():
        return StoreInfo(final, tuple(files), built=False)
    import shutil  # only a build needs these: keep them off a one-shot command's start-up
    import tempfile

    with _locked(cache_dir):
        if not rebuild and (final / ".complete").exists():  # another process built it while we waited
            return StoreInfo(final, tuple(files), built=False)
        stores.mkdir(exist_ok=True)
        for stale in stores.glob(".build-*"):  # a killed build's folder: no build runs but ours
            shutil.rmtree(stale, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".build-{key}-", dir=stores))
        try:
            build_store(files, tmp)
            (tmp / ".complete").write_text(json.dumps({"files": [str(f) for f in files],
                                                       "sizes": _store_files(tmp)}))
            if final.exists():
                shutil.rmtree(final)
            os.rename(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _prune(stores, keep=final)
    return StoreInfo(final, tuple(files), built=True)


#: Files of an Oxigraph (RocksDB) store that change without the data changing: not checked.
_VOLATILE = ("LOCK", "LOG", ".complete", ".in-use")


def _store_files(path: Path) -> dict[str, int]:
    """The store's files and sizes, as ``.complete`` records them."""
    return {e.name: e.stat().st_size for e in os.scandir(path)
            if e.is_file() and not e.name.startswith(_VOLATILE)}


def damage(info: StoreInfo) -> str | None:
    """What is wrong with a cached store's files against its ``.complete`` record, or None.

    A few ``stat`` calls: cheap enough for every open.
    """
    try:
        record = json.loads((info.path / ".complete").read_text())
    except (OSError, ValueError) as exc:
        return f"its completion record is unreadable ({exc})"
    if isinstance(record, list):  # built before the record listed sizes: opening it is the test
        return None
    sizes = record.get("sizes") if isinstance(record, dict) else None
    if not isinstance(sizes, dict):
        return "its completion record is malformed"
    for name, size in sizes.items():
        try:
            actual = os.stat(info.path / name).st_size
        except OSError:
            return f"{name} is missing"
        if actual != size:
            return f"{name} has {actual} bytes instead of {size}"
    return None


def open_cached(files: list[Path], cache_dir: Path | None = None):
    """Open the cached store for ``files`` read-only; build it, or rebuild it once if damaged.

    Returns
    -------
    (pyoxigraph.Store, StoreInfo)

    Raises
    ------
    LoadError, CacheError
        As :func:`ensure_store`; CacheError also when a rebuilt store still cannot be opened.
    """
    info = ensure_store(files, cache_dir)
    problem = damage(info)
    if problem is None:
        try:
            return open_store(info), info
        except (OSError, ValueError, RuntimeError) as exc:
            problem = " ".join(str(exc).split())
    log.warning("the cached store %s is damaged (%s); rebuilding it", info.path, problem)
    info = ensure_store(files, cache_dir, rebuild=True)
    try:
        return open_store(info), info
    except (OSError, ValueError, RuntimeError) as exc:
        raise CacheError(f"cannot open the store rebuilt at {info.path}: {' '.join(str(exc).split())}") from None


def build_store(files: list[Path], path: Path) -> None:
    """Parse ``files`` into a new Oxigraph store at ``path``, then compact it for reading."""
    import pyoxigraph as ox

    store = ox.Store(str(path))
    for f in files:
        log.info("parsing %s", _display(f))
        load_file(store, f)
    store.flush()
    store.optimize()
    del store


def memory_store(files: list[Path]):
    """Parse ``files`` into an in-memory store: slower to start, 2–6× faster per query."""
    import pyoxigraph as ox

    store = ox.Store()
    for f in files:
        log.info("parsing %s", _display(f))
        load_file(store, f)
    return store


def open_store(info: StoreInfo):
    """Open a cached store read-only, so concurrent commands can share it safely.

    The store is marked in use for the life of this process (see :func:`_hold`), so that a
    build of other data in the same cache never prunes it from under a notebook, a server or
    the query worker that reopens it by its path.
    """
    import pyoxigraph as ox

    store = ox.Store.read_only(str(info.path))
    _hold(info.path)
    return store


#: Stores this process has open: their ``.in-use`` file, held with a shared lock until exit.
_HELD: dict[Path, Any] = {}
_IN_USE = ".in-use"


def _hold(path: Path) -> None:
    """Mark the store at ``path`` as used now (its mtime orders the pruning) and in use by this
    process (a shared ``flock`` on its ``.in-use`` file, which :func:`_prune` respects).
    POSIX only; elsewhere the mtime alone keeps a store in use among the most recent."""
    with contextlib.suppress(OSError):
        os.utime(path)
    if os.name == "nt" or path in _HELD:
        return
    import fcntl

    try:
        fh = open(path / _IN_USE, "a+b")  # noqa: SIM115 -- held open on purpose until the process ends
        fcntl.flock(fh, fcntl.LOCK_SH)
    except OSError:  # a read-only cache: nothing can prune it either
        return
    _HELD[path] = fh


def _in_use(path: Path) -> bool:
    """Whether some process holds the store at ``path`` open (see :func:`_hold`)."""
    if os.name == "nt" or not (path / _IN_USE).exists():
        return False
    import fcntl

    try:
        with open(path / _IN_USE, "a+b") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(fh, fcntl.LOCK_UN)
    except OSError:
        return False
    return False


def has_named_graphs(store) -> bool:
    """Whether ``store`` holds any named graph (only dataset inputs bring one); one index seek."""
    return next(iter(store.named_graphs()), None) is not None


def defining_files(files: Iterable[Path], iris: Iterable[str]) -> dict[str, tuple[Path, ...]]:
    """The input files that state something about each IRI (as a subject), in input order.

    This is how ``validate`` and ``describe`` tell a curator which file to open. The store does
    not remember files (see the module docstring), so the files are read again with the same
    pyoxigraph parser that built the store. A file whose bytes do not contain an IRI's local
    name cannot mention it in any RDF syntax, and is skipped without parsing: for one entity
    that usually leaves a few small files. A local name with characters Turtle may escape is
    looked for in every file.
    """
    import pyoxigraph as ox

    files = list(files)
    wanted = set(iris)
    found: dict[str, list[Path]] = {iri: [] for iri in wanted}
    skipped: dict[Path, set[str]] = {}
    for path in files:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        candidates = {iri for iri in wanted if _may_mention(data, iri)}
        skipped[path] = wanted - candidates
        for iri in _subjects_in(ox, path, data, candidates):
            found[iri].append(path)
    # The byte test assumes a prefix's namespace ends where the local name starts (at / or #,
    # as in nearly all linked data). If it found no file at all for an IRI, parse the files it
    # skipped for it rather than say nothing.
    missing = {iri for iri, paths in found.items() if not paths}
    for path in files if missing else ():
        again = missing & skipped.get(path, set())
        if again:
            for iri in _subjects_in(ox, path, path.read_bytes(), again):
                found[iri].append(path)
    order = {path: i for i, path in enumerate(files)}
    return {iri: tuple(sorted(paths, key=order.__getitem__)) for iri, paths in found.items()}


def _subjects_in(ox, path: Path, data: bytes, candidates: set[str]) -> set[str]:
    """Which of ``candidates`` are subjects of a statement in ``data`` (the file ``path``)."""
    hits: set[str] = set()
    if not candidates:
        return hits
    fmt = getattr(ox.RdfFormat, RDF_EXTENSIONS[path.suffix.lower()])
    with contextlib.suppress(SyntaxError):  # changed since it was loaded: nothing to say
        for quad in ox.parse(data, format=fmt, base_iri=path.as_uri()):
            s = quad.subject
            if isinstance(s, ox.NamedNode) and s.value in candidates:
                hits.add(s.value)
    return hits


_PLAIN_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _may_mention(data: bytes, iri: str) -> bool:
    """False only when ``data`` cannot spell ``iri``: its local name is plain and absent."""
    local = iri.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1]
    if not local or not set(local) <= _PLAIN_LOCAL | {"-", "."}:
        return True  # %XX, \\uXXXX and other escapes: no cheap proof of absence
    if local.encode() in data:
        return True
    # Turtle may also write a local name's - and . escaped (id:a\\-b): look for the pieces
    if b"\\-" not in data and b"\\." not in data:
        return False
    pieces = local.replace(".", "-").split("-")
    return len(pieces) > 1 and all(p.encode() in data for p in pieces if p)


def _prune(stores: Path, keep: Path) -> None:
    """Remove all but the most recently used cached stores, never one that a process has open.

    Build folders (``.build-*``) are left alone: another process may be filling one right now.
    """
    import shutil

    entries = sorted(
        (p for p in stores.iterdir() if p.is_dir() and p != keep and not p.name.startswith(".build-")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in entries[KEEP_STORES - 1:]:
        if not _in_use(old):  # another process (or this one) still reads it
            shutil.rmtree(old, ignore_errors=True)
