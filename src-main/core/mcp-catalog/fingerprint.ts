// Consent for a server's command line (DESIGN §4): what a server runs is fingerprinted, and
// described to the owner in words. Starting a server whose fingerprint the owner has not
// approved needs their consent. Values (env values, header values, secrets) are not part of
// it: changing a token or a data folder needs no new consent, changing what runs does.
import { createHash } from 'node:crypto';
import type { McpServerConfig } from '../../shared/workspace-config';
import { canonicalJson } from '../canonical-json';

/** Exactly what the fingerprint is computed over (shown in docs and tests). */
export function fingerprintInput(config: McpServerConfig): Record<string, unknown> {
  if ('url' in config) {
    return {
      transport: 'http',
      url: config.url,
      headers: Object.keys(config.headers ?? {}).sort(),
      auth: config.auth
        ? { type: config.auth.type, tokenUrl: config.auth.tokenUrl, clientId: config.auth.clientId, scope: config.auth.scope ?? null, resource: config.auth.resource ?? null }
        : null,
    };
  }
  return {
    transport: 'stdio',
    command: config.command,
    args: config.args ?? [],
    env: Object.keys(config.env ?? {}).sort(),
    cwd: config.cwd ?? null,
    auth: config.auth
      ? {
          type: config.auth.type,
          tokenUrl: config.auth.tokenUrl,
          clientId: config.auth.clientId,
          tokenEnv: config.auth.tokenEnv,
          scope: config.auth.scope ?? null,
          resource: config.auth.resource ?? null,
        }
      : null,
  };
}

/** sha256 (hex) of the canonical JSON of fingerprintInput(config). */
export function serverFingerprint(config: McpServerConfig): string {
  return createHash('sha256').update(canonicalJson(fingerprintInput(config))).digest('hex');
}

/**
 * What the owner approves, in one line: the exact command line (arguments quoted where
 * needed, hidden characters escaped), then the names of the variables it gets, its folder
 * and its OAuth2 client; or the URL with its header names.
 */
export function describeServer(config: McpServerConfig): string {
  const extras: string[] = [];
  let head: string;
  if ('url' in config) {
    head = escapeHidden(config.url);
    const headers = Object.keys(config.headers ?? {}).sort();
    if (headers.length) extras.push(`headers: ${headers.map(shellWord).join(', ')}`);
  } else {
    head = [config.command, ...(config.args ?? [])].map(shellWord).join(' ');
    const env = Object.keys(config.env ?? {}).sort();
    if (env.length) extras.push(`env: ${env.map(shellWord).join(', ')}`);
    if (config.cwd !== undefined) extras.push(`cwd: ${shellWord(config.cwd)}`);
  }
  const auth = config.auth;
  if (auth) {
    const parts = [`client ${shellWord(auth.clientId)}`, `token from ${escapeHidden(auth.tokenUrl)}`];
    if (auth.scope !== undefined) parts.push(`scope ${shellWord(auth.scope)}`);
    if (auth.resource !== undefined) parts.push(`resource ${escapeHidden(auth.resource)}`);
    if ('tokenEnv' in auth) parts.push(`token in ${shellWord(auth.tokenEnv)}`);
    extras.push(`oauth2: ${parts.join(', ')}`);
  }
  return [head, ...extras.map((e) => `[${e}]`)].join(' ');
}

const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;
// Control characters, and characters that render as nothing or reorder text (bidi, tags).
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb]|\udb40[\udc00-\udfff]/g;

/** Text from a server or a config, safe to print: control and invisible characters escaped. */
export function escapeHidden(text: string): string {
  return text.replace(HIDDEN, (ch) => [...ch].map((c) => `\\u{${c.codePointAt(0)!.toString(16)}}`).join(''));
}

/** A word as a POSIX shell would need it: bare when safe, else single-quoted; hidden characters escaped. */
export function shellWord(word: string): string {
  if (word.length > 0 && PLAIN_WORD.test(word)) return word;
  return `'${escapeHidden(word).replace(/'/g, `'\\''`)}'`;
}
