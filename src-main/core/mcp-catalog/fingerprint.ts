// Consent for what a server runs (DESIGN §4): its command line, URL, env variables and headers
// with their values, are fingerprinted and described to the owner in words. Starting a server
// whose fingerprint the owner has not approved needs their consent. A plain value is part of
// it as it is; a { secret } or { env } reference by its name (the secret's value may change
// without asking: the owner stored it; a different reference asks again). Variables that
// change which code runs (NODE_OPTIONS, LD_PRELOAD, PATH…) are named in a warning.
import { createHash } from 'node:crypto';
import type { ConfigValue, McpServerConfig } from '../../shared/workspace-config';
import { canonicalJson } from '../canonical-json';
import { SANDBOX_TEXTS, describeGrant } from '../mcp-sandbox';
import { CONSENT_TEXTS } from './consent-texts';
import { loaderVariables } from './loader-variables';

/**
 * The env variables (stdio) or headers (http) with their values: only when there are any, so
 * a server without them keeps the fingerprint it had before values counted (its approval holds).
 */
const valuesOf = (values: Record<string, ConfigValue> | undefined) => (values && Object.keys(values).length ? { values } : {});

/** What the machine adds to consent: a stdio server that cannot be sandboxed here, and why. */
export interface ConsentContext {
  unsandboxed?: string;
}

/** Exactly what the fingerprint is computed over (shown in docs and tests). */
export function fingerprintInput(config: McpServerConfig, context: ConsentContext = {}): Record<string, unknown> {
  if ('url' in config) {
    return {
      transport: 'http',
      url: config.url,
      headers: Object.keys(config.headers ?? {}).sort(),
      ...valuesOf(config.headers),
      auth: config.auth
        ? { type: config.auth.type, tokenUrl: config.auth.tokenUrl ?? null, clientId: config.auth.clientId, scope: config.auth.scope ?? null, resource: config.auth.resource ?? null }
        : null,
    };
  }
  return {
    transport: 'stdio',
    command: config.command,
    args: config.args ?? [],
    env: Object.keys(config.env ?? {}).sort(),
    ...valuesOf(config.env),
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
    // Only when present, so a server without grants keeps the fingerprint it had before the
    // sandbox existed (the default sandbox only takes away).
    ...(config.sandbox ? { sandbox: config.sandbox } : {}),
    ...(context.unsandboxed !== undefined ? { unsandboxed: true } : {}),
  };
}

/** sha256 (hex) of the canonical JSON of fingerprintInput(config, context). */
export function serverFingerprint(config: McpServerConfig, context: ConsentContext = {}): string {
  return createHash('sha256').update(canonicalJson(fingerprintInput(config, context))).digest('hex');
}

export interface DescribeOptions extends ConsentContext {
  /** Values not to echo (the import preview hides values that look like secrets). */
  hideValue?: (name: string, value: string) => boolean;
}

/**
 * What the owner approves, in one line: the exact command line (arguments quoted where
 * needed, hidden characters escaped), then each variable with its value in full (or the
 * keychain secret / studio variable it comes from), its folder and its OAuth2 client, and a
 * warning naming the variables that can change which code runs; or the URL with its headers.
 */
export function describeServer(config: McpServerConfig, options: DescribeOptions = {}): string {
  const extras: string[] = [];
  let head: string;
  const assignments = (values: Record<string, ConfigValue>) =>
    Object.keys(values)
      .sort()
      .map((name) => `${shellWord(name)}=${valueWords(name, values[name]!, options)}`)
      .join(', ');
  if ('url' in config) {
    head = escapeHidden(config.url);
    if (Object.keys(config.headers ?? {}).length) extras.push(`headers: ${assignments(config.headers!)}`);
  } else {
    head = [config.command, ...(config.args ?? [])].map(shellWord).join(' ');
    if (Object.keys(config.env ?? {}).length) extras.push(`env: ${assignments(config.env!)}`);
    if (config.cwd !== undefined) extras.push(`cwd: ${shellWord(config.cwd)}`);
    const grant = describeGrant(config.sandbox, shellWord);
    if (grant) extras.push(grant);
    if (options.unsandboxed !== undefined) extras.push(SANDBOX_TEXTS.unsandboxed(options.unsandboxed));
  }
  const auth = config.auth;
  if (auth) {
    const parts = [`client ${shellWord(auth.clientId)}`, auth.tokenUrl !== undefined ? `token from ${escapeHidden(auth.tokenUrl)}` : CONSENT_TEXTS.tokenFromMetadata];
    if (auth.privateKey !== undefined) parts.push(CONSENT_TEXTS.signedWithKey);
    if (auth.scope !== undefined) parts.push(`scope ${shellWord(auth.scope)}`);
    if (auth.resource !== undefined) parts.push(`resource ${escapeHidden(auth.resource)}`);
    if ('tokenEnv' in auth) parts.push(`token in ${shellWord(auth.tokenEnv)}`);
    extras.push(`oauth2: ${parts.join(', ')}`);
  }
  const loaders = loaderVariables(config);
  if (loaders.length) extras.push(CONSENT_TEXTS.loaderWarning(loaders.map(shellWord)));
  return [head, ...extras.map((e) => `[${e}]`)].join(' ');
}

/** A value as the owner reads it: plain values shell-quoted (so none reads like a reference), references by name. */
function valueWords(name: string, value: ConfigValue, options: DescribeOptions): string {
  if (typeof value === 'string') return options.hideValue?.(name, value) ? CONSENT_TEXTS.hiddenValue : shellWord(value);
  return 'secret' in value ? CONSENT_TEXTS.keychainSecret(shellWord(value.secret)) : CONSENT_TEXTS.studioVariable(shellWord(value.env));
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
