// Consent for what a server runs (DESIGN §4): its command line, URL, env variables and headers
// with their values, are fingerprinted and described to the owner in words (consent-line.ts).
// Starting a server whose fingerprint the owner has not approved needs their consent. A plain
// value is part of it as it is; a { secret } or { env } reference by its name (the secret's
// value may change without asking: the owner stored it; a different reference asks again).
// Variables that change which code runs (NODE_OPTIONS, LD_PRELOAD, PATH…) are named in a warning.
import { createHash } from 'node:crypto';
import type { ConfigValue, McpServerConfig } from '../../shared/workspace-config';
import type { ConsentText } from '../../shared/consent-texts';
import { canonicalJson } from '../canonical-json';

/**
 * The env variables (stdio) or headers (http) with their values: only when there are any, so
 * a server without them keeps the fingerprint it had before values counted (its approval holds).
 */
const valuesOf = (values: Record<string, ConfigValue> | undefined) => (values && Object.keys(values).length ? { values } : {});

/** What the machine adds to consent: a stdio server that cannot be sandboxed here, and why. */
export interface ConsentContext {
  unsandboxed?: ConsentText;
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
