"""The catalogue of named queries: the bundled ``queries/*.rq`` and the user's own folders.

A user folder (``ssegraph --queries DIR``, ``ssegraph.load(queries=[DIR])``) holds ``.rq`` files
with the same header; its queries are listed beside the bundled ones, and one with the name of a
bundled query is used instead of it (the first folder given wins).

Each file starts with a comment header that documents it::

    # title: Members and observers of an organisation
    # description: Every membership in ?org with its role and start, oldest first.
    # param: org iri=id:untfsse  The organisation (IRI, prefixed name, label or acronym)

A parameter named ``org`` is bound to the variable ``?org`` by value (SPARQL substitution or a
``VALUES`` block built from serialised terms), never by pasting text into the query.
Types: ``iri`` (resolved from a label or acronym too), ``string``, ``date``, ``year``,
``integer``, ``lang``.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG

from .errors import NotFoundError, QueryError

QUERY_DIR = Path(__file__).parent / "queries"
PARAM_TYPES = ("iri", "string", "date", "year", "integer", "lang")
_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*)$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s+(?P<type>\w+)(?:=(?P<default>\S+))?\s*(?P<help>.*)$")


@dataclass(frozen=True)
class Param:
    """One parameter of a named query."""

    name: str
    type: str
    default: str | None
    help: str

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class NamedQuery:
    """A query of the catalogue: its name (the file stem), header and SPARQL text."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...] = field(default_factory=tuple)
    sparql: str = ""
    path: Path | None = None


def parse_query_file(path: Path) -> NamedQuery:
    """Read a ``.rq`` file and its header.

    Raises
    ------
    QueryError
        If a parameter line is malformed or names an unknown type.
    """
    text = path.read_text(encoding="utf-8")
    title = description = ""
    params: list[Param] = []
    for line in text.splitlines():
        m = _HEADER.match(line.strip())
        if not m:
            if line.strip() and not line.lstrip().startswith("#"):
                break
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "title":
            title = value
        elif key == "description":
            description = f"{description} {value}".strip()
        else:
            pm = _PARAM.match(value)
            if not pm or pm.group("type") not in PARAM_TYPES:
                raise QueryError(f"{path.name}: malformed parameter line {value!r}")
            params.append(Param(pm.group("name"), pm.group("type"), pm.group("default"), pm.group("help").strip()))
    return NamedQuery(path.stem, title or path.stem, description, tuple(params), text, path)


Folders = Path | str | os.PathLike[str] | Iterable[Path | str | os.PathLike[str]] | None


def search_path(folder: Folders = None, *, queries: Folders = None) -> list[Path]:
    """The folders to look in, first wins: ``folder`` alone if given (one catalogue), else the
    user's ``queries`` folders and then the bundled one.

    Raises
    ------
    NotFoundError
        A user folder that does not exist.
    """
    if folder is not None:
        return _folders(folder)
    users = _folders(queries)
    for f in users:
        if not f.is_dir():
            raise NotFoundError(f"{f}: no such queries folder")
    return [*users, QUERY_DIR]


def _folders(value: Folders) -> list[Path]:
    if value is None:
        return []
    if isinstance(value, (str, os.PathLike)):
        return [Path(value)]
    return [Path(v) for v in value]


def list_queries(folder: Folders = None, *, queries: Folders = None) -> list[NamedQuery]:
    """Every named query, sorted by name: the user's folders' and the bundled ones.

    A user query with the name of a bundled one replaces it (see the module docstring).
    """
    found: dict[str, Path] = {}
    for f in search_path(folder, queries=queries):
        for p in sorted(f.glob("*.rq")):
            found.setdefault(p.stem, p)
    return [parse_query_file(found[name]) for name in sorted(found)]


def get_query(name: str, folder: Folders = None, *, queries: Folders = None) -> NamedQuery:
    """The named query ``name``, from the first folder of :func:`search_path` that has it.

    Raises
    ------
    NotFoundError
        With the closest names, if there is no such query.
    """
    folders = search_path(folder, queries=queries)
    for f in folders:
        path = f / f"{name}.rq"
        try:
            st = path.stat()
        except OSError:
            continue
        if S_ISREG(st.st_mode):
            return _parsed(path, st.st_mtime_ns, st.st_size)
    import difflib

    names = sorted({p.stem for f in folders for p in f.glob("*.rq")})
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.4)
    hint = f"; did you mean {', '.join(close)}?" if close else "; run `ssegraph queries` for the list"
    raise NotFoundError(f"no named query {name!r}{hint}")


@functools.lru_cache(maxsize=128)
def _parsed(path: Path, mtime_ns: int, size: int) -> NamedQuery:
    """:func:`parse_query_file`, remembered while the file's size and mtime stay the same."""
    return parse_query_file(path)
