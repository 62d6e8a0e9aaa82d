/* The network view: vis-network over the JSON in #ssegraph-data. Labels by importance, one
   selection at a time, links coloured by relation family, a period filter, search, the state in
   the URL fragment and a PNG of what is shown. Values from the data only ever become text. */
(function () {
  "use strict";
  var C = window.ssegraphCommon, el = C.el;
  var data = C.readData("ssegraph-data");
  var LABEL_PX = 12, EDGE_PX = 10, HIDDEN_PX = 0.2;
  var FACE = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  var DIM = {background: "#e4e4e4", border: "#ffffff"};
  var DIM_EDGE = {color: "#e2e2e2", highlight: "#e2e2e2", hover: "#cccccc", opacity: 0.5};

  var typeInfo = {}, typeOn = {}, famInfo = {}, famOn = {};
  data.types.forEach(function (t) { typeInfo[t.type] = t; typeOn[t.type] = true; });
  data.families.forEach(function (f) { famInfo[f.key] = f; famOn[f.key] = true; });
  var period = {from: null, to: null};
  var byId = {}, edgeById = {}, total = data.nodes.length;
  data.nodes.forEach(function (r) { byId[r.id] = r; });
  data.edges.forEach(function (r) { edgeById[r.id] = r; });

  function nodeColor(r) {
    var t = typeInfo[r.type] || {color: "#7f7f7f"};
    return {background: t.color, border: "#ffffff",
            highlight: {background: t.color, border: "#1a1a1a"}, hover: {background: t.color, border: "#1a1a1a"}};
  }
  function edgeColor(r) {
    var c = (famInfo[r.fam] || {color: "#8a8a8a"}).color;
    return {color: c, highlight: c, hover: c, opacity: 0.8};
  }
  // Kinds as vis-network groups: a node's colour and shape are parsed once per kind, not per node.
  data.options.groups = {};
  data.types.forEach(function (t) {
    data.options.groups["k:" + t.type] = {shape: t.shape, color: nodeColor({type: t.type})};
  });
  data.options.nodes.font.size = HIDDEN_PX;
  var nodes = new vis.DataSet(data.nodes.map(function (r) {
    return {id: r.id, label: r.short, name: r.label, x: r.x, y: r.y, value: r.value, group: "k:" + r.type,
            type: r.type};
  }));
  var edges = new vis.DataSet(data.edges.map(function (r) {
    var e = {id: r.id, from: r.from, to: r.to, color: edgeColor(r)};
    if ((famInfo[r.fam] || {}).dashes) { e.dashes = true; }
    if (r.k > 0) {  // parallel links between the same two nodes: curve them apart
      e.smooth = {enabled: true, type: r.k % 2 ? "curvedCW" : "curvedCCW", roundness: 0.25 * Math.ceil(r.k / 2)};
    }
    return e;
  }));

  // -- what is shown: types, link families, period ----------------------------------------
  var shownNode = {}, shownEdge = {}, visDeg = {}, order = [];
  function overlaps(t0, t1) {
    if (period.from === null && period.to === null) { return true; }
    var lo = period.from === null ? -Infinity : period.from, hi = period.to === null ? Infinity : period.to + 1;
    var a = t0 === null || t0 === undefined ? -Infinity : t0, b = t1 === null || t1 === undefined ? Infinity : t1;
    return a < hi && b >= lo;
  }
  function dated(r) { return r.t0 !== null || r.t1 !== null; }
  // Nodes of a hidden type, or active outside the period (a milestone on its date, an event
  // from start to end, an organisation from its founding), are hidden; links of a hidden
  // family, or dated (memberships, posts) outside the period, too. With a period set, an
  // undated node (a person, a place) stays only while one of its links does.
  function computeShown() {
    var withPeriod = period.from !== null || period.to !== null;
    data.nodes.forEach(function (r) { shownNode[r.id] = typeOn[r.type] !== false && overlaps(r.t0, r.t1); });
    var linked = {};
    data.edges.forEach(function (e) {
      var on = famOn[e.fam] !== false && !!shownNode[e.from] && !!shownNode[e.to] && overlaps(e.t0, e.t1);
      shownEdge[e.id] = on;
      if (on) { linked[e.from] = true; linked[e.to] = true; }
    });
    if (withPeriod) {
      data.nodes.forEach(function (r) { if (shownNode[r.id] && !dated(r) && !linked[r.id]) { shownNode[r.id] = false; } });
      data.edges.forEach(function (e) { if (shownEdge[e.id] && !(shownNode[e.from] && shownNode[e.to])) { shownEdge[e.id] = false; } });
    }
    // degree in what is shown: distinct linked entities
    var nb = {};
    data.edges.forEach(function (e) {
      if (!shownEdge[e.id] || e.from === e.to) { return; }
      (nb[e.from] = nb[e.from] || {})[e.to] = true;
      (nb[e.to] = nb[e.to] || {})[e.from] = true;
    });
    data.nodes.forEach(function (r) { visDeg[r.id] = nb[r.id] ? Object.keys(nb[r.id]).length : 0; });
    order = data.nodes.filter(function (r) { return shownNode[r.id]; }).sort(function (a, b) {
      return importance(b) - importance(a) || b.deg - a.deg || (a.id < b.id ? -1 : 1);
    });
  }
  // The importance of a label: degree in what is shown, weighted by type (docs/views.md).
  function importance(r) { return visDeg[r.id] * ((typeInfo[r.type] || {}).weight || 0.8); }
  computeShown();
  var nodesView = new vis.DataView(nodes, {filter: function (n) { return !!shownNode[n.id]; }});
  var edgesView = new vis.DataView(edges, {filter: function (e) { return !!shownEdge[e.id]; }});
  var container = document.getElementById("network");
  var network = new vis.Network(container, {nodes: nodesView, edges: edgesView}, data.options);
  window.network = network;

  // -- labels ------------------------------------------------------------------------------
  var baseScale = 1, labelled = {}, hovered = null, selected = null, dimmed = {}, namedEdges = [];
  var neighbourhood = {};
  // A label's font size and vertical shift, in canvas units (vis scales both with the zoom).
  function fontFor(id) {
    var scale = network.getScale();
    if (labelled[id]) { return labelled[id]; }
    if (id === hovered || id === selected) { return {size: Math.max(LABEL_PX, byId[id].px) / scale, vadjust: 0}; }
    return {size: HIDDEN_PX, vadjust: 0};
  }
  function styleOf(id) {
    var faded = !!dimmed[id] && id !== hovered, f = faded ? {size: HIDDEN_PX, vadjust: 0} : fontFor(id);
    return {id: id, color: faded ? DIM : nodeColor(byId[id]),
            font: {size: f.size, vadjust: f.vadjust, color: faded ? "rgba(60,60,60,0.35)" : "#1a1a1a"}};
  }
  function restyle(ids) {
    var seen = {}, out = [];
    ids.forEach(function (id) { if (id !== null && byId[id] && !seen[id]) { seen[id] = true; out.push(styleOf(id)); } });
    if (out.length) { nodes.update(out); }
  }
  // Greedy placement, most important first: a label is drawn under its node, or else above it,
  // when its box on screen overlaps no label already placed. With a selection, the selected node and its neighbours go first.
  // Places and meetings are labelled only once zoomed in (or next to the selection).
  function placeLabels() {
    var scale = network.getScale(), zoomed = scale / baseScale;
    var rect = container.getBoundingClientRect();
    var ctx = placeLabels.ctx || (placeLabels.ctx = document.createElement("canvas").getContext("2d"));
    var cands = order;
    if (selected !== null) {
      cands = [byId[selected]].concat(order.filter(function (r) { return neighbourhood[r.id] && r.id !== selected; }))
        .concat(order.filter(function (r) { return !neighbourhood[r.id]; }));
    }
    var limit = Math.round(data.maxLabels * Math.min(4, Math.max(1, zoomed)));
    var pos = network.getPositions();
    var boxes = [], chosen = {}, count = 0;
    for (var i = 0; i < cands.length && count < limit; i++) {
      var r = cands[i], near = selected !== null && neighbourhood[r.id];
      var t = typeInfo[r.type] || {};
      if (!near && (dimmed[r.id] || (t.zoomOnly && zoomed < 2.2) || (visDeg[r.id] === 0 && zoomed < 2.2))) { continue; }
      var p = pos[r.id];
      if (!p) { continue; }
      var d = network.canvasToDOM(p);
      if (d.x < -40 || d.y < -20 || d.x > rect.width + 40 || d.y > rect.height + 20) { continue; }
      var px = Math.max(LABEL_PX, Math.min(r.px - 1, 15));
      ctx.font = px + "px " + FACE;
      var w = ctx.measureText(r.short).width;
      // vis-network draws the label (one line) under the shape, whose drawn size follows the value
      var body = network.body.nodes[r.id], size = (body && body.options.size ? body.options.size : 10) * scale;
      var h = px * 1.3 + 4;
      var below = {x1: d.x - w / 2 - 3, x2: d.x + w / 2 + 3, y1: d.y + size - 1, y2: d.y + size - 1 + h, v: 0};
      var above = {x1: below.x1, x2: below.x2, y1: d.y - size - h + 1, y2: d.y - size + 1,
                   v: -(2 * size + h - 2) / scale};
      var b = [below, above].filter(free)[0] || (r.id === selected ? below : null);
      if (b) { b.id = r.id; boxes.push(b); chosen[r.id] = {size: px / scale, vadjust: b.v}; count++; }
    }
    function free(b) {
      for (var k = 0; k < boxes.length; k++) {
        var o = boxes[k];
        if (b.x1 < o.x2 && o.x1 < b.x2 && b.y1 < o.y2 && o.y1 < b.y2) { return false; }
      }
      return true;
    }
    placeLabels.boxes = boxes;
    var changed = Object.keys(labelled).concat(Object.keys(chosen));
    labelled = chosen;
    restyle(changed);
  }
  function nameEdges() {
    var scale = network.getScale();
    if (namedEdges.length) {
      edges.update(namedEdges.map(function (k) { return {id: k, font: {size: EDGE_PX / scale}}; }));
    }
  }

  // -- fitting, zoom -----------------------------------------------------------------------
  // Fit every node (not its label, which vis would count) in the drawing: the same scale for
  // the same data and window, so a zoom saved in the URL means the same on every opening.
  function fit() {
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    data.nodes.forEach(function (r) {
      if (!shownNode[r.id]) { return; }
      x0 = Math.min(x0, r.x); x1 = Math.max(x1, r.x); y0 = Math.min(y0, r.y); y1 = Math.max(y1, r.y);
    });
    if (x0 === Infinity) { x0 = x1 = y0 = y1 = 0; }
    var f = freeRect();
    var s = Math.min((f.width - 30) / Math.max(1, x1 - x0 + 60), (f.height - 30) / Math.max(1, y1 - y0 + 60));
    if (!(s > 0)) { s = 1; }
    s = Math.min(s, 1.3);
    network.moveTo({position: {x: (x0 + x1) / 2, y: (y0 + y1) / 2}, scale: s, animation: false, offset: freeOffset()});
    baseScale = s;
    placeLabels(); nameEdges(); saveState();
  }
  function zoomBy(f) {
    network.moveTo({scale: network.getScale() * f, animation: false});
    afterZoom();
  }
  var afterZoom = C.debounce(function () { placeLabels(); nameEdges(); saveState(); }, 90);
  network.on("zoom", function () { hideTip(); afterZoom(); });
  network.on("dragEnd", function (p) { if (!p.nodes.length) { afterZoom(); } });

  // -- the hover tooltip (text only; the panel has the links) -------------------------------
  var tip = document.getElementById("tip"), tipFor = null, suppressed = null;
  function hideTip() { tip.style.display = "none"; tipFor = null; }
  function showTip(key, content, pointer) {
    if (suppressed === key) { return; }
    C.clear(tip); tip.appendChild(content); tip.style.display = "block"; tipFor = key;
    var rect = container.getBoundingClientRect();
    C.placeTip(tip, rect.left + pointer.x, rect.top + pointer.y);
  }
  function nodeSummary(r) {
    var keep = {"Acronym": 1, "Symbol": 1, "Date": 1, "Start": 1, "End": 1, "Founded": 1, "Country": 1};
    return C.card(r.label, (typeInfo[r.type] || {singular: r.type}).singular,
                  r.info.filter(function (kv) { return keep[kv[0]]; }), null, false);
  }
  function edgeHead(r) {
    var a = byId[r.from], b = byId[r.to];
    return (a ? a.short : r.from) + " \u2192 " + (r.label || "linked to") + " \u2192 " + (b ? b.short : r.to);
  }
  network.on("hoverNode", function (p) {
    var was = hovered;
    hovered = byId[p.node] ? p.node : null;
    restyle([was, hovered]);
    if (hovered !== null) { showTip("n:" + hovered, nodeSummary(byId[hovered]), p.pointer.DOM); }
  });
  network.on("blurNode", function (p) {
    if (hovered === p.node) { hovered = null; restyle([p.node]); }
    if (tipFor === "n:" + p.node) { hideTip(); }
    if (suppressed === "n:" + p.node) { suppressed = null; }
  });
  network.on("hoverEdge", function (p) {
    var r = edgeById[p.edge];
    if (r) { showTip("e:" + p.edge, C.card(r.label || "link", edgeHead(r), r.info, null, false), p.pointer.DOM); }
  });
  network.on("blurEdge", function (p) {
    if (tipFor === "e:" + p.edge) { hideTip(); }
    if (suppressed === "e:" + p.edge) { suppressed = null; }
  });
  network.on("dragStart", hideTip);

  // -- selection: one at a time ------------------------------------------------------------
  var details = document.getElementById("details"), detailsBody = document.getElementById("details-body");
  var controls = document.getElementById("controls");
  function dimAround(id) {
    var keep = {}, changed = [], edgeChanges = [];
    if (id !== null) {
      keep[id] = true;
      data.edges.forEach(function (e) {
        if (shownEdge[e.id] && (e.from === id || e.to === id)) { keep[e.from] = true; keep[e.to] = true; }
      });
    }
    neighbourhood = keep;
    data.nodes.forEach(function (r) {
      var dim = id !== null && !keep[r.id];
      if (dim !== !!dimmed[r.id]) { changed.push(r.id); if (dim) { dimmed[r.id] = true; } else { delete dimmed[r.id]; } }
    });
    data.edges.forEach(function (e) {
      var dim = id !== null && e.from !== id && e.to !== id;
      if (dim !== !!e.dim) { e.dim = dim; edgeChanges.push({id: e.id, color: dim ? DIM_EDGE : edgeColor(e)}); }
    });
    // link names: only for the links of the current selection
    var named = id === null ? [] : data.edges.filter(function (e) {
      return e.from === id || e.to === id;
    }).map(function (e) { return e.id; });
    var keepNamed = {};
    named.forEach(function (k) { keepNamed[k] = true; });
    namedEdges.forEach(function (k) { if (!keepNamed[k]) { edgeChanges.push({id: k, label: ""}); } });
    var scale = network.getScale();
    named.forEach(function (k) {
      edgeChanges.push({id: k, label: edgeById[k].label || "", font: {size: EDGE_PX / scale}});
    });
    namedEdges = named;
    if (edgeChanges.length) { edges.update(edgeChanges); }
    return changed;
  }
  function select(id, centre) {
    var r = byId[id];
    if (!r) { return false; }
    if (!shownNode[id]) {  // bring it back: its type, and every period
      if (typeOn[r.type] === false) { setTypeVisible(r.type, true, true); }
      if (!shownNode[id]) { setPeriod(null, null, true); }
      if (!shownNode[id]) { return false; }
    }
    hideTip();
    var was = selected;
    selected = id;
    var changed = dimAround(id);
    network.selectNodes([id], false);
    showDetails(id);
    if (centre) { centreOn(id); }
    restyle(changed.concat([was, id]));
    placeLabels();
    saveState();
    return true;
  }
  function clearSelection() {
    hideTip();
    details.style.display = "none";
    if (selected === null) { return; }
    var was = selected;
    selected = null;
    var changed = dimAround(null);
    network.unselectAll();
    restyle(changed.concat([was]));
    placeLabels();
    saveState();
  }
  // The part of the drawing that no panel covers (on a phone, between the search bar at the
  // top and the details sheet at the bottom), relative to the drawing's own box.
  function freeRect() {
    var r = container.getBoundingClientRect();
    var top = r.top, bottom = r.bottom, left = r.left, right = r.right;
    [controls, details].forEach(function (p) {
      if (!p || p.offsetParent === null || getComputedStyle(p).display === "none") { return; }
      var b = p.getBoundingClientRect();
      if (b.width > r.width * 0.6) {
        if (b.top - r.top < r.bottom - b.bottom) { top = Math.max(top, b.bottom); } else { bottom = Math.min(bottom, b.top); }
      } else if (b.left - r.left < r.right - b.right) { left = Math.max(left, b.right); } else { right = Math.min(right, b.left); }
    });
    if (bottom - top < 60 || right - left < 60) { top = r.top; bottom = r.bottom; left = r.left; right = r.right; }
    return {left: left - r.left, top: top - r.top, width: right - left, height: bottom - top, W: r.width, H: r.height};
  }
  function freeOffset() {
    var f = freeRect();
    return {x: f.left + f.width / 2 - f.W / 2, y: f.top + f.height / 2 - f.H / 2};
  }
  function centreOn(id) {
    var scale = Math.max(network.getScale(), Math.min(1.2, baseScale * 3));
    network.moveTo({position: network.getPositions([id])[id], scale: scale, offset: freeOffset(), animation: false});
  }
  function when(e) {
    if (!e.start && !e.end) { return ""; }
    return (e.start || "?") + "\u2013" + (e.end || "");
  }
  function showDetails(id) {
    var r = byId[id];
    C.clear(detailsBody);
    var t = typeInfo[r.type] || {singular: r.type};
    detailsBody.appendChild(C.card(r.list, t.singular + (r.sym && r.list.indexOf(r.sym) < 0 ? " \u00b7 " + r.sym : ""),
                                   r.info, r.src, true));
    var links = data.edges.filter(function (e) { return shownEdge[e.id] && (e.from === id || e.to === id); })
      .map(function (e) { return {e: e, out: e.from === id, other: byId[e.from === id ? e.to : e.from]}; })
      .filter(function (l) { return l.other; });
    var others = {};
    links.forEach(function (l) { others[l.other.id] = true; });
    var n = Object.keys(others).length;
    detailsBody.appendChild(el("div", "key", "Linked to " + n + (n === 1 ? " entity" : " entities") +
                               (links.length !== n ? " by " + links.length + " links" : "") +
                               (visDeg[id] !== r.deg ? " shown (" + r.deg + " in all)" : "")));
    if (!links.length) { details.style.display = "block"; return; }
    var fams = data.families.map(function (f) { return f.key; });
    links.sort(function (a, b) {
      return fams.indexOf(a.e.fam) - fams.indexOf(b.e.fam) || (b.e.start || "").localeCompare(a.e.start || "") ||
        a.other.list.localeCompare(b.other.list);
    });
    var ul = el("ul", "links");
    links.slice(0, 150).forEach(function (l) {
      var li = el("li"), sw = el("span", "swatch");
      var f = famInfo[l.e.fam] || {color: "#8a8a8a"};
      sw.style.borderTop = "3px " + (f.dashes ? "dashed " : "solid ") + f.color;
      sw.style.display = "inline-block"; sw.style.width = "12px"; sw.style.marginRight = "4px";
      sw.title = f.name || "";
      li.appendChild(sw);
      var rel = l.e.label || "linked to";
      li.appendChild(el("span", "rel", l.out ? rel + " \u2192 " : "\u2190 " + rel + ": "));
      var b = el("button", "linkish", l.other.list);
      b.type = "button";
      b.addEventListener("click", function () { select(l.other.id, true); });
      li.appendChild(b);
      if (l.other.sym && l.other.list.indexOf(l.other.sym) < 0) { li.appendChild(el("span", "when", " " + l.other.sym)); }
      var w = when(l.e);
      if (w) { li.appendChild(el("span", "when", " " + w)); }
      ul.appendChild(li);
    });
    if (links.length > 150) { ul.appendChild(el("li", "key", "\u2026 and " + (links.length - 150) + " more")); }
    detailsBody.appendChild(ul);
    details.style.display = "block";
  }
  function showEdge(k) {
    var r = edgeById[k];
    if (!r) { return; }
    C.clear(detailsBody);
    detailsBody.appendChild(C.card(r.label || "link", edgeHead(r), r.info, r.src, true));
    details.style.display = "block";
  }
  network.on("click", function (p) {
    hideTip();
    if (p.nodes.length) { suppressed = "n:" + p.nodes[0]; select(p.nodes[0], false); }
    else if (p.edges.length && selected !== null) { suppressed = "e:" + p.edges[0]; showEdge(p.edges[0]); }
    else { clearSelection(); }
  });
  document.getElementById("details-close").addEventListener("click", clearSelection);
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { hideMatches(); clearSelection(); }
  });

  // -- search ------------------------------------------------------------------------------
  function fold(s) { return String(s).toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, ""); }
  function norm(s) { return fold(s).replace(/[^\p{L}\p{N}]+/gu, ""); }
  function words(s) { return fold(s).split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w; }); }
  var index = data.nodes.map(function (r) {
    var keys = r.names.map(norm).concat([norm(r.id), norm(r.id.split(":").pop()), norm(r.short)]);
    var ws = {};
    r.names.forEach(function (n) { words(n).forEach(function (w) { ws[w] = true; }); });
    return {r: r, keys: keys, words: Object.keys(ws), phrases: r.names.map(function (n) { return " " + words(n).join(" ") + " "; })};
  });
  // Exact symbol, acronym or name (ignoring case, spaces, punctuation and accents) first, then
  // the start of one, then the query's words as a phrase in a name or title, then every word of
  // the query starting a word of one, then anywhere; among equals the best linked.
  function matches(q, limit) {
    var nq = norm(q), qw = words(q), out = [];
    if (!nq) { return out; }
    index.forEach(function (x) {
      var level = -1;
      if (x.keys.indexOf(nq) >= 0) { level = 0; }
      else if (nq.length >= 2 && x.keys.some(function (k) { return k.indexOf(nq) === 0; })) { level = 1; }
      else if (qw.length && qw.every(function (w) { return x.words.some(function (v) { return v.indexOf(w) === 0; }); })) {
        var phrase = " " + qw.join(" ") + " ";  // the words in this order, as a phrase: a closer match
        level = x.phrases.some(function (p) { return p.indexOf(phrase) >= 0; }) ? 1.5 : 2;
      } else if (nq.length >= 3 && x.keys.some(function (k) { return k.indexOf(nq) > 0; })) { level = 3; }
      if (level >= 0) { out.push({level: level, r: x.r}); }
    });
    out.sort(function (a, b) { return a.level - b.level || b.r.deg - a.r.deg || a.r.list.localeCompare(b.r.list); });
    return out.slice(0, limit || 8).map(function (m) { return m.r; });
  }
  var input = document.getElementById("search"), list = document.getElementById("matches");
  var status = document.getElementById("status");
  function showCount(msg) {
    var shown = 0;
    data.nodes.forEach(function (r) { if (shownNode[r.id]) { shown++; } });
    var count = shown === total ? total.toLocaleString() + " nodes"
      : shown.toLocaleString() + " of " + total.toLocaleString() + " nodes shown";
    status.textContent = (msg ? msg + " \u00b7 " : "") + count;
  }
  function hideMatches() { list.hidden = true; C.clear(list); }
  function showMatches(q) {
    C.clear(list);
    var found = matches(q, 8);
    if (!found.length || !String(q).trim()) { list.hidden = true; return; }
    found.forEach(function (r) {
      var li = el("li"), b = el("button", null, r.list);
      b.type = "button"; b.setAttribute("role", "option"); b.setAttribute("data-id", r.id);
      var extra = [(typeInfo[r.type] || {singular: r.type}).singular];
      if (r.acr && r.list.indexOf(r.acr) < 0) { extra.unshift(r.acr); }
      if (r.sym && r.list.indexOf(r.sym) < 0) { extra.unshift(r.sym); }
      b.appendChild(el("span", "kind", " \u00b7 " + extra.join(" \u00b7 ")));
      b.addEventListener("click", function () { hideMatches(); pick(r); });
      li.appendChild(b); list.appendChild(li);
    });
    list.hidden = false;
  }
  var picked = null;
  function pick(r) {
    picked = input.value;
    hideMatches();
    if (select(r.id, true)) { showCount("found " + r.list); }
    return r.id;
  }
  function search(q) {
    var found = matches(q, 1);
    if (!found.length) { showCount("no node matches \u201c" + String(q).trim() + "\u201d"); return null; }
    hideMatches();
    return pick(found[0]);
  }
  var typed = C.debounce(function () { if (input.value !== picked) { showMatches(input.value); } }, 100);
  input.addEventListener("input", typed);
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" && !list.hidden) { ev.preventDefault(); list.querySelector("button").focus(); }
  });
  list.addEventListener("keydown", function (ev) {
    var b = document.activeElement;
    if (ev.key === "ArrowDown" && b.parentNode.nextSibling) { ev.preventDefault(); b.parentNode.nextSibling.firstChild.focus(); }
    if (ev.key === "ArrowUp") {
      ev.preventDefault();
      if (b.parentNode.previousSibling) { b.parentNode.previousSibling.firstChild.focus(); } else { input.focus(); }
    }
  });
  document.getElementById("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault(); search(input.value);
  });

  // -- filters and legends -----------------------------------------------------------------
  function refresh(keepSelection) {
    computeShown();
    nodesView.refresh(); edgesView.refresh();
    if (selected !== null && !shownNode[selected]) { clearSelection(); }
    else if (selected !== null && keepSelection !== false) { restyle(dimAround(selected)); showDetails(selected); }
    placeLabels();
    showCount();
    saveState();
  }
  var typeBoxes = {}, famBoxes = {};
  function setTypeVisible(type, on, quiet) {
    typeOn[type] = !!on;
    if (typeBoxes[type]) { typeBoxes[type].checked = !!on; }
    if (!quiet) { refresh(); } else { computeShown(); nodesView.refresh(); edgesView.refresh(); }
  }
  function setFamilyVisible(key, on) {
    famOn[key] = !!on;
    if (famBoxes[key]) { famBoxes[key].checked = !!on; }
    refresh();
  }
  var yearFrom = document.getElementById("year-from"), yearTo = document.getElementById("year-to");
  if (data.years) {
    [yearFrom, yearTo].forEach(function (f) { f.min = data.years[0]; f.max = data.years[1]; });
    yearFrom.placeholder = data.years[0]; yearTo.placeholder = data.years[1];
  } else {
    document.getElementById("period").style.display = "none";
  }
  function setPeriod(from, to, quiet) {
    from = from === "" || from === null || from === undefined || isNaN(Number(from)) ? null : Math.round(Number(from));
    to = to === "" || to === null || to === undefined || isNaN(Number(to)) ? null : Math.round(Number(to));
    if (from !== null && to !== null && from > to) { var x = from; from = to; to = x; }
    period.from = from; period.to = to;
    yearFrom.value = from === null ? "" : from; yearTo.value = to === null ? "" : to;
    if (!quiet) { refresh(); } else { computeShown(); nodesView.refresh(); edgesView.refresh(); }
  }
  function onPeriod() { setPeriod(yearFrom.value, yearTo.value); }
  yearFrom.addEventListener("change", onPeriod);
  yearTo.addEventListener("change", onPeriod);
  document.getElementById("period-clear").addEventListener("click", function () { setPeriod(null, null); });

  var legend = document.getElementById("legend");
  data.types.forEach(function (t) {
    var li = el("li"), lab = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.setAttribute("data-type", t.type);
    box.addEventListener("change", function () { setTypeVisible(t.type, box.checked); });
    typeBoxes[t.type] = box;
    var g = el("span", "glyph", t.glyph); g.style.color = t.color;
    lab.appendChild(box); lab.appendChild(g); lab.appendChild(el("span", "name", t.name));
    lab.appendChild(el("span", "count", t.count.toLocaleString()));
    li.appendChild(lab); legend.appendChild(li);
  });
  var famList = document.getElementById("families");
  data.families.forEach(function (f) {
    var li = el("li"), lab = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.setAttribute("data-family", f.key);
    box.addEventListener("change", function () { setFamilyVisible(f.key, box.checked); });
    famBoxes[f.key] = box;
    var sw = el("span", "swatch" + (f.dashes ? " dashed" : "")); sw.style.borderTopColor = f.color;
    lab.appendChild(box); lab.appendChild(sw); lab.appendChild(el("span", "name", f.name));
    lab.appendChild(el("span", "count", f.count.toLocaleString()));
    li.appendChild(lab); famList.appendChild(li);
  });
  var filters = document.getElementById("filters"), toggle = document.getElementById("filters-toggle");
  toggle.addEventListener("click", function () {
    var open = filters.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });

  // -- tools: zoom, fit, PNG ---------------------------------------------------------------
  document.getElementById("zoom-in").addEventListener("click", function () { zoomBy(1.4); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomBy(1 / 1.4); });
  document.getElementById("fit").addEventListener("click", fit);
  // What is drawn, on white, with the title: a picture for a brief.
  function pngBlob(done) {
    var src = container.querySelector("canvas");
    var c = document.createElement("canvas");
    c.width = src.width; c.height = src.height;
    var ctx = c.getContext("2d");
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, c.width, c.height);
    ctx.drawImage(src, 0, 0);
    ctx.fillStyle = "#1a1a1a"; ctx.font = "600 " + Math.round(16 * (window.devicePixelRatio || 1)) + "px " + FACE;
    ctx.fillText(document.title, 12, 24 * (window.devicePixelRatio || 1));
    c.toBlob(done, "image/png");
  }
  document.getElementById("download").addEventListener("click", function () {
    pngBlob(function (blob) { C.download(blob, "ssegraph-view.png"); });
  });

  // -- state in the URL fragment -----------------------------------------------------------
  function state() {
    var s = {};
    if (selected !== null) { s.sel = selected; }
    if (period.from !== null) { s.from = period.from; }
    if (period.to !== null) { s.to = period.to; }
    var hidden = data.types.filter(function (t) { return typeOn[t.type] === false; }).map(function (t) { return t.type; });
    if (hidden.length) { s.hide = hidden.join(","); }
    var off = data.families.filter(function (f) { return famOn[f.key] === false; }).map(function (f) { return f.key; });
    if (off.length) { s.links = "-" + off.join(",-"); }
    var v = network.getViewPosition(), z = network.getScale();
    if (Math.abs(z / baseScale - 1) > 0.01 || Math.hypot(v.x - home.x, v.y - home.y) * z > 2) {
      s.zoom = Math.round(z / baseScale * 1000) / 1000;
      s.at = Math.round(v.x) + "," + Math.round(v.y);
    }
    return s;
  }
  var restoring = true, home = {x: 0, y: 0};
  function saveState() { if (!restoring) { C.writeFragment(state()); } }
  function restore(s) {
    if (s.hide) { s.hide.split(",").forEach(function (t) { if (typeInfo[t]) { typeOn[t] = false; typeBoxes[t].checked = false; } }); }
    if (s.links) {
      s.links.split(",").forEach(function (k) {
        k = k.replace(/^-/, "");
        if (famInfo[k]) { famOn[k] = false; famBoxes[k].checked = false; }
      });
    }
    setPeriod(s.from, s.to, true);
    computeShown(); nodesView.refresh(); edgesView.refresh();
    var z = Number(s.zoom), at = String(s.at || "").split(",").map(Number);
    if (z > 0 && at.length === 2 && at.every(isFinite)) {
      network.moveTo({position: {x: at[0], y: at[1]}, scale: z * baseScale, animation: false});
    }
    if (s.sel && byId[s.sel]) { select(s.sel, !(z > 0)); }
  }

  fit();
  home = network.getViewPosition();
  restore(C.readFragment());
  placeLabels(); nameEdges();
  showCount();
  restoring = false;
  window.addEventListener("hashchange", function () {
    var s = C.readFragment(), cur = state();
    if (JSON.stringify(s) === JSON.stringify(cur)) { return; }
    restoring = true;
    typeOn = {}; famOn = {};
    data.types.forEach(function (t) { typeOn[t.type] = true; typeBoxes[t.type].checked = true; });
    data.families.forEach(function (f) { famOn[f.key] = true; famBoxes[f.key].checked = true; });
    clearSelection(); fit(); restore(s); placeLabels(); showCount();
    restoring = false;
  });
  window.ssegraph = {network: network, nodes: nodes, edges: edges, nodesView: nodesView, edgesView: edgesView,
                     search: search, matches: function (q) { return matches(q, 8).map(function (r) { return r.id; }); },
                     select: function (id) { return select(id, true); }, clearSelection: clearSelection,
                     selected: function () { return selected; }, setTypeVisible: setTypeVisible,
                     setFamilyVisible: setFamilyVisible, setPeriod: setPeriod, fit: fit, zoomBy: zoomBy,
                     state: state, pngBlob: pngBlob,
                     labelled: function () { return Object.keys(labelled); },
                     labelBoxes: function () { return placeLabels.boxes; }, ready: false};
  network.once("afterDrawing", function () {
    window.ssegraph.readyAt = performance.now();  // ms since the navigation started (benchmarks read it)
    document.body.setAttribute("data-ready", "true");
    window.ssegraph.ready = true;
  });
})();
