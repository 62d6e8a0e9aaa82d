/* The policy timeline: an SVG drawn from #timeline-data at the current zoom (pixels per year).
   Lane names (left) and the year axis (top) are sticky, so they stay while the drawing scrolls.
   The page opens on data.open (the densest recent years, or the range given). */
(function () {
  "use strict";
  var C = window.ssegraphCommon, el = C.el;
  var data = C.readData("timeline-data");
  var NS = "http://www.w3.org/2000/svg";
  var GUTTER = window.innerWidth < 700 ? 150 : 260, AXIS = 30, ROW = 24, PAD = 6, RIGHT = 40, FONT = "11px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  var scroller = document.getElementById("scroll"), grid = document.getElementById("grid");
  var axis = document.getElementById("axis"), lanesSvg = document.getElementById("lanes");
  var body = document.getElementById("timeline"), corner = document.getElementById("corner");
  var tip = document.getElementById("tip"), details = document.getElementById("details");
  var detailsBody = document.getElementById("details-body"), range = document.getElementById("range");
  var kindOf = {};
  data.kinds.forEach(function (k) { kindOf[k.key] = k; });
  var ctx = document.createElement("canvas").getContext("2d");
  ctx.font = FONT;
  var widths = data.items.map(function (it) { return ctx.measureText(it.label).width; });

  function svgEl(tag, attrs, text) {
    var e = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  var ppy = 60, rows = [], laneRows = [], laneTop = [], height = 0, width = 0;
  function x(year) { return (year - data.first) * ppy + 8; }
  // Rows within each lane so that no two labels overlap at this zoom (greedy interval packing).
  function pack() {
    var ends = data.lanes.map(function () { return []; });
    rows = [];
    data.items.forEach(function (it, i) {
      var left = Math.min(x(it.span[0]), x(it.start)) - 8;
      var right = Math.max(x(it.end), x(it.span[1])) + 14 + widths[i];
      var lane = ends[it.lane], r = 0;
      while (r < lane.length && lane[r] > left) { r++; }
      lane[r] = right; rows[i] = r;
    });
    laneRows = ends.map(function (e) { return Math.max(1, e.length); });
    var y = 0;
    laneTop = laneRows.map(function (n) { var t = y; y += n * ROW + 2 * PAD; return t; });
    height = y + 8;
    var maxEnd = 0;
    data.items.forEach(function (it, i) { maxEnd = Math.max(maxEnd, Math.max(x(it.end), x(it.span[1])) + 16 + widths[i]); });
    width = Math.max(x(data.last) + RIGHT, maxEnd + 12);
  }
  // A lane name cut to `room` characters, keeping the country after " \u00b7 " whole.
  function fitLane(name, room) {
    if (name.length <= room) { return name; }
    var cut = name.lastIndexOf(" \u00b7 ");
    if (cut > 0 && name.length - cut < room - 6) {
      var tail = name.slice(cut);
      return name.slice(0, room - tail.length - 1) + "\u2026" + tail;
    }
    return name.slice(0, room - 1) + "\u2026";
  }
    function centre(i) {
    var it = data.items[i];
    return [x(it.start), laneTop[it.lane] + PAD + rows[i] * ROW + ROW / 2];
  }
  var itemEls = [], linkEls = [];
  function draw() {
    pack();
    C.clear(axis); C.clear(lanesSvg); C.clear(body);
    grid.style.gridTemplateColumns = GUTTER + "px " + Math.ceil(width) + "px";
    grid.style.gridTemplateRows = AXIS + "px " + Math.ceil(height) + "px";
    grid.style.width = (GUTTER + Math.ceil(width)) + "px";
    [[axis, width, AXIS], [lanesSvg, GUTTER, height], [body, width, height]].forEach(function (a) {
      a[0].setAttribute("width", Math.ceil(a[1])); a[0].setAttribute("height", Math.ceil(a[2]));
      a[0].setAttribute("viewBox", "0 0 " + Math.ceil(a[1]) + " " + Math.ceil(a[2]));
    });
    // lanes: bands in the body, names in the sticky column
    data.lanes.forEach(function (name, i) {
      var h = laneRows[i] * ROW + 2 * PAD, fill = i % 2 === 0 ? "#f6f6f6" : "#ffffff";
      body.appendChild(svgEl("rect", {"class": "lane", x: 0, y: laneTop[i], width: width, height: h, fill: fill}));
      lanesSvg.appendChild(svgEl("rect", {x: 0, y: laneTop[i], width: GUTTER, height: h, fill: fill}));
      var shown = fitLane(name, Math.floor((GUTTER - 14) / 7.2));  // bold 11px: about 7 px a character
      var t = svgEl("text", {"class": "lane-label", x: 8, y: laneTop[i] + PAD + ROW * 0.62});
      t.appendChild(svgEl("title", {}, name));
      t.appendChild(document.createTextNode(shown));
      lanesSvg.appendChild(t);
    });
    // years: grid lines in the body, labels on the sticky axis
    var step = [1, 2, 5, 10, 20, 50, 100].filter(function (s) { return s * ppy >= 44; })[0] || 100;
    for (var year = data.first; year <= data.last; year++) {
      var gx = x(year), major = year % step === 0;
      body.appendChild(svgEl("line", {"class": "grid" + (major ? " major" : ""), x1: gx, y1: 0, x2: gx, y2: height}));
      if (major && year < data.last) {
        axis.appendChild(svgEl("line", {"class": "grid major", x1: gx, y1: AXIS - 8, x2: gx, y2: AXIS}));
        axis.appendChild(svgEl("text", {"class": "year", x: gx + 3, y: AXIS - 11}, year));
      }
    }
    // links under the items
    var defs = svgEl("defs");
    data.kinds.forEach(function (k) {
      var m = svgEl("marker", {id: "arrow-" + k.key, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7,
                               markerHeight: 7, orient: "auto-start-reverse"});
      m.appendChild(svgEl("path", {d: "M0,0 L10,5 L0,10 z", fill: k.color}));
      defs.appendChild(m);
    });
    body.appendChild(defs);
    var links = svgEl("g", {"class": "links"});
    linkEls = data.links.map(function (l, n) {
      var a = centre(l[0]), b = centre(l[1]), k = kindOf[l[2]] || {color: "#888", dash: ""};
      var lift = Math.min(70, Math.abs(b[0] - a[0]) / 3 + 16), top = Math.max(2, Math.min(a[1], b[1]) - lift);
      var p = svgEl("path", {"class": "link " + l[2], "data-l": n, stroke: k.color,
                             d: "M" + a[0] + "," + a[1] + " C" + a[0] + "," + top + " " + b[0] + "," + top + " " + b[0] + "," + b[1],
                             "marker-end": "url(#arrow-" + l[2] + ")"});
      if (k.dash) { p.setAttribute("stroke-dasharray", k.dash); }
      links.appendChild(p);
      return p;
    });
    body.appendChild(links);
    var g = svgEl("g", {"class": "items"});
    itemEls = data.items.map(function (it, i) {
      var c = centre(i), color = data.colors[it.kind] || "#888";
      var e = svgEl("g", {"class": "item " + it.kind + (it.approx ? " approx" : "") + (it.bill ? " bill" : ""),
                          "data-i": i, tabindex: 0,
                          role: "button", "aria-label": it.label + ", " + it.when});
      if (it.approx || it.kind === "event") {
        var sx = x(it.span[0]);
        e.appendChild(svgEl("rect", {"class": "span", x: sx, y: c[1] - 2, width: Math.max(2, x(it.span[1]) - sx), height: 4, fill: color}));
      }
      var tx;
      if (it.kind === "event") {
        var x2 = Math.max(x(it.end), c[0] + 8);
        e.appendChild(svgEl("rect", {"class": "mark", x: c[0] - 4, y: c[1] - 5, width: x2 - c[0] + 8, height: 10, rx: 3,
                                     fill: color, stroke: color}));
        tx = x2 + 8;
      } else {
        e.appendChild(svgEl("circle", {"class": "mark", cx: c[0], cy: c[1], r: 5.5, fill: it.approx ? "#fff" : color,
                                       stroke: color}));
        tx = c[0] + 9;
      }
      e.appendChild(svgEl("text", {"class": "label", x: tx, y: c[1] + 4}, it.label));
      wire(e, i);
      g.appendChild(e);
      return e;
    });
    body.appendChild(g);
    corner.style.height = AXIS + "px";
    if (pinned !== null) { focusOn(pinned); }
  }

  // -- hover and pin -----------------------------------------------------------------------
  var pinned = null;
  function focusOn(i) {
    var keep = {}; keep[i] = true;
    data.links.forEach(function (l, n) {
      var on = l[0] === i || l[1] === i;
      if (on) { keep[l[0]] = true; keep[l[1]] = true; }
      linkEls[n].classList.toggle("on", on); linkEls[n].classList.toggle("dim", !on);
    });
    itemEls.forEach(function (g, k) { g.classList.toggle("dim", !keep[k]); g.classList.toggle("on", k === i); });
  }
  function unfocus() {
    linkEls.forEach(function (p) { p.classList.remove("on", "dim"); });
    itemEls.forEach(function (g) { g.classList.remove("on", "dim"); });
  }
  function itemCard(i, links) {
    var it = data.items[i];
    return C.card(it.title, null, it.info, it.sources, links);
  }
  function pin(i) {
    pinned = i; tip.style.display = "none"; focusOn(i);
    C.clear(detailsBody); detailsBody.appendChild(itemCard(i, true));
    details.style.display = "block";
    save();
  }
  function unpin() { pinned = null; details.style.display = "none"; unfocus(); save(); }
  function wire(g, i) {
    g.addEventListener("mouseenter", function (ev) {
      C.clear(tip); tip.appendChild(itemCard(i, false)); tip.style.display = "block";
      C.placeTip(tip, ev.clientX, ev.clientY);
      if (pinned === null) { focusOn(i); }
    });
    g.addEventListener("mousemove", function (ev) { C.placeTip(tip, ev.clientX, ev.clientY); });
    g.addEventListener("mouseleave", function () {
      tip.style.display = "none";
      if (pinned === null) { unfocus(); }
    });
    g.addEventListener("click", function () { pin(i); });
    g.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); pin(i); }
    });
  }
  document.getElementById("details-close").addEventListener("click", unpin);
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { unpin(); } });

  // -- zoom and scroll ---------------------------------------------------------------------
  function viewWidth() { return Math.max(200, scroller.clientWidth - GUTTER); }
  function leftYear() { return data.first + (scroller.scrollLeft - 8) / ppy; }
  function showRange() {
    var a = leftYear(), b = a + viewWidth() / ppy;
    range.textContent = Math.max(data.first, Math.floor(a)) + "\u2013" + Math.min(data.last, Math.ceil(b) - 1);
  }
  // Zoom about a year that stays where it is on screen (the pointer's, or the left edge's).
  function zoomTo(newPpy, anchorYear, anchorPx) {
    newPpy = Math.max(4, Math.min(600, newPpy));
    if (anchorYear === undefined) { anchorPx = viewWidth() / 2; anchorYear = leftYear() + anchorPx / ppy; }
    ppy = newPpy;
    draw();
    scroller.scrollLeft = Math.max(0, x(anchorYear) - anchorPx);
    showRange(); save();
  }
  function openOn(a, b) {
    // room on the right for the labels of the last items
    ppy = Math.max(4, Math.min(600, (data.width ? data.width : viewWidth() - 30 - Math.min(200, viewWidth() / 5)) /
                                    Math.max(1, b - a)));
    draw();
    scroller.scrollLeft = Math.max(0, x(a) - 4);
    showRange();
  }
  document.getElementById("zoom-in").addEventListener("click", function () { zoomTo(ppy * 1.5); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomTo(ppy / 1.5); });
  document.getElementById("zoom-all").addEventListener("click", function () { openOn(data.first, data.last); save(); });
  scroller.addEventListener("wheel", function (ev) {
    if (!(ev.ctrlKey || ev.metaKey || ev.altKey)) { return; }
    ev.preventDefault();
    var rect = scroller.getBoundingClientRect(), px = ev.clientX - rect.left - GUTTER;
    if (px < 0) { px = 0; }
    zoomTo(ppy * Math.exp(-ev.deltaY * 0.002), leftYear() + px / ppy, px);
  }, {passive: false});
  scroller.addEventListener("scroll", C.debounce(function () { showRange(); save(); }, 120));

  // -- state in the URL fragment: the first year shown, the zoom, the pinned item ----------
  var restoring = true;
  function save() {
    if (restoring) { return; }
    var s = {at: Math.round(leftYear() * 10) / 10, ppy: Math.round(ppy * 10) / 10};
    if (pinned !== null) { s.sel = data.items[pinned].iri; }
    C.writeFragment(s);
  }
  var s = C.readFragment();
  if (Number(s.ppy) > 0 && isFinite(Number(s.at))) {
    ppy = Math.max(4, Math.min(600, Number(s.ppy)));
    draw();
    scroller.scrollLeft = Math.max(0, x(Number(s.at)));
    showRange();
  } else {
    openOn(data.open[0], data.open[1]);
  }
  if (s.sel) {
    data.items.forEach(function (it, i) { if (it.iri === s.sel) { pin(i); } });
  }
  restoring = false;
  window.ssegraphTimeline = {items: data.items.length, links: data.links.length, ready: true,
                             zoom: function (f) { zoomTo(ppy * f); }, ppy: function () { return ppy; },
                             range: function () { var a = leftYear(); return [a, a + viewWidth() / ppy]; },
                             pin: pin, unpin: unpin, openOn: openOn, readyAt: performance.now()};
  document.body.setAttribute("data-ready", "true");
})();
