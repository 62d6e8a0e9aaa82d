/* Helpers shared by the network view and the timeline. Every value from the data reaches the
   page as text (textContent), never as HTML; only http(s) URLs become links. */
(function () {
  "use strict";

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
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
  function readData(id) { return JSON.parse(document.getElementById(id).textContent); }

  // A card: a title, an optional subtitle, a definition list and the sources, each with the
  // quote that supports the statement. `links` false gives plain text (hover tooltips, whose
  // links could not be reached before they vanish).
  function card(title, subtitle, info, sources, links) {
    var box = el("div", "card");
    box.appendChild(el("div", "card-title", title));
    if (subtitle) { box.appendChild(el("div", "key", subtitle)); }
    if (info && info.length) {
      var dl = el("dl");
      info.forEach(function (kv) { dl.appendChild(el("dt", null, kv[0])); dl.appendChild(el("dd", null, kv[1])); });
      box.appendChild(dl);
    }
    if (sources && sources.length) {
      box.appendChild(el("div", "key", sources.length > 1 ? "Sources" : "Source"));
      var ul = el("ul", "sources");
      sources.forEach(function (s) {
        var u = typeof s === "string" ? s : s[0], quote = typeof s === "string" ? "" : s[1];
        var li = el("li"), href = safeUrl(u);
        if (href && links !== false) {
          var a = el("a", null, shortUrl(u));
          a.href = href; a.target = "_blank"; a.rel = "noopener noreferrer";
          li.appendChild(a);
        } else { li.appendChild(document.createTextNode(u)); }
        if (quote && links !== false) { li.appendChild(el("blockquote", null, "\u201c" + quote + "\u201d")); }
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    return box;
  }

  // View state in the URL fragment: "#sel=id%3Ailo&from=2015&to=2023". Values are
  // percent-encoded; unknown keys are ignored, so an old link still opens.
  function readFragment() {
    var out = {}, h = window.location.hash.replace(/^#/, "");
    if (!h) { return out; }
    h.split("&").forEach(function (part) {
      var i = part.indexOf("=");
      if (i <= 0) { return; }
      try { out[decodeURIComponent(part.slice(0, i))] = decodeURIComponent(part.slice(i + 1)); } catch (e) { /* skip */ }
    });
    return out;
  }
  function writeFragment(state) {
    var parts = [];
    Object.keys(state).forEach(function (k) {
      var v = state[k];
      if (v === null || v === undefined || v === "") { return; }
      parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(String(v)).replace(/%2C/g, ","));
    });
    var frag = parts.length ? "#" + parts.join("&") : "";
    if (frag === window.location.hash || (!frag && !window.location.hash)) { return; }
    try {
      history.replaceState(null, "", frag || window.location.pathname + window.location.search);
    } catch (e) {
      window.location.hash = frag;
    }
  }
  // Run fn at most once per `ms`, after the last call (zoom and pan fire many events).
  function debounce(fn, ms) {
    var t = null;
    return function () {
      var args = arguments;
      if (t !== null) { clearTimeout(t); }
      t = setTimeout(function () { t = null; fn.apply(null, args); }, ms);
    };
  }
  function placeTip(tip, x, y) {
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var left = x + 14, top = y + 14;
    if (left + w > window.innerWidth - 4) { left = x - w - 14; }
    if (top + h > window.innerHeight - 4) { top = y - h - 14; }
    tip.style.left = Math.max(4, left) + "px"; tip.style.top = Math.max(4, top) + "px";
  }
  function download(blob, name) {
    var a = el("a");
    a.href = URL.createObjectURL(blob); a.download = name;
    document.body.appendChild(a); a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  window.ssegraphCommon = {el: el, clear: clear, safeUrl: safeUrl, shortUrl: shortUrl, readData: readData,
                           card: card, readFragment: readFragment, writeFragment: writeFragment,
                           debounce: debounce, placeTip: placeTip, download: download};
})();
