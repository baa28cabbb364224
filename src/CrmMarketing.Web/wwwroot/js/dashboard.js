// Dashboard: draws the revenue-by-month chart from the JSON data block the view embeds.
(function () {
    'use strict';
    var canvas = document.getElementById('revenue-chart');
    var source = document.getElementById('revenue-chart-data');
    if (!canvas || !source || typeof Chart === 'undefined') {
        return;
    }
    var data = JSON.parse(source.textContent);
    new Chart(canvas, {
        data: {
            labels: data.labels,
            datasets: [
                { type: 'bar', label: data.revenueLabel, data: data.revenue, yAxisID: 'revenue', backgroundColor: 'rgba(13, 110, 253, 0.6)' },
                { type: 'line', label: data.ordersLabel, data: data.orders, yAxisID: 'orders', borderColor: '#198754', tension: 0.3 }
            ]
        },
        options: {
            responsive: true,
            interaction: { mode: 'index', intersect: false },
            scales: {
                revenue: { type: 'linear', position: 'left', beginAtZero: true },
                orders: { type: 'linear', position: 'right', beginAtZero: true, grid: { drawOnChartArea: false } }
            }
        }
    });
})();
