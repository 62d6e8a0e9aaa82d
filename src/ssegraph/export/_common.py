"""What the writers share: attribute typing, XML escaping, path-or-file output.

GraphML and GEXF declare one type per attribute name, and Gephi, Cytoscape and igraph reject or
silently mangle a value that does not fit its declared type. So every writer first looks at all
values of an attribute, picks the one type they fit, and converts them to it; values that no
format can hold (lists, dicts, None) are refused or skipped here, once, with a message that
names the attribute.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import math
import numbers
import os
import re
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from ..errors import ExportError

_INT_LIMIT = 2**31  # beyond this an integer attribute is declared long


class AttributeTypes:
    """The one type each attribute takes across all nodes (or edges) of a graph.

    ``boolean`` if every value is a bool, ``int``/``long`` if every value is an integer,
    ``double`` if every value is a number, else ``string`` (numbers are then written as text).
    """

    def __init__(self, where: str):
        self.where = where
        self._kinds: dict[str, set[str]] = {}
        self._big: set[str] = set()

    def add(self, owner: Any, data: dict[str, Any]) -> None:
        """Record the kinds of one node's or edge's attribute values."""
        kinds = self._kinds
        for name, value in data.items():
            kind = _kind(value)
            if kind is None:
                continue
            if kind == "bad":
                raise ExportError(
                    f"{self.where} attribute {name!r} of {owner!r} is a {type(value).__name__}; "
                    "GraphML, GEXF and CSV take only strings, numbers and booleans")
            seen = kinds.get(name)
            if seen is None:
                kinds[name] = {kind}
            elif kind not in seen:
                seen.add(kind)
            if kind == "int" and not -_INT_LIMIT <= value < _INT_LIMIT:
                self._big.add(name)

    def types(self) -> dict[str, str]:
        """Attribute name → ``string``, ``boolean``, ``int``, ``long`` or ``double``."""
        out = {}
        for name, kinds in self._kinds.items():
            if kinds == {"bool"}:
                out[name] = "boolean"
            elif kinds == {"int"}:
                out[name] = "long" if name in self._big else "int"
            elif kinds <= {"int", "float"}:
                out[name] = "double"
            else:
                out[name] = "string"
        return out


def _kind(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return "str"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, numbers.Integral):
        return "int"
    if isinstance(value, numbers.Real):
        return "float"
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return "str"
    return "bad"


def text_value(value: Any, kind: str) -> str:
    """The lexical form of ``value`` for an attribute of type ``kind`` (unescaped)."""
    if isinstance(value, str):
        return value
    if kind == "boolean":
        return "true" if value else "false"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    if kind in ("int", "long"):
        return str(int(value))
    if isinstance(value, numbers.Integral):
        return str(int(value)) if kind == "string" else repr(float(value))
    f = float(value)
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "INF" if f > 0 else "-INF"
    return repr(f)


# Characters XML 1.0 cannot carry at all; replaced by U+FFFD so the file still parses.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_escape(text: str) -> str:
    """Escape for XML text and double-quoted attribute values, dropping what XML cannot hold.

    Newlines, carriage returns and tabs become character references so that they survive
    attribute-value normalisation; emoji and right-to-left text are written as they are
    (the files are UTF-8).

    Examples
    --------
    >>> xml_escape('<a & "b">')
    '&lt;a &amp; &quot;b&quot;&gt;'
    """
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if '"' in text:
        text = text.replace('"', "&quot;")
    if not text.isprintable():
        text = text.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
        if _NOT_XML.search(text):
            text = _NOT_XML.sub("\ufffd", text)
    return text


def write_text(path: str | os.PathLike[str] | IO[str], chunks: Callable[[], Iterable[str]],
               *, newline: str = "") -> None:
    """Write ``chunks()`` to a path atomically, or to an open text file as given.

    A path is written through :func:`ssegraph._io.atomic_write`: a failure midway leaves any
    previous file untouched and no partial file behind.
    """
    if hasattr(path, "write"):
        _write_all(path, chunks())  # type: ignore[arg-type]
        return
    from .._io import atomic_write

    with os_errors(path), atomic_write(path, "w") as fh:
        _write_all(fh, chunks())


@contextlib.contextmanager
def os_errors(path: Any) -> Iterator[None]:
    """Report an OS error while writing ``path`` (disk full, a folder in the way) as ExportError."""
    try:
        yield
    except OSError as exc:
        raise ExportError(f"{os.fspath(path)}: cannot write: {exc.strerror or exc}") from None


def _write_all(fh: IO[str], chunks: Iterable[str]) -> None:
    buffer: list[str] = []
    size = 0
    for chunk in chunks:
        buffer.append(chunk)
        size += len(chunk)
        if size > 1 << 20:
            fh.write("".join(buffer))
            buffer, size = [], 0
    if buffer:
        fh.write("".join(buffer))


def edges_with_ids(G: Any) -> Iterator[tuple[Any, Any, str, dict[str, Any]]]:
    """(u, v, edge id, data) for every edge: the ``id`` attribute, else the multigraph key,
    else ``u--v``; made unique by a ``#n`` suffix where two edges would share one."""
    seen: set[str] = set()
    if G.is_multigraph():
        items: Iterable[tuple[Any, Any, Any, dict[str, Any]]] = G.edges(keys=True, data=True)
    else:
        items = ((u, v, None, d) for u, v, d in G.edges(data=True))
    for u, v, key, data in items:
        eid = data.get("id")
        if eid is None or eid == "":
            if isinstance(key, str) and key:
                eid = key
            else:
                eid = f"{u}--{v}" if key is None else f"{u}--{v}--{key}"
        eid = str(eid)
        if eid in seen:
            n, base = 2, eid
            while f"{base}#{n}" in seen:
                n += 1
            eid = f"{base}#{n}"
        seen.add(eid)
        yield u, v, eid, data
