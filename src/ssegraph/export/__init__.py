"""Exports of a projected network: GraphML, GEXF, JSON (node-link, Cytoscape) and CSV.

One module per format, each with ``write_X(G, path)`` (atomic: a failure never leaves a
half-written file in place of a good one) and ``generate_X(G)`` (the text, in pieces). They take
any networkx graph whose attribute values are strings, numbers or booleans, which is what
:func:`ssegraph.network.project` makes.

Examples
--------
>>> import ssegraph
>>> from ssegraph.export import write_graphml
>>> G = ssegraph.load().to_networkx(focus="UNTFSSE")
>>> write_graphml(G, "untfsse.graphml")  # doctest: +SKIP
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import ExportError
from .csv import csv_paths, generate_csv, write_csv
from .gexf import COLOURS, generate_gexf, timeline_date, write_gexf
from .graphml import generate_graphml, write_graphml
from .json import JSON_FLAVOURS, generate_json, json_data, write_json

__all__ = [
    "COLOURS", "FORMATS", "JSON_FLAVOURS", "csv_paths", "export", "generate_csv", "generate_gexf",
    "generate_graphml", "generate_json", "json_data", "output_paths", "timeline_date", "write_csv",
    "write_gexf", "write_graphml", "write_json",
]

#: The formats of ``ssegraph export``.
FORMATS = ("graphml", "gexf", "json", "csv")


def output_paths(fmt: str, path: str | os.PathLike[str]) -> list[Path]:
    """The files ``fmt`` would write for ``path``, checked: the folder exists and is writable, no
    target is a folder. The CLI calls it before projecting, so a bad ``-o`` fails at once.

    Raises
    ------
    ExportError
        Unknown format, a missing folder, or a path that is a folder (except for csv).
    """
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    targets = list(csv_paths(path)) if fmt == "csv" else [Path(path)]
    for target in targets:
        folder = target.parent
        if not folder.is_dir():
            raise ExportError(f"{target}: folder {folder} does not exist")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise ExportError(f"{target}: cannot write in {folder}: Permission denied")
        if target.is_dir():
            raise ExportError(f"{target} is a folder; give a file name")
    return targets


def export(G: Any, fmt: str, path: str | os.PathLike[str], *, flavour: str | None = None,
           formulas: bool = False) -> list[Path]:
    """Write ``G`` in format ``fmt`` to ``path``; return the files written.

    ``flavour`` applies to ``json`` only (``node-link``, the default, or ``cytoscape``);
    ``formulas`` to ``csv`` only (keep cells starting with ``= + - @`` as they are).

    Raises
    ------
    ExportError
        Unknown format or flavour, or the output cannot be written.
    """
    fmt = fmt.lower()
    output_paths(fmt, path)
    if flavour is not None and fmt != "json":
        raise ExportError(f"--flavour applies to json only, not {fmt}")
    if fmt == "csv":
        return list(write_csv(G, path, formulas=formulas))
    if fmt == "graphml":
        write_graphml(G, path)
    elif fmt == "gexf":
        write_gexf(G, path)
    else:
        write_json(G, path, flavour or "node-link")
    return [Path(path)]
