// Process studio: puts a check's findings on a bpmn-js diagram (viewer or modeler). Each
// element named by a problem gets a red marker and a badge, by a warning an orange one;
// the badge's title carries the messages. Exposed as window.ObiegStudio.
(function () {
  "use strict";

  const CLASSES = { refused: "studio-refused", warning: "studio-warning" };

  function clear(diagram) {
    const canvas = diagram.get("canvas");
    const registry = diagram.get("elementRegistry");
    diagram.get("overlays").remove({ type: "studio-finding" });
    registry.getAll().forEach(function (element) {
      canvas.removeMarker(element, CLASSES.refused);
      canvas.removeMarker(element, CLASSES.warning);
    });
  }

  // Returns how many elements were marked (tests and the page read it).
  function mark(diagram, findings) {
    clear(diagram);
    const canvas = diagram.get("canvas");
    const registry = diagram.get("elementRegistry");
    const overlays = diagram.get("overlays");
    const byElement = {};
    (findings || []).forEach(function (finding) {
      if (!finding.element_id || !registry.get(finding.element_id)) return;
      (byElement[finding.element_id] = byElement[finding.element_id] || []).push(finding);
    });
    Object.entries(byElement).forEach(function ([id, list]) {
      const refused = list.some(function (finding) { return finding.refused; });
      canvas.addMarker(id, refused ? CLASSES.refused : CLASSES.warning);
      const badge = document.createElement("span");
      badge.className = "studio-badge " + (refused ? "studio-badge-refused" : "studio-badge-warning");
      badge.textContent = list.length > 1 ? "!" + list.length : "!";
      badge.title = list.map(function (finding) { return finding.message; }).join("\n");
      badge.dataset.elementId = id;
      overlays.add(id, "studio-finding", { position: { top: -10, right: 8 }, html: badge });
    });
    return Object.keys(byElement).length;
  }

  // A click on a finding in a list shows its element on the diagram.
  function linkList(list, diagram) {
    if (!list) return;
    list.addEventListener("click", function (event) {
      const item = event.target.closest("[data-element-id]");
      if (!item || !item.dataset.elementId) return;
      const element = diagram.get("elementRegistry").get(item.dataset.elementId);
      if (!element) return;
      const canvas = diagram.get("canvas");
      if (canvas.scrollToElement) canvas.scrollToElement(element);
      try { diagram.get("selection").select(element); } catch (error) { /* a viewer has no selection */ }
    });
  }

  window.ObiegStudio = { mark: mark, clear: clear, linkList: linkList };
})();
