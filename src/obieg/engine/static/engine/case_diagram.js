// Live BPMN diagrams. Each [data-diagram-url] element gets a bpmn-js NavigatedViewer
// (the global `BpmnJS`, served from our own static files) showing the process XML
// the URL returns, with a marker per element state so the case's position shows.
(function () {
  "use strict";

  const MARKERS = {
    completed: "obieg-completed",
    active: "obieg-active",
    waiting: "obieg-waiting",
    failed: "obieg-failed",
    cancelled: "obieg-cancelled",
  };

  function fail(container) {
    container.dataset.state = "failed";
    const note = document.getElementById(container.dataset.errorTarget);
    if (note) note.classList.remove("d-none");
  }

  async function show(container) {
    const response = await fetch(container.dataset.diagramUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error("diagram answered " + response.status);
    const diagram = await response.json();
    const viewer = new BpmnJS({ container: container });
    await viewer.importXML(diagram.xml);
    const canvas = viewer.get("canvas");
    const elements = viewer.get("elementRegistry");
    Object.entries(diagram.states || {}).forEach(function ([id, state]) {
      // A state for an element the drawing lacks (a called process's task) is skipped.
      if (MARKERS[state] && elements.get(id)) canvas.addMarker(id, MARKERS[state]);
    });
    canvas.zoom("fit-viewport", "auto");
    let resizing = null;
    window.addEventListener("resize", function () {
      clearTimeout(resizing);
      resizing = setTimeout(function () { canvas.resized(); canvas.zoom("fit-viewport", "auto"); }, 200);
    });
    // Tests and scripts wait for this before they look at the drawing.
    container.dataset.state = "ready";
  }

  document.querySelectorAll("[data-diagram-url]").forEach(function (container) {
    show(container).catch(function (error) {
      console.error(error);
      fail(container);
    });
  });
})();
