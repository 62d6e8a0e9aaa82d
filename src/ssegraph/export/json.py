"""JSON: networkx node-link data, or Cytoscape.js elements (which Cytoscape desktop imports).

Both are networkx's own layouts (:func:`networkx.node_link_data`,
:func:`networkx.cytoscape_data`), so ``networkx.node_link_graph(json.load(f), edges="edges")``
and ``networkx.cytoscape_graph`` read them back. Two adjustments: Cytoscape's graph ``data`` is
an object (networkx writes a list of pairs, which Cytoscape.js does not read), and the text is
UTF-8 with non-ASCII characters as they are (``ensure_ascii=False``), so that emoji and
right-to-left labels stay readable in the file.

The projection's edges carry ``sources`` rather than ``source``: both layouts use ``source``
for the source node, and an attribute of that name would be overwritten.
"""

from __future__ import annotations

import json as _json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import ExportError
from ._common import AttributeTypes, write_text
from ._registry import ExportFormat, register

__all__ = ["JSON_FLAVOURS", "generate_json", "write_json"]

#: ``--flavour`` values.
JSON_FLAVOURS = ("node-link", "cytoscape")


def json_data(G: Any, flavour: str = "node-link") -> dict[str, Any]:
    """The JSON-ready dict of ``G`` in the given flavour.

    Raises
    ------
    ExportError
        Unknown flavour, or an attribute value JSON cannot hold.
    """
    import networkx as nx

    nodes, edges = AttributeTypes("node"), AttributeTypes("edge")  # the other formats' rule
    for n, d in G.nodes(data=True):
        nodes.add(n, d)
    for u, v, d in G.edges(data=True):
        edges.add((u, v), d)
    if flavour == "node-link":
        return nx.node_link_data(G, edges="edges")
    if flavour == "cytoscape":
        data = nx.cytoscape_data(G)
        data["data"] = {k: v for k, v in G.graph.items() if isinstance(v, (str, int, float, bool))}
        return data
    raise ExportError(f"unknown JSON flavour {flavour!r}; use {' or '.join(JSON_FLAVOURS)}")


def generate_json(G: Any, flavour: str = "node-link", *, indent: int | None = 1) -> Iterator[str]:
    """Yield the JSON text of ``G`` in pieces.

    Examples
    --------
    >>> import json, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("id:a", "id:b", key="e1", id="e1", label="cites")
    'e1'
    >>> doc = json.loads("".join(generate_json(G, "cytoscape")))
    >>> doc["elements"]["edges"][0]["data"]["id"], len(doc["elements"]["nodes"])
    ('e1', 2)
    """
    data = json_data(G, flavour)
    encoder = _json.JSONEncoder(ensure_ascii=False, indent=indent, allow_nan=False)
    try:
        yield from encoder.iterencode(data)
    except (TypeError, ValueError) as exc:
        raise ExportError(f"cannot write JSON: {exc}") from None
    yield "\n"


def write_json(G: Any, path: str | os.PathLike[str] | IO[str], flavour: str = "node-link") -> None:
    """Write ``G`` as JSON (``node-link`` or ``cytoscape``) to ``path`` atomically, or to a file.

    Raises
    ------
    ExportError
        Unknown flavour, the folder is missing or not writable, or a value JSON cannot hold.
    """
    json_data(G, flavour)  # fail on a bad flavour before any file is opened
    write_text(path, lambda: generate_json(G, flavour))


register(ExportFormat(
    "json", (".json", ".cyjs"), "JSON: networkx node-link data, or Cytoscape.js elements",
    write=lambda G, path, flavour=None: [write_json(G, path, flavour or "node-link") or Path(path)],
    generate=lambda G, flavour=None: generate_json(G, flavour or "node-link"),
    flavours=JSON_FLAVOURS,
    order=3))
