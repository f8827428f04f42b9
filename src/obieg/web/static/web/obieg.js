// Confirm destructive actions: any form or button with data-confirm asks first.
document.addEventListener("submit", function (event) {
  const message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
}, true);

// Pages carry no inline script (the Content-Security-Policy forbids it): what
// used to be onchange/onclick attributes is declared with data- attributes here.

// A select with data-submit-on-change sends its form when changed; fields named in
// data-clear-on-change (space-separated) are emptied first, e.g. a step filter whose
// choices depend on the process just changed.
document.addEventListener("change", function (event) {
  const field = event.target;
  if (!(field instanceof Element) || !field.matches("[data-submit-on-change]") || !field.form) {
    return;
  }
  (field.getAttribute("data-clear-on-change") || "").split(/\s+/).filter(Boolean).forEach(function (name) {
    const other = field.form.elements.namedItem(name);
    if (other) {
      other.value = "";
    }
  });
  field.form.submit();
});

// A button with data-copy-target="#id" copies that field's value to the clipboard.
document.addEventListener("click", function (event) {
  const button = event.target instanceof Element && event.target.closest("[data-copy-target]");
  if (!button || !navigator.clipboard) {
    return;
  }
  const source = document.querySelector(button.getAttribute("data-copy-target"));
  if (source) {
    navigator.clipboard.writeText(source.value);
  }
});
