// The reports' charts. The numbers come from the page's json_script tag (no inline
// script: CSP script-src 'self'); each chart has a table beside it with the same figures.
// Drawn again after htmx swaps in a filtered report.
(function () {
  "use strict";
  const palette = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#dc3545", "#20c997", "#6c757d"];
  const drawn = [];
  const money = new Intl.NumberFormat("pl-PL", { maximumFractionDigits: 0 });

  function draw() {
    const source = document.getElementById("report-charts");
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    while (drawn.length) {
      drawn.pop().destroy();
    }
    const charts = JSON.parse(source.textContent);
    Object.keys(charts).forEach(function (key) {
      const canvas = document.getElementById("chart-" + key);
      const spec = charts[key];
      if (!canvas) {
        return;
      }
      const valueAxis = {
        stacked: spec.stacked,
        beginAtZero: true,
        ticks: spec.money ? { callback: function (value) { return money.format(value); } } : { precision: 0 },
      };
      const labelAxis = { stacked: spec.stacked };
      drawn.push(new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: spec.labels,
          datasets: spec.datasets.map(function (set, index) {
            return { label: set.label, data: set.data, backgroundColor: palette[index % palette.length] };
          }),
        },
        options: {
          responsive: true,
          maintainAspectRatio: true,
          animation: false,
          indexAxis: spec.horizontal ? "y" : "x",
          scales: spec.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
        },
      }));
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.body.addEventListener("htmx:afterSettle", draw);
})();
