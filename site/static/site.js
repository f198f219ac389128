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

  // Case- and accent-insensitive: "erdogan" finds "Erdoğan".
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function setupSearch() {
    var form = document.getElementById("search");
    if (!form) return;
    var input = document.getElementById("q");
    var list = document.getElementById("results");
    var count = document.getElementById("count");
    var root = document.body.dataset.root;
    var index = null;
    function run() {
      // Only the names, summaries and quotes are searched; the description under a quote is context.
      index = index || (window.DIPLONEWS_SEARCH || []).map(function (e) { return [fold(e[1]), e]; });
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      list.replaceChildren();
      if (!words.length) { count.textContent = ""; return; }
      var hits = index.filter(function (entry) {
        return words.every(function (w) { return entry[0].indexOf(w) !== -1; });
      });
      count.textContent = hits.length + " result" + (hits.length === 1 ? "" : "s") + (hits.length > 200 ? ", the first 200 shown" : "");
      hits.slice(0, 200).forEach(function (entry) {
        var e = entry[1];
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
