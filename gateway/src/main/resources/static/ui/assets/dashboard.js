// Verigen dashboard: the little script the server-rendered pages need. htmx requests carry the session's CSRF token;
// canvases with data-chart become Chart.js charts (their configuration is rendered by the server as JSON in an
// attribute, so no inline script is needed and the content security policy stays strict).
(function () {
  'use strict';
  var PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#9ca3af', '#d97706', '#7c3aed', '#0891b2', '#db2777'];

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : '';
  }

  document.addEventListener('htmx:configRequest', function (e) {
    e.detail.headers['X-CSRF-Token'] = csrf();
  });

  function config(spec) {
    var o = spec.options || {};
    var datasets = spec.data.datasets.map(function (d, i) {
      var c = d.color || PALETTE[i % PALETTE.length];
      return Object.assign({borderColor: c, backgroundColor: c, pointRadius: 2, tension: 0.2}, d);
    });
    var scales = {};
    if (o.logX) {
      scales.x = {type: 'logarithmic', title: {display: true, text: o.xTitle || ''}};
      scales.y = {min: o.yMin, max: o.yMax, title: {display: true, text: o.yTitle || ''}};
    } else {
      scales.x = {stacked: !!o.stacked, title: {display: !!o.xTitle, text: o.xTitle || ''}};
      scales.y = {stacked: !!o.stacked, beginAtZero: true, min: o.yMin, max: o.yMax,
        title: {display: !!o.yTitle, text: o.yTitle || ''}};
      if (o.dualAxis) {
        scales.y2 = {position: 'right', beginAtZero: true, grid: {drawOnChartArea: false},
          title: {display: true, text: o.y2Title || ''}};
      }
    }
    return {
      type: spec.type,
      data: {labels: spec.data.labels, datasets: datasets},
      options: {responsive: true, maintainAspectRatio: false, animation: false, scales: scales,
        plugins: {legend: {position: 'bottom'}}}
    };
  }

  function charts(root) {
    if (typeof Chart === 'undefined') {
      return;
    }
    root.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      if (canvas.dataset.drawn) {
        return;
      }
      canvas.dataset.drawn = '1';
      try {
        new Chart(canvas, config(JSON.parse(canvas.dataset.chart)));
      } catch (err) {
        canvas.insertAdjacentText('afterend', 'chart unavailable: ' + err.message);
      }
    });
  }

  // a node picked in the tree: open its entry in the list and move the focus there (keyboard and screen readers)
  function openNode() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id.indexOf('node-') !== 0) {
      return;
    }
    var item = document.getElementById(id);
    if (item) {
      var details = item.querySelector('details');
      if (details) {
        details.open = true;
      }
      item.focus();
    }
  }

  window.addEventListener('hashchange', openNode);
  document.addEventListener('DOMContentLoaded', function () {
    charts(document);
    openNode();
  });
  document.addEventListener('htmx:afterSettle', function (e) {
    charts(e.target);
  });
})();
