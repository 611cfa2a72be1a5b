// govdisclosure evidence viewer, report page. The HTML is complete without this script; it adds the
// links between a figure and its evidence. Report text is only ever read with textContent and
// written with textContent, never as HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("gd-data").textContent);
  var text = document.getElementById("text");
  var left = document.getElementById("left");
  var detail = document.getElementById("detail");
  var CROP_CONTEXT = 60; // points of page shown above and below the evidence

  function marks(id) { return text.querySelectorAll('mark[data-f="' + id + '"]'); }
  function cells(id) { return left.querySelectorAll('[data-f="' + id + '"]'); }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function flash(list) {
    each(list, function (el) {
      el.classList.remove("flash");
      void el.offsetWidth; // restart the animation
      el.classList.add("flash");
    });
  }

  function select(id) {
    each(left.querySelectorAll(".selected"), function (el) { el.classList.remove("selected"); });
    each(text.querySelectorAll("mark.sel"), function (el) { el.classList.remove("sel"); });
    each(cells(id), function (el) { el.classList.add("selected"); });
    each(marks(id), function (el) { el.classList.add("sel"); });
    showDetail(id);
  }

  // Cell -> evidence: the text pane scrolls to the first piece and every piece flashes.
  function toEvidence(id) {
    select(id);
    var found = marks(id);
    if (found.length) {
      found[0].scrollIntoView({ block: "center", inline: "nearest" });
      flash(found);
    }
  }

  // Evidence -> cell, and back again from the detail box.
  function toCell(id) {
    select(id);
    var found = cells(id);
    if (found.length) {
      found[0].scrollIntoView({ block: "center", inline: "nearest" });
      flash(found);
    }
  }

  function el(tag, cls, txt) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (txt !== undefined) node.textContent = txt;
    return node;
  }

  function button(label, fn) {
    var b = el("button", "", label);
    b.type = "button";
    b.addEventListener("click", fn);
    return b;
  }

  function showDetail(id, others) {
    var f = data.facts[id];
    detail.textContent = "";
    detail.hidden = false;
    var head = el("div");
    head.appendChild(el("span", "val", f[3] + " " + f[4]));
    head.appendChild(document.createTextNode("  " + f[0] + "  "));
    head.appendChild(el("code", "", f[1] + (f[2] ? " / " + f[2] : "") + " · " + f[5]));
    detail.appendChild(head);
    var evidence = "";
    each(marks(id), function (m) { evidence += m.textContent; });
    detail.appendChild(el("span", "ev-text", evidence === "" ? "(blank cell, read as 0)" : evidence));
    var row = el("div");
    row.appendChild(button("→ evidence", function () { toEvidence(id); }));
    row.appendChild(button("← cell", function () { toCell(id); }));
    (others || []).forEach(function (o) {
      row.appendChild(button("also: " + data.facts[o][0], function () { toCell(o); }));
    });
    detail.appendChild(row);
    (data.cellChecks[f[6]] || []).forEach(function (k) {
      var c = data.checks[k];
      detail.appendChild(el("div", c[1] === "info" ? "" : "fails", c[1] + " " + c[0] + ": " + c[2]));
    });
    if (f[7]) detail.appendChild(crop(f[7]));
    else if (Object.keys(data.images).length) {
      // A PDF whose pages are shown, but this figure's text was not found on them exactly once.
      detail.appendChild(el("div", "meta", "Not located on the PDF pages (its text occurs there more than once or not at all)."));
    }
  }

  // The page region around the evidence: the rendered page, cropped to a band, with the box drawn.
  function crop(region) {
    var image = data.images[String(region[0])];
    var width = detail.clientWidth - 20;
    var scale = width / image[1];
    var top = Math.max(0, region[2] - CROP_CONTEXT);
    var bottom = Math.min(image[2], region[4] + CROP_CONTEXT);
    var box = el("div", "crop");
    box.style.width = width + "px";
    box.style.height = (bottom - top) * scale + "px";
    box.title = "PDF page " + (region[0] + 1);
    var img = el("img");
    img.src = image[0];
    img.alt = "PDF page " + (region[0] + 1);
    img.style.width = image[1] * scale + "px";
    img.style.top = -top * scale + "px";
    box.appendChild(img);
    var mark = el("div", "box");
    mark.style.left = (region[1] * scale - 3) + "px";
    mark.style.top = ((region[2] - top) * scale - 3) + "px";
    mark.style.width = ((region[3] - region[1]) * scale + 6) + "px";
    mark.style.height = ((region[4] - region[2]) * scale + 6) + "px";
    box.appendChild(mark);
    var caption = el("div", "meta", "PDF page " + (region[0] + 1));
    var wrap = el("div");
    wrap.appendChild(box);
    wrap.appendChild(caption);
    return wrap;
  }

  left.addEventListener("click", function (event) {
    var target = event.target.closest("[data-f]");
    if (target && !detail.contains(target)) { toEvidence(+target.getAttribute("data-f")); return; }
    var check = event.target.closest("button.cells");
    if (check) {
      var keys = data.checks[+check.getAttribute("data-c")][3];
      var found = [];
      keys.forEach(function (k) {
        each(left.querySelectorAll('[data-k="' + CSS.escape(k) + '"]'), function (c) { found.push(c); });
      });
      if (found.length) { found[0].scrollIntoView({ block: "center" }); flash(found); }
    }
  });
  left.addEventListener("keydown", function (event) {
    var target = event.target.closest("[data-f]");
    if (target && event.key === "Enter") toEvidence(+target.getAttribute("data-f"));
  });
  // A click on evidence goes to the innermost figure's cell; the figures around it are offered too.
  text.addEventListener("click", function (event) {
    var mark = event.target.closest("mark[data-f]");
    if (!mark) return;
    var ids = [];
    for (var m = mark; m && m !== text; m = m.parentElement) {
      if (m.matches("mark[data-f]")) ids.push(+m.getAttribute("data-f"));
    }
    toCell(ids[0]);
    showDetail(ids[0], ids.slice(1));
  });
  document.body.setAttribute("data-ready", "1");
})();
