// The field day's map: home base and the visits in order, drawn with Leaflet
// on the tiles the server is configured with (the page has no map without them).
(function () {
  "use strict";
  var element = document.getElementById("field-map");
  var source = document.getElementById("field-map-data");
  if (!element || !source || typeof L === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var map = L.map(element);
  L.tileLayer(element.dataset.tiles, {
    maxZoom: 18,
    attribution: "&copy; OpenStreetMap",
  }).addTo(map);
  var points = [];
  if (data.home) {
    points.push(data.home);
    L.circleMarker(data.home, { radius: 7, color: "#198754" }).addTo(map).bindTooltip("⌂");
  }
  data.stops.forEach(function (stop, index) {
    var point = [stop.lat, stop.lon];
    points.push(point);
    L.marker(point).addTo(map).bindTooltip(index + 1 + ". " + stop.label);
  });
  if (data.home) {
    points.push(data.home);
  }
  L.polyline(points, { color: "#2f6fd0", weight: 3 }).addTo(map);
  map.fitBounds(L.latLngBounds(points).pad(0.2));
})();
