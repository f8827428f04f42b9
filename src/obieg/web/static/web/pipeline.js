// The kanban board: drag a card to another column to move the opportunity
// to that stage. The server decides (opportunity_move); on refusal the card
// goes back where it was and the reason is shown above the board.
(function () {
  "use strict";
  const board = document.getElementById("pipeline");
  if (!board || typeof Sortable === "undefined") {
    return;
  }
  const message = document.getElementById("pipeline-message");

  // The same rule as the `pln` template filter: "12 345,67 zł".
  function pln(amount) {
    const [whole, grosze] = Math.abs(amount).toFixed(2).split(".");
    const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
    return (amount < 0 ? "-" : "") + grouped + "," + grosze + "\u00a0zł";
  }

  // base.html carries the CSRF token for htmx in the body's hx-headers.
  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  // Column sums are kept in grosze so repeated moves never drift. A capped
  // column ("1000+") shows bounds, which one card does not change.
  function adjustColumn(column, cards, grosze) {
    if (column.querySelector("header").dataset.capped) {
      return;
    }
    const count = column.querySelector("[data-role=count]");
    const sum = column.querySelector("[data-role=sum]");
    count.textContent = String(Number(count.textContent) + cards);
    const total = Math.round(Number(sum.dataset.sum) * 100) + grosze;
    sum.dataset.sum = (total / 100).toFixed(2);
    sum.textContent = pln(total / 100);
  }

  function showError(text) {
    message.textContent = text || board.dataset.error;
    message.classList.remove("d-none");
  }

  function putBack(event) {
    const before = event.from.children[event.oldIndex] || null;
    event.from.insertBefore(event.item, before);
  }

  async function move(event) {
    const card = event.item;
    const stage = event.to.dataset.stage;
    message.classList.add("d-none");
    card.classList.add("opacity-50");
    let response;
    try {
      response = await fetch(card.dataset.moveUrl, {
        method: "POST",
        headers: {
          "X-CSRFToken": csrfToken(),
          "HX-Request": "true",
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ stage: stage }),
        credentials: "same-origin",
      });
    } catch (error) {
      response = null;
    }
    card.classList.remove("opacity-50");
    if (!response || !response.ok) {
      putBack(event);
      // The view explains a refusal in plain text; other failures get the general message.
      const plain = response && (response.headers.get("Content-Type") || "").startsWith("text/plain");
      showError(plain ? await response.text() : "");
      return;
    }
    const grosze = Math.round(Number(card.dataset.value) * 100);
    adjustColumn(event.from.closest(".kanban-column"), -1, -grosze);
    adjustColumn(event.to.closest(".kanban-column"), 1, grosze);
    card.outerHTML = await response.text();
  }

  // A column draws its first cards; htmx brings the next ones as it is scrolled
  // (_more_cards.html). A card dragged into a column before its place there was
  // loaded comes again with them: keep the one already on the board.
  document.body.addEventListener("htmx:afterSettle", function () {
    const seen = new Set();
    board.querySelectorAll(".kanban-card").forEach(function (card) {
      if (seen.has(card.id)) {
        card.remove();
      } else {
        seen.add(card.id);
      }
    });
  });

  board.querySelectorAll(".kanban-cards").forEach(function (list) {
    Sortable.create(list, {
      group: "pipeline",
      sort: false, // a column is ordered by expected close, not by hand
      draggable: ".kanban-card",
      // On phones a short press starts the drag, so a swipe still scrolls.
      delay: 200,
      delayOnTouchOnly: true,
      touchStartThreshold: 5,
      ghostClass: "opacity-25",
      onEnd: function (event) {
        if (event.from !== event.to) {
          move(event);
        }
      },
    });
  });
})();
