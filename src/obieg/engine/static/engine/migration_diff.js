// Version diff: draws both versions (bpmn-js NavigatedViewer) and marks what differs: removed
// and changed elements on the older, added and changed on the newer. A click on a line of
// the list shows its element (ObiegStudio.linkList, studio_markers.js).
(function () {
  "use strict";

  const source = document.getElementById("diff-markers");
  const markers = source ? JSON.parse(source.textContent) : {};
  const SHOWN = { older: ["removed", "changed"], newer: ["added", "changed"] };

  async function show(container) {
    const response = await fetch(container.dataset.diffDiagramUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error("version answered " + response.status);
    const version = await response.json();
    const viewer = new BpmnJS({ container: container });
    await viewer.importXML(version.xml);
    viewer.get("canvas").zoom("fit-viewport", "auto");
    const registry = viewer.get("elementRegistry");
    const canvas = viewer.get("canvas");
    let marked = 0;
    Object.entries(markers).forEach(function ([id, state]) {
      if (SHOWN[container.dataset.diffSide].indexOf(state) < 0 || !registry.get(id)) return;
      canvas.addMarker(id, "diff-" + state);
      marked += 1;
    });
    window.ObiegStudio.linkList(document.getElementById("diff-list"), viewer);
    container.dataset.marked = String(marked);
    container.dataset.state = "ready";
  }

  document.querySelectorAll("[data-diff-diagram-url]").forEach(function (container) {
    show(container).catch(function (error) {
      console.error(error);
      container.dataset.state = "failed";
    });
  });
})();
