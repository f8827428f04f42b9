// The catalogue picker of offer lines. Without JavaScript a line's "Catalogue item" input
// is a text box with the browser's suggestions (a <datalist>) and the server fills the line
// from the code on save (catalogue/offer_lines.py). Here the suggestions come from the
// server as the user types, so "zolw" finds Żółw and a large catalogue needs no long
// list; picking one copies its name, unit, price, cost and VAT rate into the line at once
// (and sets the line's product_filled, so the server keeps what the user changes after).
(function () {
  "use strict";

  const source = document.getElementById("catalogue-items");
  if (!source) {
    return;
  }
  const matchesUrl = source.getAttribute("data-matches-url");
  const noMatch = source.getAttribute("data-no-match");
  const menu = document.createElement("div");
  menu.className = "dropdown-menu shadow catalogue-picker-menu";
  menu.setAttribute("role", "listbox");
  menu.id = "catalogue-picker-menu";
  menu.style.position = "fixed";
  menu.style.overflowY = "auto";
  const tallest = 288; // px (18rem): a menu never taller than this
  document.body.appendChild(menu);

  let current = null; // the input the menu belongs to
  let items = [];
  let request = 0;
  let timer = null;

  function field(input, name) {
    const prefix = input.name.slice(0, input.name.length - "product".length);
    return input.form.elements.namedItem(prefix + name);
  }

  function fill(input, item) {
    input.value = item.code;
    ["description", "unit", "unit_price", "unit_cost", "vat_rate"].forEach(function (name) {
      const target = field(input, name);
      if (target) {
        target.value = item[name];
      }
    });
    field(input, "product_filled").value = item.code;
    const quantity = field(input, "quantity");
    if (quantity && !quantity.value.trim()) {
      quantity.value = "1";
    }
    close();
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function close() {
    menu.classList.remove("show");
    menu.replaceChildren();
    if (current) {
      current.setAttribute("aria-expanded", "false");
      current.removeAttribute("aria-activedescendant");
    }
  }

  function place(input) {
    // Below the input, or above it when the window has more room there: a line low on
    // the screen (a long task form, a phone) would otherwise open its menu off screen.
    const box = input.getBoundingClientRect();
    const below = window.innerHeight - box.bottom - 4;
    const above = box.top - 4;
    const wanted = Math.min(menu.scrollHeight, tallest);
    const upward = below < wanted && above > below;
    const room = Math.max(Math.min(upward ? above : below, tallest), 0);
    menu.style.maxHeight = room + "px";
    menu.style.left = box.left + "px";
    menu.style.top = (upward ? box.top - 2 - Math.min(wanted, room) : box.bottom + 2) + "px";
    menu.style.minWidth = Math.max(box.width, 320) + "px";
  }

  function show(input, found) {
    items = found;
    menu.replaceChildren();
    if (!found.length) {
      const empty = document.createElement("span");
      empty.className = "dropdown-item-text text-body-secondary small";
      empty.textContent = noMatch;
      menu.appendChild(empty);
    }
    found.forEach(function (item, index) {
      const option = document.createElement("button");
      option.type = "button";
      option.className = "dropdown-item";
      option.id = "catalogue-option-" + index;
      option.setAttribute("role", "option");
      option.tabIndex = -1;
      const code = document.createElement("span");
      code.className = "fw-semibold me-2";
      code.textContent = item.code;
      const label = document.createElement("span");
      label.textContent = item.label;
      option.append(code, label);
      option.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep the focus in the input
        fill(input, item);
      });
      menu.appendChild(option);
    });
    menu.classList.add("show"); // shown first: its height decides where it fits
    place(input);
    input.setAttribute("aria-expanded", "true");
  }

  function search(input) {
    const mine = ++request;
    const url = matchesUrl + "?q=" + encodeURIComponent(input.value.trim());
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { items: [] }; })
      .then(function (data) {
        if (mine === request && current === input && document.activeElement === input) {
          show(input, data.items);
        }
      })
      .catch(function () { close(); });
  }

  function active() {
    return Array.from(menu.querySelectorAll("[role='option']")).findIndex(function (option) {
      return option.classList.contains("active");
    });
  }

  function highlight(index) {
    const options = menu.querySelectorAll("[role='option']");
    options.forEach(function (option, at) {
      option.classList.toggle("active", at === index);
      option.setAttribute("aria-selected", at === index ? "true" : "false");
    });
    if (options[index]) {
      options[index].scrollIntoView({ block: "nearest" });
      current.setAttribute("aria-activedescendant", options[index].id);
    }
  }

  document.querySelectorAll("[data-catalogue-picker]").forEach(function (input) {
    // The server's suggestions replace the browser's; the combobox pattern for screen readers.
    input.removeAttribute("list");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", menu.id);
    input.setAttribute("aria-expanded", "false");
  });

  document.addEventListener("input", function (event) {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.matches("[data-catalogue-picker]")) {
      return;
    }
    current = input;
    clearTimeout(timer);
    if (!input.value.trim()) {
      close();
      return;
    }
    timer = setTimeout(function () { search(input); }, 150);
  });

  document.addEventListener("keydown", function (event) {
    const input = event.target;
    if (input !== current || !menu.classList.contains("show")) {
      return;
    }
    const count = items.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (count) {
        const at = active();
        const step = event.key === "ArrowDown" ? 1 : -1;
        highlight(at === -1 ? (step === 1 ? 0 : count - 1) : (at + step + count) % count);
      }
    } else if (event.key === "Enter") {
      const at = active();
      if (at !== -1) {
        event.preventDefault(); // pick, do not submit the form
        fill(input, items[at]);
      }
    } else if (event.key === "Escape") {
      close();
    }
  });

  document.addEventListener("focusout", function (event) {
    if (event.target === current) {
      close();
    }
  });
  window.addEventListener("resize", close);
  window.addEventListener("scroll", function () {
    if (current && menu.classList.contains("show")) {
      place(current);
    }
  }, true);
})();
