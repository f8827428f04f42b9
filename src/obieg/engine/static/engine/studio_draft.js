// Process studio: what every editor of a draft does alike (the diagram, table and form editors).
// `call` fetches a JSON answer whatever the status (a 409 or 400 carries its reason in the body);
// `download` saves what an editor holds as the draft's file.
window.ObiegDraft = (function () {
  "use strict";

  async function call(url, options) {
    const response = await fetch(url, Object.assign({ credentials: "same-origin" }, options || {}));
    let body = {};
    try { body = await response.json(); } catch (error) { body = {}; }
    return { ok: response.ok, status: response.status, body: body };
  }

  async function download(modeler, fileName) {
    const { xml } = await modeler.saveXML({ format: true });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([xml], { type: "application/xml" }));
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  return { call: call, download: download };
})();
