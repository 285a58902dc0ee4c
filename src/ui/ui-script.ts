/**
 * The page's behaviour, plain browser JavaScript (no build step). It calls the same REST API as everyone else,
 * authenticated by the session cookie. Data from events is only ever inserted as text.
 */
export const UI_SCRIPT = String.raw`
(function () {
  var root = document.getElementById('app');
  var base = root.dataset.eventsUrl, testUrl = root.dataset.testUrl;
  var list = document.getElementById('events'), trace = document.getElementById('trace');
  var selected = null;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }
  function api(url, options) {
    return fetch(url, Object.assign({ credentials: 'same-origin', headers: { 'content-type': 'application/json' } }, options))
      .then(function (r) { return r.json().then(function (body) { return { status: r.status, body: body }; }); });
  }
  function when(iso) { return iso ? new Date(iso).toLocaleString() : ''; }

  function renderEvents(events) {
    var rows = events.map(function (e) {
      var row = el('tr', { 'data-id': e.id, tabindex: '0', 'aria-selected': String(e.id === selected) }, [
        el('td', { class: 'status s-' + e.status }, [e.status]),
        el('td', {}, [el('code', {}, [e.event_type || '(none)'])]),
        el('td', {}, [when(e.received_at)]),
        el('td', {}, [String(e.duplicate_count)]),
      ]);
      row.addEventListener('click', function () { show(e.id); });
      row.addEventListener('keydown', function (k) { if (k.key === 'Enter') show(e.id); });
      return row;
    });
    list.replaceChildren.apply(list, rows.length ? rows : [el('tr', {}, [el('td', { colspan: '4', class: 'muted' }, ['No events yet. Send one to the ingestion URL.'])])]);
  }
  function refresh() {
    if (!base) return;
    api(base + '?limit=50').then(function (r) { if (r.status === 200) renderEvents(r.body.data); });
  }

  function section(title, value) {
    return [el('h3', {}, [title]), el('pre', {}, [JSON.stringify(value, null, 2)])];
  }
  function show(id) {
    selected = id;
    Array.prototype.forEach.call(list.rows, function (row) { row.setAttribute('aria-selected', String(row.dataset.id === id)); });
    trace.replaceChildren(el('p', { class: 'muted' }, ['Loading…']));
    api('/v1/events/' + encodeURIComponent(id)).then(function (r) {
      var t = r.body;
      var runs = (t.workflow_runs || []).map(function (run) { return run.id; });
      var parts = [el('h2', {}, ['Event ', el('code', {}, [t.event_type || '(none)'])]),
        el('p', {}, [el('span', { class: 'status s-' + t.status }, [t.status]), ' · received ' + when(t.received_at) + ' · duplicates: ' + t.duplicate_count])]
        .concat(section('Payload', t.request && t.request.payload))
        .concat(section('Verification and deduplication', { verification: t.verification, idempotency: t.idempotency }))
        .concat(section('Mappings and actions', t.actions))
        .concat(section('Workflow runs', t.workflow_runs));
      trace.replaceChildren.apply(trace, parts);
      runs.forEach(function (runId, i) {
        api('/v1/environments/' + encodeURIComponent(t.environment) + '/workflow-runs/' + runId).then(function (run) {
          trace.append.apply(trace, section('Run ' + (i + 1) + ': ' + run.body.workflow + ' → ' + run.body.status, run.body.steps));
        });
      });
    });
  }

  var copy = document.getElementById('copy');
  if (copy) copy.addEventListener('click', function () {
    navigator.clipboard.writeText(document.getElementById('ingestion-url').textContent).then(function () {
      copy.textContent = 'Copied'; setTimeout(function () { copy.textContent = 'Copy'; }, 1500);
    });
  });

  var form = document.getElementById('test-form');
  if (form) form.addEventListener('submit', function (submit) {
    submit.preventDefault();
    var out = document.getElementById('test-result'), payload;
    try { payload = JSON.parse(document.getElementById('test-payload').value); }
    catch (e) { out.textContent = 'The payload is not valid JSON: ' + e.message; return; }
    api(testUrl, { method: 'POST', body: JSON.stringify({ payload: payload }) }).then(function (r) {
      out.textContent = JSON.stringify(r.body, null, 2);
    });
  });

  refresh();
  setInterval(refresh, 2000);
})();
`;
