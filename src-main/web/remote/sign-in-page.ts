// The remote web host's two small server pages: sign in (a password form) and sign out (a
// button). No script at all; the one inline style is allowed by its hash in the page's CSP.
// The forms post to the same origin (form-action 'self'); the host checks their Origin.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { BASE_SECURITY_HEADERS } from '../static-files';
import { ACCESS_TEXTS, fill, type AccessLanguage, type AccessTexts } from './texts';

export const SIGN_IN_PATH = '/signin';
export const SIGN_OUT_PATH = '/signout';

const STYLE = [
  'body{font-family:system-ui,sans-serif;background:#f5f6f8;color:#1d2330;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}',
  'main{background:#fff;border:1px solid #d8dce3;border-radius:8px;padding:2rem;width:min(22rem,90vw)}',
  'h1{font-size:1.3rem;margin:0 0 .5rem}',
  'label{display:block;margin:1rem 0 .3rem}',
  'input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}',
  'button{margin-top:1rem;padding:.5rem 1rem;font-size:1rem}',
  '.note{border-left:3px solid #c33;padding-left:.6rem}',
].join('');

const CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export type PageNote = Exclude<keyof AccessTexts, 'title' | 'heading' | 'intro' | 'passwordLabel' | 'submit' | 'signOutTitle' | 'signOutIntro' | 'signOutButton' | 'backToStudio'>;

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

function page(language: AccessLanguage, title: string, body: string): string {
  return (
    `<!doctype html><html lang="${language}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`
  );
}

export function signInPage(language: AccessLanguage, note?: { key: PageNote; params?: Record<string, string | number> }): string {
  const t = ACCESS_TEXTS[language];
  const noteHtml = note ? `<p class="note" role="alert">${escapeHtml(fill(t[note.key], note.params))}</p>` : '';
  return page(
    language,
    t.title,
    `<h1>${escapeHtml(t.heading)}</h1><p>${escapeHtml(t.intro)}</p>${noteHtml}` +
      `<form method="post" action="${SIGN_IN_PATH}"><label for="password">${escapeHtml(t.passwordLabel)}</label>` +
      `<input id="password" name="password" type="password" autocomplete="current-password" required autofocus maxlength="1024">` +
      `<button type="submit">${escapeHtml(t.submit)}</button></form>`,
  );
}

export function signOutPage(language: AccessLanguage): string {
  const t = ACCESS_TEXTS[language];
  return page(
    language,
    t.signOutTitle,
    `<h1>${escapeHtml(t.heading)}</h1><p>${escapeHtml(t.signOutIntro)}</p>` +
      `<form method="post" action="${SIGN_OUT_PATH}"><button type="submit">${escapeHtml(t.signOutButton)}</button></form>` +
      `<p><a href="/">${escapeHtml(t.backToStudio)}</a></p>`,
  );
}

export function sendPage(response: ServerResponse, status: number, html: string, extra: Record<string, string | string[]> = {}): void {
  response.writeHead(status, {
    ...BASE_SECURITY_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(html)),
    'Cache-Control': 'no-store',
    'Content-Security-Policy': CSP,
    // Not no-referrer here: under it a browser sends "Origin: null" with the form's POST, and the
    // host checks that Origin (CSRF). same-origin still tells other sites nothing.
    'Referrer-Policy': 'same-origin',
    ...extra,
  });
  response.end(response.req.method === 'HEAD' ? undefined : html);
}
