/**
 * The web simulator: one HTML page and one small script, served as they are (no bundler, no CDN). Every
 * text from the bot or the user is untrusted: the script escapes it before applying WhatsApp's formatting,
 * and builds everything else with textContent. Stable ids and `data-testid`s are there for browser tests.
 */

export const SIMULATOR_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>polus-bot · WhatsApp simulator</title>
<style>
  :root { --green: #075e54; --bubble-out: #dcf8c6; --bg: #ece5dd; font-family: system-ui, sans-serif; }
  body { margin: 0; background: #f4f4f4; color: #111; }
  header { background: var(--green); color: #fff; padding: .6rem 1rem; display: flex; flex-wrap: wrap; gap: .8rem; align-items: end; }
  header h1 { font-size: 1.1rem; margin: 0 1rem 0 0; }
  header label { display: flex; flex-direction: column; font-size: .8rem; }
  main { max-width: 46rem; margin: 0 auto; display: flex; flex-direction: column; height: calc(100vh - 4.5rem); }
  #chat { flex: 1; overflow-y: auto; background: var(--bg); padding: 1rem; display: flex; flex-direction: column; gap: .4rem; }
  .msg { max-width: 75%; padding: .4rem .6rem; border-radius: .5rem; white-space: pre-wrap; overflow-wrap: anywhere; box-shadow: 0 1px 1px #0002; }
  .msg.out { background: #fff; align-self: flex-start; }
  .msg.in { background: var(--bubble-out); align-self: flex-end; }
  .msg .meta { font-size: .7rem; color: #666; text-align: right; margin-top: .2rem; }
  .ticks[data-status="read"] { color: #34b7f1; }
  .ticks[data-status="failed"] { color: #c00; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .msg .header { font-weight: bold; }
  .msg .footer { font-size: .8rem; color: #666; }
  .choices { display: flex; flex-direction: column; gap: .2rem; margin-top: .4rem; }
  .choices button { background: #fff; border: 1px solid #ccc; border-radius: .4rem; padding: .35rem; color: #027eb5; cursor: pointer; text-align: left; }
  .choices button .desc { display: block; color: #666; font-size: .8rem; }
  .section-title { font-size: .8rem; color: var(--green); margin-top: .3rem; }
  form, .tools { display: flex; gap: .4rem; padding: .5rem; background: #fff; flex-wrap: wrap; align-items: end; }
  #text { flex: 1; min-width: 12rem; padding: .5rem; }
  fieldset { display: flex; gap: .4rem; flex-wrap: wrap; border: 1px solid #ddd; }
  fieldset label { display: flex; flex-direction: column; font-size: .8rem; }
  #state { font-family: monospace; padding: 0 .5rem; }
  #error { color: #c00; padding: 0 .5rem; }
</style>
</head>
<body>
<header>
  <h1>WhatsApp simulator</h1>
  <label for="business">Business <select id="business" data-testid="business"></select></label>
  <label for="name">Your name <input id="name" data-testid="name" autocomplete="off" value="Ana"></label>
  <label for="phone">Your phone <input id="phone" data-testid="phone" autocomplete="off" inputmode="tel" value="34600111222"></label>
</header>
<main>
  <div id="chat" data-testid="chat" role="log" aria-live="polite" aria-label="Conversation"></div>
  <p id="error" role="alert" data-testid="error"></p>
  <form id="compose" data-testid="compose">
    <label for="text" class="visually-hidden">Message</label>
    <input id="text" data-testid="text" autocomplete="off" placeholder="Type a message" aria-label="Message">
    <button type="submit" id="send" data-testid="send">Send</button>
  </form>
  <form id="location" data-testid="location-form">
    <fieldset>
      <legend>Share a location</legend>
      <label for="lat">Latitude <input id="lat" data-testid="latitude" type="number" step="any" min="-90" max="90" required value="40.4168"></label>
      <label for="lon">Longitude <input id="lon" data-testid="longitude" type="number" step="any" min="-180" max="180" required value="-3.7038"></label>
      <label for="loc-name">Name <input id="loc-name" data-testid="location-name"></label>
      <label for="loc-address">Address <input id="loc-address" data-testid="location-address"></label>
      <button type="submit" id="send-location" data-testid="send-location">Send location</button>
    </fieldset>
  </form>
  <div class="tools">
    <button type="button" id="again" data-testid="again">Deliver last message again</button>
    <button type="button" id="show-state" data-testid="show-state">Show state</button>
    <output id="state" data-testid="state" aria-live="polite" for="show-state"></output>
  </div>
</main>
<script src="/sim/app.js"></script>
</body>
</html>
`;

/**
 * WhatsApp's formatting for untrusted text: HTML-escaped first, so the only tags in the result are the
 * <strong>, <em>, <del> and <code> added here. Kept apart so a test can run it as it is served.
 */
export const FORMAT_JS = String.raw`
/** Escapes first, then WhatsApp's formatting: the only HTML in the result is the tags added here. */
function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, function (c) {
    return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
  });
}
function format(text) {
  return escapeHtml(text)
    .replace(/\x60\x60\x60([^\x60]+)\x60\x60\x60/g, '<code>$1</code>')
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,!?:;])/g, '$1<strong>$2</strong>')
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,!?:;])/g, '$1<em>$2</em>')
    .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,!?:;])/g, '$1<del>$2</del>');
}
`;

export const SIMULATOR_JS = String.raw`'use strict';
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var lastRendered = '';

  function identity() {
    return { phoneNumberId: $('business').value, waId: $('phone').value.replace(/[^0-9]/g, ''), name: $('name').value || 'Simulator' };
  }
  function showError(text) { $('error').textContent = text || ''; }

  ${FORMAT_JS}
  window.polusFormat = format;

  async function api(method, path, body) {
    var res = await fetch('/sim/api' + path, {
      method: method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    var data = await res.json().catch(function () { return {}; });
    if (!res.ok) throw new Error((data.error && data.error.message) || ('HTTP ' + res.status));
    return data;
  }

  async function send(message) {
    showError('');
    var who = identity();
    try {
      await api('POST', '/messages', { phoneNumberId: who.phoneNumberId, waId: who.waId, name: who.name, message: message });
      await poll();
    } catch (err) { showError(err.message); }
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function ticks(status) {
    var marks = { pending: '🕓', sent: '✓', delivered: '✓✓', read: '✓✓', failed: '!' }[status] || '';
    return el('span', { class: 'ticks', 'data-testid': 'ticks', 'data-status': status, 'aria-label': status }, marks);
  }

  function render(messages) {
    var chat = $('chat');
    var openList = chat.querySelector('details[open]');
    var openId = openList ? openList.getAttribute('data-wamid') : null;
    var atBottom = chat.scrollHeight - chat.scrollTop - chat.clientHeight < 40;
    chat.textContent = '';
    var lastOut = -1;
    messages.forEach(function (m, i) { if (m.direction === 'out') lastOut = i; });
    messages.forEach(function (m, i) {
      var box = el('div', { class: 'msg ' + m.direction, 'data-testid': 'message', 'data-direction': m.direction, 'data-kind': m.kind, 'data-wamid': m.id });
      if (m.header) box.appendChild(el('div', { class: 'header' }, m.header));
      if (m.text !== undefined) {
        var body = el('div', { class: 'text', 'data-testid': 'message-text' });
        body.innerHTML = format(m.text);
        box.appendChild(body);
      }
      if (m.reply) box.appendChild(el('div', { class: 'text', 'data-testid': 'message-text' }, m.reply.title));
      if (m.location) {
        var l = m.location;
        box.appendChild(el('div', { class: 'text', 'data-testid': 'message-text' }, '📍 ' + [l.name, l.address, l.latitude + ', ' + l.longitude].filter(Boolean).join(' · ')));
      }
      if (m.document) {
        var doc = el('div', { class: 'document' });
        if (m.document.url) {
          doc.appendChild(el('a', { href: m.document.url, download: m.document.filename, 'data-testid': 'document-link' }, '📄 ' + m.document.filename));
        } else {
          doc.textContent = '📄 ' + m.document.filename + ' (no longer available)';
        }
        box.appendChild(doc);
        if (m.document.caption) box.appendChild(el('div', { class: 'text', 'data-testid': 'message-text' }, m.document.caption));
      }
      if (m.footer) box.appendChild(el('div', { class: 'footer' }, m.footer));
      if (m.buttons) {
        var choices = el('div', { class: 'choices', role: 'group', 'aria-label': 'Reply buttons' });
        m.buttons.forEach(function (b) {
          var button = el('button', { type: 'button', 'data-testid': 'reply-button', 'data-id': b.id }, b.title);
          button.addEventListener('click', function () { send({ type: 'button', id: b.id, title: b.title }); });
          choices.appendChild(button);
        });
        box.appendChild(choices);
      }
      if (m.list) {
        var details = el('details', { 'data-wamid': m.id, 'data-testid': 'list' });
        if (i === lastOut || openId === m.id) details.open = true;
        details.appendChild(el('summary', { 'data-testid': 'list-button' }, '☰ ' + m.list.button));
        var rows = el('div', { class: 'choices', role: 'group', 'aria-label': m.list.button });
        m.list.sections.forEach(function (s) {
          if (s.title) rows.appendChild(el('div', { class: 'section-title' }, s.title));
          s.rows.forEach(function (r) {
            var row = el('button', { type: 'button', 'data-testid': 'list-row', 'data-id': r.id }, r.title);
            if (r.description) row.appendChild(el('span', { class: 'desc' }, r.description));
            row.addEventListener('click', function () { send({ type: 'list', id: r.id, title: r.title }); });
            rows.appendChild(row);
          });
        });
        details.appendChild(rows);
        box.appendChild(details);
      }
      var meta = el('div', { class: 'meta' }, new Date(m.at).toLocaleTimeString() + ' ');
      meta.appendChild(ticks(m.status));
      box.appendChild(meta);
      chat.appendChild(box);
    });
    if (atBottom) chat.scrollTop = chat.scrollHeight;
  }

  async function poll() {
    var who = identity();
    if (!who.phoneNumberId || who.waId.length < 6) return;
    try {
      var data = await api('GET', '/chat?phoneNumberId=' + encodeURIComponent(who.phoneNumberId) + '&waId=' + encodeURIComponent(who.waId));
      var json = JSON.stringify(data.messages);
      if (json !== lastRendered) { lastRendered = json; render(data.messages); }
    } catch (err) { showError(err.message); }
  }

  async function start() {
    ['name', 'phone'].forEach(function (id) {
      var saved = localStorage.getItem('polus-sim-' + id);
      if (saved) $(id).value = saved;
      $(id).addEventListener('change', function () { localStorage.setItem('polus-sim-' + id, $(id).value); lastRendered = ''; poll(); });
    });
    try {
      var data = await api('GET', '/businesses');
      data.businesses.forEach(function (b) {
        $('business').appendChild(el('option', { value: b.phoneNumberId }, b.name + ' (' + b.phoneNumberId + ')'));
      });
    } catch (err) { showError(err.message); }
    $('business').addEventListener('change', function () { lastRendered = ''; poll(); });
    $('compose').addEventListener('submit', function (e) {
      e.preventDefault();
      var text = $('text').value;
      if (!text.trim()) return;
      $('text').value = '';
      send({ type: 'text', text: text });
    });
    $('location').addEventListener('submit', function (e) {
      e.preventDefault();
      var message = { type: 'location', latitude: Number($('lat').value), longitude: Number($('lon').value) };
      if ($('loc-name').value) message.name = $('loc-name').value;
      if ($('loc-address').value) message.address = $('loc-address').value;
      send(message);
    });
    $('again').addEventListener('click', async function () {
      showError('');
      var who = identity();
      try { await api('POST', '/again', { phoneNumberId: who.phoneNumberId, waId: who.waId }); } catch (err) { showError(err.message); }
    });
    $('show-state').addEventListener('click', async function () {
      var who = identity();
      try {
        var s = await api('GET', '/state?phoneNumberId=' + encodeURIComponent(who.phoneNumberId) + '&waId=' + encodeURIComponent(who.waId));
        $('state').textContent = s.state === null ? 'no conversation yet' : 'state: ' + s.state + (s.cart.length ? ' · cart: ' + s.cart.map(function (l) { return l.quantity + ' × ' + l.name; }).join(', ') : '');
      } catch (err) { showError(err.message); }
    });
    poll();
    setInterval(poll, 700);
  }
  start();
})();
`;
