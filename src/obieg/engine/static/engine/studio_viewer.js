// Process studio, drafts page: draws each draft's diagram (bpmn-js NavigatedViewer, from our
// static files) with the check's findings marked on their elements (studio_markers.js).
(function () {
  "use strict";

  const source = document.getElementById("studio-findings");
  const findings = source ? JSON.parse(source.textContent) : {};

  async function show(container) {
    const response = await fetch(container.dataset.studioDiagramUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error("draft answered " + response.status);
    const draft = await response.json();
    const viewer = new BpmnJS({ container: container });
    await viewer.importXML(draft.xml);
    viewer.get("canvas").zoom("fit-viewport", "auto");
    const marked = window.ObiegStudio.mark(viewer, findings[container.dataset.findingsKey]);
    window.ObiegStudio.linkList(container.closest(".card-body").querySelector(".studio-findings"), viewer);
    container.dataset.marked = String(marked);
    container.dataset.state = "ready";
  }

  document.querySelectorAll("[data-studio-diagram-url]").forEach(function (container) {
    show(container).catch(function (error) {
      // Not drawable (not well-formed XML …): the findings above say why.
      console.error(error);
      container.dataset.state = "failed";
      container.classList.add("d-none");
    });
  });
})();
