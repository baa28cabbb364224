// RFM analysis: draws customers and revenue per segment from the JSON data block the view embeds.
(function () {
    'use strict';
    var canvas = document.getElementById('rfm-chart');
    var source = document.getElementById('rfm-chart-data');
    if (!canvas || !source || typeof Chart === 'undefined') {
        return;
    }
    var data = JSON.parse(source.textContent);
    new Chart(canvas, {
        type: 'bar',
        data: {
            labels: data.labels,
            datasets: [
                { label: data.customersLabel, data: data.customers, xAxisID: 'customers', backgroundColor: 'rgba(13, 110, 253, 0.6)' },
                { label: data.revenueLabel, data: data.revenue, xAxisID: 'revenue', backgroundColor: 'rgba(25, 135, 84, 0.6)' }
            ]
        },
        options: {
            indexAxis: 'y',
            responsive: true,
            interaction: { mode: 'index', intersect: false },
            scales: {
                customers: { type: 'linear', position: 'top', beginAtZero: true },
                revenue: { type: 'linear', position: 'bottom', beginAtZero: true, grid: { drawOnChartArea: false } }
            }
        }
    });
})();
