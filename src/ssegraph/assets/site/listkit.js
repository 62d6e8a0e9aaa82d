/* What the list pages and the search page share: text matching, the URL fragment and CSV.
   Every value from the data reaches the page as text (textContent), never as HTML. */
(function () {
  "use strict";

  // Accent- and case-insensitive form of a text: NFD, combining marks dropped, lower case.
  function norm(s) {
    return String(s).normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  }
  // The words of a query, normalised ("  Économie  sociale " -> ["economie", "sociale"]).
  function tokens(q) {
    return norm(q).split(/\s+/).filter(function (t) { return t.length > 0; });
  }
  function matchesAll(hay, toks) {
    for (var i = 0; i < toks.length; i++) { if (hay.indexOf(toks[i]) < 0) { return false; } }
    return true;
  }

  // The fragment "#region=Western%20Africa&type=A&type=B" as {region: ["Western Africa"], type: ["A", "B"]}.
  function readFragment() {
    var out = Object.create(null), h = window.location.hash.replace(/^#/, "");
    if (!h) { return out; }
    h.split("&").forEach(function (part) {
      var i = part.indexOf("=");
      if (i <= 0) { return; }
      try {
        var k = decodeURIComponent(part.slice(0, i)), v = decodeURIComponent(part.slice(i + 1).replace(/\+/g, " "));
        if (!Object.prototype.hasOwnProperty.call(out, k)) { out[k] = []; }
        out[k].push(v);
      } catch (e) { /* a malformed part is skipped */ }
    });
    return out;
  }
  // [[key, value], ...] as a fragment ("" for none).
  function fragmentOf(pairs) {
    var parts = pairs.filter(function (kv) { return kv[1] !== null && kv[1] !== undefined && kv[1] !== ""; })
      .map(function (kv) { return encodeURIComponent(kv[0]) + "=" + encodeURIComponent(String(kv[1])); });
    return parts.length ? "#" + parts.join("&") : "";
  }
  // Put `frag` in the address: a new history entry (`push`) or in place of the current one.
  function setFragment(frag, push) {
    if (frag === window.location.hash || (!frag && !window.location.hash)) { return; }
    var url = frag || window.location.pathname + window.location.search;
    try {
      if (push) { history.pushState(null, "", url); } else { history.replaceState(null, "", url); }
    } catch (e) {
      window.location.hash = frag;
    }
  }

  // The same, a moment after the last change: the browser's history update costs several
  // milliseconds (it saves the state of every form control), too much for each keystroke. Changes
  // within the delay make one entry (a new one if any of them asked for one).
  var timer = null, pendingPush = false, pendingFrag = null;
  function scheduleFragment(fragFn, push, delay) {
    pendingPush = pendingPush || push;
    pendingFrag = fragFn;
    if (timer !== null) { clearTimeout(timer); }
    timer = setTimeout(flushFragment, delay === undefined ? 250 : delay);
  }
  function flushFragment() {
    if (timer !== null) { clearTimeout(timer); timer = null; }
    if (pendingFrag) { setFragment(pendingFrag(), pendingPush); }
    pendingFrag = null; pendingPush = false;
  }
  function cancelFragment() {
    if (timer !== null) { clearTimeout(timer); timer = null; }
    pendingFrag = null; pendingPush = false;
  }

  // CSV as `ssegraph export csv` writes it: RFC 4180 quoting, CRLF, and a cell a spreadsheet
  // would run as a formula (=, +, -, @, tab, CR first; not a number) gets a leading "'".
  var FORMULA = /^[=+\-@\t\r]/;
  function defuse(s) {
    if (FORMULA.test(s) && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) { return "'" + s; }
    return s;
  }
  function csvCell(v) {
    var s = defuse(v === null || v === undefined ? "" : String(v));
    return /[",\r\n]/.test(s) ? "\"" + s.replace(/"/g, "\"\"") + "\"" : s;
  }
  function csvText(rows) {
    return rows.map(function (r) { return r.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }
  function download(text, name) {
    var blob = new Blob([text], {type: "text/csv;charset=utf-8"});
    var a = document.createElement("a"), url = URL.createObjectURL(blob);
    a.href = url; a.download = name; a.hidden = true;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }
  // A link target computed by the site builder: a relative path inside the site, nothing else.
  function sitePath(p) {
    return typeof p === "string" && /^[A-Za-z0-9._\-\/]+$/.test(p) && p.indexOf("..") < 0 && p.charAt(0) !== "/"
      && !/^[A-Za-z][A-Za-z0-9+.\-]*:/.test(p) ? p : null;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  // 12345 -> "12,345" (toLocaleString costs a millisecond a call in Chromium)
  function fmt(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }

  window.ssegraphListKit = {norm: norm, tokens: tokens, matchesAll: matchesAll, readFragment: readFragment,
                            fragmentOf: fragmentOf, setFragment: setFragment,
                            scheduleFragment: scheduleFragment, flushFragment: flushFragment,
                            cancelFragment: cancelFragment, defuse: defuse, csvText: csvText,
                            download: download, sitePath: sitePath, el: el, fmt: fmt};
})();
