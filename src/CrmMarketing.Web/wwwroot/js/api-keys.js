// API keys page: copies the newly created key to the clipboard.
(function () {
    'use strict';
    const button = document.getElementById('api-key-copy');
    const input = document.getElementById('api-key-value');
    if (!button || !input) {
        return;
    }

    button.addEventListener('click', async function () {
        input.select();
        try {
            await navigator.clipboard.writeText(input.value);
            button.textContent = button.dataset.copied;
        } catch {
            // Without clipboard access the key stays selected for Ctrl+C.
        }
    });
})();
