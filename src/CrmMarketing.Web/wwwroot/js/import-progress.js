// Import details: while a dry run or import is queued or running, poll its progress and move the bar;
// when it is done, reload the page to show the summary and the report.
(function () {
    'use strict';
    const card = document.getElementById('import-progress');
    if (!card || card.dataset.working !== 'true') {
        return;
    }

    const bar = document.getElementById('import-progress-bar');
    const status = document.getElementById('import-status');
    const counts = document.getElementById('import-counts');
    const url = card.dataset.progressUrl;
    const format = new Intl.NumberFormat(document.documentElement.lang || undefined);

    async function poll() {
        try {
            const response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
            if (response.ok) {
                const p = await response.json();
                bar.value = p.percent;
                bar.textContent = p.percent + ' %';
                status.textContent = p.status;
                counts.textContent = format.format(p.processed) + ' / ' + format.format(p.total);
                if (!p.working) {
                    window.location.reload();
                    return;
                }
            }
        } catch {
            // A failed poll is retried on the next tick.
        }

        window.setTimeout(poll, 1000);
    }

    window.setTimeout(poll, 500);
})();
