// The coordinator's charts: obligations per month by kind, and indicator progress.
// The numbers come from the page's json_script tag (no inline script: CSP script-src 'self').
(function () {
  "use strict";
  const source = document.getElementById("grants-charts");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  const charts = JSON.parse(source.textContent);
  const colours = {
    payment: "#0d6efd",
    claim: "#6f42c1",
    report: "#fd7e14",
    measurement: "#20c997",
  };

  const months = document.getElementById("chart-months");
  if (months) {
    new window.Chart(months, {
      type: "bar",
      data: {
        labels: charts.months.labels,
        datasets: charts.months.datasets.map(function (dataset) {
          return {
            label: dataset.label,
            data: dataset.data.map(Number),
            backgroundColor: colours[dataset.kind] || "#6c757d",
          };
        }),
      },
      options: {
        responsive: true,
        scales: {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
  }

  const indicators = document.getElementById("chart-indicators");
  if (indicators) {
    new window.Chart(indicators, {
      type: "bar",
      data: {
        labels: charts.indicators.labels,
        datasets: [{
          label: "%",
          data: charts.indicators.percent.map(Number),
          maxBarThickness: 24,
          // Below target in red, the others in green, as the list beside it.
          backgroundColor: charts.indicators.below.map(function (below) {
            return below ? "#dc3545" : "#198754";
          }),
        }],
      },
      options: {
        indexAxis: "y",
        responsive: true,
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, suggestedMax: 100 } },
      },
    });
  }
})();
