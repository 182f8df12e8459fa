// SecretsPort over keytar (libsecret on Linux, Keychain on macOS, Credential Manager on
// Windows), service "flowbot-studio".
//
// keytar does not say when the keychain cannot be used: with a locked (or missing) keyring
// getPassword quietly returns null and deletePassword false, exactly as for a secret that was
// never set; without a session D-Bus it throws "Cannot autolaunch D-Bus without X11 $DISPLAY".
// So before the first use, and again whenever a read comes back empty, a probe writes a random
// value to a throwaway account, reads it back and deletes it. A probe that fails, or reads
// back nothing, means the keychain is unusable: KeychainUnavailableError, never "not set".
//
// keytar (a native module) is loaded on first use, so a command that needs no secret never
// touches the keychain.
import { randomBytes, randomUUID } from 'node:crypto';
import type { SecretsPort } from '../../runtime/ports';
import { SECRETS_SERVICE } from '../../core/secret-account';
import { KeychainUnavailableError, type KeychainProblem } from './keychain-error';

/** The part of keytar this adapter uses. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  /** Every item of the service (keytar returns the passwords too; this adapter drops them at once). */
  findCredentials?(service: string): Promise<{ account: string; password: string }[]>;
}

export interface KeytarSecretsOptions {
  /** Default "flowbot-studio". */
  service?: string;
  /** Loads the keychain library (default: the real keytar). */
  load?: () => Promise<KeytarLike>;
  /** Bound on each keychain call (default 60 s: a desktop unlock prompt may be open). */
  timeoutMs?: number;
}

export interface KeytarSecrets extends SecretsPort {
  /** Probes the keychain now (write, read back, delete); throws KeychainUnavailableError if unusable. */
  check(): Promise<void>;
  /** The accounts (never the values) of this service that start with `prefix`. */
  accounts(prefix: string): Promise<string[]>;
}

/** Accounts the probe writes to; never a secret's account (those start with "bot/"). */
export const PROBE_ACCOUNT_PREFIX = 'probe/';

export function createKeytarSecrets(options: KeytarSecretsOptions = {}): KeytarSecrets {
  const service = options.service ?? SECRETS_SERVICE;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const load = options.load ?? loadKeytar;
  let library: Promise<KeytarLike> | undefined;
  /** A successful probe is remembered; a failed one is not (the keyring may be unlocked later). */
  let ready: Promise<void> | undefined;

  async function keytar(): Promise<KeytarLike> {
    library ??= load();
    try {
      return await library;
    } catch (err) {
      library = undefined;
      throw new KeychainUnavailableError('unavailable', `the keychain library could not be loaded: ${messageOf(err)}`, { cause: err });
    }
  }

  /** One keychain call, bounded in time, with its failures turned into KeychainUnavailableError. */
  async function call<T>(what: string, run: (k: KeytarLike) => Promise<T>): Promise<T> {
    const k = await keytar();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new KeychainUnavailableError('unavailable', `the keychain did not answer ${what} within ${timeoutMs} ms; an unlock prompt may be waiting`)),
        timeoutMs,
      );
      timer.unref();
    });
    try {
      return await Promise.race([run(k), timeout]);
    } catch (err) {
      if (err instanceof KeychainUnavailableError) throw err;
      throw new KeychainUnavailableError(classify(err), messageOf(err), { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  async function probe(): Promise<void> {
    const account = `${PROBE_ACCOUNT_PREFIX}${randomUUID()}`;
    const value = randomBytes(18).toString('base64url');
    await call('a test write', (k) => k.setPassword(service, account, value));
    let back: string | null;
    try {
      back = await call('a test read', (k) => k.getPassword(service, account));
    } finally {
      await call('a test delete', (k) => k.deletePassword(service, account)).catch(() => false);
    }
    if (back !== value) {
      throw new KeychainUnavailableError('locked', 'a value written to the keychain could not be read back');
    }
  }

  function ensureReady(): Promise<void> {
    if (!ready) {
      const attempt = probe();
      ready = attempt;
      attempt.catch(() => {
        if (ready === attempt) ready = undefined;
      });
    }
    return ready;
  }

  return {
    async get(account) {
      await ensureReady();
      const value = await call('a read', (k) => k.getPassword(service, account));
      if (value !== null) return value;
      // null is also what a keyring locked since the last probe answers: make sure it is "not set".
      await probe();
      return undefined;
    },
    async set(account, value) {
      await ensureReady();
      await call('a write', (k) => k.setPassword(service, account, value));
      const back = await call('a read', (k) => k.getPassword(service, account));
      if (back !== value) throw new KeychainUnavailableError('locked', 'the secret was written but could not be read back');
    },
    async delete(account) {
      await ensureReady();
      const deleted = await call('a delete', (k) => k.deletePassword(service, account));
      if (!deleted) await probe(); // false is also what a locked keyring answers
      return deleted;
    },
    async check() {
      await probe();
      ready = Promise.resolve();
    },
    async accounts(prefix) {
      await ensureReady();
      const found = await call('a listing', (k) => {
        if (!k.findCredentials) throw new Error('this keychain library cannot list secrets');
        return k.findCredentials(service);
      });
      return found.map((c) => c.account).filter((account) => account.startsWith(prefix));
    },
  };
}

async function loadKeytar(): Promise<KeytarLike> {
  const mod = (await import('keytar')) as KeytarLike & { default?: KeytarLike };
  return mod.default ?? mod;
}

function classify(err: unknown): KeychainProblem {
  return /\block(ed)?\b/i.test(messageOf(err)) ? 'locked' : 'unavailable';
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
