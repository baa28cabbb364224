// Live progress of a launched activity: polls the JSON endpoint named by #campaign-progress and updates the bar
// and the counts until nothing is left to send.
(function () {
    'use strict';
    const root = document.getElementById('campaign-progress');
    if (!root) {
        return;
    }

    const url = root.dataset.progressUrl;
    const bar = document.getElementById('progress-bar');
    const outer = document.getElementById('progress-bar-outer');
    const format = new Intl.NumberFormat(document.documentElement.lang || undefined);
    let delay = 1000;

    function render(p) {
        root.querySelectorAll('[data-count]').forEach(function (el) {
            const value = p[el.dataset.count];
            if (typeof value === 'number') {
                el.textContent = format.format(value);
            }
        });
        if (bar) {
            const percent = Math.max(0, Math.min(100, p.percent));
            bar.style.width = percent + '%';
            bar.textContent = percent + ' %';
            outer.setAttribute('aria-valuenow', String(percent));
            bar.classList.toggle('bg-success', percent >= 100);
            bar.classList.toggle('progress-bar-striped', percent < 100 && !p.isPaused);
            bar.classList.toggle('progress-bar-animated', percent < 100 && !p.isPaused);
        }
        root.dataset.percent = String(p.percent);
    }

    function finished(p) {
        return p.status === 'Completed' || p.status === 'Cancelled' || (root.dataset.digital === 'true' && p.percent >= 100);
    }

    async function poll() {
        try {
            const response = await fetch(url, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' });
            if (response.ok) {
                const p = await response.json();
                render(p);
                if (finished(p)) {
                    return;
                }
                delay = 2000;
            } else {
                delay = Math.min(delay * 2, 30000);
            }
        } catch {
            delay = Math.min(delay * 2, 30000);
        }
        window.setTimeout(poll, delay);
    }

    poll();
})();
