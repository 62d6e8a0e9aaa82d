"""Offline, safe and legible HTML network views (vis-network through pyvis).

A view is one self-contained HTML file: the vis-network script and style that the installed
pyvis package ships are inlined, nothing is fetched from a CDN and no ``lib/`` folder is
written anywhere. pyvis's own page template is not used, because it always links bootstrap
from a CDN, does not escape the heading and inserts every node title as raw HTML as soon as
one of them contains ``href`` (DESIGN.md §3). Instead pyvis's :class:`~pyvis.network.Network`
holds the nodes, edges and options, handed to it in bulk (its ``add_node`` is quadratic), and
this module writes the page around them.

Safety rests on three rules, so that text hiding in the data never runs:

* data reaches the page only as JSON inside ``<script type="application/json">``, with ``<``,
  ``>`` and ``&`` escaped, so that no value can close the element;
* the page's script builds tooltips and panels with ``textContent`` (never ``innerHTML``) and
  makes links only of ``http(s)`` URLs;
* a Content-Security-Policy admits exactly the page's own inline scripts (by hash) and no
  network access at all, so even a mistake in the first two rules could not run an injected
  handler or load anything.

The layout is computed here, once (igraph's Fruchterman-Reingold when igraph is installed,
else a small numpy one), and handed over with physics off: the page is still when it opens,
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

    from .graph import KnowledgeGraph

__all__ = [
    "DEFAULT_MAX_NODES",
    "TYPE_STYLES",
    "HtmlView",
    "TypeStyle",
    "compute_layout",
    "generate_html",
    "render_html",
    "view",
    "write_html",
]

log = logging.getLogger(__name__)

#: The node limit of :func:`view`: beyond it a page gets slow to draw and unreadable anyway.
DEFAULT_MAX_NODES = 2000

HTML_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True)
class TypeStyle:
    """How one entity type is drawn: a colour and a shape, so types differ without colour."""

    singular: str
    plural: str
    color: str
    shape: str
    glyph: str


#: Okabe-Ito colours (safe for the common colour-vision deficiencies), each with its own shape.
TYPE_STYLES: dict[str, TypeStyle] = {
    "organisation": TypeStyle("Organisation", "Organisations", "#0072B2", "dot", "\u25cf"),
    "person": TypeStyle("Person", "People", "#CC79A7", "triangle", "\u25b2"),
    "milestone": TypeStyle("Policy milestone", "Policy milestones", "#D55E00", "square", "\u25a0"),
    "event": TypeStyle("Event", "Events", "#009E73", "diamond", "\u25c6"),
    "place": TypeStyle("Place", "Places", "#E69F00", "triangleDown", "\u25bc"),
}
_EXTRA_COLORS = ("#7F7F7F", "#56B4E9", "#8C6D31", "#000000", "#A6CEE3")

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
_NOT_SHOWN = {"label", "type", "sources", "source", "name", "x", "y", "id", "size", "title"}

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

    Uses igraph's Fruchterman-Reingold when igraph is installed (about 0.2 s for 2,000 nodes),
    else a numpy implementation of the same algorithm (about 1 s at 2,000 nodes). The
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
    try:
        pos = _igraph_layout(n, edges, init, seed)
    except ImportError:
        log.info("igraph is not installed; using the slower numpy layout")
        pos = _numpy_layout(n, edges, init)
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


def _numpy_layout(n: int, edges: list[tuple[int, int]], pos: Any, iterations: int = 60) -> Any:
    """Fruchterman-Reingold in numpy (as networkx's dense variant), in row blocks to bound memory."""
    import numpy as np

    pos = pos / (math.sqrt(n) / 2)
    k = math.sqrt(4.0 / n)
    src = np.array([e[0] for e in edges], dtype=int)
    dst = np.array([e[1] for e in edges], dtype=int)
    t = 0.2
    dt = t / (iterations + 1)
    block = max(1, min(n, 2_000_000 // max(n, 1)))
    for _ in range(iterations):
        disp = np.zeros_like(pos)
        x, y = pos[:, 0].astype(np.float32), pos[:, 1].astype(np.float32)
        for start in range(0, n, block):
            dx = x[start:start + block, None] - x[None, :]
            dy = y[start:start + block, None] - y[None, :]
            force = dx * dx
            force += dy * dy
            np.maximum(force, 1e-6, out=force)
            np.divide(k * k, force, out=force)
            disp[start:start + block, 0] = (dx * force).sum(axis=1)
            disp[start:start + block, 1] = (dy * force).sum(axis=1)
        if len(src):
            delta = pos[src] - pos[dst]
            dist = np.maximum(np.hypot(delta[:, 0], delta[:, 1]), 1e-3)
            pull = delta * (dist / k)[:, None]
            np.subtract.at(disp, src, pull)
            np.add.at(disp, dst, pull)
        disp -= pos * 0.05 * (k * k)  # a little gravity keeps components together
        length = np.maximum(np.hypot(disp[:, 0], disp[:, 1]), 1e-9)
        pos += disp * (np.minimum(length, t) / length)[:, None]
        t -= dt
    return pos


# -- the page -------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _sources(value: Any) -> list[str]:
    return [s for s in str(value).split() if s] if value not in (None, "") else []


def _drawn_label(label: str, acronym: str, limit: int = 38) -> str:
    """The label drawn on the canvas: a long name gives way to its acronym, else is clipped.

    The full name stays in the tooltip, the details panel and the search.

    Examples
    --------
    >>> _drawn_label("UN Inter-Agency Task Force on Social and Solidarity Economy", "UNTFSSE")
    'UNTFSSE'
    >>> _drawn_label("First report of the UN Secretary-General on promoting the SSE", "")
    'First report of the UN Secretary-Gene…'
    """
    label = " ".join(label.split())
    if len(label) <= limit:
        return label
    if acronym and len(acronym) < len(label):
        return acronym
    return label[: limit - 1].rstrip() + "\u2026"


def _style(kind: str, extra: dict[str, TypeStyle]) -> TypeStyle:
    if kind in TYPE_STYLES:
        return TYPE_STYLES[kind]
    if kind not in extra:
        color = _EXTRA_COLORS[len(extra) % len(_EXTRA_COLORS)]
        name = kind or "other"
        extra[kind] = TypeStyle(name, name, color, "dot", "\u25cf")
    return extra[kind]


def _network_data(G: nx.MultiDiGraph, positions: dict[Any, tuple[float, float]],
                  hub_labels: int | None) -> dict[str, Any]:
    """The JSON the page reads: nodes and edges (through a pyvis Network), types, options."""
    from pyvis.network import Network

    if G.is_directed():
        neighbours = {n: set(G.predecessors(n)) | set(G.successors(n)) for n in G.nodes}
    else:
        neighbours = {n: set(G.neighbors(n)) for n in G.nodes}
    degree = {n: len(nb - {n}) for n, nb in neighbours.items()}
    n_nodes = G.number_of_nodes()
    max_labels = hub_labels if hub_labels is not None else int(12 + math.sqrt(n_nodes))
    ranked = sorted(G.nodes, key=lambda n: (-degree[n], str(G.nodes[n].get("label", n))))
    # Candidates for a label at the opening zoom; the page keeps the first max_labels that do not overlap.
    rank = {n: i for i, n in enumerate(ranked[:4 * max_labels])}
    top = max(degree.values()) or 1

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
        info.append(["Links", str(degree[node])])
        x, y = positions[node]
        label = _text(attrs.get("label") or attrs.get("name") or node)
        record = {
            "id": ids[node],
            "label": label,
            "short": _drawn_label(label, _text(attrs.get("acronym") or "")),
            "type": kind,
            "x": x,
            "y": y,
            "value": degree[node] + 1,
            "shape": style.shape,
            "rank": rank.get(node, -1),
            "px": round(13 + 4 * degree[node] / top, 1),
            "info": info,
            "sources": _sources(attrs.get("sources")),
        }
        nodes.append(record)

    edges = []
    seen: set[str] = set()
    parallel: Counter[tuple[str, str]] = Counter()
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
        edges.append({"id": eid, "from": ids[u], "to": ids[v], "label": label, "info": info, "k": nth,
                      "sources": _sources(attrs.get("source") or attrs.get("sources"))})

    net = Network(directed=G.is_directed(), cdn_resources="in_line")
    # Bulk hand-over: Network.add_node checks membership in a list (quadratic).
    net.nodes, net.edges, net.node_ids = nodes, edges, [r["id"] for r in nodes]
    net.options = _vis_options(n_nodes, G.number_of_edges(), G.is_directed())
    nodes, edges, _heading, _height, _width, options = net.get_network_data()

    counts = Counter(r["type"] for r in nodes)
    types = []
    for kind, style in [*TYPE_STYLES.items(), *extra.items()]:
        if counts.get(kind):
            types.append({"type": kind, "name": style.plural, "color": style.color, "shape": style.shape,
                          "glyph": style.glyph, "count": counts[kind]})
    return {"nodes": nodes, "edges": edges, "types": types, "options": json.loads(options),
            "maxLabels": max_labels}


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
            "zoomSpeed": 0.8,
        },
        "nodes": {
            "borderWidth": 1,
            "borderWidthSelected": 3,
            "font": {"size": 14, "face": font, "color": "#1a1a1a", "strokeWidth": 4, "strokeColor": "#ffffff"},
            "scaling": {"min": 6, "max": 28, "label": {"enabled": False, "drawThreshold": 8, "maxVisible": 26}},
            "widthConstraint": {"maximum": 170},
        },
        "edges": {
            "arrows": {"to": {"enabled": directed, "scaleFactor": 0.45}},
            "color": {"color": "#a8a8a8", "highlight": "#333333", "hover": "#555555", "opacity": 0.75},
            "width": 1,
            "hoverWidth": 0.6,
            "selectionWidth": 1.5,
            "smooth": False,
            "font": {"size": 9, "face": font, "color": "#444444", "strokeWidth": 3, "strokeColor": "#ffffff",
                     "align": "middle"},
            "scaling": {"label": {"enabled": False, "drawThreshold": 9}},
        },
    }


def render_html(G: nx.MultiDiGraph, *, title: str, caption: str = "", max_nodes: int | None = DEFAULT_MAX_NODES,
                seed: int = 7, hub_labels: int | None = None) -> str:
    """Render a networkx graph as a self-contained, offline HTML page.

    The page colours nodes by their ``type`` (with a legend that also shows or hides each
    type), sizes them by degree, draws the labels of the most connected nodes and the others
    on zoom or hover, shows tooltips with the node's attributes and its ``sources`` (links
    only for ``http(s)`` URLs), finds and centres a node from its search box and highlights
    the neighbourhood of the node clicked.

    Parameters
    ----------
    G:
        A graph as :func:`ssegraph.network.project` makes it: node attributes ``label``,
        ``type`` and ``sources`` (space-separated URLs) are used, every other scalar attribute
        is shown in the tooltip; edges may carry ``id``, ``label``, ``role``, ``start``,
        ``end`` and ``source``. Nodes that all have numeric ``x`` and ``y`` keep them (a layout
        made elsewhere); otherwise :func:`compute_layout` places them.
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
        How many of the most connected nodes have their label drawn at the default zoom
        (default ``10 + sqrt(n)``).

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
    data = _network_data(G, positions, hub_labels)
    return _page(title, caption, data)


def _page(title: str, caption: str, data: dict[str, Any]) -> str:
    js, css = vis_assets()
    scripts = (js, _APP_JS)
    csp = (
        "default-src 'none'; "
        f"script-src {' '.join(_csp_hash(s) for s in scripts)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "base-uri 'none'; form-action 'none'; connect-src 'none'; frame-src 'none'"
    )
    n_nodes, n_edges = len(data["nodes"]), len(data["edges"])
    summary = f"{n_nodes:,} nodes and {n_edges:,} links"
    return _PAGE.format(
        csp=html.escape(csp, quote=True),
        title=html.escape(title),
        caption=html.escape(caption),
        summary=html.escape(summary),
        vis_css=css,
        app_css=_APP_CSS,
        data=json_for_html(data),
        vis_js=js,
        app_js=_APP_JS,
    )


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

    def __init__(self, html: str, *, title: str = "", nodes: int = 0, edges: int = 0):
        self.html, self.title, self.nodes, self.edges = html, title, nodes, edges
        self.path: Path | None = None

    def __repr__(self) -> str:
        where = f" saved to {self.path}" if self.path else ""
        return f"<{type(self).__name__} {self.title!r}: {self.nodes} nodes, {self.edges} links{where}>"

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to ``path`` (UTF-8, atomically) and return the path.

        Raises
        ------
        ExportError
            If the name does not end in ``.html``, or the file cannot be written.
        """
        target = _check_suffix(path, self.suffixes, self.kind)
        _write_text(target, self.html)
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


def write_html(G: nx.MultiDiGraph, path: str | os.PathLike[str], *, title: str = "Network", caption: str = "",
               **options: Any) -> HtmlView:
    """Render ``G`` (see :func:`render_html`) and save the page to ``path``.

    Raises
    ------
    ExportError
        Empty or too large a graph, a name not ending in ``.html``, or an unwritable path.
    """
    check_target(path, HTML_SUFFIXES, "view")
    page = render_html(G, title=title, caption=caption, **options)
    result = HtmlView(page, title=title, nodes=G.number_of_nodes(), edges=G.number_of_edges())
    result.save(path)
    return result


def view(kg: KnowledgeGraph, path: str | os.PathLike[str] | None = None, *, max_nodes: int | None = DEFAULT_MAX_NODES,
         title: str | None = None, seed: int = 7, **selection: Any) -> HtmlView:
    """An interactive offline network view of (a selection of) the knowledge graph.

    The Python twin of ``ssegraph view``. The graph is projected with
    :meth:`KnowledgeGraph.to_networkx` and rendered by :func:`render_html`.

    Parameters
    ----------
    kg:
        The knowledge graph.
    path:
        Save the page there too (``.html``).
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
    HtmlView
        Displays inline in Jupyter; ``.save(path)`` writes it.

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
        check_target(path, HTML_SUFFIXES, "view")
    G = kg.to_networkx(**selection)
    if G.number_of_nodes() == 0:
        raise ExportError("nothing to show: the selection has no nodes "
                          f"({_selection_text(kg, G, selection) or 'the graph is empty'})")
    heading = title or _default_title(kg, G, selection)
    caption = _caption(kg, G, selection)
    page = render_html(G, title=heading, caption=caption, max_nodes=max_nodes, seed=seed)
    result = HtmlView(page, title=heading, nodes=G.number_of_nodes(), edges=G.number_of_edges())
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


# -- page template --------------------------------------------------------------------------

_APP_CSS = """
*{box-sizing:border-box}
html,body{margin:0;height:100%;color:#1a1a1a;background:#fff;
  font:14px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}
body{display:flex;flex-direction:column}
header{padding:8px 14px 6px;border-bottom:1px solid #e2e2e2}
header h1{font-size:18px;margin:0 0 2px;font-weight:600}
header p{margin:0;color:#555;font-size:13px}
#main{position:relative;flex:1;min-height:320px}
#network{position:absolute;inset:0}
.panel{position:absolute;background:rgba(255,255,255,.94);border:1px solid #d8d8d8;border-radius:6px;
  box-shadow:0 1px 4px rgba(0,0,0,.08);padding:8px 10px;z-index:5}
#controls{top:10px;left:10px;width:250px}
#controls form{display:flex;gap:4px;margin:0 0 8px}
#controls input[type=search]{flex:1;min-width:0;padding:4px 6px;border:1px solid #bbb;border-radius:4px;font:inherit}
#controls button{padding:3px 8px;border:1px solid #bbb;border-radius:4px;background:#f6f6f6;font:inherit;cursor:pointer}
#status{font-size:12px;color:#555;min-height:1.2em;margin-bottom:4px}
#legend{list-style:none;margin:0;padding:0}
#legend li label{display:flex;align-items:center;gap:6px;padding:1px 0;cursor:pointer}
#legend .glyph{font-size:16px;width:18px;text-align:center}
#legend .count{margin-left:auto;color:#666;font-variant-numeric:tabular-nums}
.hint{font-size:11px;color:#777;margin-top:6px}
#details{top:10px;right:10px;width:300px;max-height:calc(100% - 20px);overflow:auto;display:none}
#details .close{float:right;border:0;background:none;font-size:16px;cursor:pointer;color:#666}
.tip{max-width:320px;font-size:13px;overflow-wrap:anywhere}
.tip-title{font-weight:600;font-size:14px;margin-bottom:2px}
.tip dl{display:grid;grid-template-columns:auto 1fr;gap:1px 8px;margin:4px 0}
.tip dt{color:#666}.tip dd{margin:0}
.tip ul{margin:2px 0 0;padding-left:16px}
.tip-key{color:#666}
.linkish{border:0;background:none;padding:0;color:#0b5cad;cursor:pointer;font:inherit;text-align:left}
.linkish:hover{text-decoration:underline}
.tip ul.links{list-style:none;padding-left:0}
.rel{color:#666}
div.vis-tooltip{font:13px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;background:#fffff4;
  border:1px solid #ccc;border-radius:4px;padding:6px 8px;white-space:normal;max-width:340px;
  box-shadow:0 1px 4px rgba(0,0,0,.15)}
noscript{padding:20px;display:block}
"""

_APP_JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("ssegraph-data").textContent);
  var LABEL_PX = 14;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function safeUrl(u) {
    if (typeof u !== "string" || !/^https?:\/\//i.test(u)) { return null; }
    try {
      var p = new URL(u);
      return (p.protocol === "http:" || p.protocol === "https:") ? p.href : null;
    } catch (e) { return null; }
  }
  function shortUrl(u) {
    var s = u.replace(/^https?:\/\//i, "");
    return s.length > 60 ? s.slice(0, 57) + "\u2026" : s;
  }
  function card(title, subtitle, info, sources) {
    var box = el("div", "tip");
    box.appendChild(el("div", "tip-title", title));
    if (subtitle) { box.appendChild(el("div", "tip-key", subtitle)); }
    if (info && info.length) {
      var dl = el("dl");
      info.forEach(function (kv) { dl.appendChild(el("dt", null, kv[0])); dl.appendChild(el("dd", null, kv[1])); });
      box.appendChild(dl);
    }
    if (sources && sources.length) {
      box.appendChild(el("div", "tip-key", sources.length > 1 ? "Sources" : "Source"));
      var ul = el("ul");
      sources.forEach(function (u) {
        var li = el("li"), href = safeUrl(u);
        if (href) {
          var a = el("a", null, shortUrl(u));
          a.href = href; a.target = "_blank"; a.rel = "noopener noreferrer";
          li.appendChild(a);
        } else { li.textContent = u; }
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    return box;
  }

  var typeInfo = {}, visible = {};
  data.types.forEach(function (t) { typeInfo[t.type] = t; visible[t.type] = true; });
  var byId = {};
  var nodeRecords = data.nodes.map(function (r) {
    byId[r.id] = r;
    var t = typeInfo[r.type] || {color: "#7f7f7f"};
    return {
      id: r.id, label: r.short, name: r.label, x: r.x, y: r.y, value: r.value, shape: r.shape, type: r.type,
      color: {background: t.color, border: "#ffffff",
              highlight: {background: t.color, border: "#1a1a1a"}, hover: {background: t.color, border: "#1a1a1a"}},
      title: card(r.label, null, r.info, r.sources)
    };
  });
  var nodeColor = {};
  nodeRecords.forEach(function (n) { nodeColor[n.id] = n.color; });
  var edgeRecords = data.edges.map(function (r) {
    var a = byId[r.from], b = byId[r.to];
    var head = (a ? a.label : r.from) + " \u2192 " + (r.label || "linked to") + " \u2192 " + (b ? b.label : r.to);
    var e = {id: r.id, from: r.from, to: r.to, rel: r.label, title: card(r.label || "link", head, r.info, r.sources)};
    if (r.k > 0) {  // parallel links between the same two nodes: curve them apart
      e.smooth = {enabled: true, type: r.k % 2 ? "curvedCW" : "curvedCCW", roundness: 0.25 * Math.ceil(r.k / 2)};
    }
    return e;
  });
  var edgeById = {};
  edgeRecords.forEach(function (e) { edgeById[e.id] = e; });
  var nodes = new vis.DataSet(nodeRecords);
  var edges = new vis.DataSet(edgeRecords);
  var nodesView = new vis.DataView(nodes, {filter: function (n) { return visible[n.type] !== false; }});
  var edgesView = new vis.DataView(edges, {filter: function (e) {
    var a = byId[e.from], b = byId[e.to];
    return !!a && !!b && visible[a.type] !== false && visible[b.type] !== false;
  }});
  var container = document.getElementById("network");
  var network = new vis.Network(container, {nodes: nodesView, edges: edgesView}, data.options);

  // Labels. State per node: `labelled` (drawn readable now: chosen so that labels do not
  // overlap), `hovered` (under the pointer) and `dimmed` (outside a highlighted neighbourhood).
  // Every other label has a size that vis's drawThreshold (8 px) hides at the opening zoom
  // and shows once zoomed in.
  var FACE = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  var DIM = {background: "#e4e4e4", border: "#ffffff"};
  var baseScale = 1, labelled = {}, hovered = null, dimmed = {}, highlighted = null, labelledEdges = [];
  var status = document.getElementById("status");
  var total = data.nodes.length;
  function styleOf(id) {
    var size = Math.min(LABEL_PX, 6.5 / baseScale);
    if (id === hovered) { size = Math.max(LABEL_PX, LABEL_PX / network.getScale()); }
    else if (labelled[id]) { size = labelled[id]; }
    var faded = !!dimmed[id] && id !== hovered;
    if (faded) { size = 1; }  // outside the highlighted neighbourhood: no label at any sensible zoom
    return {id: id, color: faded ? DIM : nodeColor[id],
            font: {size: size, color: faded ? "rgba(60,60,60,0.35)" : "#1a1a1a"},
            widthConstraint: {maximum: 16 * size}};
  }
  function restyle(ids) { nodes.update(ids.map(styleOf)); }
  // Choose labels greedily, most connected first (the `first` node always), skipping any whose
  // box on screen would overlap one already chosen.
  function placeLabels(pool, first, limit) {
    var ctx = document.createElement("canvas").getContext("2d");
    var cands = (pool || data.nodes.filter(function (r) { return r.rank >= 0; }).map(function (r) { return r.id; }))
      .map(function (id) { return byId[id]; })
      .filter(function (r) { return r && visible[r.type] !== false; })
      .sort(function (a, b) { return (b.id === first) - (a.id === first) || b.value - a.value || a.rank - b.rank; });
    var scale = network.getScale();
    var pos = network.getPositions(cands.map(function (r) { return r.id; }));
    var boxes = [], chosen = {}, count = 0;
    for (var i = 0; i < cands.length && count < limit; i++) {
      var r = cands[i];
      ctx.font = r.px + "px " + FACE;
      var w = ctx.measureText(r.short).width, maxW = 16 * r.px, lines = Math.ceil(w / maxW);
      w = Math.min(w, maxW);
      var p = network.canvasToDOM(pos[r.id]);
      var b = {x1: p.x - w / 2 - 4, x2: p.x + w / 2 + 4, y1: p.y - 6, y2: p.y + 8 + lines * r.px * 1.25};
      var clash = boxes.some(function (o) { return b.x1 < o.x2 && o.x1 < b.x2 && b.y1 < o.y2 && o.y1 < b.y2; });
      if (!clash || r.id === first) { boxes.push(b); chosen[r.id] = Math.max(LABEL_PX, r.px / scale); count++; }
    }
    var changed = Object.keys(labelled).concat(Object.keys(chosen));
    labelled = chosen;
    restyle(changed);
  }
  function fit() {
    network.fit({animation: false});
    var s = network.getScale();
    if (!(s > 0)) { s = 1; }
    if (s > 1.3) { network.moveTo({scale: 1.3, animation: false}); s = 1.3; }
    baseScale = s;
    labelled = {};
    restyle(data.nodes.map(function (r) { return r.id; }));  // every unlabelled size depends on the scale
    relabel();
  }
  function relabel() {
    if (highlighted === null) { placeLabels(null, null, data.maxLabels); }
    else {
      placeLabels([highlighted].concat(network.getConnectedNodes(highlighted)), highlighted,
                  Math.max(data.maxLabels, 30));
    }
  }
  function showCount(msg) {
    var shown = nodesView.length;
    var count = shown === total ? total.toLocaleString() + " nodes"
      : shown.toLocaleString() + " of " + total.toLocaleString() + " nodes shown";
    status.textContent = (msg ? msg + " \u00b7 " : "") + count;
  }

  // Hover: draw the label of the node under the pointer.
  network.on("hoverNode", function (p) {
    var was = hovered;
    hovered = byId[p.node] ? p.node : null;
    restyle([was, hovered].filter(function (k) { return k !== null; }));
  });
  network.on("blurNode", function (p) {
    if (hovered === p.node) { hovered = null; restyle([p.node]); }
  });

  // Click: highlight the neighbourhood and show the details panel.
  var details = document.getElementById("details"), detailsBody = document.getElementById("details-body");
  var EDGE = data.options.edges.color;
  // Dim everything but the neighbourhood of id. Only the nodes whose state changes are updated,
  // and the edges are dimmed by one global option (vis highlights the selected node's edges).
  function highlight(id) {
    var keep = {};
    keep[id] = true;
    network.getConnectedNodes(id).forEach(function (k) { keep[k] = true; });
    var changed = [];
    nodeRecords.forEach(function (n) {
      var dim = !keep[n.id];
      if (dim !== !!dimmed[n.id]) {
        changed.push(n.id);
        if (dim) { dimmed[n.id] = true; } else { delete dimmed[n.id]; }
      }
    });
    if (highlighted === null) {
      network.setOptions({edges: {color: {color: "#e3e3e3", highlight: "#222222", hover: EDGE.hover, opacity: 0.6}}});
    }
    highlighted = id;
    restyle(changed);
    relabel();
    // the links of the highlighted node say what they are
    var named = network.getConnectedEdges(id);
    edges.update(labelledEdges.filter(function (k) { return named.indexOf(k) < 0; })
      .map(function (k) { return {id: k, label: ""}; })
      .concat(named.map(function (k) {
        return {id: k, label: edgeById[k].rel || "", font: {size: Math.max(9, 11 / network.getScale())}};
      })));
    labelledEdges = named;
  }
  function clearHighlight() {
    if (highlighted === null) { return; }
    var changed = Object.keys(dimmed);
    dimmed = {};
    highlighted = null;
    network.setOptions({edges: {color: EDGE}});
    restyle(changed);
    relabel();
    edges.update(labelledEdges.map(function (k) { return {id: k, label: ""}; }));
    labelledEdges = [];
  }
  function showDetails(id) {
    var r = byId[id];
    if (!r) { return; }
    while (detailsBody.firstChild) { detailsBody.removeChild(detailsBody.firstChild); }
    detailsBody.appendChild(card(r.label, null, r.info, r.sources));
    var around = network.getConnectedNodes(id).filter(function (k) { return byId[k]; });
    var links = network.getConnectedEdges(id).map(function (k) {
      var e = edgeById[k], out = e.from === id, other = byId[out ? e.to : e.from];
      return {out: out, rel: e.rel || "linked to", other: other};
    }).filter(function (l) { return l.other; });
    if (links.length) {
      var n = around.length;
      detailsBody.appendChild(el("div", "tip-key", "Linked to " + n + (n === 1 ? " node" : " nodes")));
      var ul = el("ul", "links");
      links.sort(function (a, b) { return a.other.label.localeCompare(b.other.label) || a.rel.localeCompare(b.rel); })
        .slice(0, 80).forEach(function (l) {
          var li = el("li"), b = el("button", "linkish", l.other.label);
          b.type = "button";
          b.addEventListener("click", function () { select(l.other.id, true); });
          li.appendChild(el("span", "rel", l.out ? l.rel + " \u2192 " : "\u2190 " + l.rel + ": "));
          li.appendChild(b); ul.appendChild(li);
        });
      if (links.length > 80) { ul.appendChild(el("li", "tip-key", "\u2026 and " + (links.length - 80) + " more")); }
      detailsBody.appendChild(ul);
    }
    details.style.display = "block";
  }
  function select(id, centre) {
    network.selectNodes([id]);
    var animate = false;
    if (centre) {
      // vis animates by frames, not by time: on a big graph each frame is slow, so jump at once.
      var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      animate = !reduce && total <= 800;
      network.focus(id, {scale: Math.max(network.getScale(), Math.min(1.2, baseScale * 3)),
                         animation: animate ? {duration: 350, easingFunction: "easeInOutQuad"} : false});
    }
    highlight(id);
    showDetails(id);
    if (animate) {
      network.once("animationFinished", function () { if (highlighted === id) { relabel(); } });
    }
  }
  network.on("click", function (p) {
    if (p.nodes.length) { select(p.nodes[0], false); }
    else { clearHighlight(); details.style.display = "none"; }
  });
  document.getElementById("details-close").addEventListener("click", function () {
    details.style.display = "none"; network.unselectAll(); clearHighlight();
  });

  // Search: an exact label, acronym, symbol or id first, then the start of a label, then
  // anywhere in it; among equals, the best connected node.
  var input = document.getElementById("search");
  var list = document.getElementById("labels");
  data.nodes.slice().sort(function (a, b) { return a.label.localeCompare(b.label); }).forEach(function (r) {
    var o = document.createElement("option"); o.value = r.label; list.appendChild(o);
  });
  var keys = data.nodes.map(function (r) {
    var k = r.info.filter(function (kv) { return kv[0] === "Acronym" || kv[0] === "Symbol"; })
      .map(function (kv) { return kv[1].toLowerCase(); });
    k.push(r.id.toLowerCase(), r.id.toLowerCase().split(":").pop(), r.short.toLowerCase());
    return k;
  });
  function find(q) {
    q = String(q || "").trim().toLowerCase();
    if (!q) { return null; }
    var best = [null, null, null];
    for (var i = 0; i < data.nodes.length; i++) {
      var r = data.nodes[i], l = r.label.toLowerCase();
      var level = (l === q || keys[i].indexOf(q) >= 0) ? 0 : l.indexOf(q) === 0 ? 1 : l.indexOf(q) > 0 ? 2 : -1;
      if (level >= 0 && (!best[level] || r.value > best[level].value)) { best[level] = r; }
    }
    return best[0] || best[1] || best[2];
  }
  function search(q) {
    var r = find(q);
    if (!r) { showCount("no node matches \u201c" + String(q).trim() + "\u201d"); return null; }
    if (visible[r.type] === false) { setTypeVisible(r.type, true); }
    select(r.id, true);
    showCount("found " + r.label);
    return r.id;
  }
  document.getElementById("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault(); search(input.value);
  });

  // Legend: one row per type, each a toggle.
  var legend = document.getElementById("legend");
  var boxes = {};
  function setTypeVisible(type, on) {
    visible[type] = !!on;
    if (boxes[type]) { boxes[type].checked = !!on; }
    if (!on && highlighted !== null && byId[highlighted] && byId[highlighted].type === type) {
      clearHighlight(); details.style.display = "none";
    }
    nodesView.refresh(); edgesView.refresh();
    relabel();
    showCount();
  }
  data.types.forEach(function (t) {
    var li = el("li"), lab = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.setAttribute("data-type", t.type);
    box.addEventListener("change", function () { setTypeVisible(t.type, box.checked); });
    boxes[t.type] = box;
    var g = el("span", "glyph", t.glyph); g.style.color = t.color;
    lab.appendChild(box); lab.appendChild(g); lab.appendChild(el("span", "name", t.name));
    lab.appendChild(el("span", "count", t.count.toLocaleString()));
    li.appendChild(lab); legend.appendChild(li);
  });

  fit();
  showCount();
  network.once("afterDrawing", function () {
    document.body.setAttribute("data-ready", "true");
    window.ssegraph.ready = true;
  });
  window.ssegraph = {network: network, nodes: nodes, edges: edges, nodesView: nodesView, edgesView: edgesView,
                     search: search, setTypeVisible: setTypeVisible, fit: fit, ready: false};
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ssegraph (vis-network 9.1.2 via pyvis)">
<title>{title}</title>
<style>{vis_css}</style>
<style>{app_css}</style>
</head>
<body>
<header><h1>{title}</h1><p id="caption">{caption}</p></header>
<div id="main">
<div id="network" role="img" aria-label="{title}: {summary}"></div>
<div id="controls" class="panel">
<form id="search-form" role="search"><input id="search" type="search" list="labels" placeholder="Find a node\u2026"
 aria-label="Find a node by label, acronym or symbol" autocomplete="off"><button type="submit">Find</button></form>
<datalist id="labels"></datalist>
<div id="status" aria-live="polite"></div>
<ul id="legend" aria-label="Node types: untick to hide"></ul>
<div class="hint">Size: number of links. Click a node for its neighbourhood; scroll to zoom.</div>
</div>
<aside id="details" class="panel" aria-live="polite"><button id="details-close" class="close" type="button"
 aria-label="Close">\u00d7</button><div id="details-body"></div></aside>
</div>
<noscript>This view needs JavaScript to draw the network.</noscript>
<script type="application/json" id="ssegraph-data">{data}</script>
<script>{vis_js}</script>
<script>{app_js}</script>
</body>
</html>
"""
