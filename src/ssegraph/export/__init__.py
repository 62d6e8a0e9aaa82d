"""Exports of a projected network: GraphML, GEXF, JSON (node-link, Cytoscape) and CSV.

One module per format, each with ``write_X(G, path)`` (atomic: a failure never leaves a
half-written file in place of a good one) and ``generate_X(G)`` (the text, in pieces), and each
registering itself in :data:`FORMATS` (:mod:`ssegraph.export._registry`): name, suffixes,
flavours, one file or several. ``ssegraph export`` lists its formats from there. They take any
networkx graph whose attribute values are strings, numbers or booleans, which is what
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
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import model
from ..errors import ExportError
from ._registry import FORMATS, ExportFormat, export_format, register
from .csv import csv_paths, generate_csv, write_csv
from .gexf import COLOURS, generate_gexf, timeline_date, write_gexf
from .graphml import generate_graphml, write_graphml
from .json import JSON_FLAVOURS, generate_json, json_data, write_json

__all__ = [
    "COLOURS", "FORMATS", "JSON_FLAVOURS", "ExportFormat", "csv_paths", "export", "export_format",
    "generate", "generate_csv", "generate_gexf", "generate_graphml", "generate_json", "json_data",
    "output_paths", "register", "timeline_date", "write_csv", "write_gexf", "write_graphml",
    "write_json",
]


def output_paths(fmt: str, path: str | os.PathLike[str]) -> list[Path]:
    """The files ``fmt`` would write for ``path``, checked: the folder exists and is writable, no
    target is a folder. The CLI calls it before projecting, so a bad ``-o`` fails at once.

    Raises
    ------
    ExportError
        Unknown format, a missing folder, or a path that is a folder (except for csv).
    """
    targets = export_format(fmt).paths(path)
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
           **options: Any) -> list[Path]:
    """Write ``G`` in format ``fmt`` to ``path``; return the files written.

    ``flavour`` picks a variant where the format has them (json: ``node-link``, the default,
    or ``cytoscape``); ``options`` are the format's own keywords (csv: ``formulas=True`` keeps
    cells starting with ``= + - @`` as they are).

    Raises
    ------
    ExportError
        Unknown format or flavour, nothing to export (an empty graph), or the output cannot be
        written.
    """
    spec = export_format(fmt)
    flavour = spec.check_flavour(flavour)
    options = spec.check_options(options)
    output_paths(spec.name, path)
    _not_empty(G)
    return spec.write(G, path, flavour, **options)


def generate(G: Any, fmt: str, *, flavour: str | None = None) -> Iterator[str]:
    """The text of ``G`` in a single-file format, in pieces (what ``-o -`` prints).

    Raises
    ------
    ExportError
        Unknown format or flavour, a multi-file format, or nothing to export.
    """
    spec = export_format(fmt)
    flavour = spec.check_flavour(flavour)
    if spec.generate is None:
        raise ExportError(f"{spec.name} writes several files: give -o a folder or a file prefix, not '-'")
    _not_empty(G)
    return spec.generate(G, flavour)


def _not_empty(G: Any) -> None:
    """Refuse an empty graph: an export of nothing is a mistake in the selection, said at once."""
    if G.number_of_nodes() == 0:
        raise ExportError(f"nothing to export: no entity matches {_describe(G.graph.get('selection', ''))}")


def _describe(selection: str) -> str:
    """Words for the projection's ``selection`` note (``types=… focus=X depth=N construct``)."""
    parts = []
    types = re.search(r"types=(\S+)", selection)
    everything = ",".join(k.plural.lower() for k in model.KINDS)
    if types and types.group(1) != everything:
        parts.append("types " + types.group(1))
    focus = re.search(r"focus=(.*) depth=(\d+)", selection)
    if focus:
        parts.append(f"focus {focus.group(1)!r} at depth {focus.group(2)}")
    if re.search(r"\bconstruct\b", selection):
        parts.append("the construct query")
    return "; ".join(parts) or "the whole graph"
