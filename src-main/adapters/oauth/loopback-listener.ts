// The one-shot redirect listener of a browser sign-in (RFC 8252 §7.3): an HTTP server on
// 127.0.0.1, on a port the system picks, that takes exactly one answer on /callback and then
// closes, or closes after a timeout. The answer's `state` must be the one we generated (the SDK
// does not check it: a forged callback would otherwise complete someone else's sign-in into
// ours). The browser's page shows the final outcome, in the browser's language: the response
// waits for the token exchange.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { studioLanguageOf, type StudioLanguage } from '../../shared/accept-language';
import { renderSignIn, SIGN_IN_CATALOGUES } from '../../shared/sign-in-texts';
import { SIGN_IN_TEXTS, type SignInWords } from './sign-in-texts';
import { SignInFailedError } from './sign-in-errors';

export const CALLBACK_PATH = '/callback';

export interface LoopbackOptions {
  server: string;
  /** The `state` sent with the authorization request. */
  state: string;
  timeoutMs: number;
  /** Exchanges the code (checks `iss` first); a throw is shown on the page and fails the sign-in. */
  complete(code: string, iss: string | undefined): Promise<void>;
}

export interface LoopbackListener {
  /** http://127.0.0.1:<port>/callback */
  redirectUrl: string;
  /** Settles once: after the one callback was handled, on timeout, or on cancel. */
  done: Promise<void>;
  cancel(): void;
}

export async function startLoopbackListener(options: LoopbackOptions): Promise<LoopbackListener> {
  let settle!: (error?: SignInFailedError) => void;
  const done = new Promise<void>((resolve, reject) => {
    settle = (error) => (error ? reject(error) : resolve());
  });
  let taken = false;
  const fail = (kind: SignInFailedError['kind'], words: SignInWords, cause?: unknown) =>
    new SignInFailedError(options.server, kind, words, cause === undefined ? undefined : { cause });

  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // Anything else (a favicon request) is not the answer and does not use up the listener.
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH || taken) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    taken = true;
    void handle(url.searchParams, studioLanguageOf(req.headers['accept-language']), res);
  });

  async function handle(params: URLSearchParams, language: StudioLanguage, res: ServerResponse): Promise<void> {
    let failure: SignInFailedError | undefined;
    try {
      if (!sameSecret(params.get('state') ?? '', options.state)) throw fail('wrong_state', SIGN_IN_TEXTS.wrongState);
      const error = params.get('error');
      if (error) {
        const description = params.get('error_description');
        throw fail('denied', SIGN_IN_TEXTS.denied(description ? `${error}: ${description.slice(0, 200)}` : error));
      }
      const code = params.get('code');
      if (!code) throw fail('denied', SIGN_IN_TEXTS.noCode);
      await options.complete(code, params.get('iss') ?? undefined);
    } catch (err) {
      failure = err instanceof SignInFailedError ? err : fail('exchange', SIGN_IN_TEXTS.exchangeFailed(err instanceof Error ? err.message : String(err)), err);
    }
    const words = SIGN_IN_CATALOGUES[language];
    const [status, title, text] = failure
      ? [400, words.callbackFailedTitle, `${renderSignIn(language, failure.text)} ${words.callbackFailed}`]
      : [200, words.callbackDoneTitle, words.callbackDone];
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    res.end(page(language, title, text), () => finish(failure));
  }

  let finished = false;
  function finish(failure?: SignInFailedError): void {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    http.closeAllConnections();
    http.close();
    settle(failure);
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  // A callback being handled is not cut short: the token request has its own timeout.
  const timer = setTimeout(() => {
    if (taken) return;
    taken = true;
    finish(fail('timeout', SIGN_IN_TEXTS.timedOut(Math.max(1, Math.round(options.timeoutMs / 60_000)))));
  }, options.timeoutMs);
  timer.unref();
  const { port } = http.address() as AddressInfo;
  return {
    redirectUrl: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
    done,
    cancel() {
      if (taken) return;
      taken = true;
      finish(fail('cancelled', SIGN_IN_TEXTS.cancelled));
    },
  };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function page(language: StudioLanguage, title: string, text: string): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1><p>${esc(text)}</p></body></html>`;
}
