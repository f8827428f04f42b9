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
    translationsPanel(editor);
    document.getElementById("designer-save").addEventListener("click", function () { save().catch(report); });
    document.getElementById("designer-remove").addEventListener("click", function () { remove().catch(report); });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
    root.dataset.state = "ready";
  }

  // The selected field's words in each of the site's languages, kept in its custom
  // properties as "label:en", "description:en", "text:en", "option:<value>:en" (the server
  // shows the reader's: engine/form_schema/translations.py). form-js's own "Custom
  // properties" group shows the same entries; this panel only spares typing the keys.
  const INPUTS = ["textfield", "textarea", "number", "checkbox", "radio", "select", "checklist", "taglist", "datetime"];
  const WORDS = {
    label: function (field) { return INPUTS.indexOf(field.type) >= 0 || field.type === "group"; },
    description: function (field) { return INPUTS.indexOf(field.type) >= 0; },
    text: function (field) { return field.type === "text"; },
  };

  function translationsPanel(editor) {
    const panel = document.createElement("section");
    panel.className = "card mt-3";
    panel.id = "designer-translations";
    const heading = document.createElement("div");
    heading.className = "card-header h6 mb-0";
    heading.textContent = labels.translations;
    const body = document.createElement("div");
    body.className = "card-body small";
    panel.append(heading, body);
    document.getElementById("form-designer-canvas").after(panel);
    const modeling = editor.get("modeling");
    const selection = editor.get("selection");

    function entry(field, key, caption) {
      const id = "translation-" + key.replace(/[^A-Za-z0-9_-]/g, "_");
      const wrap = document.createElement("div");
      wrap.className = "mb-2";
      const label = document.createElement("label");
      label.className = "form-label mb-0";
      label.htmlFor = id;
      label.textContent = caption;
      const input = document.createElement(key.indexOf("text:") === 0 ? "textarea" : "input");
      input.className = "form-control form-control-sm";
      input.id = id;
      input.dataset.property = key;
      input.value = (field.properties || {})[key] || "";
      input.addEventListener("change", function () {
        const properties = Object.assign({}, field.properties || {});
        const value = input.value.trim();
        if (value) properties[key] = value; else delete properties[key];
        modeling.editFormField(field, "properties", properties);
      });
      wrap.append(label, input);
      return wrap;
    }

    let shown = null;  // the field and the property keys the panel has inputs for

    function keysOf(field) {
      const keys = [];
      labels.languages.forEach(function ([code]) {
        Object.keys(WORDS).forEach(function (word) { if (WORDS[word](field)) keys.push(word + ":" + code); });
        (Array.isArray(field.values) ? field.values : []).forEach(function (option) {
          keys.push("option:" + option.value + ":" + code + "|" + (option.label || ""));
        });
      });
      return keys.join("\n");
    }

    function show(field) {
      // The same field with the same entries: keep the inputs (one may be being typed in),
      // refresh the others' values; rebuilding would drop what is being typed.
      if (field && shown && shown.field === field && shown.keys === keysOf(field)) {
        body.querySelectorAll("[data-property]").forEach(function (input) {
          if (input !== document.activeElement) input.value = (field.properties || {})[input.dataset.property] || "";
        });
        return;
      }
      shown = field && field.type !== "default" ? { field: field, keys: keysOf(field) } : null;
      body.replaceChildren();
      if (!field || field.type === "default") {
        const hint = document.createElement("p");
        hint.className = "text-body-secondary mb-0";
        hint.textContent = labels.pickField;
        body.append(hint);
        return;
      }
      labels.languages.forEach(function ([code, languageName]) {
        Object.keys(WORDS).forEach(function (word) {
          if (!WORDS[word](field)) return;
          body.append(entry(field, word + ":" + code, labels.words[word] + " (" + languageName + ")"));
        });
        (Array.isArray(field.values) ? field.values : []).forEach(function (option) {
          const caption = labels.words.option + " “" + (option.label || option.value) + "” (" + languageName + ")";
          body.append(entry(field, "option:" + option.value + ":" + code, caption));
        });
      });
    }

    editor.on("selection.changed", function (event) { show(event.selection); });
    // An option added or renamed in the properties panel: its entries follow.
    editor.on("changed", function () { show(selection.get()); });
    show(selection.get());
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
