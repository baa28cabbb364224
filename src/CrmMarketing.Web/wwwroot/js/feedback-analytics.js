// Customer satisfaction: the monthly CSAT/NPS trend (lines) and the CSAT and NPS score distributions (bars),
// all from the JSON data block; each chart has a table view in the page.
(function () {
    'use strict';
    var source = document.getElementById('csat-chart-data');
    if (!source || typeof Chart === 'undefined') {
        return;
    }
    var data = JSON.parse(source.textContent);
    var trend = document.getElementById('csat-trend');
    if (trend) {
        new Chart(trend, {
            type: 'line',
            data: {
                labels: data.months,
                datasets: [
                    { label: data.averageLabel, data: data.monthAverage, yAxisID: 'score', borderColor: 'rgb(13, 110, 253)', tension: 0.2 },
                    { label: data.satisfiedLabel, data: data.monthSatisfied, yAxisID: 'percent', borderColor: 'rgb(25, 135, 84)', tension: 0.2 },
                    { label: data.npsLabel, data: data.monthNps, yAxisID: 'percent', borderColor: 'rgb(111, 66, 193)', borderDash: [4, 4], tension: 0.2 }
                ]
            },
            options: {
                responsive: true,
                spanGaps: true,
                interaction: { mode: 'index', intersect: false },
                scales: {
                    score: { type: 'linear', position: 'left', min: 1, max: 5 },
                    percent: { type: 'linear', position: 'right', min: -100, max: 100, grid: { drawOnChartArea: false } }
                }
            }
        });
    }

    function bars(id, labels, values, colors) {
        var canvas = document.getElementById(id);
        if (!canvas) {
            return;
        }
        new Chart(canvas, {
            type: 'bar',
            data: { labels: labels, datasets: [{ label: data.countLabel, data: values, backgroundColor: colors }] },
            options: { responsive: true, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
        });
    }

    bars('csat-distribution', ['1', '2', '3', '4', '5'], data.distribution,
        ['#dc3545', '#fd7e14', '#ffc107', '#20c997', '#198754']);
    var npsLabels = [];
    var npsColors = [];
    for (var i = 0; i <= 10; i++) {
        npsLabels.push(String(i));
        npsColors.push(i <= 6 ? '#dc3545' : i <= 8 ? '#ffc107' : '#198754');
    }
    bars('nps-distribution', npsLabels, data.npsDistribution, npsColors);

    // Saved segments: NPS and % satisfied side by side, both on the −100…100 percent scale.
    var segmentChart = document.getElementById('saved-segment-chart');
    if (segmentChart && data.segments && data.segments.length > 0) {
        new Chart(segmentChart, {
            type: 'bar',
            data: {
                labels: data.segments,
                datasets: [
                    { label: data.npsLabel, data: data.segmentNps, backgroundColor: 'rgba(111, 66, 193, 0.7)' },
                    { label: data.satisfiedLabel, data: data.segmentSatisfied, backgroundColor: 'rgba(25, 135, 84, 0.7)' }
                ]
            },
            options: { responsive: true, scales: { y: { min: -100, max: 100 } } }
        });
    }
})();
