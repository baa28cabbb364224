// Customers and revenue per group (segments, cities, age bands, ...): a horizontal bar chart for every
// <canvas class="customers-revenue-chart" data-source="ID">, read from the JSON data block with that id.
(function () {
    'use strict';
    if (typeof Chart === 'undefined') {
        return;
    }
    document.querySelectorAll('canvas.customers-revenue-chart').forEach(function (canvas) {
        var source = document.getElementById(canvas.dataset.source);
        if (!source) {
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
    });
})();
