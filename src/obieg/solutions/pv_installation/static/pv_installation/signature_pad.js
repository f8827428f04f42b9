// The customer's signature on the installer's phone: a finger (or a stylus, or a mouse)
// draws on a canvas; each finished stroke writes the picture as a PNG data URL into the
// hidden input beside it, which the form sends. Plain script, no library: pointer events
// cover touch, pen and mouse alike. A signature already given (a form shown again after
// another field's error) is drawn back, so the customer need not sign twice.
(function () {
  "use strict";

  function setUp(box) {
    const canvas = box.querySelector("canvas");
    const input = box.querySelector("[data-signature-value]");
    const state = box.querySelector("[data-signature-state]");
    const pen = canvas.getContext("2d");
    let drawing = false;
    let last = null;

    function blank() {
      pen.fillStyle = "#ffffff";
      pen.fillRect(0, 0, canvas.width, canvas.height);
    }

    function show(signed) {
      state.textContent = signed ? state.dataset.signed : state.dataset.unsigned;
      box.dataset.signed = signed ? "true" : "false";
    }

    // The canvas keeps its own 600×240 pixels whatever its size on the screen.
    function point(event) {
      const frame = canvas.getBoundingClientRect();
      return {
        x: ((event.clientX - frame.left) * canvas.width) / frame.width,
        y: ((event.clientY - frame.top) * canvas.height) / frame.height,
      };
    }

    function line(from, to) {
      pen.strokeStyle = "#0b1f4d";
      pen.lineWidth = 3.5;
      pen.lineCap = "round";
      pen.lineJoin = "round";
      pen.beginPath();
      pen.moveTo(from.x, from.y);
      pen.lineTo(to.x, to.y);
      pen.stroke();
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      drawing = true;
      last = point(event);
      line(last, { x: last.x + 0.1, y: last.y + 0.1 }); // a dot is ink too
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) {
        return;
      }
      event.preventDefault();
      const next = point(event);
      line(last, next);
      last = next;
    });
    function finish() {
      if (!drawing) {
        return;
      }
      drawing = false;
      input.value = canvas.toDataURL("image/png");
      show(true);
    }
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);
    canvas.addEventListener("pointerleave", finish);

    box.querySelector("[data-signature-clear]").addEventListener("click", function () {
      blank();
      input.value = "";
      show(false);
    });

    blank();
    if (input.value.indexOf("data:image/png;base64,") === 0) {
      const earlier = new Image();
      earlier.onload = function () {
        pen.drawImage(earlier, 0, 0, canvas.width, canvas.height);
      };
      earlier.src = input.value;
      show(true);
    } else {
      show(false);
    }
    box.dataset.ready = "true";
  }

  function start() {
    document.querySelectorAll("[data-signature-pad]").forEach(function (box) {
      if (box.dataset.ready !== "true") {
        setUp(box);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
