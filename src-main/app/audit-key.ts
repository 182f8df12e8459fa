// The audit chain's key (core/audit-chain.ts): 32 random bytes in the OS keychain, one per user
// of this computer, under an account outside every bot's namespace (deleting a bot never
// deletes it). Created the first time a log is written with a keychain at hand.
//
// Without a usable keychain (headless CI, a locked keyring): no key. New records of an unkeyed
// log are then chained unkeyed, as before issue 12 (`audit verify` says the log is not keyed);
// a log that is keyed already refuses new records (no downgrade) and cannot be verified here.
import { randomBytes } from 'node:crypto';
import { AUDIT_KEY_ACCOUNT } from '../core/secret-account';
import type { SecretsPort } from '../runtime/ports';

export interface AuditKey {
  key?: Buffer;
  /** Why there is no key (shown by `audit verify`). */
  problem?: string;
}

/** `create`: make and store a key when there is none (writers); verify only reads. */
export async function loadAuditKey(secrets: SecretsPort, options: { create: boolean }): Promise<AuditKey> {
  try {
    let text = await secrets.get(AUDIT_KEY_ACCOUNT);
    if (text === undefined) {
      if (!options.create) return { problem: 'there is no audit key in the keychain yet' };
      await secrets.set(AUDIT_KEY_ACCOUNT, randomBytes(32).toString('base64'));
      // Read back: another process may have stored its key at the same moment; the stored one wins.
      text = await secrets.get(AUDIT_KEY_ACCOUNT);
      if (text === undefined) return { problem: 'the keychain did not keep the audit key' };
    }
    const key = Buffer.from(text, 'base64');
    if (key.length !== 32) return { problem: `the audit key in the keychain (${AUDIT_KEY_ACCOUNT}) is not 32 bytes` };
    return { key };
  } catch (error) {
    return { problem: `the keychain cannot be used (${(error as Error).message})` };
  }
}
