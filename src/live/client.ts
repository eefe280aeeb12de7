/**
 * The portal's one script, served as it is at /portal/assets/live.js (no bundler, no CDN; the pages' CSP allows
 * only `script-src 'self'`). Plain JavaScript for the browser, kept as text like the simulator's.
 *
 * - On a page whose `<main>` has `data-live="kind,kind"`, it opens an EventSource on the business's
 *   `/portal/b/:id/live`. On an event of one of those kinds it fetches the same page and swaps each
 *   `[data-live-region]` for the fetched one (matched by id, else by order), and says so politely to screen
 *   readers. A region holding the focused form field waits until the focus leaves it, so nothing typed or
 *   chosen is lost.
 * - When the stream fails three times in a row (or is refused), it polls the page every 10 s instead and tries
 *   the stream again every minute. A small status in the header says "Live", "Reconnecting…" or "Checking
 *   every 10 s".
 * - A "Sound / notifications" switch in the header (kept in localStorage): a short beep through WebAudio and a
 *   desktop notification, when allowed, for a new handoff, a customer's message and a new order.
 */
export const LIVE_JS = String.raw`'use strict';
(function () {
  var ALERT_KINDS = { 'handoff.opened': 1, 'handoff.message': 1, 'order.placed': 1, 'order.cancelled': 1,
    'appointment.booked': 1, 'appointment.cancelled': 1, 'appointment.moved': 1 };
  var SAID = {
    'handoff.opened': 'A customer asked for a person',
    'handoff.message': 'New message from a customer',
    'handoff.updated': 'A conversation changed',
    'order.placed': 'New order',
    'order.updated': 'An order changed',
    'order.cancelled': 'An order was cancelled by the customer',
    'appointment.booked': 'New appointment',
    'appointment.cancelled': 'An appointment was cancelled',
    'appointment.moved': 'An appointment was moved',
    'appointment.confirmed': 'A customer confirmed an appointment'
  };
  /** What to say about one event: an order's number when the event carries it. */
  function said(kind, ref) {
    if (kind === 'order.cancelled' && ref) return 'Order ' + ref + ' was cancelled by the customer';
    return SAID[kind];
  }
  var STORE_KEY = 'polus.live.alerts';
  var toggle = document.getElementById('live-alerts');
  var statusEl = document.getElementById('live-status');
  var announcer = document.getElementById('live-announce');
  var main = document.querySelector('main[data-live]');
  var match = /^\/portal\/b\/([^/]+)/.exec(location.pathname);
  var audio = null;

  function alertsOn() {
    try { return localStorage.getItem(STORE_KEY) === 'on'; } catch (e) { return false; }
  }
  function showToggle() {
    if (!toggle) return;
    toggle.hidden = false;
    toggle.setAttribute('aria-pressed', alertsOn() ? 'true' : 'false');
  }
  function unlockAudio() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    if (!audio) audio = new Ctx();
    if (audio.state === 'suspended') audio.resume().catch(function () {});
  }
  function beep() {
    if (!audio || audio.state !== 'running') return;
    var osc = audio.createOscillator();
    var gain = audio.createGain();
    osc.type = 'sine';
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.2, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.25);
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.25);
  }
  function notify(kind, ref) {
    if (!alertsOn() || !ALERT_KINDS[kind]) return;
    beep();
    if ('Notification' in window && Notification.permission === 'granted') {
      try {
        new Notification(said(kind, ref), {
          body: kind === 'order.placed' ? 'Order ' + ref : kind === 'order.cancelled' ? 'Open the orders to see it.' : 'Open the portal to answer.',
          tag: kind + ':' + ref
        });
      } catch (e) {}
    }
  }
  if (toggle) {
    showToggle();
    toggle.addEventListener('click', function () {
      var on = !alertsOn();
      try { localStorage.setItem(STORE_KEY, on ? 'on' : 'off'); } catch (e) {}
      showToggle();
      if (on) {
        unlockAudio();
        beep();
        if ('Notification' in window && Notification.permission === 'default') {
          Notification.requestPermission().catch(function () {});
        }
      }
    });
    if (alertsOn()) {
      // Browsers start audio only after a gesture: the first click or key on the page unlocks the beep.
      var unlockOnce = function () {
        unlockAudio();
        document.removeEventListener('pointerdown', unlockOnce);
        document.removeEventListener('keydown', unlockOnce);
      };
      document.addEventListener('pointerdown', unlockOnce);
      document.addEventListener('keydown', unlockOnce);
    }
  }

  if (!main || !match) return;
  var kinds = {};
  main.getAttribute('data-live').split(',').forEach(function (k) {
    k = k.trim();
    if (k) kinds[k] = 1;
  });
  var streamUrl = '/portal/b/' + match[1] + '/live';

  function setStatus(text, state) {
    if (!statusEl) return;
    statusEl.hidden = false;
    statusEl.textContent = text;
    statusEl.setAttribute('data-state', state);
  }
  function announce(text) {
    if (!announcer) return;
    announcer.textContent = '';
    setTimeout(function () { announcer.textContent = text; }, 50);
  }

  // Refreshing: at most one fetch at a time; events meanwhile ask for one more afterwards.
  var fetching = false;
  var again = false;
  var pendingSay = '';
  var waitingForBlur = false;

  function busyRegion() {
    var active = document.activeElement;
    if (!active || !/^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName)) return null;
    var region = active.closest('[data-live-region]');
    return region;
  }
  function refresh(say) {
    if (say) pendingSay = say;
    if (fetching) { again = true; return; }
    var busy = busyRegion();
    if (busy) {
      if (!waitingForBlur) {
        waitingForBlur = true;
        busy.addEventListener('focusout', function later() {
          busy.removeEventListener('focusout', later);
          waitingForBlur = false;
          setTimeout(function () { refresh(''); }, 0);
        });
      }
      return;
    }
    fetching = true;
    fetch(location.href, { credentials: 'same-origin', headers: { 'X-Live-Refresh': '1' } })
      .then(function (res) {
        if (!res.ok || res.redirected) throw new Error('page not available');
        return res.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.querySelectorAll('[data-live-region]');
        var old = document.querySelectorAll('[data-live-region]');
        old.forEach(function (region, i) {
          var next = region.id ? doc.getElementById(region.id) : fresh[i];
          if (next && next.hasAttribute('data-live-region')) region.replaceWith(document.importNode(next, true));
        });
        if (pendingSay) announce(pendingSay + '.');
        pendingSay = '';
      })
      .catch(function () {
        setStatus('Not updating: reload the page', 'stopped');
      })
      .finally(function () {
        fetching = false;
        if (again) { again = false; refresh(''); }
      });
  }

  var source = null;
  var failures = 0;
  var pollTimer = null;
  var retryTimer = null;

  function startPolling() {
    if (pollTimer) return;
    setStatus('Checking every 10 s', 'polling');
    pollTimer = setInterval(function () { refresh(''); }, 10000);
    retryTimer = setInterval(connect, 60000);
  }
  function stopPolling() {
    clearInterval(pollTimer);
    clearInterval(retryTimer);
    pollTimer = null;
    retryTimer = null;
  }
  function onEvent(e) {
    var data = {};
    try { data = JSON.parse(e.data); } catch (err) { return; }
    notify(e.type, data.ref || '');
    if (kinds[e.type]) refresh(said(e.type, data.ref || ''));
  }
  function connect() {
    if (source) source.close();
    if (!window.EventSource) { startPolling(); return; }
    source = new EventSource(streamUrl);
    Object.keys(SAID).forEach(function (kind) { source.addEventListener(kind, onEvent); });
    source.onopen = function () {
      var recovering = failures > 0 || pollTimer !== null;
      failures = 0;
      stopPolling();
      setStatus('\u25CF Live', 'live');
      // Something may have happened while the stream was down.
      if (recovering) refresh('');
    };
    source.onerror = function () {
      failures += 1;
      if (source.readyState === EventSource.CLOSED || failures >= 3) {
        source.close();
        source = null;
        startPolling();
      } else {
        setStatus('Reconnecting\u2026', 'reconnecting');
      }
    };
  }
  setStatus('Connecting\u2026', 'connecting');
  connect();
})();
`;
