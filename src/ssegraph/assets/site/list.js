/* A faceted list page (milestones.html, organisations.html): facets, year range, search box,
   sortable table, "N of M" count, CSV download of the matching rows; the filters live in the
   URL fragment. The data is the page's site-data JSON (see ssegraph/site/lists.py): rows are
   [page path, IRI, other names, cell, cell, ...]. Values reach the page as text (textContent). */
(function () {
  "use strict";
  var K = window.ssegraphListKit, el = K.el;
  var D = JSON.parse(document.getElementById("site-data").textContent);
  var OFF = 3, cols = D.columns, rows = D.rows, N = rows.length, facets = D.facets;
  var yearCol = D.year ? D.year.col : -1;
  var collator = new Intl.Collator("en", {sensitivity: "base", numeric: true});

  // -- precomputed once: what the search box matches, each row's facet value indices ---------
  function cellText(v, sep) {
    if (v === null || v === undefined) { return ""; }
    return Array.isArray(v) ? v.join(sep) : String(v);
  }
  var hay = new Array(N);
  for (var i = 0; i < N; i++) {
    var r = rows[i], parts = [];
    for (var c = 0; c < cols.length; c++) { parts.push(cellText(r[OFF + c], "\n")); }
    parts.push(r[2].join("\n"));
    hay[i] = K.norm(parts.join("\n"));
  }
  var facetRowVals = facets.map(function (f) {
    var index = new Map();
    f.values.forEach(function (v, j) { index.set(v[0], j); });
    return rows.map(function (row) {
      var v = row[OFF + f.col];
      var list = Array.isArray(v) ? v : (v === null || v === undefined || v === "" ? [] : [String(v)]);
      return list.map(function (x) { return index.get(x); });
    });
  });

  // -- state -----------------------------------------------------------------------------------
  var defaultSort = yearCol >= 0 ? [yearCol, true] : [D.link, false];
  var defaultCols = cols.map(function (c) { return c.shown; });
  var state = {q: "", sel: facets.map(function () { return []; }), from: null, to: null,
               sort: defaultSort[0], desc: defaultSort[1], cols: defaultCols.slice()};
  var order = null, orderKey = "", matched = [], shown = D.page, lastMs = 0;

  var form = document.getElementById("filters");
  var qInput = document.getElementById("q");
  var fromInput = document.getElementById("year-from"), toInput = document.getElementById("year-to");
  var tbody = document.querySelector("#rows tbody");
  var countEl = document.getElementById("count"), moreBtn = document.getElementById("more");
  var sortedBy = document.getElementById("sorted-by");
  var share = document.getElementById("share");
  var colBoxes = Array.prototype.slice.call(document.querySelectorAll(".columns-chooser input[name=col]"));
  var ths = Array.prototype.slice.call(document.querySelectorAll("#rows thead th"));
  var panel = document.getElementById("facet-panel"), activeEl = document.getElementById("active");

  function controlsOf(fi) {
    return Array.prototype.slice.call(form.querySelectorAll("[data-facet=\"" + facets[fi].key + "\"] input, "
      + "[data-facet=\"" + facets[fi].key + "\"] select"));
  }
  var controls = facets.map(function (f, fi) { return controlsOf(fi); });

  function readControls() {
    state.q = qInput.value;
    facets.forEach(function (f, fi) {
      var chosen = [];
      controls[fi].forEach(function (ctl) {
        if (ctl.tagName === "SELECT") { if (ctl.value !== "") { chosen.push(ctl.value); } }
        else if (ctl.checked) { chosen.push(ctl.value); }
      });
      state.sel[fi] = chosen;
    });
    state.from = fromInput && fromInput.value !== "" && isFinite(+fromInput.value) ? Math.trunc(+fromInput.value) : null;
    state.to = toInput && toInput.value !== "" && isFinite(+toInput.value) ? Math.trunc(+toInput.value) : null;
  }
  function writeControls() {
    qInput.value = state.q;
    facets.forEach(function (f, fi) {
      controls[fi].forEach(function (ctl) {
        if (ctl.tagName === "SELECT") {
          var want = state.sel[fi].length ? state.sel[fi][0] : "";
          ctl.value = Array.prototype.some.call(ctl.options, function (o) { return o.value === want; }) ? want : "";
        } else { ctl.checked = state.sel[fi].indexOf(ctl.value) >= 0; }
      });
    });
    if (fromInput) { fromInput.value = state.from === null ? "" : String(state.from); }
    if (toInput) { toInput.value = state.to === null ? "" : String(state.to); }
    colBoxes.forEach(function (b, ci) { b.checked = state.cols[ci]; });
  }

  // -- the URL fragment -------------------------------------------------------------------------
  function fragment() {
    var pairs = [["q", state.q.trim()]];
    facets.forEach(function (f, fi) { state.sel[fi].forEach(function (v) { pairs.push([f.key, v]); }); });
    pairs.push(["from", state.from]); pairs.push(["to", state.to]);
    if (state.sort !== defaultSort[0] || state.desc !== defaultSort[1]) {
      pairs.push(["sort", (state.desc ? "-" : "") + cols[state.sort].key]);
    }
    if (state.cols.join() !== defaultCols.join()) {
      pairs.push(["cols", cols.filter(function (c, ci) { return state.cols[ci]; }).map(function (c) { return c.key; }).join(",")]);
    }
    return K.fragmentOf(pairs);
  }
  function fromFragment() {
    var f = K.readFragment();
    state.q = (f.q || [""])[0];
    facets.forEach(function (fc, fi) {
      var known = new Set(fc.values.map(function (v) { return v[0]; }));
      var chosen = (f[fc.key] || []).filter(function (v) { return known.has(v); });
      state.sel[fi] = fc.control === "select" ? chosen.slice(0, 1) : chosen;
    });
    function year(k) { var v = (f[k] || [""])[0]; return v !== "" && isFinite(+v) ? Math.trunc(+v) : null; }
    state.from = yearCol >= 0 ? year("from") : null;
    state.to = yearCol >= 0 ? year("to") : null;
    state.sort = defaultSort[0]; state.desc = defaultSort[1];
    var s = (f.sort || [""])[0], desc = s.charAt(0) === "-", key = desc ? s.slice(1) : s;
    cols.forEach(function (c, ci) { if (c.key === key) { state.sort = ci; state.desc = desc; } });
    if (f.cols) {
      var wanted = f.cols[0].split(",");
      state.cols = cols.map(function (c) { return wanted.indexOf(c.key) >= 0; });
      if (state.cols.indexOf(true) < 0) { state.cols = defaultCols.slice(); }
    } else { state.cols = defaultCols.slice(); }
  }

  // -- sorting ----------------------------------------------------------------------------------
  function sortValue(row, ci) {
    var v = row[OFF + ci];
    if (cols[ci].kind === "year") { return v === null || v === undefined ? null : v; }
    var t = cellText(v, "; ");
    return t === "" ? null : t;
  }
  function ensureOrder() {
    var key = state.sort + (state.desc ? "-" : "+");
    if (order && key === orderKey) { return; }
    var ci = state.sort, dir = state.desc ? -1 : 1, keys = rows.map(function (r) { return sortValue(r, ci); });
    var numeric = cols[ci].kind === "year";
    order = rows.map(function (r, idx) { return idx; });
    order.sort(function (a, b) {
      var x = keys[a], y = keys[b];
      if (x === null || y === null) { return x === y ? a - b : (x === null ? 1 : -1); }  // empty cells last
      var d = numeric ? x - y : collator.compare(x, y);
      return d !== 0 ? dir * d : a - b;
    });
    orderKey = key;
  }

  // -- filtering --------------------------------------------------------------------------------
  function apply() {
    var t0 = performance.now();
    ensureOrder();
    var toks = K.tokens(state.q), nf = facets.length;
    var want = facets.map(function (f, fi) {
      if (!state.sel[fi].length) { return null; }
      var w = new Uint8Array(f.values.length);
      state.sel[fi].forEach(function (v) {
        for (var j = 0; j < f.values.length; j++) { if (f.values[j][0] === v) { w[j] = 1; } }
      });
      return w;
    });
    var counts = facets.map(function (f) { return new Uint32Array(f.values.length); });
    var from = state.from, to = state.to, hasYear = from !== null || to !== null;
    var out = [], bitOther = (1 << (nf + 1)) - 1;
    for (var k = 0; k < N; k++) {
      var i = order[k], mask = 0;
      if (toks.length && !K.matchesAll(hay[i], toks)) { mask |= 1 << nf; }
      if (hasYear) {
        var y = rows[i][OFF + yearCol];
        if (y === null || y === undefined || (from !== null && y < from) || (to !== null && y > to)) { mask |= 1 << nf; }
      }
      for (var fi = 0; fi < nf; fi++) {
        var w = want[fi];
        if (w === null) { continue; }
        var vals = facetRowVals[fi][i], hit = false;
        for (var j = 0; j < vals.length; j++) { if (w[vals[j]]) { hit = true; break; } }
        if (!hit) { mask |= 1 << fi; }
      }
      if (mask === 0) { out.push(i); }
      // a facet's counts: the rows every other filter lets through
      for (fi = 0; fi < nf; fi++) {
        if ((mask & (bitOther ^ (1 << fi))) !== 0) { continue; }
        var vs = facetRowVals[fi][i];
        for (j = 0; j < vs.length; j++) { counts[fi][vs[j]]++; }
      }
    }
    matched = out;
    updateCounts(counts);
    render();
    lastMs = performance.now() - t0;
    return lastMs;
  }

  // The counts beside the facet values. A <select> can hold hundreds of values, so its option
  // texts are brought up to date when it is about to be used (focus, pointer), not at each keystroke.
  var lastCounts = null, staleSelect = facets.map(function () { return false; });
  function refreshSelect(fi) {
    if (!staleSelect[fi] || !lastCounts) { return; }
    var f = facets[fi], sel = controls[fi][0], c = lastCounts[fi];
    for (var j = 0; j < f.values.length; j++) {
      var o = sel.options[j + 1], text = f.values[j][0] + " (" + c[j] + ")";
      if (o.textContent !== text) { o.textContent = text; }
    }
    staleSelect[fi] = false;
  }
  function updateCounts(counts) {
    lastCounts = counts;
    facets.forEach(function (f, fi) {
      if (f.control === "select") {
        staleSelect[fi] = true;
        if (document.activeElement === controls[fi][0]) { refreshSelect(fi); }
      } else {
        controls[fi].forEach(function (ctl, j) {
          var n = ctl.parentNode.querySelector(".n"), text = "(" + counts[fi][j] + ")";
          if (n && n.textContent !== text) { n.textContent = text; }
        });
      }
    });
  }
  facets.forEach(function (f, fi) {
    if (f.control !== "select") { return; }
    ["focus", "pointerdown", "mouseenter"].forEach(function (ev) {
      controls[fi][0].addEventListener(ev, function () { refreshSelect(fi); });
    });
  });

  function cellNode(row, ci) {
    var td = el("td"), v = row[OFF + ci];
    td.setAttribute("data-label", cols[ci].label);
    var text = cellText(v, "; ");
    if (ci === D.link) {
      td.className = "main-cell";
      var href = K.sitePath(row[0]);
      if (href) {
        var a = el("a", null, text); a.href = href;
        td.appendChild(a);
        return td;
      }
    }
    td.textContent = text;
    return td;
  }

  var drawn = null;  // what the table shows: the columns, then the row indices
  function render() {
    var frag = document.createDocumentFragment(), n = Math.min(shown, matched.length);
    var visible = [];
    for (var ci = 0; ci < cols.length; ci++) { if (state.cols[ci]) { visible.push(ci); } }
    var now = visible.join() + "|" + matched.slice(0, n).join();
    if (now !== drawn) {  // a keystroke that leaves the drawn rows as they are costs no drawing
      for (var k = 0; k < n; k++) {
        var row = rows[matched[k]], tr = document.createElement("tr");
        for (var vi = 0; vi < visible.length; vi++) { tr.appendChild(cellNode(row, visible[vi])); }
        frag.appendChild(tr);
      }
      tbody.textContent = "";
      tbody.appendChild(frag);
      drawn = now;
    }
    countEl.textContent = K.fmt(matched.length) + " of " + K.fmt(N) + " " + (N === 1 ? D.singular : D.plural);
    if (matched.length > n) {
      moreBtn.hidden = false;
      moreBtn.textContent = "Show " + K.fmt(Math.min(D.page, matched.length - n)) + " more (" + K.fmt(n)
        + " of " + K.fmt(matched.length) + " shown)";
    } else { moreBtn.hidden = true; }
    ths.forEach(function (th, ci) {
      if (th.hidden !== !state.cols[ci]) { th.hidden = !state.cols[ci]; }
      var sort = ci === state.sort ? (state.desc ? "descending" : "ascending") : null;
      if (th.getAttribute("aria-sort") !== sort) {
        if (sort) { th.setAttribute("aria-sort", sort); } else { th.removeAttribute("aria-sort"); }
        th.querySelector(".arrow").textContent = sort ? (state.desc ? " \u25bc" : " \u25b2") : "";
      }
    });
    sortedBy.textContent = cols[state.sort].label + (state.desc ? ", descending" : ", ascending");
    share.href = window.location.pathname.split("/").pop() + fragment();
    var active = state.sel.filter(function (v) { return v.length > 0; }).length
      + (state.from !== null || state.to !== null ? 1 : 0);
    activeEl.textContent = active ? "(" + active + " set)" : "";
  }

  // -- events -----------------------------------------------------------------------------------
  var lastWasTyping = false;
  function changed(typing) {
    readControls();
    shown = D.page;
    apply();
    // a typing session is one history entry; every other change is an entry of its own
    K.scheduleFragment(fragment, !(typing && lastWasTyping));
    lastWasTyping = typing;
  }
  qInput.addEventListener("input", function () { changed(true); });
  form.addEventListener("change", function (e) { if (e.target !== qInput) { changed(false); } });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  colBoxes.forEach(function (b, ci) {
    b.addEventListener("change", function () {
      state.cols[ci] = b.checked;
      if (state.cols.indexOf(true) < 0) { state.cols[ci] = b.checked = true; }  // keep one column
      render();
      K.scheduleFragment(fragment, true);
      lastWasTyping = false;
    });
  });
  [fromInput, toInput].forEach(function (inp) {
    if (inp) { inp.addEventListener("input", function () { if (inp.validity.valid) { changed(true); } }); }
  });
  document.getElementById("clear").addEventListener("click", function () {
    state.q = ""; state.sel = facets.map(function () { return []; }); state.from = null; state.to = null;
    writeControls();
    changed(false);
    qInput.focus();
  });
  Array.prototype.forEach.call(document.querySelectorAll("#rows thead button.sort"), function (b) {
    b.addEventListener("click", function () {
      var ci = +b.getAttribute("data-col");
      if (state.sort === ci) { state.desc = !state.desc; }
      else { state.sort = ci; state.desc = cols[ci].kind === "year"; }
      apply();
      K.scheduleFragment(fragment, true);
      lastWasTyping = false;
    });
  });
  moreBtn.addEventListener("click", function () {
    var first = Math.min(shown, matched.length);
    shown += D.page;
    render();
    var next = tbody.rows[first];  // keyboard users continue where the new rows start
    if (next) { var a = next.querySelector("a"); (a || moreBtn).focus(); }
  });
  document.getElementById("download").addEventListener("click", function () {
    var visible = [];
    cols.forEach(function (c, ci) { if (state.cols[ci]) { visible.push(ci); } });
    var out = [["IRI"].concat(visible.map(function (ci) { return cols[ci].label; }))];
    matched.forEach(function (i) {
      var row = rows[i], line = [row[1]];
      visible.forEach(function (ci) { line.push(cellText(row[OFF + ci], " | ")); });
      out.push(line);
    });
    K.download(K.csvText(out), D.file);
  });
  function restore() {
    K.cancelFragment();
    if (window.location.hash === fragment()) { return; }
    fromFragment();
    writeControls();
    shown = D.page;
    apply();
    lastWasTyping = false;
  }
  window.addEventListener("pagehide", K.flushFragment);
  window.addEventListener("popstate", restore);
  window.addEventListener("hashchange", restore);
  // printing: every matching row, not only those drawn so far
  window.addEventListener("beforeprint", function () { if (shown < matched.length) { shown = matched.length; render(); } });

  fromFragment();
  writeControls();
  apply();
  // on a phone the filters start folded (unless the link set some), so the rows come first
  if (window.matchMedia && window.matchMedia("(max-width: 50rem)").matches && !activeEl.textContent) {
    panel.open = false;
  }
  window.ssegraphList = {
    apply: apply, state: state, matched: function () { return matched.slice(); },
    rowsOf: function (idx) { return idx.map(function (i) { return rows[i]; }); },
    lastMs: function () { return lastMs; }, columns: cols, total: N,
    // rows drawn at first and per "show more" (the benchmark compares the page with all rows drawn)
    setPage: function (n) { D.page = shown = n; apply(); }
  };
  document.body.setAttribute("data-ready", "true");
})();
