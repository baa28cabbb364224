// Segment rule builder: edits the rule JSON of docs/segments.md in the hidden #segment-rule field and asks the
// server for a live preview (count and a few members) after every change.
(function () {
    'use strict';
    var root = document.getElementById('segment-builder');
    var hidden = document.getElementById('segment-rule');
    var dataBlock = document.getElementById('segment-builder-data');
    if (!root || !hidden || !dataBlock) {
        return;
    }
    var data = JSON.parse(dataBlock.textContent);
    var texts = data.texts;
    var fields = {};
    data.fields.forEach(function (f) { fields[f.name] = f; });
    var maxDepth = 5;
    var form = root.closest('form');
    var previewCount = document.getElementById('segment-preview-count');
    var previewError = document.getElementById('segment-preview-error');
    var previewTable = document.getElementById('segment-preview-sample');
    var ruleSection = document.getElementById('rule-section');
    var datalists = 0;

    function newCondition() {
        var f = data.fields[0];
        return { field: f.name, operator: f.operators[0], value: '' };
    }

    function parseInitial() {
        try {
            var parsed = hidden.value ? JSON.parse(hidden.value) : null;
            if (parsed && (parsed.match === 'all' || parsed.match === 'any') && Array.isArray(parsed.conditions)) {
                return parsed;
            }
        } catch (e) {
            // An unreadable rule starts over with one empty condition.
        }
        return { match: 'all', conditions: [newCondition()] };
    }

    var rule = parseInitial();

    function el(tag, className, text) {
        var e = document.createElement(tag);
        if (className) { e.className = className; }
        if (text !== undefined) { e.textContent = text; }
        return e;
    }

    function option(select, value, label, selected) {
        var o = el('option', null, label);
        o.value = value;
        if (selected) { o.selected = true; }
        select.appendChild(o);
    }

    function suggestionsFor(name) {
        return data.suggestions[name] || [];
    }

    function textInput(cond, key, name, placeholder) {
        var input = el('input', 'form-control form-control-sm rule-' + name);
        input.type = 'text';
        input.value = cond[key] === undefined || cond[key] === null ? '' : cond[key];
        input.placeholder = placeholder || '';
        input.setAttribute('aria-label', placeholder || name);
        return input;
    }

    function withSuggestions(input, list) {
        if (list.length === 0) { return input; }
        var id = 'segment-suggestions-' + (++datalists);
        var dl = el('datalist');
        dl.id = id;
        list.forEach(function (s) { var o = el('option'); o.value = s.value; if (s.label !== s.value) { o.label = s.label; } dl.appendChild(o); });
        input.setAttribute('list', id);
        var wrap = el('span');
        wrap.appendChild(input);
        wrap.appendChild(dl);
        return wrap;
    }

    function numberInput(cond, key, name, placeholder) {
        var input = el('input', 'form-control form-control-sm rule-' + name);
        input.type = 'number';
        input.step = name === 'value' ? 'any' : '1';
        if (name === 'days') { input.min = '1'; }
        input.value = cond[key] === undefined || cond[key] === null ? '' : cond[key];
        input.placeholder = placeholder || '';
        input.setAttribute('aria-label', placeholder || name);
        return input;
    }

    function renderValue(cond, field, box) {
        var op = cond.operator;
        if (op === 'empty' || op === 'notEmpty') { return; }
        var list = field.choices || suggestionsFor(field.name);
        var many = op === 'in' || op === 'notIn';
        if (field.kind === 'Text' || field.kind === 'Choice') {
            if (field.kind === 'Choice') {
                var select = el('select', 'form-select form-select-sm rule-' + (many ? 'values' : 'value'));
                select.multiple = many;
                select.setAttribute('aria-label', many ? texts.values : texts.value);
                var chosen = many ? (cond.values || []) : [cond.value];
                field.choices.forEach(function (c) { option(select, c.value, c.label, chosen.indexOf(c.value) >= 0); });
                if (!many && !cond.value) { cond.value = field.choices[0].value; }
                select.addEventListener('change', function () {
                    if (many) {
                        cond.values = Array.prototype.filter.call(select.options, function (o) { return o.selected; }).map(function (o) { return o.value; });
                    } else {
                        cond.value = select.value;
                    }
                    changed();
                });
                box.appendChild(select);
            } else if (many) {
                var area = el('textarea', 'form-control form-control-sm rule-values');
                area.rows = 2;
                area.placeholder = texts.values;
                area.setAttribute('aria-label', texts.values);
                area.value = (cond.values || []).join('\n');
                area.addEventListener('input', function () {
                    cond.values = area.value.split('\n').map(function (v) { return v.trim(); }).filter(function (v) { return v.length > 0; });
                    changed();
                });
                box.appendChild(area);
            } else {
                var input = textInput(cond, 'value', 'value', texts.value);
                input.addEventListener('input', function () { cond.value = input.value; changed(); });
                box.appendChild(withSuggestions(input, list));
            }
        } else if (field.kind === 'Date') {
            box.appendChild(el('span', 'small', texts.withinLast));
            var days = numberInput(cond, 'days', 'days', texts.days);
            days.addEventListener('input', function () { cond.days = days.value === '' ? null : Number(days.value); changed(); });
            box.appendChild(days);
            box.appendChild(el('span', 'small', texts.days));
        } else if (field.kind === 'Money' || field.kind === 'Count') {
            var number = numberInput(cond, 'value', 'value', texts.value);
            number.addEventListener('input', function () { cond.value = number.value === '' ? null : Number(number.value); changed(); });
            box.appendChild(number);
        } else if (field.kind === 'Bought') {
            var what = textInput(cond, 'value', 'value', texts.value);
            what.addEventListener('input', function () { cond.value = what.value; changed(); });
            box.appendChild(withSuggestions(what, list));
            var within = numberInput(cond, 'days', 'days', texts.anyTime);
            within.addEventListener('input', function () { cond.days = within.value === '' ? null : Number(within.value); changed(); });
            box.appendChild(el('span', 'small', texts.withinLast));
            box.appendChild(within);
            box.appendChild(el('span', 'small', texts.days));
        } else if (field.kind === 'Events') {
            var type = textInput(cond, 'eventType', 'event-type', texts.eventType);
            type.addEventListener('input', function () { cond.eventType = type.value; changed(); });
            box.appendChild(withSuggestions(type, list));
            var count = numberInput(cond, 'value', 'value', texts.value);
            count.addEventListener('input', function () { cond.value = count.value === '' ? null : Number(count.value); changed(); });
            box.appendChild(count);
            box.appendChild(el('span', 'small', texts.withinLast));
            var inDays = numberInput(cond, 'days', 'days', texts.days);
            inDays.addEventListener('input', function () { cond.days = inDays.value === '' ? null : Number(inDays.value); changed(); });
            box.appendChild(inDays);
            box.appendChild(el('span', 'small', texts.days));
        }
    }

    function renderCondition(cond, parent, index) {
        var row = el('div', 'segment-condition d-flex flex-wrap align-items-center gap-1 mb-1');
        var field = fields[cond.field] || data.fields[0];
        var fieldSelect = el('select', 'form-select form-select-sm w-auto rule-field');
        fieldSelect.setAttribute('aria-label', 'field');
        data.fields.forEach(function (f) { option(fieldSelect, f.name, f.label, f.name === field.name); });
        fieldSelect.addEventListener('change', function () {
            var f = fields[fieldSelect.value];
            parent.conditions[index] = { field: f.name, operator: f.operators[0], value: '' };
            render();
            changed();
        });
        row.appendChild(fieldSelect);

        var opSelect = el('select', 'form-select form-select-sm w-auto rule-operator');
        opSelect.setAttribute('aria-label', 'operator');
        if (field.operators.indexOf(cond.operator) < 0) { cond.operator = field.operators[0]; }
        field.operators.forEach(function (o) { option(opSelect, o, data.operators[o] || o, o === cond.operator); });
        opSelect.addEventListener('change', function () {
            cond.operator = opSelect.value;
            render();
            changed();
        });
        row.appendChild(opSelect);

        renderValue(cond, field, row);

        var remove = el('button', 'btn btn-sm btn-link text-danger rule-remove', texts.remove);
        remove.type = 'button';
        remove.addEventListener('click', function () {
            parent.conditions.splice(index, 1);
            render();
            changed();
        });
        row.appendChild(remove);
        return row;
    }

    function renderGroup(group, parent, index, depth) {
        var box = el('div', 'segment-group border rounded p-2 mb-2' + (depth > 1 ? ' ms-3' : ''));
        var head = el('div', 'd-flex align-items-center gap-2 mb-2');
        var match = el('select', 'form-select form-select-sm w-auto rule-match');
        match.setAttribute('aria-label', 'match');
        option(match, 'all', texts.all, group.match === 'all');
        option(match, 'any', texts.any, group.match === 'any');
        match.addEventListener('change', function () { group.match = match.value; changed(); });
        head.appendChild(match);
        if (parent) {
            var remove = el('button', 'btn btn-sm btn-link text-danger rule-remove-group', texts.remove);
            remove.type = 'button';
            remove.addEventListener('click', function () { parent.conditions.splice(index, 1); render(); changed(); });
            head.appendChild(remove);
        }
        box.appendChild(head);

        group.conditions.forEach(function (child, i) {
            box.appendChild(child && child.match
                ? renderGroup(child, group, i, depth + 1)
                : renderCondition(child, group, i));
        });

        var actions = el('div', 'd-flex gap-2');
        var addCondition = el('button', 'btn btn-sm btn-outline-secondary rule-add-condition', texts.addCondition);
        addCondition.type = 'button';
        addCondition.addEventListener('click', function () { group.conditions.push(newCondition()); render(); changed(); });
        actions.appendChild(addCondition);
        if (depth < maxDepth) {
            var addGroup = el('button', 'btn btn-sm btn-outline-secondary rule-add-group', texts.addGroup);
            addGroup.type = 'button';
            addGroup.addEventListener('click', function () {
                group.conditions.push({ match: group.match === 'all' ? 'any' : 'all', conditions: [newCondition()] });
                render();
                changed();
            });
            actions.appendChild(addGroup);
        }
        box.appendChild(actions);
        return box;
    }

    function render() {
        root.replaceChildren(renderGroup(rule, null, 0, 1));
    }

    // Drops the keys an operator does not use, so the saved JSON is minimal.
    function clean(node) {
        if (node.match) {
            return { match: node.match, conditions: node.conditions.map(clean) };
        }
        var out = { field: node.field, operator: node.operator };
        var f = fields[node.field];
        var op = node.operator;
        if (op === 'empty' || op === 'notEmpty') { return out; }
        if (op === 'in' || op === 'notIn') { out.values = node.values || []; } else if (f && f.kind !== 'Date') { out.value = node.value; }
        if (f && (f.kind === 'Date' || f.kind === 'Bought' || f.kind === 'Events') && node.days !== undefined && node.days !== null) { out.days = node.days; }
        if (f && f.kind === 'Events') { out.eventType = node.eventType || ''; }
        return out;
    }

    function blank(v) {
        return v === undefined || v === null || String(v).trim() === '';
    }

    // True while a condition still lacks a value it needs; the server is only asked about finished rules.
    function incomplete(node) {
        if (node.match) {
            return node.conditions.length === 0 || node.conditions.some(incomplete);
        }
        var f = fields[node.field];
        var op = node.operator;
        if (!f) { return true; }
        if (op === 'empty' || op === 'notEmpty') { return false; }
        if (op === 'in' || op === 'notIn') { return !node.values || node.values.length === 0; }
        if (f.kind === 'Date') { return blank(node.days); }
        if (f.kind === 'Events') { return blank(node.eventType) || blank(node.value) || blank(node.days); }
        return blank(node.value);
    }

    var timer = null;
    var sequence = 0;

    function changed() {
        hidden.value = JSON.stringify(clean(rule));
        if (timer) { clearTimeout(timer); }
        timer = setTimeout(preview, 350);
    }

    function showSample(sample) {
        var body = previewTable.querySelector('tbody');
        body.replaceChildren();
        sample.forEach(function (m) {
            var tr = el('tr');
            [m.name, m.city || '', m.totalSpent, m.lastPurchase || ''].forEach(function (v, i) {
                tr.appendChild(el('td', i === 2 ? 'text-end' : null, v));
            });
            body.appendChild(tr);
        });
        previewTable.classList.toggle('d-none', sample.length === 0);
    }

    function preview() {
        if (ruleSection && ruleSection.classList.contains('d-none')) { return; }
        var mine = ++sequence;
        if (incomplete(rule)) {
            delete previewCount.dataset.count;
            previewError.textContent = '';
            previewCount.textContent = texts.incomplete;
            showSample([]);
            return;
        }
        var body = new FormData();
        body.append('rule', hidden.value);
        var token = form.querySelector('input[name="__RequestVerificationToken"]');
        if (token) { body.append('__RequestVerificationToken', token.value); }
        root.setAttribute('aria-busy', 'true');
        fetch(root.dataset.previewUrl, { method: 'POST', body: body, credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
            .then(function (response) {
                return response.json().then(function (json) { return { ok: response.ok, json: json }; });
            })
            .then(function (result) {
                if (mine !== sequence) { return; }
                if (result.ok) {
                    previewError.textContent = '';
                    previewCount.textContent = texts.matching.replace('{0}', result.json.count.toLocaleString());
                    previewCount.dataset.count = String(result.json.count);
                    showSample(result.json.sample);
                } else {
                    previewCount.textContent = '';
                    delete previewCount.dataset.count;
                    previewError.textContent = texts.invalid + ' ' + (result.json.error || '');
                    showSample([]);
                }
            })
            .catch(function () {
                if (mine === sequence) { previewError.textContent = texts.failed; }
            })
            .finally(function () { root.removeAttribute('aria-busy'); });
    }

    function syncKind() {
        var staticKind = document.getElementById('kind-Static');
        var fixed = document.getElementById('kind-fixed');
        var isStatic = (staticKind && staticKind.checked) || (fixed && fixed.value === 'Static');
        if (ruleSection) { ruleSection.classList.toggle('d-none', !!isStatic); }
        if (!isStatic) { preview(); }
    }

    document.querySelectorAll('input[name="Form.Kind"]').forEach(function (r) { r.addEventListener('change', syncKind); });
    render();
    hidden.value = JSON.stringify(clean(rule));
    syncKind();
}());
