// diplonews evidence browser: layer toggles and pop-ups on article pages, event filters, search.
// The pages are complete without this script; it only adds interaction.
(function () {
  "use strict";

  function setupArticle() {
    var text = document.getElementById("text");
    if (!text) return;
    var pop = document.getElementById("pop");
    document.querySelectorAll("input.toggle").forEach(function (box) {
      box.hidden = false;
      box.addEventListener("change", function () {
        text.classList.toggle("off-" + box.dataset.layer, !box.checked);
      });
    });
    // A pop-up lists every span around the words under the pointer or focus, innermost first,
    // each with what it is and links, copied from its row in the annotation tables.
    function show(mark) {
      pop.replaceChildren();
      for (var m = mark; m && m !== text; m = m.parentElement) {
        if (!m.matches("mark.hl") || text.classList.contains("off-" + m.dataset.layer)) continue;
        var row = document.getElementById("n-" + m.dataset.k);
        if (!row) continue;
        var p = document.createElement("p");
        var layer = document.createElement("span");
        layer.className = "layer";
        layer.textContent = m.dataset.layer + " ";
        p.appendChild(layer);
        row.querySelector("td.what").childNodes.forEach(function (node) {
          if (!(node.classList && node.classList.contains("goto"))) p.appendChild(node.cloneNode(true));
        });
        var rows = document.createElement("a");
        rows.href = "#n-" + m.dataset.k;
        rows.textContent = " (row)";
        p.appendChild(rows);
        pop.appendChild(p);
      }
      if (!pop.childNodes.length) { pop.hidden = true; return; }
      var box = mark.getBoundingClientRect();
      pop.style.left = Math.max(8, window.scrollX + box.left) + "px";
      pop.style.top = (window.scrollY + box.bottom + 6) + "px";
      pop.hidden = false;
    }
    // The pop-up outlives the pointer leaving a highlight by a moment, so that the pointer can
    // cross the gap to it and follow its links.
    var hiding = null;
    document.addEventListener("mouseover", function (e) {
      clearTimeout(hiding);
      var mark = text.contains(e.target) && e.target.closest("mark.hl");
      if (mark) show(mark);
      else if (!pop.contains(e.target)) hiding = setTimeout(function () { pop.hidden = true; }, 400);
    });
    text.addEventListener("focusin", function (e) {
      if (e.target.matches("mark.hl")) show(e.target);
    });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") pop.hidden = true; });
  }

  function setupEventFilters() {
    var form = document.getElementById("filters");
    var table = document.getElementById("events");
    if (!form || !table) return;
    form.hidden = false;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    function apply() {
      var type = form.elements.type.value, status = form.elements.status.value;
      var from = form.elements.from.value, to = form.elements.to.value, shown = 0;
      rows.forEach(function (row) {
        var d = row.dataset;
        // Dates are ISO strings, so string comparison is date comparison; an undated event
        // is hidden as soon as a date bound is set.
        var ok = (!type || d.type === type) && (!status || d.status === status) &&
          (!from || (d.end && d.end >= from)) && (!to || (d.start && d.start <= to));
        row.hidden = !ok;
        if (ok) shown++;
      });
      document.getElementById("shown").textContent = shown + " of " + rows.length + " shown";
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    apply();
  }

  // Case- and accent-insensitive: "erdogan" finds "Erdoğan". Matches fold() and the word
  // pattern in site/search.py, which built the index.
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function words(s) {
    return fold(s).match(/[\p{L}\p{N}]+/gu) || [];
  }
  function shardName(prefix) {
    return Array.from(prefix).map(function (c) { return c.codePointAt(0).toString(16); }).join("-") + ".js";
  }

  // Every entry whose words begin with every word of the query. The index is sharded by the first
  // three letters of each word (a shorter word is its own key): only the shard of the query's
  // longest word (not a stopword, not a number) is loaded, so a two-letter query word matches
  // whole words only.
  function setupSearch() {
    var form = document.getElementById("search");
    if (!form) return;
    var input = document.getElementById("q");
    var list = document.getElementById("results");
    var count = document.getElementById("count");
    var root = document.body.dataset.root;
    var stop = new Set(form.dataset.stopwords.split(" "));
    var shards = {};
    var pending = null;
    var totals = {};
    window.DIPLONEWS_SHARD = function (entries, total) {
      shards[pending] = entries.map(function (e) { return [words(e[1]), e]; });
      totals[pending] = total;
      pending = null;
      run();
    };
    function render(hits, key) {
      list.replaceChildren();
      count.textContent = hits.length + " result" + (hits.length === 1 ? "" : "s") +
        (hits.length > 200 ? ", the first 200 shown" : "") +
        (totals[key] > shards[key].length ? " (searched the first " + shards[key].length + " of " + totals[key] +
         " entries with a word beginning \u201c" + key + "\u201d: search a longer, rarer word)" : "");
      hits.slice(0, 200).forEach(function (e) {
        var li = document.createElement("li");
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = e[0];
        var a = document.createElement("a");
        a.href = root + e[2];
        a.textContent = e[1];
        li.append(kind, a);
        if (e[3]) {
          var small = document.createElement("small");
          small.textContent = e[3];
          li.appendChild(small);
        }
        list.appendChild(li);
      });
    }
    function run() {
      var query = words(input.value);
      var keys = query.filter(function (w) { return w.length >= 2 && !stop.has(w) && !/^[0-9]+$/.test(w); });
      if (!keys.length) { list.replaceChildren(); count.textContent = query.length ? "Type a longer word." : ""; return; }
      var key = keys.reduce(function (a, b) { return b.length > a.length ? b : a; }).slice(0, 3);
      if (!(key in shards)) {
        if (pending) return;  // one shard at a time; run() again when it has arrived
        pending = key;
        var script = document.createElement("script");
        script.src = root + "search/" + shardName(key);
        script.onerror = function () { shards[key] = []; pending = null; run(); };
        document.head.appendChild(script);
        count.textContent = "Searching…";
        return;
      }
      render(shards[key].filter(function (entry) {
        return query.every(function (q) { return entry[0].some(function (w) { return w.startsWith(q); }); });
      }).map(function (entry) { return entry[1]; }), key);
    }
    input.value = new URLSearchParams(window.location.search).get("q") || "";
    input.addEventListener("input", run);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
      run();
    });
    run();
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupArticle();
    setupEventFilters();
    setupSearch();
  });
})();
