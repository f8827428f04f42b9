// The sales manager's charts: queue sizes, schedule fill, outcomes, the funnel.
// The numbers come from the page's json_script tag (no inline script: CSP script-src 'self');
// each chart has a table beside it with the same figures.
(function () {
  "use strict";
  const source = document.getElementById("manager-charts");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  const palette = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#dc3545", "#20c997", "#6c757d"];
  const outcomeColours = {
    no_answer: "#6c757d",
    call_back: "#0dcaf0",
    not_interested: "#dc3545",
    meeting: "#198754",
    met: "#0d6efd",
    not_at_home: "#adb5bd",
    won: "#198754",
    lost: "#dc3545",
  };

  function draw(id, config) {
    const canvas = document.getElementById(id);
    if (canvas) {
      config.options = Object.assign({ responsive: true, maintainAspectRatio: true }, config.options);
      new window.Chart(canvas, config);
    }
  }

  function bars(labels, datasets, options) {
    return {
      type: "bar",
      data: {
        labels: labels,
        datasets: datasets.map(function (set, index) {
          return Object.assign({ backgroundColor: palette[index % palette.length] }, set);
        }),
      },
      options: Object.assign({ scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }, options),
    };
  }

  draw("chart-queues", bars(data.queues.labels, [
    { label: data.queues.waiting_label, data: data.queues.waiting },
    { label: data.queues.planned_label, data: data.queues.planned },
  ], { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }));

  draw("chart-breakdown", bars(data.breakdown.labels, [
    { label: data.breakdown.phone_label, data: data.breakdown.phone },
    { label: data.breakdown.field_label, data: data.breakdown.field },
  ], { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }));

  draw("chart-phone-fill", bars(data.phone_fill.labels, [
    { label: data.phone_fill.used_label, data: data.phone_fill.used },
    { label: data.phone_fill.capacity_label, data: data.phone_fill.capacity, backgroundColor: "#dee2e6" },
  ], { indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }));

  draw("chart-field-fill", bars(data.field_fill.labels, [
    { label: data.field_fill.busy_label, data: data.field_fill.busy },
    { label: data.field_fill.hours_label, data: data.field_fill.hours, backgroundColor: "#dee2e6" },
  ], { indexAxis: "y", scales: { x: { beginAtZero: true } } }));

  function outcomes(id, chart) {
    draw(id, bars(chart.labels, chart.datasets.map(function (set) {
      return { label: set.label, data: set.data, backgroundColor: outcomeColours[set.key] || "#6c757d" };
    }), { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }));
  }
  outcomes("chart-phone-outcomes", data.phone_outcomes);
  outcomes("chart-field-outcomes", data.field_outcomes);

  draw("chart-funnel", bars(data.funnel.labels, [
    { label: "", data: data.funnel.data, backgroundColor: ["#6c757d", "#0d6efd", "#0dcaf0", "#fd7e14", "#198754"] },
  ], { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }));
})();
