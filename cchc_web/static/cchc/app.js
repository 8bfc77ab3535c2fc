// Keeps typing safe: every edit is also kept in localStorage until the page shows it saved,
// so an expired session or a lost connection loses nothing; offers to restore on return.
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form) return;

  // "Chỉ hiện dòng có lỗi/cảnh báo": rows whose findings cell holds a finding; recomputed
  // after every autosave, which may add or remove findings on any row.
  var table = document.getElementById("entry-table");
  var only = document.querySelector("[data-only-findings]");
  function markRows() {
    if (!table) return;
    table.querySelectorAll("tr[data-item]").forEach(function (tr) {
      var cell = document.getElementById("f-" + tr.dataset.item);
      tr.classList.toggle("has-findings", !!(cell && cell.querySelector(".finding")));
    });
  }
  if (only && table) {
    only.addEventListener("change", function () {
      markRows();
      table.classList.toggle("only-findings", only.checked);
    });
  }
  document.body.addEventListener("htmx:afterSettle", markRows);
  // A link in the summary's list of findings: show the row even when the filter hides it.
  document.body.addEventListener("click", function (e) {
    var a = e.target.closest("a[data-jump]");
    if (!a) return;
    var row = document.getElementById("row-" + a.dataset.jump);
    if (!row) return;
    e.preventDefault();
    if (only && only.checked && !row.classList.contains("has-findings")) {
      only.checked = false; table.classList.remove("only-findings");
    }
    row.scrollIntoView({block: "center"});
    row.classList.add("jumped");
    setTimeout(function () { row.classList.remove("jumped"); }, 2000);
    var field = row.querySelector("input:not([type=hidden]), select, textarea");
    if (field) field.focus({preventScroll: true});
    history.replaceState(null, "", "#row-" + a.dataset.jump);
  });

  if (form.hasAttribute("data-readonly")) return;
  var prefix = "cchc:" + form.dataset.submission + ":";
  function say(text) {
    // #save-status is swapped by every answer: look it up each time.
    var box = document.getElementById("save-status");
    if (!box) return;
    var span = document.createElement("span");
    span.className = "problem";
    span.textContent = text;
    box.replaceChildren(span);
  }

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
    var code = xhr.status;
    if (code >= 200 && code < 300) { forget(el.dataset.key); return; }
    if (code === 401 || code === 403) {
      document.getElementById("session-lost").hidden = false;
      return;
    }
    if (code === 409 || code === 422 || code === 0) return;  // drawn by the answer / sendError
    // Anything else (413, 429, 500, 502, 504, …): nothing was saved; the typing is kept here.
    var why = {413: "nội dung quá lớn", 429: "gửi quá nhiều lần, hãy đợi một lát",
               500: "máy chủ gặp lỗi", 502: "máy chủ không trả lời", 503: "máy chủ đang bận",
               504: "máy chủ trả lời quá chậm"}[code] || "máy chủ từ chối";
    say("Chưa lưu được ô “" + (el.getAttribute("aria-label") || el.name) + "” (" + why +
        ", mã " + code + "). Số liệu vẫn được giữ trên máy này; hãy thử lại sau.");
  });
  document.body.addEventListener("htmx:sendError", function () {
    say("Mất kết nối tới máy chủ; dữ liệu vẫn được giữ trên máy này.");
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
    if (b.hasAttribute("data-fill")) {
      // Only while the numerator and denominator on the screen are those it came from.
      var stale = ["num", "den"].some(function (part) {
        var f = form.querySelector('[name="v:' + CSS.escape(b.dataset[part]) + '"]');
        return f && f.value.trim() !== b.dataset[part + "Raw"];
      });
      if (stale) {
        b.remove();
        say("Tử số hoặc mẫu số vừa thay đổi: tỷ lệ gợi ý cũ đã bỏ; hệ thống tính lại khi " +
            "ô đó được lưu.");
        return;
      }
      input.value = b.dataset.fill;
    }
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
