// The offer lines table of the design task: add and remove rows.
// Without this script the table still works: blank rows to fill, a cleared line is dropped.
(function () {
  "use strict";

  function rowIndex(row) {
    const input = row.querySelector("input[name]");
    const match = input && input.name.match(/-(\d+)-\w+$/);
    return match ? parseInt(match[1], 10) : -1;
  }

  function renumber(row, name, index) {
    row.querySelectorAll("input[name]").forEach(function (input) {
      const column = input.name.slice(input.name.lastIndexOf("-") + 1);
      const oldId = input.id;
      input.name = name + "-" + index + "-" + column;
      input.id = oldId.replace(/-\d+-\w+$/, "-" + index + "-" + column);
      const label = row.querySelector('label[for="' + oldId + '"]');
      if (label) {
        label.htmlFor = input.id;
      }
      input.value = "";
    });
  }

  function setUp(editor) {
    if (editor.dataset.ready) {
      return;
    }
    editor.dataset.ready = "1";
    const name = editor.getAttribute("data-offer-lines");
    const body = editor.querySelector("[data-lines-body]");
    editor.querySelectorAll("[data-add-line], [data-remove-line]").forEach(function (button) {
      button.classList.remove("d-none");
    });
    editor.addEventListener("click", function (event) {
      const target = event.target instanceof Element ? event.target : null;
      if (!target) {
        return;
      }
      if (target.closest("[data-add-line]")) {
        const rows = body.querySelectorAll("[data-line]");
        const last = rows[rows.length - 1];
        const next = Math.max.apply(null, Array.prototype.map.call(rows, rowIndex)) + 1;
        const row = last.cloneNode(true);
        renumber(row, name, next);
        body.appendChild(row);
        row.querySelector("input").focus();
      }
      const remove = target.closest("[data-remove-line]");
      if (remove) {
        const row = remove.closest("[data-line]");
        if (body.querySelectorAll("[data-line]").length > 1) {
          row.remove();
        } else {
          row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
        }
      }
    });
  }

  function setUpAll() {
    document.querySelectorAll("[data-offer-lines]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
