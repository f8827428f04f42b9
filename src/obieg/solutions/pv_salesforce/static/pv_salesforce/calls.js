// The telephone salesperson's screen: keys 1–4 pick an outcome, n moves to the next call.
// 1 sends "no answer" at once; 2–4 put the cursor in the outcome's first field (the time,
// the reason, the visit window), where Enter sends it. Keys typed into a field are left alone.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    const target = event.target;
    if (target instanceof Element && target.closest("input, textarea, select, [contenteditable]")) {
      return;
    }
    if (!document.getElementById("current-call")) {
      return;
    }
    const key = event.key;
    if (key === "n" || key === "N") {
      const next = document.getElementById("next-call");
      if (next) {
        event.preventDefault();
        next.click();
      }
      return;
    }
    const control = document.querySelector('[data-call-key="' + key + '"]');
    if (!control) {
      return;
    }
    event.preventDefault();
    if (control.tagName === "BUTTON") {
      control.click();
    } else {
      control.focus();
    }
  });
})();
