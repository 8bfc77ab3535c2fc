// Keeps typing safe: every edit is also kept in localStorage until the page shows it saved,
// so an expired session or a lost connection loses nothing; offers to restore on return.
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form || form.hasAttribute("data-readonly")) return;
  var prefix = "cchc:" + form.dataset.submission + ":";

  function baseOf(el) {
    // Every field posts itself and the base it started from: hx-params="<name>,<base name>".
    var baseName = (el.getAttribute("hx-params") || "").split(",")[1];
    return baseName ? form.querySelector('[name="' + CSS.escape(baseName) + '"]') : null;
  }
  function remember(el) {
    var base = baseOf(el);
    localStorage.setItem(prefix + el.dataset.key,
      JSON.stringify({value: el.value, base: base ? base.value : ""}));
  }
  function forget(key) { localStorage.removeItem(prefix + key); }

  form.addEventListener("input", function (e) { if (e.target.dataset.key) remember(e.target); });
  form.addEventListener("change", function (e) { if (e.target.dataset.key) remember(e.target); });

  document.body.addEventListener("htmx:afterRequest", function (e) {
    // The answer may have swapped the field itself: take the element that sent the request.
    var el = (e.detail.requestConfig && e.detail.requestConfig.elt) || e.detail.elt;
    var xhr = e.detail.xhr;
    if (!el || !el.dataset || !el.dataset.key) return;
    if (xhr.status >= 200 && xhr.status < 300) forget(el.dataset.key);
    if (xhr.status === 401 || xhr.status === 403) {
      document.getElementById("session-lost").hidden = false;
    }
  });
  document.body.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("save-status");
    if (box) box.textContent = "Mất kết nối tới máy chủ; dữ liệu vẫn được giữ trên máy này.";
  });

  // Buttons inside cells: fill a computed rate, take the other person's value, keep mine.
  form.addEventListener("click", function (e) {
    var b = e.target.closest("button[data-fill],button[data-take],button[data-keep]");
    if (!b) return;
    var cell = b.closest("td");
    var input = cell.querySelector("[data-key]");
    var base = baseOf(input);
    if (b.hasAttribute("data-take")) {
      input.value = b.dataset.take; base.value = b.dataset.take; forget(input.dataset.key);
      b.closest(".conflict").remove();
      return;
    }
    if (b.hasAttribute("data-keep")) base.value = b.dataset.keep;
    if (b.hasAttribute("data-fill")) input.value = b.dataset.fill;
    remember(input);
    input.dispatchEvent(new Event("change", {bubbles: true}));
  });

  // On load: what was typed here but is not on the page yet.
  var pending = [];
  for (var i = 0; i < localStorage.length; i++) {
    var k = localStorage.key(i);
    if (!k.startsWith(prefix)) continue;
    var el = form.querySelector('[data-key="' + CSS.escape(k.slice(prefix.length)) + '"]');
    var saved = JSON.parse(localStorage.getItem(k));
    if (!el || el.value === saved.value) { pending.push([k, null]); continue; }
    pending.push([k, el, saved]);
  }
  var waiting = pending.filter(function (p) { return p[1]; });
  pending.forEach(function (p) { if (!p[1]) localStorage.removeItem(p[0]); });
  var box = document.getElementById("restore");
  if (waiting.length && box) {
    box.hidden = false;
    box.querySelector("[data-restore-count]").textContent = waiting.length;
    box.querySelector("[data-restore]").addEventListener("click", function () {
      waiting.forEach(function (p) {
        var el = p[1], base = baseOf(el);
        el.value = p[2].value;
        if (base) base.value = p[2].base;
        el.dispatchEvent(new Event("change", {bubbles: true}));
      });
      box.hidden = true;
    });
    box.querySelector("[data-restore-drop]").addEventListener("click", function () {
      waiting.forEach(function (p) { localStorage.removeItem(p[0]); });
      box.hidden = true;
    });
  }
})();
