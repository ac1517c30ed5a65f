// The desk's list of points: add, indent, outdent, move, remove, and *italic* / **bold**.
// Every change re-checks the form through htmx (the "desk-edit" event).
(function () {
  "use strict";
  var lastBody = null;

  function form() { return document.getElementById("doc"); }
  function edited() { var f = form(); if (f) f.dispatchEvent(new Event("desk-edit", { bubbles: true })); }

  function renumber() {
    var rows = document.querySelectorAll("#points > .point");
    rows.forEach(function (row, i) {
      var area = row.querySelector("textarea"), label = row.querySelector("label"), err = row.querySelector(".error");
      area.id = "point-" + i; label.htmlFor = area.id;
      err.id = "err-point-" + i; area.setAttribute("aria-describedby", err.id);
    });
  }

  function setLevel(row, level) {
    var prev = row.previousElementSibling;
    var max = prev ? Number(prev.dataset.level) + 1 : 0;
    level = Math.max(0, Math.min(level, max, 2));
    row.dataset.level = String(level);
    row.querySelector("input[name=level]").value = String(level);
  }

  function addPoint(after) {
    var template = document.getElementById("point-template");
    var row = template.content.firstElementChild.cloneNode(true);
    var list = document.getElementById("points");
    if (after) { after.after(row); setLevel(row, Number(after.dataset.level)); } else { list.appendChild(row); }
    renumber();
    row.querySelector("textarea").focus();
    edited();
  }

  function emphasise(mark) {
    var area = lastBody;
    if (!area) return;
    var start = area.selectionStart, end = area.selectionEnd, text = area.value;
    var chosen = text.slice(start, end) || "…";
    area.value = text.slice(0, start) + mark + chosen + mark + text.slice(end);
    area.focus();
    area.setSelectionRange(start + mark.length, start + mark.length + chosen.length);
    edited();
  }

  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("textarea[data-body]")) lastBody = event.target;
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.id === "add-point") { addPoint(null); return; }
    if (button.dataset.emph) { emphasise(button.dataset.emph); return; }
    var act = button.dataset.act, row = button.closest(".point");
    if (!act || !row) return;
    if (act === "indent") setLevel(row, Number(row.dataset.level) + 1);
    if (act === "outdent") setLevel(row, Number(row.dataset.level) - 1);
    if (act === "up" && row.previousElementSibling) row.previousElementSibling.before(row);
    if (act === "down" && row.nextElementSibling) row.nextElementSibling.after(row);
    if (act === "remove") {
      var next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      if (!document.querySelector("#points > .point")) { addPoint(null); return; }
      if (next) next.querySelector("textarea").focus();
    }
    if (act === "up" || act === "down") { setLevel(row, Number(row.dataset.level)); button.focus(); }
    renumber();
    edited();
  });

  // Enter at the end of a point starts the next one; Tab stays for moving between fields.
  document.addEventListener("keydown", function (event) {
    var area = event.target;
    if (event.key !== "Enter" || event.shiftKey || !area.closest || !area.closest("#points")) return;
    if (area.selectionStart === area.value.length) { event.preventDefault(); addPoint(area.closest(".point")); }
  });
})();
