// Process studio, the editor: a bpmn-js Modeler (served from our static files; the bpmn.io
// mark stays visible, as its licence asks) on a draft, with the properties panel
// (studio_panel.js). Save keeps the draft (refused with 409 when someone saved meanwhile),
// Validate runs the deploy checks and marks each problem on its element, Deploy deploys
// the solution's drafts at the revisions just checked.
(function () {
  "use strict";

  const root = document.getElementById("studio-editor");
  if (!root) return;
  const labels = JSON.parse(document.getElementById("studio-labels").textContent);
  const status = document.getElementById("editor-status");
  const findingsList = document.getElementById("editor-findings");
  const deployForm = document.getElementById("editor-deploy-form");
  const deployButton = document.getElementById("editor-deploy");
  const csrf = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
  const modeler = new BpmnJS({
    container: document.getElementById("studio-canvas"),
    moddleExtensions: { obieg: window.ObiegModdle },
  });
  let revision = null;
  let dirty = false;
  // The modeler, for what a test cannot point at by element (where a connection runs).
  window.ObiegStudioEditor = { modeler: modeler };

  function say(message, kind) {
    status.textContent = message;
    status.className = "small mb-2 text-" + (kind || "body-secondary");
  }

  const call = window.ObiegDraft.call;

  async function save() {
    const { xml } = await modeler.saveXML({ format: true });
    const answer = await call(root.dataset.xmlUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ xml: xml, revision: revision }),
    });
    if (!answer.ok) {
      say(answer.body.detail || labels.saveFailed, "danger");
      return false;
    }
    revision = answer.body.revision;
    dirty = false;
    root.dataset.revision = String(revision);
    say(labels.saved, "success");
    return true;
  }

  function showFindings(findings, others) {
    findingsList.replaceChildren();
    findings.concat(others).forEach(function (finding) {
      const item = document.createElement("li");
      item.className = "studio-finding " + (finding.refused ? "text-danger" : "text-warning-emphasis");
      item.dataset.elementId = finding.element_id;
      item.dataset.refused = String(finding.refused);
      item.textContent = finding.line;
      findingsList.appendChild(item);
    });
  }

  async function check() {
    if (dirty && !(await save())) return null;
    say(labels.checking);
    const answer = await call(root.dataset.checkUrl, { method: "POST", headers: { "X-CSRFToken": csrf } });
    if (!answer.ok) { say(answer.body.detail || labels.checkFailed, "danger"); return null; }
    const marked = window.ObiegStudio.mark(modeler, answer.body.findings);
    root.dataset.marked = String(marked);
    showFindings(answer.body.findings, answer.body.other_findings);
    deployForm.elements.revisions.value = answer.body.revisions;
    deployButton.disabled = answer.body.refused;
    root.dataset.checked = answer.body.refused ? "refused" : "ok";
    say(answer.body.refused ? labels.refused : labels.checked, answer.body.refused ? "danger" : "success");
    return answer.body;
  }

  function download() {
    return window.ObiegDraft.download(modeler, root.dataset.fileName);
  }

  async function start() {
    const answer = await call(root.dataset.xmlUrl, { headers: { Accept: "application/json" } });
    if (!answer.ok) throw new Error("draft answered " + answer.status);
    revision = answer.body.revision;
    await modeler.importXML(answer.body.xml);
    modeler.get("canvas").zoom("fit-viewport", "auto");
    const choices = await call(root.dataset.choicesUrl, { headers: { Accept: "application/json" } });
    window.ObiegStudioPanel.attach(modeler, document.getElementById("studio-panel"), choices.body, labels);
    window.ObiegStudio.linkList(findingsList, modeler);
    modeler.get("eventBus").on("commandStack.changed", function () { dirty = true; say(labels.unsaved); });
    document.getElementById("editor-save").addEventListener("click", function () { save().catch(report); });
    document.getElementById("editor-check").addEventListener("click", function () { check().catch(report); });
    document.getElementById("editor-download").addEventListener("click", function () { download().catch(report); });
    deployForm.addEventListener("submit", function (event) {
      event.preventDefault();
      check().then(function (result) {
        if (result && !result.refused) { dirty = false; deployForm.submit(); }
      }).catch(report);
    });
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
