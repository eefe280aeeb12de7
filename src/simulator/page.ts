/**
 * The web simulator: one HTML page and one small script, served as they are (no bundler, no CDN). Every
 * text from the bot or the user is untrusted: the script escapes it before applying WhatsApp's formatting,
 * and builds everything else with textContent. Stable ids and `data-testid`s are there for browser tests.
 */

/** The tab's icon: a WhatsApp-green speech bubble with a "P", drawn inline (no file, no request elsewhere). */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
<path fill="#25d366" d="M32 4a28 28 0 0 0-24.3 41.9L4 60l14.6-3.8A28 28 0 1 0 32 4z"/>
<text x="32" y="43" font-family="system-ui,sans-serif" font-size="32" font-weight="700" fill="#fff" text-anchor="middle">P</text>
</svg>
`;

export const SIMULATOR_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>polus-bot · WhatsApp simulator</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>
  :root { --green: #075e54; --bubble-out: #dcf8c6; --bg: #ece5dd; font-family: system-ui, sans-serif; }
  body { margin: 0; background: #f4f4f4; color: #111; display: flex; flex-direction: column; height: 100vh; height: 100dvh; }
  *, *::before, *::after { box-sizing: border-box; }
  header { background: var(--green); color: #fff; padding: .6rem 1rem; display: flex; flex-wrap: wrap; gap: .8rem; align-items: end; }
  header h1 { font-size: 1.1rem; margin: 0 1rem 0 0; }
  header label { display: flex; flex-direction: column; font-size: .8rem; }
  main { max-width: 46rem; width: 100%; margin: 0 auto; display: flex; flex-direction: column; flex: 1; min-height: 0; }
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
  fieldset { display: flex; gap: .4rem; flex-wrap: wrap; border: 1px solid #ddd; min-width: 0; max-width: 100%; margin: 0; }
  fieldset input { max-width: 100%; }
  fieldset label { display: flex; flex-direction: column; font-size: .8rem; }
  .order-sheet { flex-direction: column; flex-wrap: nowrap; width: 100%; box-sizing: border-box; }
  #order-items { display: flex; flex-direction: column; gap: .3rem; }
  .order-sheet label.order-line { flex-direction: row; align-items: center; justify-content: space-between; gap: .5rem; font-size: .9rem; }
  .order-line input { width: 4rem; flex: none; }
  #state { font-family: monospace; padding: 0 .5rem; font-size: .8rem; }
  #state .lang { background: #e7f3ef; color: var(--green); border-radius: .3rem; padding: 0 .3rem; margin-left: .3rem; }
  .hint { align-self: center; margin: auto 0; background: #fff9; color: #444; padding: .5rem .9rem; border-radius: .6rem; text-align: center; font-size: .9rem; }
  #toast { position: fixed; left: 50%; bottom: 5.5rem; transform: translateX(-50%); max-width: calc(100% - 2rem); background: #323232; color: #fff; padding: .5rem .9rem; border-radius: .5rem; font-size: .85rem; box-shadow: 0 2px 6px #0004; z-index: 10; }
  #toast:empty { display: none; }
  .tools button { font-size: .8rem; padding: .25rem .5rem; }
  main > .sheet { max-height: 45vh; overflow-y: auto; }
  #compose { flex-wrap: nowrap; align-items: center; }
  #compose #text { min-width: 0; border: 1px solid #ccc; border-radius: 1.2rem; padding: .5rem .8rem; }
  .round { border: 0; background: none; font-size: 1.3rem; padding: .2rem .4rem; cursor: pointer; }
  .sheet { background: #fff; border-top: 1px solid #ddd; padding: .5rem; }
  #attach-menu { display: grid; grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr)); gap: .3rem; }
  #attach-menu[hidden], .panel[hidden] { display: none; }
  #attach-menu button { text-align: left; padding: .5rem; border: 1px solid #ddd; border-radius: .5rem; background: #f7f7f7; cursor: pointer; }
  .emojis button { font-size: 1.4rem; background: none; border: 1px solid #ddd; border-radius: 50%; width: 2.6rem; height: 2.6rem; cursor: pointer; }
  .order-line { display: flex; justify-content: space-between; align-items: center; gap: .5rem; width: 100%; }
  .order-line input { width: 3.5rem; }
  @media (max-width: 500px) {
    header { padding: .3rem .5rem; gap: .4rem; flex-wrap: nowrap; }
    header h1 { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    header label { flex: 1 1 0; min-width: 0; font-size: .7rem; }
    header label:first-of-type { flex-grow: 1.6; }
    header select, header input { width: 100%; font-size: .8rem; }
    #chat { padding: .6rem; }
    .msg { max-width: 85%; }
    .tools { padding: .3rem .5rem; gap: .3rem; }
    #attach-menu { grid-template-columns: 1fr 1fr; }
    #attach-menu button { padding: .4rem; font-size: .85rem; }
  }
  .msg .reaction { display: inline-block; margin-top: .2rem; background: #fff; border-radius: 1rem; padding: 0 .3rem; box-shadow: 0 1px 2px #0003; }
  #error { color: #c00; padding: 0 .5rem; margin: .3rem 0; }
  #error:empty { display: none; }
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
  <div id="attach-menu" class="sheet" role="menu" aria-label="Attach" data-testid="attach-menu" hidden>
    <button type="button" role="menuitem" data-panel="location-panel" data-testid="attach-location">📍 Location</button>
    <button type="button" role="menuitem" id="send-voice" data-testid="attach-voice">🎤 Voice note</button>
    <button type="button" role="menuitem" data-panel="image-panel" data-testid="attach-image">🖼️ Image</button>
    <button type="button" role="menuitem" data-panel="reaction-panel" data-testid="attach-reaction">😀 React to last message</button>
    <button type="button" role="menuitem" data-panel="order-panel" data-testid="attach-order">🛒 Catalogue order</button>
    <button type="button" role="menuitem" data-panel="form-panel" data-testid="attach-form">📝 Form reply (address)</button>
  </div>
  <form id="location" class="sheet panel" data-testid="location-form" hidden>
    <fieldset>
      <legend>Share a location</legend>
      <label for="lat">Latitude <input id="lat" data-testid="latitude" type="number" step="any" min="-90" max="90" required value="40.4168"></label>
      <label for="lon">Longitude <input id="lon" data-testid="longitude" type="number" step="any" min="-180" max="180" required value="-3.7038"></label>
      <label for="loc-name">Name <input id="loc-name" data-testid="location-name"></label>
      <label for="loc-address">Address <input id="loc-address" data-testid="location-address"></label>
      <button type="submit" id="send-location" data-testid="send-location">Send location</button>
    </fieldset>
  </form>
  <form id="image-panel" class="sheet panel" data-testid="image-form" hidden>
    <fieldset>
      <legend>Send a photo (a made-up media id; the bot never downloads it)</legend>
      <label for="image-caption">Caption <input id="image-caption" data-testid="image-caption"></label>
      <button type="submit" data-testid="send-image">Send photo</button>
    </fieldset>
  </form>
  <div id="reaction-panel" class="sheet panel" data-testid="reaction-panel" hidden>
    <fieldset>
      <legend>React to the bot's last message</legend>
      <div class="emojis" role="group" aria-label="Reactions">
        <button type="button" data-emoji="👍" aria-label="Thumbs up">👍</button>
        <button type="button" data-emoji="❤️" aria-label="Heart">❤️</button>
        <button type="button" data-emoji="😂" aria-label="Laughing">😂</button>
        <button type="button" data-emoji="😮" aria-label="Surprised">😮</button>
        <button type="button" data-emoji="🙏" aria-label="Thank you">🙏</button>
      </div>
    </fieldset>
  </div>
  <form id="order-panel" class="sheet panel" data-testid="order-form" hidden>
    <fieldset class="order-sheet">
      <legend>Order from the WhatsApp catalogue</legend>
      <div id="order-items" data-testid="order-items"></div>
      <button type="submit" data-testid="send-order">Send order</button>
    </fieldset>
  </form>
  <form id="form-panel" class="sheet panel" data-testid="address-form" hidden>
    <fieldset>
      <legend>Reply with a form (WhatsApp Flow)</legend>
      <label for="form-street">Street <input id="form-street" data-testid="form-street" value="Calle Mayor 5"></label>
      <label for="form-city">City <input id="form-city" data-testid="form-city" value="Madrid"></label>
      <button type="submit" data-testid="send-form">Send form</button>
    </fieldset>
  </form>
  <form id="compose" data-testid="compose">
    <button type="button" id="attach" class="round" data-testid="attach" aria-haspopup="menu" aria-expanded="false" aria-controls="attach-menu" aria-label="Attach">📎</button>
    <label for="text" class="visually-hidden">Message</label>
    <input id="text" data-testid="text" autocomplete="off" placeholder="Type a message" aria-label="Message">
    <button type="submit" id="send" data-testid="send">Send</button>
  </form>
  <div class="tools">
    <button type="button" id="again" data-testid="again">Deliver last message again</button>
    <button type="button" id="show-state" data-testid="show-state">Show state</button>
    <output id="state" data-testid="state" aria-live="polite" for="show-state"></output>
  </div>
</main>
<div id="toast" role="status" aria-live="polite" data-testid="toast"></div>
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
  var toastTimer;
  function toast(text) {
    clearTimeout(toastTimer);
    $('toast').textContent = text;
    toastTimer = setTimeout(function () { $('toast').textContent = ''; }, 5000);
  }

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
    var label = { pending: 'sending', sent: 'sent', delivered: 'delivered', read: 'read by the bot', failed: 'not delivered' }[status] || status;
    return el('span', { class: 'ticks', 'data-testid': 'ticks', 'data-status': status, 'aria-label': label, title: label }, marks);
  }

  function render(messages) {
    var chat = $('chat');
    var openList = chat.querySelector('details[open]');
    var openId = openList ? openList.getAttribute('data-wamid') : null;
    var atBottom = chat.scrollHeight - chat.scrollTop - chat.clientHeight < 40;
    chat.textContent = '';
    var lastOut = -1;
    messages.forEach(function (m, i) { if (m.direction === 'out') lastOut = i; });
    if (!messages.length) chat.appendChild(el('p', { class: 'hint', 'data-testid': 'empty-hint' }, 'Say hi to start: type "hi" below and press Send.'));
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
      if (m.reaction) box.appendChild(el('div', { class: 'reaction', 'data-testid': 'reaction', 'aria-label': 'Your reaction' }, m.reaction));
      var meta = el('div', { class: 'meta' }, new Date(m.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) + ' ');
      // As on WhatsApp: ticks on your own messages only, blue once the bot has read them.
      if (m.direction === 'in') meta.appendChild(ticks(m.status));
      box.appendChild(meta);
      chat.appendChild(box);
    });
    if (atBottom) chat.scrollTop = chat.scrollHeight;
  }

  /** The flow's state and the conversation's language, as the bot stored them (GET /sim/api/state). */
  async function showState() {
    var who = identity();
    if (!who.phoneNumberId || who.waId.length < 6) return;
    try {
      var s = await api('GET', '/state?phoneNumberId=' + encodeURIComponent(who.phoneNumberId) + '&waId=' + encodeURIComponent(who.waId));
      var out = $('state');
      out.textContent = s.state === null ? 'no conversation yet' : 'state: ' + s.state + (s.cart.length ? ' · cart: ' + s.cart.map(function (l) { return l.quantity + ' × ' + l.name; }).join(', ') : '');
      if (s.state !== null && s.language) out.appendChild(el('span', { class: 'lang', 'data-testid': 'language', title: 'Language of the conversation' }, s.language));
    } catch (err) { showError(err.message); }
  }

  async function poll() {
    var who = identity();
    if (!who.phoneNumberId || who.waId.length < 6) return;
    try {
      var data = await api('GET', '/chat?phoneNumberId=' + encodeURIComponent(who.phoneNumberId) + '&waId=' + encodeURIComponent(who.waId));
      var json = JSON.stringify(data.messages);
      if (json !== lastRendered) { lastRendered = json; render(data.messages); showState(); }
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
    var panels = ['location', 'image-panel', 'reaction-panel', 'order-panel', 'form-panel'];
    function closeAttach() {
      $('attach-menu').hidden = true;
      $('attach').setAttribute('aria-expanded', 'false');
      panels.forEach(function (id) { $(id).hidden = true; });
    }
    function sendAttached(message) { closeAttach(); $('text').focus(); send(message); }
    $('attach').addEventListener('click', function () {
      var open = $('attach-menu').hidden && panels.every(function (id) { return $(id).hidden; });
      closeAttach();
      if (open) {
        $('attach-menu').hidden = false;
        $('attach').setAttribute('aria-expanded', 'true');
        $('attach-menu').querySelector('button').focus();
      }
    });
    document.addEventListener('keydown', function (e) { if (e.key === 'Escape') closeAttach(); });
    $('attach-menu').querySelectorAll('button[data-panel]').forEach(function (button) {
      button.addEventListener('click', async function () {
        var id = button.getAttribute('data-panel') === 'location-panel' ? 'location' : button.getAttribute('data-panel');
        $('attach-menu').hidden = true;
        if (id === 'order-panel') await loadCatalogue();
        $(id).hidden = false;
        var first = $(id).querySelector('input, button');
        if (first) first.focus();
      });
    });
    $('send-voice').addEventListener('click', function () { sendAttached({ type: 'audio' }); });
    $('image-panel').addEventListener('submit', function (e) {
      e.preventDefault();
      var caption = $('image-caption').value;
      $('image-caption').value = '';
      sendAttached(caption ? { type: 'image', caption: caption } : { type: 'image' });
    });
    $('reaction-panel').querySelectorAll('button[data-emoji]').forEach(function (button) {
      button.addEventListener('click', function () { sendAttached({ type: 'reaction', emoji: button.getAttribute('data-emoji') }); });
    });
    async function loadCatalogue() {
      var box = $('order-items');
      box.textContent = '';
      try {
        var data = await api('GET', '/catalog?phoneNumberId=' + encodeURIComponent(identity().phoneNumberId));
        if (!data.items.length) { box.appendChild(el('p', {}, 'No item of this business has a Meta catalogue retailer id (set one in the portal catalogue).')); return; }
        data.items.forEach(function (item, i) {
          var price = data.currency ? new Intl.NumberFormat(undefined, { style: 'currency', currency: data.currency }).format(item.price) : String(item.price);
          var label = el('label', { class: 'order-line', for: 'order-qty-' + i }, item.name + ' · ' + price + (item.available ? '' : ' (sold out)'));
          var qty = el('input', { id: 'order-qty-' + i, type: 'number', min: '0', max: '99', value: i === 0 ? '1' : '0', 'data-retailer-id': item.retailerId, 'data-testid': 'order-quantity' });
          label.appendChild(qty);
          box.appendChild(label);
        });
      } catch (err) { showError(err.message); }
    }
    $('order-panel').addEventListener('submit', function (e) {
      e.preventDefault();
      var items = [];
      $('order-items').querySelectorAll('input[data-retailer-id]').forEach(function (input) {
        var quantity = Number(input.value);
        if (quantity > 0) items.push({ retailerId: input.getAttribute('data-retailer-id'), quantity: Math.min(99, Math.floor(quantity)) });
      });
      if (!items.length) { showError('Choose at least one item.'); return; }
      sendAttached({ type: 'order', items: items });
    });
    $('form-panel').addEventListener('submit', function (e) {
      e.preventDefault();
      var response = {};
      if ($('form-street').value) response.street = $('form-street').value;
      if ($('form-city').value) response.city = $('form-city').value;
      sendAttached({ type: 'form', response: response });
    });
    $('location').addEventListener('submit', function (e) {
      e.preventDefault();
      var message = { type: 'location', latitude: Number($('lat').value), longitude: Number($('lon').value) };
      if ($('loc-name').value) message.name = $('loc-name').value;
      if ($('loc-address').value) message.address = $('loc-address').value;
      sendAttached(message);
    });
    $('again').addEventListener('click', async function () {
      showError('');
      var who = identity();
      try {
        var again = await api('POST', '/again', { phoneNumberId: who.phoneNumberId, waId: who.waId });
        toast(again.webhookStatus !== 200
          ? 'Delivered again: the bot answered HTTP ' + again.webhookStatus
          : again.duplicate
            ? 'Delivered again: the bot already had this message, so it does not answer twice'
            : 'Delivered again: the first delivery had not reached the bot, so this one counts');
        await poll();
      } catch (err) { showError(err.message); }
    });
    $('show-state').addEventListener('click', showState);
    poll();
    setInterval(poll, 700);
  }
  start();
})();
`;
