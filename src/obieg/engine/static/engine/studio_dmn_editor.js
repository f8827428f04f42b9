// Process studio, the decision-table editor: the dmn-js Modeler (served from our static files;
// the bpmn.io mark stays visible, as its licence asks) on a draft's .dmn file. One tab per
// decision and one for the requirements diagram. Save keeps the draft at its revision (409
// naming who saved meanwhile); Validate runs the deploy checks on the solution's drafts.
(function () {
  "use strict";

  const root = document.getElementById("studio-tables");
  if (!root) return;
  const labels = JSON.parse(document.getElementById("tables-labels").textContent);
  const status = document.getElementById("tables-status");
  const tabs = document.getElementById("tables-views");
  const findingsList = document.getElementById("tables-findings");
  const csrf = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
  const modeler = new DmnJS({ container: document.getElementById("tables-canvas") });
  let revision = null;
  let dirty = false;

  function say(message, kind) {
    status.textContent = message;
    status.className = "small mb-2 text-" + (kind || "body-secondary");
  }

  const call = window.ObiegDraft.call;

  function drawTabs() {
    tabs.replaceChildren();
    const active = modeler.getActiveView();
    modeler.getViews().forEach(function (view) {
      const tab = document.createElement("button");
      tab.type = "button";
      tab.className = "nav-link" + (active && active.element === view.element ? " active" : "");
      tab.dataset.view = view.element.id;
      tab.textContent = view.type === "drd" ? labels.drd : (view.element.name || view.element.id);
      tab.addEventListener("click", function () { modeler.open(view).then(drawTabs).catch(report); });
      tabs.appendChild(tab);
    });
  }

  function watch() {
    const viewer = modeler.getActiveViewer();
    if (viewer && !viewer.__obiegWatched) {
      viewer.__obiegWatched = true;
      viewer.get("eventBus").on("commandStack.changed", function () { dirty = true; say(labels.unsaved); });
    }
  }

  async function save() {
    const { xml } = await modeler.saveXML({ format: true });
    const answer = await call(root.dataset.xmlUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ xml: xml, revision: revision }),
    });
    if (!answer.ok) { say(answer.body.detail || labels.saveFailed, "danger"); return false; }
    revision = answer.body.revision;
    dirty = false;
    root.dataset.revision = String(revision);
    say(labels.saved, "success");
    return true;
  }

  async function check() {
    if (dirty && !(await save())) return;
    say(labels.checking);
    const answer = await call(root.dataset.checkUrl, { method: "POST", headers: { "X-CSRFToken": csrf } });
    if (!answer.ok) { say(answer.body.detail || labels.checkFailed, "danger"); return; }
    findingsList.replaceChildren();
    answer.body.findings.concat(answer.body.other_findings).forEach(function (finding) {
      const item = document.createElement("li");
      item.className = finding.refused ? "text-danger" : "text-warning-emphasis";
      item.textContent = finding.line;
      findingsList.appendChild(item);
    });
    root.dataset.checked = answer.body.refused ? "refused" : "ok";
    say(answer.body.refused ? labels.refused : labels.checked, answer.body.refused ? "danger" : "success");
  }

  function download() {
    return window.ObiegDraft.download(modeler, root.dataset.fileName);
  }

  async function start() {
    const answer = await call(root.dataset.xmlUrl, { headers: { Accept: "application/json" } });
    if (!answer.ok) throw new Error("draft answered " + answer.status);
    revision = answer.body.revision;
    modeler.on("views.changed", function () { drawTabs(); watch(); });
    await modeler.importXML(answer.body.xml);
    // A table is what people come to change: open the first one rather than the diagram.
    const table = modeler.getViews().find(function (view) { return view.type === "decisionTable"; });
    if (table) await modeler.open(table);
    drawTabs();
    watch();
    document.getElementById("tables-save").addEventListener("click", function () { save().catch(report); });
    document.getElementById("tables-check").addEventListener("click", function () { check().catch(report); });
    document.getElementById("tables-download").addEventListener("click", function () { download().catch(report); });
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
