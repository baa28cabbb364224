// SMS length counter: characters, encoding and segments while the text is typed.
// Mirrors Services/Templates/SmsSegments.cs; keep the two in step.
(function () {
    'use strict';
    var GSM_BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
        '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
    var GSM_EXTENSION = '^{}\\[~]|€\f';

    function measure(text) {
        var chars = Array.from(text);
        var gsm = true;
        var septets = 0;
        var i;
        for (i = 0; i < text.length; i++) {
            var c = text.charAt(i);
            if (GSM_BASIC.indexOf(c) >= 0) {
                septets += 1;
            } else if (GSM_EXTENSION.indexOf(c) >= 0) {
                septets += 2;
            } else {
                gsm = false;
                break;
            }
        }
        if (gsm) {
            if (septets <= 160) {
                return { encoding: 'gsm', characters: chars.length, segments: septets === 0 ? 0 : 1 };
            }
            return { encoding: 'gsm', characters: chars.length, segments: split(Array.prototype.map.call(text, function (ch) { return GSM_EXTENSION.indexOf(ch) >= 0 ? 2 : 1; }), 153) };
        }
        if (text.length <= 70) {
            return { encoding: 'ucs2', characters: chars.length, segments: 1 };
        }
        return { encoding: 'ucs2', characters: chars.length, segments: split(chars.map(function (ch) { return ch.length; }), 67) };
    }

    // Greedy packing that never splits an escape pair or a surrogate pair.
    function split(pieces, capacity) {
        var segments = 1;
        var used = 0;
        pieces.forEach(function (size) {
            if (used + size > capacity) {
                segments++;
                used = 0;
            }
            used += size;
        });
        return segments;
    }

    function format(template, args) {
        return template.replace(/\{(\d)\}/g, function (_, n) { return String(args[Number(n)]); });
    }

    document.querySelectorAll('[data-sms-counter]').forEach(function (input) {
        var output = document.querySelector(input.dataset.smsCounter);
        if (!output) {
            return;
        }
        function update() {
            var m = measure(input.value);
            output.textContent = format(output.dataset.template, [m.characters, m.segments, m.encoding === 'gsm' ? output.dataset.gsm : output.dataset.ucs2]);
            output.dataset.segments = String(m.segments);
            output.dataset.encoding = m.encoding;
        }
        input.addEventListener('input', update);
        update();
    });
})();
