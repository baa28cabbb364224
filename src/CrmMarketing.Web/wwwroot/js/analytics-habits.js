// Purchase habits: draws the top categories and the channel mix from the JSON data block the view embeds.
(function () {
    'use strict';
    var source = document.getElementById('habits-chart-data');
    if (!source || typeof Chart === 'undefined') {
        return;
    }
    var data = JSON.parse(source.textContent);
    var categories = document.getElementById('habits-category-chart');
    if (categories) {
        new Chart(categories, {
            type: 'bar',
            data: {
                labels: data.categoryLabels,
                datasets: [{ label: data.revenueLabel, data: data.categoryRevenue, backgroundColor: 'rgba(25, 135, 84, 0.6)' }]
            },
            options: { indexAxis: 'y', responsive: true, scales: { x: { beginAtZero: true } } }
        });
    }
    var channels = document.getElementById('habits-channel-chart');
    if (channels) {
        new Chart(channels, {
            type: 'doughnut',
            data: {
                labels: data.channelLabels,
                datasets: [{ label: data.ordersLabel, data: data.channelOrders }]
            },
            options: { responsive: true, plugins: { legend: { position: 'right' } } }
        });
    }
})();
