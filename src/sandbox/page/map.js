/* global window, document */
/*
 * The county as a small SVG map: villages as dots inside their geofence circles, coloured by township, the
 * county town, and the chosen location. No tiles (the sandbox runs offline): a plain equirectangular
 * projection, with longitude shrunk by cos(latitude) so that distances look right. Clicking picks a point.
 */
(function () {
  'use strict';
  var NS = 'http://www.w3.org/2000/svg';
  var W = 300;
  var H = 230;
  var COLOURS = ['#1677ff', '#00b578', '#ff8f1f', '#7b61ff', '#f53f3f', '#14c9c9'];

  function projection(bounds) {
    var k = Math.cos((((bounds.north + bounds.south) / 2) * Math.PI) / 180);
    var scale = Math.min(W / ((bounds.east - bounds.west) * k), H / (bounds.north - bounds.south));
    var dx = (W - (bounds.east - bounds.west) * k * scale) / 2;
    var dy = (H - (bounds.north - bounds.south) * scale) / 2;
    return {
      metres: scale / 111320,
      toXY: function (lat, lng) {
        return [dx + (lng - bounds.west) * k * scale, dy + (bounds.north - lat) * scale];
      },
      toLatLng: function (x, y) {
        return [bounds.north - (y - dy) / scale, bounds.west + (x - dx) / (k * scale)];
      },
    };
  }

  function el(name, attrs, text) {
    var e = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (a) {
      e.setAttribute(a, attrs[a]);
    });
    if (text) e.textContent = text;
    return e;
  }

  /** Draw `map` into `svg`; `here` is {lat, lng} or null; `onPick(lat, lng)` is called on a click. */
  function draw(svg, map, here, onPick) {
    var p = projection(map.bounds);
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var townships = [];
    map.villages.forEach(function (v) {
      if (townships.indexOf(v.township) < 0) townships.push(v.township);
      var colour = COLOURS[townships.indexOf(v.township) % COLOURS.length];
      var xy = p.toXY(v.lat, v.lng);
      svg.appendChild(
        el('circle', { class: 'fence', cx: xy[0], cy: xy[1], r: v.radius * p.metres, fill: colour, stroke: colour }),
      );
      svg.appendChild(el('circle', { cx: xy[0], cy: xy[1], r: 3, fill: colour, 'data-village': v.id }));
      svg.appendChild(el('text', { x: xy[0] + 5, y: xy[1] - 4 }, v.name));
    });
    var t = p.toXY(map.town.lat, map.town.lng);
    svg.appendChild(el('rect', { class: 'town', x: t[0] - 4, y: t[1] - 4, width: 8, height: 8 }));
    svg.appendChild(el('text', { x: t[0] + 6, y: t[1] - 4 }, map.town.label));
    if (here) {
      var h = p.toXY(here.lat, here.lng);
      svg.appendChild(el('circle', { class: 'here', cx: h[0], cy: h[1], r: 5 }));
    }
    svg.onclick = function (ev) {
      var box = svg.getBoundingClientRect();
      var ll = p.toLatLng(((ev.clientX - box.left) / box.width) * W, ((ev.clientY - box.top) / box.height) * H);
      onPick(Math.round(ll[0] * 1e5) / 1e5, Math.round(ll[1] * 1e5) / 1e5);
    };
  }

  window.SandboxMap = { draw: draw };
})();
