// Dashboard: draws every <canvas class="dashboard-chart" data-source="ID"> from the JSON data block with that id.
// A click on a bar, point or slice opens the customer-list URL the server built for it (data.links).
(function () {
    'use strict';
    if (typeof Chart === 'undefined') {
        return;
    }
    var palette = ['#0d6efd', '#198754', '#fd7e14', '#6f42c1', '#20c997', '#dc3545', '#ffc107', '#0dcaf0', '#6c757d', '#d63384', '#343a40'];
    document.querySelectorAll('canvas.dashboard-chart').forEach(function (canvas) {
        var source = document.getElementById(canvas.dataset.source);
        if (!source) {
            return;
        }
        var data = JSON.parse(source.textContent);
        var doughnut = data.series.length === 1 && data.series[0].type === 'doughnut';
        var datasets = data.series.map(function (s, i) {
            var set = { type: s.type, label: s.label, data: s.values };
            if (doughnut) {
                set.backgroundColor = data.labels.map(function (_, j) { return palette[j % palette.length]; });
            } else {
                set.yAxisID = s.axis;
                set.backgroundColor = s.type === 'line' ? palette[1] : 'rgba(13, 110, 253, 0.6)';
                set.borderColor = s.type === 'line' ? palette[1] : undefined;
                set.tension = 0.3;
            }
            return set;
        });
        var scales = {};
        if (!doughnut) {
            scales.y = { type: 'linear', position: 'left', beginAtZero: true };
            if (data.series.some(function (s) { return s.axis === 'y1'; })) {
                scales.y1 = { type: 'linear', position: 'right', beginAtZero: true, grid: { drawOnChartArea: false } };
            }
        }
        new Chart(canvas, {
            type: doughnut ? 'doughnut' : 'bar',
            data: { labels: data.labels, datasets: datasets },
            options: {
                responsive: true,
                interaction: doughnut ? { mode: 'nearest', intersect: true } : { mode: 'index', intersect: false },
                scales: scales,
                plugins: { legend: { display: doughnut || data.series.length > 1 } },
                onClick: function (event, elements) {
                    if (!elements.length) {
                        return;
                    }
                    var link = data.links[elements[0].index];
                    if (link) {
                        window.location.assign(link);
                    }
                },
                onHover: function (event, elements) {
                    var target = event.native ? event.native.target : null;
                    if (target) {
                        target.style.cursor = elements.length && data.links[elements[0].index] ? 'pointer' : 'default';
                    }
                }
            }
        });
    });
})();
