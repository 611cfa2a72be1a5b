// govdisclosure evidence viewer, index page. window.GD_INDEX = {columns, rows} comes from
// index-data.js; only one page of rows is in the DOM at a time, so 100,000 reports stay quick.
// Every value is written with textContent.
(function () {
  "use strict";
  var D = window.GD_INDEX, C = {}, PER_PAGE = 100;
  D.columns.forEach(function (c, i) { C[c] = i; });
  var view = D.rows, page = 0, sortCol = null, sortDir = 1;
  var $ = function (id) { return document.getElementById(id); };
  var tbody = document.querySelector("#reports tbody");

  function fill(select, col) {
    var seen = {};
    D.rows.forEach(function (r) { if (r[C[col]] !== null && r[C[col]] !== "") seen[r[C[col]]] = 1; });
    Object.keys(seen).sort().forEach(function (v) {
      var o = document.createElement("option");
      o.value = v; o.textContent = v; select.appendChild(o);
    });
  }
  fill($("f-province"), "province"); fill($("f-year"), "year"); fill($("f-template"), "template");

  function apply() {
    var prov = $("f-province").value, year = $("f-year").value, tpl = $("f-template").value;
    var failed = $("f-failed").checked, q = $("f-text").value.trim();
    view = D.rows.filter(function (r) {
      return (!prov || r[C.province] === prov) && (!year || String(r[C.year]) === year) &&
        (!tpl || r[C.template] === tpl) && (!failed || r[C.failed] > 0) &&
        (!q || r[C.agency].indexOf(q) >= 0 || r[C.title].indexOf(q) >= 0 || r[C.doc_id] === q);
    });
    if (sortCol !== null) {
      var k = C[sortCol];
      view.sort(function (a, b) {
        var x = a[k], y = b[k];
        if (x === y) return 0;
        if (x === null || x === "") return 1;
        if (y === null || y === "") return -1;
        return (x < y ? -1 : 1) * sortDir;
      });
    }
    page = 0;
    draw();
  }

  function cell(tr, value, cls) {
    var td = document.createElement("td");
    td.textContent = value === null ? "" : value;
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }

  function draw() {
    var pages = Math.max(1, Math.ceil(view.length / PER_PAGE));
    page = Math.min(Math.max(0, page), pages - 1);
    var frag = document.createDocumentFragment();
    view.slice(page * PER_PAGE, (page + 1) * PER_PAGE).forEach(function (r) {
      var tr = document.createElement("tr");
      if (r[C.failed] > 0) tr.className = "failed";
      var a = document.createElement("a");
      a.href = "r/" + encodeURIComponent(r[C.doc_id]) + ".html";
      a.textContent = r[C.agency] || r[C.file] || r[C.doc_id];
      cell(tr, "").appendChild(a);
      cell(tr, r[C.title]); cell(tr, r[C.province]); cell(tr, r[C.city]); cell(tr, r[C.year], "num");
      cell(tr, r[C.template]); cell(tr, r[C.facts], "num"); cell(tr, r[C.failed], "num failed-n");
      frag.appendChild(tr);
    });
    tbody.textContent = "";
    tbody.appendChild(frag);
    $("count").textContent = view.length + " of " + D.rows.length + " reports";
    $("pageinfo").textContent = "page " + (page + 1) + " of " + pages;
  }

  ["f-province", "f-year", "f-template", "f-failed"].forEach(function (id) { $(id).addEventListener("change", apply); });
  $("f-text").addEventListener("input", apply);
  $("prev").addEventListener("click", function () { page -= 1; draw(); });
  $("next").addEventListener("click", function () { page += 1; draw(); });
  document.querySelectorAll("#reports th[data-col]").forEach(function (th) {
    th.addEventListener("click", function () {
      var col = th.getAttribute("data-col");
      sortDir = sortCol === col ? -sortDir : 1;
      sortCol = col;
      document.querySelectorAll("#reports th").forEach(function (h) { h.classList.remove("asc", "desc"); });
      th.classList.add(sortDir > 0 ? "asc" : "desc");
      apply();
    });
  });
  apply();
  document.body.setAttribute("data-ready", "1");
})();
