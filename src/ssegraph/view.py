"""Offline, safe and legible HTML network views (vis-network through pyvis).

A view is one self-contained HTML file: the vis-network script and style that the installed
pyvis package ships are inlined, nothing is fetched from a CDN and no ``lib/`` folder is
written anywhere. pyvis's own page template is not used, because it always links bootstrap
from a CDN, does not escape the heading and inserts every node title as raw HTML as soon as
one of them contains ``href`` (DESIGN.md §3). Instead pyvis's :class:`~pyvis.network.Network`
holds the nodes, edges and options, handed to it in bulk (its ``add_node`` is quadratic), and
the page comes from this package's own asset files (``ssegraph/assets/``): a Jinja2 template
with autoescaping (``view.html``), the shared helpers (``common.js``/``common.css``) and the
view's script and style (``view.js``/``view.css``). Kinds, colours, labels, relation families
and the degree come from :mod:`ssegraph.model`, as for ``stats`` and the GEXF export.

Safety rests on three rules, so that text hiding in the data never runs:

* data reaches the page only as JSON inside ``<script type="application/json">``, with ``<``,
  ``>`` and ``&`` escaped, so that no value can close the element;
* the page's script builds tooltips and panels with ``textContent`` (never ``innerHTML``) and
  makes links only of ``http(s)`` URLs;
* a Content-Security-Policy admits exactly the page's own inline scripts (by hash) and no
  network access at all, so even a mistake in the first two rules could not run an injected
  handler or load anything.

The layout is computed here, once (igraph's Fruchterman-Reingold, a required dependency), and
handed over with physics off: the page is still when it opens,
and a 2,000-node view is usable at once instead of after minutes of in-browser simulation.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import logging
import math
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ._io import atomic_write
from .errors import ExportError, SsegraphError

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.figure import Figure

    from .graph import KnowledgeGraph

__all__ = [
    "DEFAULT_MAX_NODES",
    "HtmlView",
    "NetworkView",
    "TypeStyle",
    "compute_layout",
    "generate_html",
    "plot_network",
    "render_html",
    "short_label",
    "view",
    "write_html",
]

log = logging.getLogger(__name__)

#: The node limit of :func:`view`: beyond it a page gets slow to draw and unreadable anyway.
DEFAULT_MAX_NODES = 2000

HTML_SUFFIXES = (".html", ".htm")
VIEW_SUFFIXES = (".html", ".htm", ".png", ".svg")


@dataclass(frozen=True)
class TypeStyle:
    """How one entity kind is drawn (from :data:`ssegraph.model.KINDS`): a colour and a shape,
    so that kinds differ without colour too."""

    singular: str
    plural: str
    color: str
    shape: str
    glyph: str


_EXTRA_COLORS = ("#7F7F7F", "#56B4E9", "#8C6D31", "#000000", "#A6CEE3")

#: How much a node's degree counts towards a label at the opening zoom, by kind. Places and
#: meetings (events) are labelled only when zoomed in, hovered or next to the selection.
LABEL_WEIGHTS = {"organisation": 1.0, "milestone": 1.0, "person": 0.7, "event": 0.5, "place": 0.4}
ZOOM_ONLY_LABELS = frozenset({"place", "event"})
#: Relation families drawn dashed as well as coloured (so they differ without colour).
DASHED_FAMILIES = frozenset({"lineage"})


#: Node attributes shown in tooltips, in this order, with their display names.
NODE_FIELDS = (
    ("acronym", "Acronym"),
    ("symbol", "Symbol"),
    ("country", "Country"),
    ("date", "Date"),
    ("start", "Start"),
    ("end", "End"),
    ("founded", "Founded"),
    ("iri", "IRI"),
)
EDGE_FIELDS = (("role", "Role"), ("on_behalf_of", "On behalf of"), ("start", "Start"), ("end", "End"),
               ("predicate", "Predicate"))
_NOT_SHOWN = {"label", "type", "sources", "source", "name", "x", "y", "id", "size", "title", "colour", "kind", "short",
              "degree", "family", "interaction", "via"}
#: The longest label drawn on the canvas (the panel, the search and the tooltip show it whole).
DRAWN_LABEL_MAX = 34

# -- assets ---------------------------------------------------------------------------------


@functools.cache
def vis_assets() -> tuple[str, str]:
    """The vis-network script and style that the installed pyvis ships, ready to inline.

    Line ends are normalised (the HTML parser would do it anyway, and the script's CSP hash
    must match what the browser sees) and the source-map comment is dropped, so that opening
    the developer tools does not make a request either.

    Raises
    ------
    ExportError
        If pyvis's bundled files are missing, or could close their ``<script>``/``<style>``.
    """
    import pyvis

    folder = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    try:
        js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
        css = (folder / "vis-network.css").read_text(encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"the vis-network files of the installed pyvis are missing: {exc}") from None
    js = re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", _lf(js))
    css = re.sub(r"/\*# sourceMappingURL=\S*\s*\*/", "", _lf(css))
    if re.search(r"</script|<!--", js, re.IGNORECASE) or re.search(r"</style", css, re.IGNORECASE):
        raise ExportError("the bundled vis-network files cannot be inlined safely (they contain </script>)")
    return js, css


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def json_for_html(data: Any) -> str:
    """Serialise ``data`` as JSON that is safe inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c`` … so that no value (``</script>``, ``<!--``) can
    end the element or change how the HTML parser reads it; U+2028/2029 are escaped for old
    JavaScript engines. ``JSON.parse`` restores every character.

    Examples
    --------
    >>> json_for_html({"label": "</script><script>alert(1)</script>"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def is_web_url(value: str) -> bool:
    """True for an absolute ``http``/``https`` URL: the only kind a view turns into a link.

    Examples
    --------
    >>> is_web_url("https://unsse.org/about/"), is_web_url("javascript:alert(1)")
    (True, False)
    """
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


# -- layout ---------------------------------------------------------------------------------


def compute_layout(G: nx.Graph, *, seed: int = 7) -> dict[Any, tuple[float, float]]:
    """Node positions for ``G``, computed once so the page needs no physics.

    Uses igraph's Fruchterman-Reingold (about 0.2 s for 2,000 nodes). The
    result is deterministic for a given ``seed``, so a view regenerated from the same data is
    the same file. Coordinates are scaled so that neighbours sit about 60 canvas units apart,
    which keeps labels at their drawn size legible when zoomed in.

    Parameters
    ----------
    G:
        Any networkx graph; direction and parallel edges are ignored.
    seed:
        Seed of the initial positions (and of igraph's random number generator).

    Returns
    -------
    dict
        ``{node: (x, y)}`` centred on the origin.
    """
    import numpy as np

    order = list(G.nodes)
    n = len(order)
    if n == 0:
        return {}
    if n == 1:
        return {order[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(order)}
    pairs = {(min(index[u], index[v]), max(index[u], index[v])) for u, v in G.edges() if u != v}
    edges = sorted(pairs)
    # igraph's own start: a square of side sqrt(n); a tighter one makes its grid slow (3 s vs 0.2 s).
    half = math.sqrt(n) / 2
    init = np.random.default_rng(seed).uniform(-half, half, size=(n, 2))
    pos = _igraph_layout(n, edges, init, seed)
    pos = pos - pos.mean(axis=0)
    radius = float(np.percentile(np.hypot(pos[:, 0], pos[:, 1]), 98)) or 1.0
    target = max(320.0, 34.0 * math.sqrt(n))
    pos = pos * (target / radius)
    return {node: (round(float(x), 2), round(float(y), 2)) for node, (x, y) in zip(order, pos, strict=True)}


def _igraph_layout(n: int, edges: list[tuple[int, int]], init: Any, seed: int) -> Any:
    import random

    import igraph as ig
    import numpy as np

    g = ig.Graph(n=n, edges=edges)
    ig.set_random_number_generator(random.Random(seed))
    try:
        coords = g.layout_fruchterman_reingold(seed=init.tolist(), niter=500).coords
    finally:
        ig.set_random_number_generator(random)
    return np.asarray(coords, dtype=float)


# -- what the page shows --------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _sources(value: Any) -> list[str]:
    return [s for s in str(value).split() if s] if value not in (None, "") else []


_DATE = re.compile(r"^\s*(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def year_of(value: Any, *, end: bool = False) -> float | None:
    """A date literal's text (``2023``, ``2023-04``, ``2023-04-18``) as a fractional year.

    ``end=True`` gives the end of the period a reduced-precision date stands for, so that a
    membership that ended "2020" still counts as active during 2020.

    Examples
    --------
    >>> year_of("2023"), year_of("2023", end=True), year_of("2023-07-02") > 2023.49
    (2023.0, 2023.999, True)
    >>> year_of("") is None
    True
    """
    m = _DATE.match(str(value or ""))
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if month is None:
        return year + (0.999 if end else 0.0)
    frac = (int(month) - 1) / 12
    if day is None:
        return round(year + frac + (0.999 / 12 if end else 0.0), 4)
    return round(year + frac + (int(day) - 1) / 366, 4)


def short_label(attrs: dict[str, Any], node: Any = "") -> str:
    """The name drawn on the canvas, by the model's label rule (:func:`ssegraph.model.choose_label`):
    the projection's ``short`` attribute, else an acronym, a symbol or a short title with its year.

    Examples
    --------
    >>> short_label({"label": "International Labour Organization", "acronym": "ILO", "type": "organisation"})
    'ILO'
    >>> short_label({"label": "Promoting the SSE", "symbol": "A/RES/77/281", "type": "milestone"})
    'A/RES/77/281'
    """
    from .model import choose_label

    if attrs.get("short"):
        return _text(attrs["short"])
    values: dict[str, list[str]] = {"skos:prefLabel": [_text(attrs.get("label") or attrs.get("name") or node)]}
    for key, prop in (("acronym", "sse:acronym"), ("symbol", "eli:id_local"), ("date", "eli:date_document"),
                      ("start", "schema:startDate")):
        if attrs.get(key) not in (None, ""):
            values[prop] = [_text(attrs[key])]
    return choose_label(values, short=True, kind=_text(attrs.get("type") or "")) or _text(node)


def _clip(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word with an ellipsis when longer than ``limit``; a year in
    brackets at the end (a milestone's short title) is kept.

    Examples
    --------
    >>> _clip("Inclusive growth through social… (2016)", 30)
    'Inclusive growth… (2016)'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    year = re.search(r" \(\d{4}\)$", text)
    if year:
        return _clip(text[: year.start()], limit - len(year.group(0))) + year.group(0)
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[: limit - 1]
    return cut.rstrip(" ,;:-\u2013\u2026.") + "\u2026"


def _style(kind: str, extra: dict[str, TypeStyle]) -> TypeStyle:
    from .model import kind as model_kind

    try:
        k = model_kind(kind)
    except SsegraphError:
        if kind not in extra:
            color = _EXTRA_COLORS[len(extra) % len(_EXTRA_COLORS)]
            name = kind or "other"
            extra[kind] = TypeStyle(name, name, color, "dot", "\u25cf")
        return extra[kind]
    return TypeStyle(k.label, k.plural, k.colour, k.shape, k.glyph)


def edge_family(attrs: dict[str, Any]) -> str:
    """The relation family key of a projected link: its ``family`` attribute, else the model's
    family of its predicate or label (:func:`ssegraph.model.family_of`)."""
    from .model import family_of

    if attrs.get("family"):
        return _text(attrs["family"])
    return family_of(_text(attrs.get("predicate") or attrs.get("label") or "")).key


def _interval(attrs: dict[str, Any], kind: str) -> tuple[float | None, float | None]:
    """When a node was active, for the period filter: a milestone on its date, an event from its
    start to its end, an organisation from its founding on; people and places always."""
    if kind == "milestone":
        return year_of(attrs.get("date")), year_of(attrs.get("date"), end=True)
    if kind == "event":
        start = year_of(attrs.get("start") or attrs.get("date"))
        return start, year_of(attrs.get("end") or attrs.get("start") or attrs.get("date"), end=True)
    return year_of(attrs.get("founded")), None


def _tell_apart(records: list[dict[str, Any]], key: str) -> None:
    """Make equal names distinct (symbol, then year, then id), in place, by the model's rule."""
    from .model import tell_apart

    labels = {r["id"]: r[key] for r in records}
    quals = {r["id"]: [r["sym"], r["_year"], r["id"]] for r in records}
    done = tell_apart(labels, quals)
    if len(set(done.values())) < len(done):  # still equal (same symbol and year): the id decides
        done = tell_apart(done, {k: [k] for k in done})
    for r in records:
        r[key] = done[r["id"]]


def _network_data(G: nx.MultiDiGraph, positions: dict[Any, tuple[float, float]], hub_labels: int | None,
                  evidence: dict[str, list[tuple[str, str]]] | None = None,
                  names: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The JSON the page reads: nodes and edges (through a pyvis Network), types, families, options."""
    from pyvis.network import Network

    from .model import RELATION_FAMILIES
    from .model import degree as model_degree

    evidence = evidence or {}
    names = names or {}
    degree = {n: int(a["degree"]) if isinstance(a.get("degree"), int) else model_degree(G, n)
              for n, a in G.nodes(data=True)}
    n_nodes = G.number_of_nodes()
    max_labels = hub_labels if hub_labels is not None else int(12 + math.sqrt(n_nodes))
    top = max(degree.values()) or 1

    def src_pairs(key: str, urls: list[str]) -> list[list[str]]:
        quotes: dict[str, list[str]] = {}
        for url, quote in evidence.get(key, ()):
            if quote and quote not in quotes.setdefault(url, []):
                quotes[url].append(quote)
        out = [[u, " \u2026 ".join(quotes.get(u, []))] for u in urls]
        for u, qs in quotes.items():
            if u not in urls:
                out.append([u, " \u2026 ".join(qs)])
        return out

    extra: dict[str, TypeStyle] = {}
    ids = {node: _text(node) for node in G.nodes}
    nodes = []
    for node, attrs in G.nodes(data=True):
        kind = _text(attrs.get("type", ""))
        style = _style(kind, extra)
        info = [["Type", style.singular]]
        for key, name in NODE_FIELDS:
            if attrs.get(key) not in (None, ""):
                info.append([name, _text(attrs[key])])
        for key in sorted(attrs):
            if key not in _NOT_SHOWN and key not in dict(NODE_FIELDS) and attrs[key] not in (None, ""):
                info.append([key, _text(attrs[key])])
        info.append(["Links", f"{degree[node]} (distinct linked entities)"])
        x, y = positions[node]
        label = _text(attrs.get("label") or attrs.get("name") or node)
        t0, t1 = _interval(attrs, kind)
        symbol = _text(attrs.get("symbol") or "")
        acronym = _text(attrs.get("acronym") or "")
        year = _DATE.match(str(attrs.get("date") or attrs.get("start") or ""))
        every = [label, acronym, symbol, *names.get(ids[node], ())]
        nodes.append({
            "id": ids[node],
            "label": label,
            "list": label,
            "short": _clip(short_label(attrs, node), DRAWN_LABEL_MAX),
            "type": kind,
            "x": x,
            "y": y,
            "value": degree[node] + 1,
            "deg": degree[node],
            "shape": style.shape,
            "px": round(13 + 4 * degree[node] / top, 1),
            "info": info,
            "sym": symbol,
            "acr": acronym,
            "names": sorted({" ".join(str(n).split()) for n in every if n}),
            "t0": t0,
            "t1": t1,
            "src": src_pairs(ids[node], _sources(attrs.get("sources"))),
            "_year": year.group(1) if year else "",
        })
    _tell_apart(nodes, "short")
    _tell_apart(nodes, "list")
    for r in nodes:
        del r["_year"]
    # Hubs last: vis-network draws in this order and a click picks the topmost node, so the
    # big nodes are drawn above their satellites and clickable where they are drawn.
    nodes.sort(key=lambda r: (r["value"], r["id"]))

    edges = []
    seen: set[str] = set()
    parallel: Counter[tuple[str, str]] = Counter()
    fam_counts: Counter[str] = Counter()
    triples = G.edges(keys=True, data=True) if G.is_multigraph() else ((u, v, 0, a) for u, v, a in G.edges(data=True))
    for i, (u, v, key, attrs) in enumerate(triples):
        eid = _text(attrs.get("id") or f"{ids[u]}|{key}|{ids[v]}")
        if eid in seen:
            eid = f"{eid}#{i}"
        seen.add(eid)
        label = _text(attrs.get("label") or attrs.get("predicate") or "")
        info = [[name, _text(attrs[k])] for k, name in EDGE_FIELDS if attrs.get(k) not in (None, "")]
        pair = (ids[u], ids[v]) if ids[u] <= ids[v] else (ids[v], ids[u])
        nth = parallel[pair]
        parallel[pair] += 1
        fam = edge_family(attrs)
        fam_counts[fam] += 1
        via = _text(attrs.get("via") or attrs.get("id") or "")
        edges.append({"id": eid, "from": ids[u], "to": ids[v], "label": label, "info": info, "k": nth,
                      "fam": fam, "role": _text(attrs.get("role") or ""),
                      "start": _text(attrs.get("start") or ""), "end": _text(attrs.get("end") or ""),
                      "t0": year_of(attrs.get("start")), "t1": year_of(attrs.get("end"), end=True),
                      "src": src_pairs(via, _sources(attrs.get("source") or attrs.get("sources")))})

    net = Network(directed=G.is_directed(), cdn_resources="in_line")
    # Bulk hand-over: Network.add_node checks membership in a list (quadratic).
    net.nodes, net.edges, net.node_ids = nodes, edges, [r["id"] for r in nodes]
    net.options = _vis_options(n_nodes, G.number_of_edges(), G.is_directed())
    nodes, edges, _heading, _height, _width, options = net.get_network_data()

    counts = Counter(r["type"] for r in nodes)
    types = []
    from .model import KINDS

    for kind, style in [*((k.key, _style(k.key, extra)) for k in KINDS), *extra.items()]:
        if counts.get(kind):
            types.append({"type": kind, "name": style.plural, "singular": style.singular, "color": style.color,
                          "shape": style.shape, "glyph": style.glyph, "count": counts[kind],
                          "weight": LABEL_WEIGHTS.get(kind, 0.8), "zoomOnly": kind in ZOOM_ONLY_LABELS})
    families = [{"key": f.key, "name": f.label, "color": f.colour, "dashes": f.key in DASHED_FAMILIES,
                 "count": fam_counts[f.key]} for f in RELATION_FAMILIES if fam_counts.get(f.key)]
    years = [y for r in nodes for y in (r["t0"], r["t1"]) if y is not None]
    years += [y for e in edges for y in (e["t0"], e["t1"]) if y is not None]
    span = [math.floor(min(years)), math.floor(max(years))] if years else None
    return {"nodes": nodes, "edges": edges, "types": types, "families": families, "options": json.loads(options),
            "maxLabels": max_labels, "years": span}


def _vis_options(n_nodes: int, n_edges: int, directed: bool) -> dict[str, Any]:
    big = n_nodes + n_edges > 3000
    font = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "interaction": {
            "hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
            "multiselect": False, "navigationButtons": False, "keyboard": {"enabled": True, "bindToWindow": False},
            "zoomSpeed": 0.8, "selectConnectedEdges": False,
        },
        "nodes": {
            "borderWidth": 1,
            "borderWidthSelected": 3,
            "font": {"size": 14, "face": font, "color": "#1a1a1a", "strokeWidth": 4, "strokeColor": "#ffffff"},
            "scaling": {"min": 6, "max": 28, "label": {"enabled": False, "drawThreshold": 8, "maxVisible": 26}},
        },
        "edges": {
            "arrows": {"to": {"enabled": directed, "scaleFactor": 0.45}},
            "color": {"color": "#a8a8a8", "highlight": "#333333", "hover": "#555555", "opacity": 0.8},
            "width": 1,
            "hoverWidth": 0.6,
            "selectionWidth": 1.5,
            "smooth": False,
            "font": {"size": 9, "face": font, "color": "#333333", "strokeWidth": 3, "strokeColor": "#ffffff",
                     "align": "middle"},
            "scaling": {"label": {"enabled": False, "drawThreshold": 6}},
        },
    }


def render_html(G: nx.MultiDiGraph, *, title: str, caption: str = "", max_nodes: int | None = DEFAULT_MAX_NODES,
                seed: int = 7, hub_labels: int | None = None,
                evidence: dict[str, list[tuple[str, str]]] | None = None,
                names: dict[str, list[str]] | None = None) -> str:
    """Render a networkx graph as a self-contained, offline HTML page.

    The page colours nodes by their ``type`` and links by their relation family (each with a
    legend whose entries show or hide it), sizes nodes by their number of distinct linked
    entities, labels the most important nodes (see ``docs/views.md``) and places the labels
    again as the zoom changes, filters by period, searches symbols, acronyms and names, keeps
    its state in the URL fragment and saves a PNG of what it shows.

    Parameters
    ----------
    G:
        A graph as :func:`ssegraph.network.project` makes it: node attributes ``label``,
        ``type`` and ``sources`` (space-separated URLs) are used, every other scalar attribute
        is shown in the panel; edges may carry ``id``, ``label``, ``predicate``, ``role``,
        ``start``, ``end`` and ``sources``. Nodes that all have numeric ``x`` and ``y`` keep
        them (a layout made elsewhere); otherwise :func:`compute_layout` places them.
    title:
        The page's heading and ``<title>``.
    caption:
        One line under the title: what is shown and from which data.
    max_nodes:
        Refuse graphs with more nodes (None: no limit), since a bigger page freezes the
        browser and shows only a hairball.
    seed:
        Layout seed; the same graph and seed give the same page.
    hub_labels:
        How many labels at most the page draws at the opening zoom (default ``12 + sqrt(n)``).
    evidence:
        ``{node or link id: [(source URL, quote), ...]}``: the quotes shown beside the sources.
    names:
        ``{node id: [name, ...]}``: more names the search matches (every language, alt labels).

    Returns
    -------
    str
        The HTML page.

    Raises
    ------
    ExportError
        For an empty graph or one larger than ``max_nodes``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("id:a", label="<b>A</b>", type="organisation")
    >>> page = render_html(G, title="Demo")
    >>> "<b>A</b>" in page, "\\\\u003cb\\\\u003eA" in page
    (False, True)
    """
    data = _checked_data(G, max_nodes=max_nodes, seed=seed, hub_labels=hub_labels, evidence=evidence, names=names)
    return _page(title, caption, data)


def _checked_data(G: nx.MultiDiGraph, *, max_nodes: int | None, seed: int, hub_labels: int | None = None,
                  evidence: dict[str, list[tuple[str, str]]] | None = None,
                  names: dict[str, list[str]] | None = None) -> dict[str, Any]:
    n = G.number_of_nodes()
    if n == 0:
        raise ExportError("nothing to show: the selection has no nodes "
                          "(check the --focus, --types or --construct selection)")
    if max_nodes is not None and n > max_nodes:
        raise ExportError(
            f"the selection has {n:,} nodes, more than the limit of {max_nodes:,} for a readable view; "
            "narrow it with --focus NAME --depth 1 or --types (focus=/types= in Python), "
            "or raise --max-nodes"
        )
    given = {node: (a.get("x"), a.get("y")) for node, a in G.nodes(data=True)}
    if all(isinstance(x, (int, float)) and isinstance(y, (int, float)) for x, y in given.values()):
        positions = {node: (float(x), float(y)) for node, (x, y) in given.items()}
    else:
        positions = compute_layout(G, seed=seed)
    return _network_data(G, positions, hub_labels, evidence, names)


# -- templates and assets -------------------------------------------------------------------


def asset_text(name: str) -> str:
    """The text of one file in ``ssegraph/assets/`` (templates, scripts, styles), LF line ends."""
    from importlib.resources import files

    try:
        return _lf((files("ssegraph") / "assets" / name).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ExportError(f"the page asset {name} is missing from the installed package: {exc}") from None


@functools.cache
def _templates() -> Any:
    """The Jinja2 environment of the page templates, with autoescaping on for every value."""
    from jinja2 import Environment, FunctionLoader

    return Environment(loader=FunctionLoader(asset_text), autoescape=True, keep_trailing_newline=True)


def render_page(template: str, *, scripts: list[str], styles: list[str], data_id: str, data: Any,
                **context: Any) -> str:
    """Fill a page template: inline scripts and styles, the data as JSON, a CSP that admits
    exactly these scripts (by hash) and no network access. Every other value is escaped."""
    from markupsafe import Markup

    scripts = [_lf(s) for s in scripts]
    csp = (
        "default-src 'none'; "
        f"script-src {' '.join(_csp_hash(s) for s in scripts)}; "
        "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; "
        "base-uri 'none'; form-action 'none'; connect-src 'none'; frame-src 'none'"
    )
    return _templates().get_template(template).render(
        csp=csp,
        styles=[Markup(s) for s in styles],  # noqa: S704 -- our own asset files, checked not to close <style>
        scripts=[Markup(s) for s in scripts],  # noqa: S704 -- vis-network and our own asset files
        data_id=data_id,
        data=Markup(json_for_html(data)),  # noqa: S704 -- JSON with <, > and & escaped
        **context,
    )


def _page(title: str, caption: str, data: dict[str, Any]) -> str:
    js, css = vis_assets()
    n_nodes, n_edges = len(data["nodes"]), len(data["edges"])
    return render_page(
        "view.html",
        scripts=[js, asset_text("common.js"), asset_text("view.js")],
        styles=[css, asset_text("common.css"), asset_text("view.css")],
        data_id="ssegraph-data",
        data=data,
        title=title,
        caption=caption,
        summary=f"{n_nodes:,} nodes and {n_edges:,} links",
    )


# -- a figure of the same layout ------------------------------------------------------------


def require_matplotlib(kind: str) -> None:
    """Raise a one-line ExportError when matplotlib (the ``plot`` extra) is missing: the PNG/SVG
    figures of views and timelines need it, their HTML pages do not."""
    try:
        import matplotlib.figure  # noqa: F401
    except ImportError:
        raise ExportError(f"a PNG or SVG {kind} needs matplotlib: pip install 'ssegraph[plot]' "
                          "(or write .html, which needs nothing)") from None


def plot_network(data: dict[str, Any], *, title: str = "", caption: str = "") -> Figure:
    """The view as a matplotlib Figure (PNG/SVG for papers): the same positions, colours, shapes,
    link colours and the labels of the most important nodes.

    Raises
    ------
    ExportError
        If matplotlib is not installed (``pip install 'ssegraph[plot]'``).
    """
    require_matplotlib("view")
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    markers = {"dot": "o", "triangle": "^", "square": "s", "diamond": "D", "triangleDown": "v", "star": "*"}
    colors = {t["type"]: t["color"] for t in data["types"]}
    weights = {t["type"]: (0.0 if t["zoomOnly"] else t["weight"]) for t in data["types"]}
    fam_color = {f["key"]: f["color"] for f in data["families"]}
    pos = {r["id"]: (r["x"], -r["y"]) for r in data["nodes"]}
    fig = Figure(figsize=(11, 8.5), layout="constrained")
    ax = fig.add_subplot()
    for e in data["edges"]:
        (x1, y1), (x2, y2) = pos[e["from"]], pos[e["to"]]
        ax.plot([x1, x2], [y1, y2], color=fam_color.get(e["fam"], "#aaaaaa"), lw=0.5, alpha=0.45, zorder=1)
    for r in data["nodes"]:  # already smallest first: hubs on top
        ax.scatter([pos[r["id"]][0]], [pos[r["id"]][1]], s=12 + 6 * r["value"] ** 0.9,
                   marker=markers.get(r["shape"], "o"), c=colors.get(r["type"], "#7f7f7f"),
                   edgecolors="white", linewidths=0.5, zorder=2)
    ranked = sorted(data["nodes"], key=lambda r: -r["deg"] * weights.get(r["type"], 0.8))
    boxes: list[tuple[float, float, float, float]] = []
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    w_units = (max(xs) - min(xs) or 1) / 110  # about one character's width
    h_units = (max(ys) - min(ys) or 1) / 60
    for r in ranked:
        if len(boxes) >= data["maxLabels"] or weights.get(r["type"], 0.8) == 0 or r["deg"] == 0:
            continue
        x, y = pos[r["id"]]
        box = (x - len(r["short"]) * w_units / 2, x + len(r["short"]) * w_units / 2, y, y + 1.6 * h_units)
        if any(b[0] < box[1] and box[0] < b[1] and b[2] < box[3] and box[2] < b[3] for b in boxes):
            continue
        boxes.append(box)
        ax.text(x, y + 0.5 * h_units, r["short"], ha="center", va="bottom", fontsize=7, parse_math=False, zorder=3,
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7})
    ax.set_aspect("equal", adjustable="datalim")
    ax.axis("off")
    handles = [Line2D([], [], marker=markers.get(t["shape"], "o"), ls="", color=t["color"], label=t["name"])
               for t in data["types"]]
    handles += [Line2D([], [], color=f["color"], lw=1.5, label=f["name"]) for f in data["families"]]
    fig.legend(handles=handles, fontsize=7, loc="outside lower center", ncol=min(6, len(handles)), frameon=False)
    if title:
        fig.suptitle(title, fontsize=11, x=0.01, ha="left", parse_math=False)
    if caption:
        ax.set_title(caption, fontsize=7, loc="left", color="#555555", parse_math=False, wrap=True)
    return fig


def figure_bytes(fig: Figure, fmt: str, dpi: int = 200) -> bytes:
    """``fig`` as PNG or SVG bytes, with no date or software stamp (the same data, the same file)."""
    import io

    buf = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    fig.savefig(buf, format=fmt, dpi=dpi, metadata=metadata)
    return buf.getvalue()


def write_bytes(target: Path, payload: bytes) -> None:
    """Write ``payload`` to ``target`` atomically, with one-line errors."""
    if target.is_dir():
        raise ExportError(f"{target}: is a folder; give a file name")
    try:
        with atomic_write(target, "wb") as fh:
            fh.write(payload)
    except OSError as exc:
        raise ExportError(f"{target}: cannot write: {exc.strerror or exc}") from None


# -- the graph's own evidence and names -----------------------------------------------------

_Q_EVIDENCE = """
SELECT DISTINCT ?s ?url ?quote WHERE {
  ?s prov:wasDerivedFrom|prov:hadPrimarySource ?src .
  ?src schema:url ?url .
  OPTIONAL { ?src sse:quote ?quote }
}"""

_Q_NAMES = """
SELECT DISTINCT ?s ?v WHERE {
  VALUES ?p { skos:prefLabel skos:altLabel sse:acronym rdfs:label dcterms:title schema:name foaf:name
              eli:id_local schema:alternateName dcterms:alternative }
  ?s ?p ?v .
  FILTER(isLiteral(?v))
}"""


def graph_evidence(kg: KnowledgeGraph, G: nx.MultiDiGraph) -> tuple[dict[str, list[tuple[str, str]]],
                                                                     dict[str, list[str]]]:
    """The quotes behind each node's and link's sources, and every name of each node in every
    language, for the nodes and links of ``G`` (keyed by their ids in ``G``)."""
    from .namespaces import compact

    wanted = {str(n) for n in G.nodes}
    wanted |= {str(a.get("via") or "") for *_, a in G.edges(data=True)} - {""}
    evidence: dict[str, list[tuple[str, str]]] = {}
    names: dict[str, list[str]] = {}
    try:
        for row in kg.query(_Q_EVIDENCE).terms():
            key = compact(row["s"].value)
            if key in wanted:
                quote = row.get("quote")
                evidence.setdefault(key, []).append((row["url"].value, quote.value if quote is not None else ""))
        for row in kg.query(_Q_NAMES).terms():
            key = compact(row["s"].value)
            if key in wanted:
                names.setdefault(key, []).append(row["v"].value)
    except SsegraphError as exc:  # a remote endpoint that cannot answer: the view still works
        log.warning("no quotes or alternative names for the view: %s", exc)
    for v in evidence.values():
        v.sort()
    for k in names:
        names[k] = sorted(set(names[k]))
    return evidence, names


# -- the result object ----------------------------------------------------------------------


class HtmlView:
    """An HTML view: its text, a way to save it, and inline display in Jupyter.

    ``_repr_html_`` wraps the page in an ``<iframe srcdoc="…">`` (sandboxed: scripts may run
    but cannot reach the notebook), which JupyterLab, Notebook 7 and VS Code display without
    a server or a network connection.

    Attributes
    ----------
    html:
        The complete page.
    title:
        Its title.
    nodes, edges:
        How many nodes and links (or items and relations, for a timeline) it shows.
    path:
        Where it was last saved, if anywhere.
    """

    kind = "view"
    suffixes: tuple[str, ...] = HTML_SUFFIXES
    #: Resolution of a PNG figure (views whose ``suffixes`` admit .png/.svg define ``figure()``).
    dpi = 200

    def __init__(self, html: str, *, title: str = "", nodes: int = 0, edges: int = 0):
        self.html, self.title, self.nodes, self.edges = html, title, nodes, edges
        self.path: Path | None = None

    def __repr__(self) -> str:
        where = f" saved to {self.path}" if self.path else ""
        return f"<{type(self).__name__} {self.title!r}: {self.nodes} nodes, {self.edges} links{where}>"

    def figure(self) -> Figure:
        """The matplotlib Figure of this view (for the PNG/SVG suffixes a subclass admits)."""
        raise ExportError(f"a {self.kind} has no figure")

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write ``.html`` (the page, UTF-8) or, where admitted, ``.png``/``.svg`` (a figure of the
        same layout), atomically, and return the path.

        Raises
        ------
        ExportError
            An unknown suffix, matplotlib missing for PNG/SVG, or an unwritable path.
        """
        target = _check_suffix(path, self.suffixes, self.kind)
        suffix = target.suffix.lower()
        if suffix in HTML_SUFFIXES:
            _write_text(target, self.html)
        else:
            write_bytes(target, figure_bytes(self.figure(), suffix[1:], dpi=self.dpi))
        self.path = target
        return target

    def _repr_html_(self) -> str:
        doc = html.escape(self.html, quote=True)
        label = html.escape(self.title, quote=True)
        return (f'<iframe srcdoc="{doc}" title="{label}" style="width:100%;height:640px;border:1px solid #ddd" '
                'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
                'referrerpolicy="no-referrer"></iframe>')


def _check_suffix(path: str | os.PathLike[str], suffixes: tuple[str, ...], kind: str) -> Path:
    target = Path(path)
    if target.suffix.lower() not in suffixes:
        names = ", ".join(suffixes)
        raise ExportError(f"{target}: a {kind} is written as {names}; give a file name ending in one of them")
    return target


def check_target(path: str | os.PathLike[str], suffixes: tuple[str, ...], kind: str) -> Path:
    """Fail early, before any work, on a bad name, a missing folder or a folder in the way.

    Raises
    ------
    ExportError
        One line naming the path and the problem.
    """
    target = _check_suffix(path, suffixes, kind)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"{target}: folder {folder} does not exist")
    if target.is_dir():
        raise ExportError(f"{target}: is a folder; give a file name")
    if not os.access(folder, os.W_OK):
        raise ExportError(f"{target}: cannot write in {folder}: permission denied")
    return target


def _write_text(target: Path, text: str) -> None:
    if target.is_dir():
        raise ExportError(f"{target}: is a folder; give a file name")
    try:
        with atomic_write(target, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise ExportError(f"{target}: cannot write: {exc.strerror or exc}") from None


def generate_html(G: nx.MultiDiGraph, *, title: str = "Network", caption: str = "", **options: Any) -> str:
    """The page for ``G`` as text (the ``generate_X`` of this format); see :func:`render_html`."""
    return render_html(G, title=title, caption=caption, **options)


class NetworkView(HtmlView):
    """A network view: the page for the browser and Jupyter, and the same layout as a figure.

    ``save("v.html")`` writes the page; ``save("v.png")``/``save("v.svg")`` draws the same
    positions, colours and most important labels with :func:`plot_network` (matplotlib).
    """

    suffixes = VIEW_SUFFIXES

    def __init__(self, html_text: str, data: dict[str, Any], *, title: str = "", caption: str = ""):
        super().__init__(html_text, title=title, nodes=len(data["nodes"]), edges=len(data["edges"]))
        self.data, self.caption = data, caption

    def figure(self) -> Figure:
        """The matplotlib Figure of this view (see :func:`plot_network`)."""
        return plot_network(self.data, title=self.title, caption=self.caption)


def _network_view(G: nx.MultiDiGraph, *, title: str, caption: str, max_nodes: int | None = DEFAULT_MAX_NODES,
                  seed: int = 7, hub_labels: int | None = None,
                  evidence: dict[str, list[tuple[str, str]]] | None = None,
                  names: dict[str, list[str]] | None = None) -> NetworkView:
    data = _checked_data(G, max_nodes=max_nodes, seed=seed, hub_labels=hub_labels, evidence=evidence, names=names)
    return NetworkView(_page(title, caption, data), data, title=title, caption=caption)


def write_html(G: nx.MultiDiGraph, path: str | os.PathLike[str], *, title: str = "Network", caption: str = "",
               **options: Any) -> NetworkView:
    """Render ``G`` (see :func:`render_html`) and save it to ``path`` (``.html``, ``.png`` or ``.svg``).

    Raises
    ------
    ExportError
        Empty or too large a graph, an unknown suffix, or an unwritable path.
    """
    check_target(path, VIEW_SUFFIXES, "view")
    result = _network_view(G, title=title, caption=caption, **options)
    result.save(path)
    return result


def view(kg: KnowledgeGraph, path: str | os.PathLike[str] | None = None, *, max_nodes: int | None = DEFAULT_MAX_NODES,
         title: str | None = None, seed: int = 7, **selection: Any) -> NetworkView:
    """An interactive offline network view of (a selection of) the knowledge graph.

    The Python twin of ``ssegraph view``. The graph is projected with
    :meth:`KnowledgeGraph.to_networkx` and rendered by :func:`render_html`.

    Parameters
    ----------
    kg:
        The knowledge graph.
    path:
        Save it there too: ``.html`` (the page), or ``.png``/``.svg`` (a figure of the same
        layout; needs matplotlib, the ``plot`` extra).
    max_nodes:
        Refuse a selection with more nodes than this (None: no limit).
    title:
        The heading; default: "SSE knowledge graph", or the ego network's name with ``focus``.
    seed:
        Layout seed.
    **selection:
        ``types``, ``focus``, ``depth``, ``construct``, ``lang``: what to show, as for
        :meth:`KnowledgeGraph.to_networkx`.

    Returns
    -------
    NetworkView
        Displays inline in Jupyter; ``.save(path)`` writes it; ``.figure()`` for matplotlib.

    Raises
    ------
    ExportError
        Empty selection, too many nodes, or an unwritable path.
    NotFoundError
        ``focus`` names no entity.

    Examples
    --------
    >>> import ssegraph
    >>> v = ssegraph.load().view(focus="UNTFSSE", depth=1)  # doctest: +SKIP
    >>> v.save("untfsse.html")  # doctest: +SKIP
    """
    if path is not None:
        check_target(path, VIEW_SUFFIXES, "view")
    G = kg.to_networkx(**selection)
    if G.number_of_nodes() == 0:
        raise ExportError("nothing to show: the selection has no nodes "
                          f"({_selection_text(kg, G, selection) or 'the graph is empty'})")
    heading = title or _default_title(kg, G, selection)
    caption = _caption(kg, G, selection)
    if max_nodes is None or G.number_of_nodes() <= max_nodes:
        evidence, names = graph_evidence(kg, G)
    else:  # refused below, before any more work
        evidence, names = {}, {}
    result = _network_view(G, title=heading, caption=caption, max_nodes=max_nodes, seed=seed, evidence=evidence,
                           names=names)
    if path is not None:
        result.save(path)
    return result


def _focus_node(kg: KnowledgeGraph, G: nx.MultiDiGraph, focus: str | None) -> Any:
    if not focus:
        return None
    from .namespaces import compact

    try:
        iri = kg.resolve(focus).value
    except SsegraphError:  # the projection has already reported a bad focus
        return None
    for candidate in (compact(iri), iri):
        if candidate in G:
            return candidate
    return None


def _default_title(kg: KnowledgeGraph, G: nx.MultiDiGraph, selection: dict[str, Any]) -> str:
    node = _focus_node(kg, G, selection.get("focus"))
    if node is not None:
        return f"{G.nodes[node].get('label') or node}: ego network"
    return "SSE knowledge graph"


def _selection_text(kg: KnowledgeGraph, G: nx.MultiDiGraph, selection: dict[str, Any]) -> str:
    parts = []
    focus = selection.get("focus")
    if focus:
        node = _focus_node(kg, G, focus)
        name = G.nodes[node].get("label") if node is not None else focus
        depth = selection.get("depth", 1)
        parts.append(f"the entities within {depth} step{'' if depth == 1 else 's'} of {name}")
    types = selection.get("types")
    if types:
        parts.append("types: " + ", ".join(types))
    if selection.get("construct"):
        parts.append("selected by a CONSTRUCT query")
    return "; ".join(parts)


def describe_data(kg: KnowledgeGraph) -> str:
    """Where the graph's data comes from, in a few words, for captions."""
    if getattr(kg, "endpoint", None):
        return f"the SPARQL endpoint {kg.endpoint}"
    files = [Path(f) for f in getattr(kg, "files", ())]
    if not files:
        return "an in-memory graph"
    from .store import package_root

    root = package_root().resolve()
    data_dir, onto_dir = root / "data", root / "ontology"
    resolved = [f.resolve() for f in files]
    own = [f for f in resolved if onto_dir not in f.parents]
    if all(data_dir in f.parents for f in own):
        return "the bundled ssegraph data"
    names = [f.name for f in own]
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more files" if len(names) > 3 else "")
    return shown + (" with the ssegraph ontology" if len(own) < len(resolved) else "")


def _caption(kg: KnowledgeGraph, G: nx.MultiDiGraph, selection: dict[str, Any]) -> str:
    counts = Counter(str(a.get("type", "")) for _, a in G.nodes(data=True))
    extra: dict[str, TypeStyle] = {}
    kinds = ", ".join(f"{c:,} {_style(k, extra).plural.lower()}" for k, c in
                      sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    what = f"{G.number_of_nodes():,} nodes ({kinds}) and {G.number_of_edges():,} links"
    chosen = _selection_text(kg, G, selection)
    return f"{what}{'; ' + chosen if chosen else ''}; from {describe_data(kg)}."
