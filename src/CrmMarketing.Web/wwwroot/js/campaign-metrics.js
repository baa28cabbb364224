// Campaign metrics and the comparison report: draws every <canvas class="campaign-chart" data-source="ID"> from the
// JSON data block with that id ({ labels, series: [{ label, values, type, axis }], horizontal, percent, links }).
// With percent the values are percentages and the axis and tooltips say so; a missing value (null) leaves a gap.
// A click on a bar opens the URL the server built for it (data.links), when there is one.
(function () {
    'use strict';
    if (typeof Chart === 'undefined') {
        return;
    }
    var colours = ['rgba(13, 110, 253, 0.7)', '#198754', '#fd7e14', '#6f42c1'];
    document.querySelectorAll('canvas.campaign-chart').forEach(function (canvas) {
        var source = document.getElementById(canvas.dataset.source);
        if (!source) {
            return;
        }
        var data = JSON.parse(source.textContent);
        var links = data.links || [];
        var datasets = data.series.map(function (s, i) {
            var set = { type: s.type, label: s.label, data: s.values, tension: 0.3 };
            if (s.negative) {
                // Bars below zero (a loss) in red, the others in blue.
                set.backgroundColor = s.values.map(function (v) { return v < 0 ? 'rgba(220, 53, 69, 0.7)' : colours[0]; });
            } else {
                set.backgroundColor = colours[i % colours.length];
                set.borderColor = colours[i % colours.length];
            }
            if (!data.horizontal) {
                set.yAxisID = s.axis;
            }
            return set;
        });
        var scales = {};
        if (data.horizontal) {
            scales.x = { beginAtZero: true };
        } else {
            scales.y = { type: 'linear', position: 'left', beginAtZero: true };
            if (data.series.some(function (s) { return s.axis === 'y1'; })) {
                scales.y1 = { type: 'linear', position: 'right', beginAtZero: true, grid: { drawOnChartArea: false } };
            }
        }
        var tooltip = {};
        if (data.percent) {
            var valueAxis = data.horizontal ? scales.x : scales.y;
            valueAxis.ticks = { callback: function (value) { return value + ' %'; } };
            tooltip.callbacks = {
                label: function (context) {
                    var value = data.horizontal ? context.parsed.x : context.parsed.y;
                    return context.dataset.label + ': ' + (value === null ? '—' : value.toLocaleString(document.documentElement.lang || undefined, { maximumFractionDigits: 2 }) + ' %');
                }
            };
        }
        new Chart(canvas, {
            type: 'bar',
            data: { labels: data.labels, datasets: datasets },
            options: {
                responsive: true,
                indexAxis: data.horizontal ? 'y' : 'x',
                interaction: { mode: 'index', intersect: false },
                scales: scales,
                plugins: { legend: { display: data.series.length > 1 }, tooltip: tooltip },
                onClick: function (event, elements) {
                    if (elements.length && links[elements[0].index]) {
                        window.location.assign(links[elements[0].index]);
                    }
                },
                onHover: function (event, elements) {
                    var target = event.native ? event.native.target : null;
                    if (target) {
                        target.style.cursor = elements.length && links[elements[0].index] ? 'pointer' : 'default';
                    }
                }
            }
        });
    });
})();
