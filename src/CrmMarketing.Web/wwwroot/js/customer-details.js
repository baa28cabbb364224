// Customer details: "Show older" appends the next page of the timeline.
(function () {
    'use strict';
    var button = document.getElementById('timeline-more');
    var list = document.getElementById('timeline');
    if (!button || !list) {
        return;
    }
    button.addEventListener('click', function () {
        button.disabled = true;
        fetch(button.dataset.url + '?before=' + encodeURIComponent(button.dataset.before), { credentials: 'same-origin' })
            .then(function (response) {
                if (!response.ok) { throw new Error(response.status); }
                return response.text();
            })
            .then(function (html) {
                var template = document.createElement('template');
                template.innerHTML = html;
                var marker = template.content.querySelector('[data-older-than]');
                list.append(template.content);
                if (marker) {
                    button.dataset.before = marker.dataset.olderThan;
                    marker.remove();
                    button.disabled = false;
                } else {
                    button.remove();
                }
            })
            .catch(function () { button.disabled = false; });
    });
})();
