// Log feedback: the customer picker. Typing asks Feedback/CustomerLookup for up to ten matches; arrow keys
// move through them, Enter picks one, Escape closes the list. The chosen id goes into the hidden field.
(function () {
    'use strict';
    var picker = document.querySelector('.customer-picker');
    if (!picker) {
        return;
    }
    var input = document.getElementById('customer-search');
    var hidden = document.getElementById('customer-id');
    var list = document.getElementById('customer-results');
    var url = picker.getAttribute('data-lookup-url');
    var items = [];
    var active = -1;
    var timer = null;
    var request = 0;

    function close() {
        list.classList.add('d-none');
        list.textContent = '';
        input.setAttribute('aria-expanded', 'false');
        input.removeAttribute('aria-activedescendant');
        items = [];
        active = -1;
    }

    function highlight(index) {
        var options = list.querySelectorAll('[role="option"]');
        options.forEach(function (o, i) {
            var on = i === index;
            o.classList.toggle('active', on);
            o.setAttribute('aria-selected', on ? 'true' : 'false');
        });
        active = index;
        if (index >= 0 && options[index]) {
            input.setAttribute('aria-activedescendant', options[index].id);
            options[index].scrollIntoView({ block: 'nearest' });
        } else {
            input.removeAttribute('aria-activedescendant');
        }
    }

    function choose(index) {
        var item = items[index];
        if (!item) {
            return;
        }
        hidden.value = item.id;
        input.value = item.name;
        close();
    }

    function render(results) {
        list.textContent = '';
        items = results;
        active = -1;
        if (results.length === 0) {
            var empty = document.createElement('li');
            empty.className = 'list-group-item text-muted small';
            empty.textContent = input.getAttribute('data-no-results');
            list.appendChild(empty);
        }
        results.forEach(function (r, i) {
            var li = document.createElement('li');
            li.id = 'customer-option-' + i;
            li.className = 'list-group-item list-group-item-action';
            li.setAttribute('role', 'option');
            li.setAttribute('aria-selected', 'false');
            var name = document.createElement('span');
            name.textContent = r.name;
            li.appendChild(name);
            if (r.contact) {
                var contact = document.createElement('span');
                contact.className = 'text-muted small ms-2';
                contact.textContent = r.contact;
                li.appendChild(contact);
            }
            li.addEventListener('mousedown', function (e) {
                e.preventDefault();
                choose(i);
            });
            list.appendChild(li);
        });
        list.classList.remove('d-none');
        input.setAttribute('aria-expanded', 'true');
    }

    function lookup() {
        var term = input.value.trim();
        if (term.length < 1) {
            close();
            return;
        }
        var mine = ++request;
        fetch(url + '?q=' + encodeURIComponent(term), { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
            .then(function (r) { return r.ok ? r.json() : []; })
            .then(function (results) {
                if (mine === request) {
                    render(results);
                }
            })
            .catch(function () { close(); });
    }

    input.addEventListener('input', function () {
        // The typed text no longer names the chosen customer.
        hidden.value = '';
        clearTimeout(timer);
        timer = setTimeout(lookup, 200);
    });

    input.addEventListener('keydown', function (e) {
        if (e.key === 'ArrowDown' && items.length > 0) {
            e.preventDefault();
            highlight((active + 1) % items.length);
        } else if (e.key === 'ArrowUp' && items.length > 0) {
            e.preventDefault();
            highlight(active <= 0 ? items.length - 1 : active - 1);
        } else if (e.key === 'Enter' && active >= 0) {
            e.preventDefault();
            choose(active);
        } else if (e.key === 'Escape') {
            close();
        }
    });

    input.addEventListener('blur', function () {
        setTimeout(close, 100);
    });
})();
