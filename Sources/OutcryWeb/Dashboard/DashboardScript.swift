/// The dashboard's one script, served as `/static/dashboard.js` (the CSP allows scripts from
/// this site only, never inline): live SLA countdowns, keyboard navigation in the queue
/// (j/k move, enter opens, a acknowledges) and the live queue: on an `/queue/events` stamp
/// other than the table's, it fetches the page again and swaps in the new table. Every page
/// works without it. It writes only `textContent` and class names, never an HTML string: the
/// new table is the server's own escaped page, parsed by `DOMParser` (which runs no script)
/// and moved in as nodes.
enum DashboardScript {
    static let source = #"""
        // Outcry dashboard: live SLA countdowns, keyboard navigation (j/k, enter, a). Pages work without it.
        (function () {
          'use strict';
          function short(seconds) {
            var s = Math.max(0, Math.floor(seconds));
            if (s < 60) return s + 's';
            if (s < 3600) return Math.floor(s / 60) + 'm';
            if (s < 86400) {
              var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
              return m > 0 ? h + 'h ' + m + 'm' : h + 'h';
            }
            var d = Math.floor(s / 86400), hh = Math.floor((s % 86400) / 3600);
            return hh > 0 ? d + 'd ' + hh + 'h' : d + 'd';
          }
          function tick() {
            var now = Date.now();
            document.querySelectorAll('[data-deadline]').forEach(function (el) {
              var at = Date.parse(el.getAttribute('data-deadline'));
              if (isNaN(at)) return;
              var left = (at - now) / 1000;
              if (left <= 0) { el.textContent = 'BREACHED'; el.classList.add('breached'); }
              else { el.textContent = short(left); }
            });
          }
          tick();
          setInterval(tick, 1000);

          function queueRows() { return Array.prototype.slice.call(document.querySelectorAll('tr[data-thread]')); }
          var rows = queueRows();
          var current = -1;
          function select(i) {
            if (i < 0 || i >= rows.length) return;
            if (current >= 0 && rows[current]) rows[current].classList.remove('current');
            current = i;
            rows[i].classList.add('current');
            rows[i].scrollIntoView({ block: 'nearest' });
          }
          document.addEventListener('keydown', function (e) {
            var t = e.target && e.target.tagName;
            if (t === 'INPUT' || t === 'SELECT' || t === 'TEXTAREA' || t === 'BUTTON') return;
            if (e.metaKey || e.ctrlKey || e.altKey || rows.length === 0) return;
            if (e.key === 'j') { select(Math.min(rows.length - 1, current + 1)); e.preventDefault(); }
            else if (e.key === 'k') { select(Math.max(0, current - 1)); e.preventDefault(); }
            else if (e.key === 'Enter' && current >= 0) {
              window.location.href = '/threads/' + encodeURIComponent(rows[current].getAttribute('data-thread'));
            } else if (e.key === 'a' && current >= 0) {
              var form = rows[current].querySelector('form[action$="/ack"]');
              if (form) form.submit();
            }
          });

          // The live queue: the server says when the queue changed (its stamp); the page is
          // fetched again and its table swapped in, keeping the selected row by thread id.
          var table = document.querySelector('table.queue[data-stamp]');
          if (table && window.EventSource && window.fetch && window.DOMParser) {
            var busy = false;
            var events = new EventSource('/queue/events');
            events.addEventListener('queue', function (e) {
              var live = document.querySelector('table.queue[data-stamp]');
              if (!live || busy || e.data === live.getAttribute('data-stamp')) return;
              // Someone typing in the table (an assignee) is not interrupted: the next change refreshes.
              var active = document.activeElement;
              if (active && live.contains(active) && active.tagName === 'INPUT') return;
              busy = true;
              fetch(window.location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
                .then(function (r) { return r.ok ? r.text() : null; })
                .then(function (text) {
                  busy = false;
                  if (text === null) return;
                  var fresh = new DOMParser().parseFromString(text, 'text/html').querySelector('table.queue[data-stamp]');
                  if (!fresh) return;
                  var selected = current >= 0 && rows[current] ? rows[current].getAttribute('data-thread') : null;
                  live.replaceWith(document.adoptNode(fresh));
                  rows = queueRows();
                  current = -1;
                  for (var i = 0; i < rows.length; i++) { if (rows[i].getAttribute('data-thread') === selected) select(i); }
                  tick();
                })
                .catch(function () { busy = false; });
            });
            window.addEventListener('pagehide', function () { events.close(); });
          }
        })();
        """#
}
