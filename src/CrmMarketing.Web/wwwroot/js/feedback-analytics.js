// Customer satisfaction: the monthly CSAT trend (line) and the score distribution (bar) from the JSON data block.
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
                    { label: data.satisfiedLabel, data: data.monthSatisfied, yAxisID: 'percent', borderColor: 'rgb(25, 135, 84)', tension: 0.2 }
                ]
            },
            options: {
                responsive: true,
                interaction: { mode: 'index', intersect: false },
                scales: {
                    score: { type: 'linear', position: 'left', min: 1, max: 5 },
                    percent: { type: 'linear', position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false } }
                }
            }
        });
    }
    var distribution = document.getElementById('csat-distribution');
    if (distribution) {
        new Chart(distribution, {
            type: 'bar',
            data: {
                labels: ['1', '2', '3', '4', '5'],
                datasets: [{
                    label: data.countLabel,
                    data: data.distribution,
                    backgroundColor: ['#dc3545', '#fd7e14', '#ffc107', '#20c997', '#198754']
                }]
            },
            options: { responsive: true, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
        });
    }
})();
