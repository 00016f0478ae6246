(function () {
  "use strict";
  var panel = document.getElementById("evidence");
  var body = document.getElementById("evidence-body");
  var opener = null;

  function openEvidence(btn) {
    var t = document.getElementById("ev-" + btn.getAttribute("data-ev"));
    if (!t) { return; }
    body.replaceChildren(t.content.cloneNode(true));
    document.querySelectorAll("button.cell[aria-pressed=true]").forEach(function (b) {
      b.setAttribute("aria-pressed", "false");
    });
    btn.setAttribute("aria-pressed", "true");
    opener = btn;
    panel.hidden = false;
    panel.focus();
  }

  function closeEvidence() {
    panel.hidden = true;
    if (opener) {
      opener.setAttribute("aria-pressed", "false");
      opener.focus();
    }
  }

  document.addEventListener("click", function (e) {
    var b = e.target.closest("button");
    if (!b) { return; }
    if (b.classList.contains("cell")) {
      openEvidence(b);
    } else if (b.classList.contains("cases-toggle")) {
      var row = document.getElementById(b.getAttribute("aria-controls"));
      var on = b.getAttribute("aria-expanded") !== "true";
      b.setAttribute("aria-expanded", String(on));
      row.hidden = !on;
    } else if (b.id === "evidence-close") {
      closeEvidence();
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !panel.hidden) { closeEvidence(); }
  });

  var fd = document.getElementById("f-decision");
  var fr = document.getElementById("f-reason");
  var fs = document.getElementById("f-search");
  var count = document.getElementById("f-count");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#records tbody tr"));
  function filter() {
    var d = fd.value;
    var r = fr.value;
    var q = fs.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (tr) {
      var ok = (!d || tr.getAttribute("data-decision") === d) &&
        (!r || tr.getAttribute("data-reason") === r) &&
        (!q || tr.textContent.toLowerCase().indexOf(q) !== -1);
      tr.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " records shown";
  }
  fd.addEventListener("change", filter);
  fr.addEventListener("change", filter);
  fs.addEventListener("input", filter);
  filter();

  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("tr.cases").forEach(function (tr) { tr.hidden = false; });
  });
}());
