// Printing the report page (app.css, @media print).
// - A textarea prints only the lines it shows, so the page carries a print-only copy of each
//   long text ([data-print-of="<field name>"], written by the server); this keeps the copies
//   equal to the fields: while typing, and just before printing (a value restored from this
//   browser's storage arrives without an event).
// - [data-print-head] names the report (unit · period · status): it goes into the top margin
//   of every printed sheet. A margin box takes only a CSS string, so it is written here,
//   quoted, rather than in the template.
(function () {
  "use strict";
  function refresh(copy) {
    var source = document.querySelector('[name="' + copy.dataset.printOf + '"]');
    if (source && copy.textContent !== source.value) copy.textContent = source.value;
  }
  document.addEventListener("input", function (e) {
    var name = e.target && e.target.name;
    if (!name) return;
    document.querySelectorAll("[data-print-of]").forEach(function (copy) {
      if (copy.dataset.printOf === name) refresh(copy);
    });
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("[data-print-of]").forEach(refresh);
  });

  var head = document.querySelector("[data-print-head]");
  if (head) {
    var quoted = '"' + head.dataset.printHead.replace(/[\\"]/g, "\\$&")
      .replace(/[\r\n]+/g, " ") + '"';
    var style = document.createElement("style");
    style.media = "print";
    style.textContent = "@page { @top-left { content: " + quoted + "; } }";
    document.head.appendChild(style);
  }
})();
