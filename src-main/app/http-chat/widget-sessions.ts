// The public web chat page's credentials. An API key in a public page is public, so the page
// never gets one: when the owner switched the widget on for a bot, a visitor's page asks for a
// session (POST /api/v1/bots/{bot}/widget/sessions, rate-limited per address) and gets a token
// bound to that bot and to one random customer id, valid for a while. The token lets it talk as
// that customer only: it cannot read or write any other conversation of the bot.
//
// The token is `w1.<bot>.<customer>.<expiry>.<hmac>` (base64url parts), signed with a key made
// for this process: a restart ends every visitor session (the page then asks for a new one and
// the visitor starts a new conversation). Nothing is stored per session.
import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../../runtime/ports';
import { sameToken } from './api-key';

export const WIDGET_TOKEN_PREFIX = 'w1.';
/** Widget visitors' customer ids start with this (an API client may use any other id). */
export const WIDGET_CUSTOMER_PREFIX = 'web-';
export const WIDGET_SESSION_MS = 12 * 60 * 60 * 1000;

export interface WidgetSession {
  token: string;
  customer: string;
  expiresAt: number;
}

export interface WidgetSessions {
  open(bot: string): WidgetSession;
  /** The customer the token speaks for, or undefined when it is not a valid, unexpired token of this bot. */
  verify(bot: string, token: string): string | undefined;
}

export function createWidgetSessions(options: { clock?: Clock; sessionMs?: number } = {}): WidgetSessions {
  const clock = options.clock ?? { now: () => Date.now() };
  const sessionMs = options.sessionMs ?? WIDGET_SESSION_MS;
  const key = randomBytes(32);
  const sign = (body: string) => createHmac('sha256', key).update(body).digest('base64url');
  const enc = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
  return {
    open(bot) {
      const customer = `${WIDGET_CUSTOMER_PREFIX}${randomBytes(12).toString('base64url')}`;
      const expiresAt = clock.now() + sessionMs;
      const body = `${WIDGET_TOKEN_PREFIX}${enc(bot)}.${enc(customer)}.${expiresAt}`;
      return { token: `${body}.${sign(body)}`, customer, expiresAt };
    },
    verify(bot, token) {
      if (!token.startsWith(WIDGET_TOKEN_PREFIX)) return undefined;
      const parts = token.slice(WIDGET_TOKEN_PREFIX.length).split('.');
      if (parts.length !== 4) return undefined;
      const [botPart, customerPart, expiry, mac] = parts as [string, string, string, string];
      const body = `${WIDGET_TOKEN_PREFIX}${botPart}.${customerPart}.${expiry}`;
      if (!sameToken(mac, sign(body))) return undefined;
      if (Buffer.from(botPart, 'base64url').toString('utf8') !== bot) return undefined;
      if (!/^\d+$/.test(expiry) || Number(expiry) <= clock.now()) return undefined;
      return Buffer.from(customerPart, 'base64url').toString('utf8');
    },
  };
}
