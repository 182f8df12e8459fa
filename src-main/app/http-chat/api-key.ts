// A bot's API key for the HTTP chat channel: a long random token in the secrets store (the OS
// keychain, or serve's encrypted file) under the bot's own "@http" scope, which no MCP server
// name can take. Created, rotated and revoked by the owner (the studio's Settings → Bots, the
// CLI); shown once when made, never logged, never sent back afterwards. Compared in constant
// time (both sides hashed first, so the lengths are equal too).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { secretAccount } from '../../core/secret-account';
import type { SecretsPort } from '../../runtime/ports';

/** Every key starts with this: easy to spot in a leaked file or a secret scanner's rules. */
export const API_KEY_PREFIX = 'fbk_';

export const apiKeyAccount = (bot: string): string => secretAccount({ bot, scope: '@http', name: 'api-key' });

export const newApiKey = (): string => `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;

/** Constant-time equality of two tokens. */
export function sameToken(candidate: string, expected: string): boolean {
  const a = createHash('sha256').update(candidate).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export interface ApiKeys {
  /** Whether the bot has a key (the HTTP channel is on). */
  has(bot: string): Promise<boolean>;
  /** Makes a new key (replacing any previous one, which stops working at once) and returns it: the only time it is shown. */
  rotate(bot: string): Promise<string>;
  /** Deletes the key: the bot stops answering on HTTP with a key. False when there was none. */
  revoke(bot: string): Promise<boolean>;
  /** Whether `candidate` is the bot's key (false when the bot has none). */
  matches(bot: string, candidate: string): Promise<boolean>;
}

export function createApiKeys(secrets: SecretsPort): ApiKeys {
  return {
    has: async (bot) => (await secrets.get(apiKeyAccount(bot))) !== undefined,
    async rotate(bot) {
      const key = newApiKey();
      await secrets.set(apiKeyAccount(bot), key);
      return key;
    },
    revoke: (bot) => secrets.delete(apiKeyAccount(bot)),
    async matches(bot, candidate) {
      const key = await secrets.get(apiKeyAccount(bot));
      return key !== undefined && key !== '' && sameToken(candidate, key);
    },
  };
}
