// The header's global search box: "/" or Ctrl+K (⌘K) puts the cursor in it from
// anywhere, Escape closes the drop-down, the arrow keys walk through the results.
// The results themselves come from the server through htmx (hx-get on the box).
(function () {
  "use strict";

  function box() {
    return document.getElementById("global-search");
  }

  function results() {
    return document.getElementById("global-search-results");
  }

  function isTyping(target) {
    return target instanceof Element &&
      (target.closest("input, textarea, select, [contenteditable='true'], [contenteditable='']") !== null);
  }

  function close() {
    const list = results();
    if (list) {
      list.replaceChildren();
    }
  }

  function options() {
    const list = results();
    return list ? Array.from(list.querySelectorAll("a[role='option']")) : [];
  }

  document.addEventListener("keydown", function (event) {
    const input = box();
    if (!input) {
      return;
    }
    const ctrlK = (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k";
    const slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !isTyping(event.target);
    if (ctrlK || slash) {
      event.preventDefault();
      // On a phone the box sits in the collapsed menu: open it first.
      const menu = input.closest(".collapse");
      if (menu && !menu.classList.contains("show") && window.bootstrap) {
        window.bootstrap.Collapse.getOrCreateInstance(menu).show();
      }
      input.focus();
      input.select();
      return;
    }
    const inSearch = event.target === input || (results() && results().contains(event.target));
    if (!inSearch) {
      return;
    }
    if (event.key === "Escape") {
      close();
      input.blur();
      return;
    }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const links = options();
      if (!links.length) {
        return;
      }
      event.preventDefault();
      const at = links.indexOf(document.activeElement);
      const step = event.key === "ArrowDown" ? 1 : -1;
      if (at === -1) {
        (step === 1 ? links[0] : links[links.length - 1]).focus();
      } else if (at + step < 0) {
        input.focus();
      } else {
        links[Math.min(at + step, links.length - 1)].focus();
      }
    }
  });

  // A click elsewhere closes the drop-down.
  document.addEventListener("click", function (event) {
    const input = box();
    if (input && event.target instanceof Element && !event.target.closest(".global-search")) {
      close();
    }
  });
})();
