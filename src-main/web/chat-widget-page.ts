// The embeddable web chat page (GET /chat/{bot}): plain HTML, one script and one style sheet
// from this server, nothing inline (the CSP forbids it). The page never holds an API key: it
// opens a visitor session (app/http-chat/widget-sessions.ts) and talks as that session's
// customer. Served only for a bot whose owner switched the web chat on. It may be framed by any
// site (that is what "embeddable" means); it shows only the visitor's own conversation.
// URLs are relative, so the page also works behind a reverse proxy under a path prefix.
import { WIDGET_TEXTS } from './chat-widget-texts';

export const WIDGET_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors *";

const escapeAttr = (value: string): string => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function widgetHtml(bot: string): string {
  return `<!doctype html>
<html lang="en" data-bot="${escapeAttr(bot)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chat</title>
<link rel="stylesheet" href="assets/widget.css">
<script src="assets/widget.js" defer></script>
</head>
<body>
<main class="chat">
<h1 id="title"></h1>
<div id="log" class="log" role="log" aria-live="polite"></div>
<p id="note" class="note" role="status"></p>
<form id="form" class="composer">
<input id="input" name="text" autocomplete="off" maxlength="4000" aria-labelledby="title">
<button id="send" type="submit"></button>
</form>
</main>
</body>
</html>
`;
}

export const WIDGET_CSS = `
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.4 system-ui, sans-serif; background: #f5f5f7; color: #1d1d1f; }
.chat { display: flex; flex-direction: column; height: 100vh; max-width: 40rem; margin: 0 auto; padding: 0.75rem; }
h1 { font-size: 1.1rem; margin: 0 0 0.5rem; }
.log { flex: 1; overflow-y: auto; display: flex; flex-direction: column; gap: 0.4rem; padding: 0.25rem; }
.msg { max-width: 80%; padding: 0.45rem 0.7rem; border-radius: 0.8rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.msg.customer { align-self: flex-end; background: #0a66c2; color: #fff; }
.msg.bot { align-self: flex-start; background: #fff; border: 1px solid #ddd; }
.note { min-height: 1.2em; margin: 0.3rem 0; font-size: 0.85rem; color: #555; }
.composer { display: flex; gap: 0.5rem; }
.composer input { flex: 1; padding: 0.55rem 0.7rem; border: 1px solid #bbb; border-radius: 0.5rem; font: inherit; }
.composer button { padding: 0.55rem 1rem; border: 0; border-radius: 0.5rem; background: #0a66c2; color: #fff; font: inherit; cursor: pointer; }
.composer button:disabled { opacity: 0.6; cursor: default; }
`;

export const WIDGET_JS = `'use strict';
(function () {
  var TEXTS = ${JSON.stringify(WIDGET_TEXTS)};
  function pickLanguage() {
    var langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
    for (var i = 0; i < langs.length; i++) {
      var tag = String(langs[i]);
      if (TEXTS[tag]) return tag;
      var base = tag.split('-')[0].toLowerCase();
      if (base === 'pt') return 'pt-BR';
      if (TEXTS[base]) return base;
    }
    return 'en';
  }
  var lang = pickLanguage();
  var t = TEXTS[lang];
  var root = document.documentElement;
  var bot = root.getAttribute('data-bot');
  root.lang = lang;
  document.title = t.title;
  var $ = function (id) { return document.getElementById(id); };
  var log = $('log'), form = $('form'), input = $('input'), send = $('send'), note = $('note');
  $('title').textContent = t.title;
  input.placeholder = t.placeholder;
  send.textContent = t.send;
  var api = new URL('../api/v1/bots/' + encodeURIComponent(bot) + '/', location.href);
  var storeKey = 'flowbot-chat:' + bot;
  var session = null;
  try { session = JSON.parse(sessionStorage.getItem(storeKey) || 'null'); } catch (e) { session = null; }

  function say(text) { note.textContent = text || ''; }
  function add(role, text) {
    var div = document.createElement('div');
    div.className = 'msg ' + role;
    div.textContent = text;
    div.setAttribute('aria-label', role === 'bot' ? t.bot : t.you);
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join('');
  }
  function statusNote(status) {
    if (status === 'handed_off') return t.handedOff;
    if (status === 'ended' || status === 'failed') return t.ended;
    return '';
  }
  function forget() { session = null; try { sessionStorage.removeItem(storeKey); } catch (e) {} }
  function openSession() {
    if (session && session.expiresAt > Date.now() + 60000) return Promise.resolve(session);
    return fetch(new URL('widget/sessions', api), { method: 'POST' }).then(function (r) {
      if (!r.ok) throw new Error(r.status === 429 ? 'tooMany' : 'unavailable');
      return r.json();
    }).then(function (s) {
      session = s;
      try { sessionStorage.setItem(storeKey, JSON.stringify(s)); } catch (e) {}
      return s;
    });
  }
  function post(s, body, retries) {
    return fetch(new URL('conversations/' + encodeURIComponent(s.customer) + '/messages', api), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + s.token },
      body: body,
    }).catch(function (err) {
      // The same messageId: the server answers a retry once, with the first answer.
      if (retries > 0) return post(s, body, retries - 1);
      throw err;
    });
  }
  function restore(s) {
    return fetch(new URL('conversations/' + encodeURIComponent(s.customer), api), { headers: { Authorization: 'Bearer ' + s.token } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (c) {
        if (!c) return;
        c.transcript.forEach(function (m) { add(m.role, m.text); });
        say(statusNote(c.status));
      });
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    add('customer', text);
    send.disabled = true;
    say('');
    var body = JSON.stringify({ text: text, messageId: newId() });
    openSession()
      .then(function (s) { return post(s, body, 1); })
      .then(function (r) {
        if (r.status === 401) forget();
        if (r.status === 429) throw new Error('tooMany');
        if (r.status === 503) throw new Error('unavailable');
        if (!r.ok) throw new Error('failed');
        return r.json();
      })
      .then(function (answer) {
        answer.replies.forEach(function (reply) { add('bot', reply); });
        say(statusNote(answer.status));
      })
      .catch(function (err) { say(t[err && t[err.message] ? err.message : 'failed']); })
      .then(function () { send.disabled = false; input.focus(); });
  });
  say(t.connecting);
  var had = session !== null;
  openSession()
    .then(function (s) { say(''); return had ? restore(s) : undefined; })
    .catch(function (err) { say(t[err && t[err.message] ? err.message : 'unavailable']); });
})();
`;
