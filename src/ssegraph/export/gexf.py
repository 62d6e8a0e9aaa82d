"""GEXF 1.3, Gephi's own format: typed attributes, a timeline, colours and sizes.

What this adds over GraphML, for Gephi:

* **Timeline.** A node or edge with a ``start`` or ``end`` attribute (events, membership
  edges), or with only a ``date`` (policy milestones, which then appear on their adoption day
  and stay), gets GEXF ``start``/``end`` and the graph becomes ``mode="dynamic"`` with
  ``timeformat="date"``: Gephi's timeline then plays the policy history. GEXF wants full
  dates, so a year ``2020`` starts on 2020-01-01 and ends on 2020-12-31, a month ``2020-07``
  starts on the 1st and ends on its last day; the original precision stays in the ``date``
  attribute of milestones. A value that is not an ISO date is left out of the timeline.
* **Colour and size** (``viz`` namespace): colour by the ``type`` attribute (the kind colours
  of :mod:`ssegraph.model`, listed in :data:`COLOURS`, the same as the HTML view), size by
  :func:`ssegraph.model.degree` (distinct neighbours, the number ``stats`` and the view show),
  so the file opens readable before any layout or styling.

``label`` becomes the GEXF label of nodes and edges, the edge ``id`` their GEXF id; every other
attribute is declared once in ``<attributes>`` with one type (string, integer, long, double,
boolean) and written as an ``<attvalue>``, empty strings included.

Written by a streaming generator: networkx's GEXF writer (1.3 is supported since networkx
3.4) builds an ElementTree and would need start/end only on the elements that have them.
"""

from __future__ import annotations

import calendar
import math
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .. import model
from ._common import AttributeTypes, edges_with_ids, text_value, write_text, xml_escape
from ._registry import ExportFormat, register

__all__ = ["COLOURS", "generate_gexf", "write_gexf"]

def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


#: RGB colour of each node ``type``: the entity kinds' colours of :mod:`ssegraph.model` (the
#: views use the same); other types are the model's grey.
COLOURS: dict[str, tuple[int, int, int]] = {k.key: _rgb(k.colour) for k in model.KINDS}
_GREY = _rgb(model.OTHER_COLOUR)
_GEXF_TYPES = {"string": "string", "int": "integer", "long": "long", "double": "double",
               "boolean": "boolean"}
# attributes that become XML attributes of <node>/<edge>, not attvalues
_RESERVED = frozenset({"label", "start", "end", "id"})

_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">\n'
)

_DATE = re.compile(r"^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ].*)?$")


def timeline_date(value: Any, *, end: bool = False) -> str:
    """A full ISO date for GEXF's timeline from an ISO date of any precision, or ``""``.

    Examples
    --------
    >>> timeline_date("2020"), timeline_date("2020", end=True), timeline_date("2024-02", end=True)
    ('2020-01-01', '2020-12-31', '2024-02-29')
    >>> timeline_date("2023-10-02T09:00:00"), timeline_date("unknown")
    ('2023-10-02', '')
    """
    if not isinstance(value, str):
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        else:
            return ""
    m = _DATE.match(value.strip())
    if not m:
        return ""
    year, month, day = m.group(1), m.group(2), m.group(3)
    if day:
        return f"{year}-{month}-{day}"
    if month:
        last = calendar.monthrange(int(year), int(month))[1] if end else 1
        return f"{year}-{month}-{last:02d}"
    return f"{year}-12-31" if end else f"{year}-01-01"


def generate_gexf(G: Any) -> Iterator[str]:
    """Yield the GEXF 1.3 document of ``G`` in pieces of text.

    Raises
    ------
    ExportError
        An attribute value is not a string, number, boolean or date.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("id:r", label="A/RES/77/281", type="milestone", date="2023-04-18")
    >>> text = "".join(generate_gexf(G))
    >>> '<node id="id:r" label="A/RES/77/281" start="2023-04-18">' in text
    True
    """
    esc = xml_escape
    node_types, edge_types = AttributeTypes("node"), AttributeTypes("edge")
    for n, data in G.nodes(data=True):
        node_types.add(n, data)
    edges = list(edges_with_ids(G))
    for _, _, eid, data in edges:
        edge_types.add(eid, data)
    node_attrs = {k: t for k, t in node_types.types().items() if k not in _RESERVED}
    edge_attrs = {k: t for k, t in edge_types.types().items() if k not in _RESERVED}

    node_times = {n: _times(d) for n, d in G.nodes(data=True)}
    edge_times = [_times(d, date_fallback=False) for _, _, _, d in edges]
    dynamic = any(node_times.values()) or any(edge_times)

    degree = {n: model.degree(G, n) for n in G}
    yield _HEADER
    creator = "ssegraph"
    description = G.graph.get("selection") or G.graph.get("description") or ""
    yield f"  <meta>\n    <creator>{esc(creator)}</creator>\n"
    if isinstance(description, str) and description:
        yield f"    <description>{esc(description)}</description>\n"
    yield "  </meta>\n"
    kind = "directed" if G.is_directed() else "undirected"
    time = ' mode="dynamic" timeformat="date" timerepresentation="interval"' if dynamic else ' mode="static"'
    yield f'  <graph defaultedgetype="{kind}"{time}>\n'
    node_ids = {name: str(i) for i, name in enumerate(node_attrs)}
    edge_ids = {name: str(i) for i, name in enumerate(edge_attrs)}
    for cls, attrs, ids in (("node", node_attrs, node_ids), ("edge", edge_attrs, edge_ids)):
        if attrs:
            yield f'    <attributes class="{cls}" mode="static">\n'
            for name, t in attrs.items():
                yield (f'      <attribute id="{ids[name]}" title="{esc(str(name))}" '
                       f'type="{_GEXF_TYPES[t]}"/>\n')
            yield "    </attributes>\n"

    yield "    <nodes>\n"
    for n, data in G.nodes(data=True):
        label = data.get("label")
        label = str(n) if label is None or label == "" else text_value(label, "string")
        r, g, b = COLOURS.get(str(data.get("type", "")), _GREY)
        size = round(8 + 4 * math.sqrt(degree.get(n, 0)), 2)
        yield (f'      <node id="{esc(str(n))}" label="{esc(label)}"{node_times[n]}>'
               f"{_attvalues(data, node_attrs, node_ids)}"
               f'<viz:color r="{r}" g="{g}" b="{b}" a="1.0"/><viz:size value="{size}"/></node>\n')
    yield "    </nodes>\n    <edges>\n"
    for (u, v, eid, data), times in zip(edges, edge_times, strict=True):
        label = data.get("label")
        label_attr = "" if label is None or label == "" else f' label="{esc(text_value(label, "string"))}"'
        yield (f'      <edge id="{esc(eid)}" source="{esc(str(u))}" target="{esc(str(v))}"'
               f"{label_attr}{times}>{_attvalues(data, edge_attrs, edge_ids)}</edge>\n")
    yield "    </edges>\n  </graph>\n</gexf>\n"


def write_gexf(G: Any, path: str | os.PathLike[str] | IO[str]) -> None:
    """Write ``G`` as GEXF 1.3 to ``path`` (atomically) or to an open text file.

    Raises
    ------
    ExportError
        The folder is missing or not writable, or an attribute value is not a scalar.
    """
    write_text(path, lambda: generate_gexf(G))


def _times(data: dict[str, Any], *, date_fallback: bool = True) -> str:
    start = timeline_date(data.get("start", ""))
    end = timeline_date(data.get("end", ""), end=True)
    if not start and not end and date_fallback:
        start = timeline_date(data.get("date", ""))
    if start and end and end < start:
        end = ""
    return (f' start="{start}"' if start else "") + (f' end="{end}"' if end else "")


def _attvalues(data: dict[str, Any], attrs: dict[str, str], ids: dict[str, str]) -> str:
    parts = []
    for name, value in data.items():
        t = attrs.get(name)
        if t is None or value is None:
            continue
        text = value if value.__class__ is str else text_value(value, t)
        parts.append(f'<attvalue for="{ids[name]}" value="{xml_escape(text)}"/>')
    return f"<attvalues>{''.join(parts)}</attvalues>" if parts else ""


register(ExportFormat(
    "gexf", (".gexf",), "GEXF 1.3, Gephi's own: a timeline, colours by kind, sizes by degree",
    write=lambda G, path, flavour=None: [write_gexf(G, path) or Path(path)],
    generate=lambda G, flavour=None: generate_gexf(G),
    order=2))
