// Customer list: the header checkbox selects or clears every row of the page for "add to segment".
(function () {
    'use strict';
    var all = document.getElementById('select-all-customers');
    if (!all) {
        return;
    }
    var rows = function () { return document.querySelectorAll('input.customer-select'); };
    all.addEventListener('change', function () {
        rows().forEach(function (box) { box.checked = all.checked; });
    });
    rows().forEach(function (box) {
        box.addEventListener('change', function () {
            var boxes = Array.prototype.slice.call(rows());
            all.checked = boxes.length > 0 && boxes.every(function (b) { return b.checked; });
        });
    });
}());
