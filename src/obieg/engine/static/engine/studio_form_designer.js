// Process studio, the form designer: the form-js editor (served from our static files; the
// bpmn.io mark stays visible, as its licence asks) on one form of a draft. Save sends the
// schema with the draft's revision: the server checks it (400 with every reason it cannot
// be used) and keeps it in the process file (409 when someone saved the draft meanwhile).
(function () {
  "use strict";

  const root = document.getElementById("form-designer");
  if (!root) return;
  const labels = JSON.parse(document.getElementById("designer-labels").textContent);
  const status = document.getElementById("designer-status");
  const problems = document.getElementById("designer-problems");
  const csrf = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
  let editor = null;
  let revision = null;
  let dirty = false;

  function say(message, kind) {
    status.textContent = message;
    status.className = "small mb-2 text-" + (kind || "body-secondary");
  }

  function showProblems(list) {
    problems.replaceChildren();
    (list || []).forEach(function (text) {
      const item = document.createElement("li");
      item.textContent = text;
      problems.appendChild(item);
    });
  }

  const call = window.ObiegDraft.call;

  async function send(schema) {
    const answer = await call(root.dataset.schemaUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ schema: schema, revision: revision }),
    });
    if (!answer.ok) {
      say(answer.body.detail || labels.saveFailed, "danger");
      showProblems(answer.body.schema || answer.body.key);
      root.dataset.saved = "refused";
      return false;
    }
    revision = answer.body.revision;
    dirty = false;
    showProblems([]);
    root.dataset.saved = "ok";
    return true;
  }

  async function save() {
    const schema = editor.saveSchema();
    schema.id = root.dataset.key;
    if (await send(schema)) say(labels.saved, "success");
  }

  async function remove() {
    if (!window.confirm(labels.removeConfirm)) return;
    if (await send(null)) { dirty = false; window.location.href = root.dataset.formsUrl; }
  }

  async function start() {
    const answer = await call(root.dataset.schemaUrl, { headers: { Accept: "application/json" } });
    if (!answer.ok) throw new Error("form answered " + answer.status);
    revision = answer.body.revision;
    editor = await FormEditor.createFormEditor({
      container: document.getElementById("form-designer-canvas"),
      schema: answer.body.schema,
    });
    editor.on("changed", function () { dirty = true; say(labels.unsaved); });
    document.getElementById("designer-save").addEventListener("click", function () { save().catch(report); });
    document.getElementById("designer-remove").addEventListener("click", function () { remove().catch(report); });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
    root.dataset.state = "ready";
  }

  function report(error) {
    console.error(error);
    say(labels.failed, "danger");
  }

  start().catch(function (error) {
    report(error);
    root.dataset.state = "failed";
  });
})();
