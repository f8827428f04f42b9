// The home page's charts: each canvas names (data-home-chart) the json_script tag with its
// figures, so no inline script is needed (CSP script-src 'self'); a table beside each chart
// holds the same figures for those who read rather than look, and for screen readers.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return;
  }
  const palette = ["#0d6efd", "#fd7e14", "#198754", "#6f42c1", "#dc3545"];
  document.querySelectorAll("canvas[data-home-chart]").forEach(function (canvas) {
    const source = document.getElementById(canvas.dataset.homeChart);
    if (!source) {
      return;
    }
    const chart = JSON.parse(source.textContent);
    if (!chart || chart.type !== "stacked_bars") {
      return;
    }
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: chart.datasets.map(function (set, index) {
          return { label: set.label, data: set.data, backgroundColor: palette[index % palette.length] };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: true,
        scales: {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
  });
})();
