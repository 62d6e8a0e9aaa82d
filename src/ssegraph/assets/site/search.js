/* search.html: every entity of the site by its names in every language (labels, acronyms,
   symbols), matched accent- and case-insensitively; each result links to the entity's page.
   Data: {kinds: [[key, label, plural]], entities: [[label, kind index, page path, [names]]]}.
   The query and the kinds live in the URL fragment (#q=ilo&kind=organisation). Text only. */
(function () {
  "use strict";
  var K = window.ssegraphListKit, el = K.el;
  var D = JSON.parse(document.getElementById("site-data").textContent);
  var ents = D.entities, kinds = D.kinds, N = ents.length;
  // each entity's names, normalised: [label, ...names]; and all of them joined, to match every word
  var normNames = new Array(N), hay = new Array(N);
  for (var i = 0; i < N; i++) {
    var names = [ents[i][0]].concat(ents[i][3]).map(K.norm);
    normNames[i] = names;
    hay[i] = names.join("\n");
  }
  // ties are broken by kind, then shorter label, then label: that order is fixed, so it is ranked
  // once here and a search sorts plain numbers (rank * N + this position) in a typed array
  var byPre = new Uint32Array(N), preOf = new Uint32Array(N);
  (function () {
    var idx = [];
    for (var i = 0; i < N; i++) { idx.push(i); }
    idx.sort(function (a, b) {
      var x = ents[a], y = ents[b];
      return x[1] - y[1] || x[0].length - y[0].length || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : a - b);
    });
    idx.forEach(function (i, pos) { byPre[pos] = i; preOf[i] = pos; });
  })();
  var keyBuf = new Float64Array(N), whichOf = new Int32Array(N);
  var form = document.getElementById("search-form"), qInput = document.getElementById("q");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=kind]"));
  var list = document.getElementById("results"), countEl = document.getElementById("count");
  var moreBtn = document.getElementById("more");
  var results = new Float64Array(0), shown = D.page, lastMs = 0;

  function wantedKinds() {
    var w = new Uint8Array(kinds.length), any = false;
    boxes.forEach(function (b, j) { if (b.checked) { w[j] = 1; any = true; } });
    if (!any) { for (var j = 0; j < kinds.length; j++) { w[j] = 1; } }
    return w;
  }
  // 0: a name is the query; 1: a name starts with it; 2: a word of a name does; 3: a name holds it;
  // 4: its words are spread over several names. Sets whichOf[i], the best name; returns the rank.
  function rank(i, q) {
    var best = 5, which = 0, names = normNames[i];
    for (var j = 0; j < names.length; j++) {
      var s = names[j];
      var r = s === q ? 0 : s.indexOf(q) === 0 ? 1 : (" " + s).indexOf(" " + q) >= 0 ? 2 : s.indexOf(q) >= 0 ? 3 : 4;
      if (r < best) { best = r; which = j; }
    }
    whichOf[i] = best === 4 ? 0 : which;
    return best;
  }
  function hitOf(k) {  // the k-th result: [entity index, best name index]
    var i = byPre[results[k] % N];
    return [i, whichOf[i]];
  }

  function search() {
    var t0 = performance.now(), q = qInput.value, toks = K.tokens(q), whole = toks.join(" ");
    var w = wantedKinds(), m = 0, perKind = new Uint32Array(kinds.length);
    if (toks.length) {
      for (var i = 0; i < N; i++) {
        if (!K.matchesAll(hay[i], toks)) { continue; }
        var kind = ents[i][1];
        perKind[kind]++;
        if (!w[kind]) { continue; }
        keyBuf[m++] = rank(i, whole) * N + preOf[i];
      }
    }
    results = keyBuf.slice(0, m).sort();
    boxes.forEach(function (b, j) {
      b.parentNode.querySelector(".n").textContent = toks.length ? "(" + perKind[j] + ")" : "";
    });
    render(toks.length > 0);
    lastMs = performance.now() - t0;
    return lastMs;
  }

  function render(asked) {
    list.textContent = "";
    var frag = document.createDocumentFragment(), n = Math.min(shown, results.length);
    for (var k = 0; k < n; k++) {
      var hit = hitOf(k), e = ents[hit[0]], li = el("li"), href = K.sitePath(e[2]);
      var title = href ? el("a", "result-label", e[0]) : el("span", "result-label", e[0]);
      if (href) { title.href = href; }
      li.appendChild(title);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "result-kind", kinds[e[1]][1]));
      if (hit[1] > 0) {  // it matched another name than the label: say which
        li.appendChild(el("span", "result-alias", e[3][hit[1] - 1]));
      }
      frag.appendChild(li);
    }
    list.appendChild(frag);
    if (!asked) {
      countEl.textContent = "Type to search " + K.fmt(N) + " entities.";
    } else {
      countEl.textContent = K.fmt(results.length) + (results.length === 1 ? " result" : " results")
        + " for \u201c" + qInput.value.trim() + "\u201d";
    }
    if (results.length > n) {
      moreBtn.hidden = false;
      moreBtn.textContent = "Show " + K.fmt(Math.min(D.page, results.length - n)) + " more (" + K.fmt(n) + " of "
        + K.fmt(results.length) + " shown)";
    } else { moreBtn.hidden = true; }
  }

  function fragment() {
    var pairs = [["q", qInput.value.trim()]];
    boxes.forEach(function (b) { if (b.checked) { pairs.push(["kind", b.value]); } });
    return K.fragmentOf(pairs);
  }
  var lastWasTyping = false;
  function changed(typing) {
    shown = D.page;
    search();
    K.scheduleFragment(fragment, !(typing && lastWasTyping));
    lastWasTyping = typing;
  }
  function restore() {
    K.cancelFragment();
    if (window.location.hash === fragment()) { return; }
    var f = K.readFragment();
    qInput.value = (f.q || [""])[0];
    boxes.forEach(function (b) { b.checked = (f.kind || []).indexOf(b.value) >= 0; });
    shown = D.page;
    search();
    lastWasTyping = false;
  }
  qInput.addEventListener("input", function () { changed(true); });
  form.addEventListener("change", function (e) { if (e.target !== qInput) { changed(false); } });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var first = list.querySelector("a");
    if (first) { first.focus(); }
  });
  moreBtn.addEventListener("click", function () {
    var first = Math.min(shown, results.length);
    shown += D.page;
    render(true);
    var a = list.children[first] && list.children[first].querySelector("a");
    (a || moreBtn).focus();
  });
  window.addEventListener("pagehide", K.flushFragment);
  window.addEventListener("popstate", restore);
  window.addEventListener("hashchange", restore);

  restore();
  if (!window.location.hash) { search(); }
  window.ssegraphSearch = {search: search,
                           results: function () { return Array.from(results, function (key) { return ents[byPre[key % N]]; }); },
                           lastMs: function () { return lastMs; }, total: N};
  document.body.setAttribute("data-ready", "true");
})();
