// Shared behaviour for every page. Page modules live beside this file, one per screen.
(function () {
    'use strict';
    // Forms marked data-confirm ask before submitting (archive, lock, reset password, ...).
    document.addEventListener('submit', function (e) {
        var form = e.target;
        if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
            e.preventDefault();
        }
    });
    // Selects marked data-autosubmit submit their form on change (page size, filters).
    document.addEventListener('change', function (e) {
        var el = e.target;
        if (el instanceof HTMLSelectElement && el.dataset.autosubmit !== undefined && el.form) {
            el.form.submit();
        }
    });
})();
