"""The catalogue of named queries in ``queries/*.rq``.

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
import re
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


def list_queries(folder: Path = QUERY_DIR) -> list[NamedQuery]:
    """Every named query, sorted by name."""
    return [parse_query_file(p) for p in sorted(folder.glob("*.rq"))]


def get_query(name: str, folder: Path = QUERY_DIR) -> NamedQuery:
    """The named query ``name``.

    Raises
    ------
    NotFoundError
        With the closest names, if there is no such query.
    """
    path = folder / f"{name}.rq"
    try:
        st = path.stat()
    except OSError:
        st = None
    if st is None or not S_ISREG(st.st_mode):
        import difflib

        names = [p.stem for p in sorted(folder.glob("*.rq"))]
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.4)
        hint = f"; did you mean {', '.join(close)}?" if close else "; run `ssegraph queries` for the list"
        raise NotFoundError(f"no named query {name!r}{hint}")
    return _parsed(path, st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=128)
def _parsed(path: Path, mtime_ns: int, size: int) -> NamedQuery:
    """:func:`parse_query_file`, remembered while the file's size and mtime stay the same."""
    return parse_query_file(path)
