"""GraphML, for Gephi, Cytoscape, yEd, igraph and networkx.

Written by a streaming generator rather than :func:`networkx.write_graphml`, which builds the
whole document as an ElementTree first: at ~1M triples that costs more than the projection
itself, and it declares a key per (name, type) seen, so an attribute that is an int on one node
and a string on another gets two keys that some readers merge and some reject. Here each
attribute name gets one ``<key>`` with the one type all its values fit
(string/int/long/double/boolean), ``None`` values are left out, booleans are ``true``/``false``,
and anything else (a list, a dict) is an :class:`ssegraph.errors.ExportError`.

Edge ids (the ``id`` attribute, else the multigraph key) are written twice: as the XML ``id`` of
each ``<edge>``, which networkx reads as the multigraph key and Gephi as the edge Id, and as an
``id`` data key, as networkx's own writer does. The data key is needed: python-igraph 1.0 fills
its edge ``id`` attribute with the *vertex* ids of the first rows when it takes it from the XML
ids; with the data key present it keeps ours (and warns that it could not add its own).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ._common import AttributeTypes, edges_with_ids, text_value, write_text, xml_escape
from ._registry import ExportFormat, register

__all__ = ["generate_graphml", "write_graphml"]

_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)


def generate_graphml(G: Any) -> Iterator[str]:
    """Yield the GraphML document of ``G`` in pieces of text.

    Parameters
    ----------
    G:
        A networkx graph (any kind; :func:`ssegraph.network.project` makes a MultiDiGraph).

    Raises
    ------
    ExportError
        An attribute value is not a string, number, boolean or date.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("id:a", label="A & B", type="organisation")
    >>> text = "".join(generate_graphml(G))
    >>> '<data key="d0">A &amp; B</data>' in text
    True
    """
    esc = xml_escape
    node_types = AttributeTypes("node")
    for n, data in G.nodes(data=True):
        node_types.add(n, data)
    edges = list(edges_with_ids(G))
    edge_types = AttributeTypes("edge")
    for _, _, eid, data in edges:
        edge_types.add(eid, data)
    graph_data = {k: v for k, v in G.graph.items()
                  if k not in ("node_default", "edge_default") and _scalar(v)}
    graph_types = AttributeTypes("graph")
    graph_types.add("graph", graph_data)

    yield _HEADER
    keys: dict[str, dict[str, tuple[str, str]]] = {}
    counter = 0
    for scope, typed in (("graph", graph_types), ("node", node_types), ("edge", edge_types)):
        keys[scope] = {}
        kinds = typed.types()
        if scope == "edge" and edges:
            kinds = {"id": "string", **{k: t for k, t in kinds.items() if k != "id"}}
        for name, kind in kinds.items():
            kid = f"d{counter}"
            counter += 1
            keys[scope][name] = (kid, kind)
            yield (f'  <key id="{kid}" for="{scope}" attr.name="{esc(str(name))}" '
                   f'attr.type="{kind}"/>\n')
    direction = "directed" if G.is_directed() else "undirected"
    yield f'  <graph id="G" edgedefault="{direction}">\n'
    yield from _data_lines(graph_data, keys["graph"], "    ")

    node_keys = keys["node"]
    for n, data in G.nodes(data=True):
        yield f'    <node id="{esc(str(n))}">{_data(data, node_keys)}</node>\n'
    edge_keys = dict(keys["edge"])
    id_key = edge_keys.pop("id", ("", ""))[0]
    for u, v, eid, data in edges:
        e = esc(eid)
        yield (f'    <edge id="{e}" source="{esc(str(u))}" target="{esc(str(v))}">'
               f'<data key="{id_key}">{e}</data>{_data(data, edge_keys)}</edge>\n')
    yield "  </graph>\n</graphml>\n"


def write_graphml(G: Any, path: str | os.PathLike[str] | IO[str]) -> None:
    """Write ``G`` as GraphML to ``path`` (atomically) or to an open text file.

    Raises
    ------
    ExportError
        The folder is missing or not writable, or an attribute value is not a scalar.
    """
    write_text(path, lambda: generate_graphml(G))


def _data(data: dict[str, Any], keys: dict[str, tuple[str, str]]) -> str:
    parts = []
    for name, value in data.items():
        spec = keys.get(name)
        if spec is None or value is None:
            continue
        kid, kind = spec
        text = value if value.__class__ is str else text_value(value, kind)
        if text:
            parts.append(f'<data key="{kid}">{xml_escape(text)}</data>')
        else:
            parts.append(f'<data key="{kid}"/>')
    return "".join(parts)


def _data_lines(data: dict[str, Any], keys: dict[str, tuple[str, str]], indent: str) -> Iterator[str]:
    body = _data(data, keys)
    if body:
        yield indent + body + "\n"


def _scalar(value: Any) -> bool:
    import numbers

    return isinstance(value, (str, numbers.Number)) and value is not None


register(ExportFormat(
    "graphml", (".graphml",), "GraphML, for Gephi, Cytoscape, yEd, igraph and networkx",
    write=lambda G, path, flavour=None: [write_graphml(G, path) or Path(path)],
    generate=lambda G, flavour=None: generate_graphml(G),
    order=1))
