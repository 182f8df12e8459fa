// The audit chain's key (core/audit-chain.ts): 32 random bytes in the OS keychain, one per user
// of this computer, under an account outside every bot's namespace (deleting a bot never
// deletes it). Created the first time a log is written with a keychain at hand.
//
// Without a usable keychain (headless CI, a locked keyring): no key. New records of an unkeyed
// log are then chained unkeyed, as before issue 12 (`audit verify` says the log is not keyed);
// a log that is keyed already cannot be opened for conversations (AUDIT_KEY_LOCKED, no write may
// run unrecorded) and cannot be verified here.
import { createHash, randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { AUDIT_KEY_ACCOUNT, AUDIT_KEYED_ACCOUNT_PREFIX } from '../core/secret-account';
import type { SecretsPort } from '../runtime/ports';
import type { OwnerText } from '../shared/owner-text';

/** Shown when a keyed log's key cannot be read: nothing may run that the log could not record. */
export const AUDIT_KEY_LOCKED =
  'The audit log is protected by a key in the OS keychain, which is locked or unavailable: unlock it (or start a keyring), then try again. No conversation can run until then, so that no action goes unrecorded.';

/** A keyed log whose key cannot be read: the CLI and the studio show the message as it is. */
export class AuditKeyLockedError extends Error {
  override readonly name = 'AuditKeyLockedError';
  /** The same words for the studio's language (common:ownerTexts.auditKeyLocked…). */
  readonly text: OwnerText;
  constructor(problem: string | undefined) {
    super(`${AUDIT_KEY_LOCKED}${problem ? ` (${problem})` : ''}`);
    this.text = problem ? { key: 'auditKeyLockedBecause', params: { problem } } : { key: 'auditKeyLocked' };
  }
}

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

// The keychain also remembers, per data folder, from which record its log is keyed: someone who
// can write flowbot.db could otherwise un-key every record and recompute a plain chain. The
// folder is named by the sha256 of its real path, so a moved or copied folder has no marker and
// verifies as before (the CLI and the studio say whether a marker was found). A log in
// PostgreSQL is named by its database URL without the password (app/storage.ts logId).

function keyedAccount(log: string): string {
  if (/^postgres(ql)?:\/\//.test(log)) return AUDIT_KEYED_ACCOUNT_PREFIX + createHash('sha256').update(log).digest('hex');
  let path = resolve(log);
  try {
    path = realpathSync(path);
  } catch {
    // not there (yet): the resolved path names it
  }
  return AUDIT_KEYED_ACCOUNT_PREFIX + createHash('sha256').update(path).digest('hex');
}

/** The first keyed record the keychain remembers for this folder's log, if any (undefined when unreadable). */
export async function loadKeyedSince(secrets: SecretsPort, dataDir: string): Promise<number | undefined> {
  try {
    const text = await secrets.get(keyedAccount(dataDir));
    const seq = Number(text);
    return text !== undefined && Number.isSafeInteger(seq) && seq > 0 ? seq : undefined;
  } catch {
    return undefined;
  }
}

/** Remembers the first keyed record unless one is remembered already (written once per log). */
export async function rememberKeyedSince(secrets: SecretsPort, dataDir: string, seq: number): Promise<void> {
  const account = keyedAccount(dataDir);
  if ((await secrets.get(account)) === undefined) await secrets.set(account, String(seq));
}
