// The SecretsPort for a server without a desktop keychain (`flowbot serve` on a VPS, a shop PC,
// a Raspberry Pi): every secret of the data dir in one file, encrypted as a whole with
// AES-256-GCM (names and values alike), under a master key that never touches the disk
// next to it: a systemd credential ($CREDENTIALS_DIRECTORY/flowbot-master-key, LoadCredential=
// or LoadCredentialEncrypted=) or the FLOWBOT_MASTER_KEY environment variable.
//
// The master key is a passphrase of at least 32 characters (e.g. `openssl rand -base64 32`);
// scrypt with a per-file salt turns it into the AES key. Writes go to a temporary file that
// replaces the old one only once complete (0600), so a crash never leaves half a file, and a
// file that the key does not open is never overwritten.
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCallback, type ScryptOptions } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { KeytarSecrets } from './keytar-secrets';

export const MASTER_KEY_ENV = 'FLOWBOT_MASTER_KEY';
export const MASTER_KEY_CREDENTIAL = 'flowbot-master-key';
const MIN_MASTER_KEY_LENGTH = 32;
const FORMAT = 'flowbot-secrets/1';
const SCRYPT: ScryptOptions = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** The master key is missing, too short, or does not open the file; says which and what to do. */
export class SecretsFileError extends Error {
  override readonly name = 'SecretsFileError';
}

/** Where the master key comes from: the systemd credential first, then the environment. */
export async function readMasterKey(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const credentials = env.CREDENTIALS_DIRECTORY;
  let key: string | undefined;
  let source = `the environment variable ${MASTER_KEY_ENV}`;
  if (credentials) {
    const file = join(credentials, MASTER_KEY_CREDENTIAL);
    key = await readFile(file, 'utf8').then((text) => text.trim(), () => undefined);
    source = `the systemd credential ${file}`;
  }
  if (key === undefined) {
    key = env[MASTER_KEY_ENV]?.trim();
    source = `the environment variable ${MASTER_KEY_ENV}`;
  }
  if (!key) {
    throw new SecretsFileError(
      `No master key for the encrypted secrets: set the systemd credential "${MASTER_KEY_CREDENTIAL}" (LoadCredential=${MASTER_KEY_CREDENTIAL}:/path/to/key) ` +
        `or the environment variable ${MASTER_KEY_ENV} to a passphrase of at least ${MIN_MASTER_KEY_LENGTH} characters (e.g. the output of "openssl rand -base64 32").`,
    );
  }
  if (key.length < MIN_MASTER_KEY_LENGTH) throw new SecretsFileError(`The master key in ${source} is ${key.length} characters long: it needs at least ${MIN_MASTER_KEY_LENGTH}.`);
  return key;
}

interface SealedFile {
  format: typeof FORMAT;
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

export interface EncryptedFileSecretsOptions {
  /** The sealed file (e.g. <data dir>/secrets.enc). */
  file: string;
  /** The passphrase (see readMasterKey). */
  masterKey: string;
}

export function createEncryptedFileSecrets(options: EncryptedFileSecretsOptions): KeytarSecrets {
  const { file } = options;
  let derived: { salt: string; key: Promise<Buffer> } | undefined;
  /** One change at a time: each is read, changed and written whole. */
  let queue: Promise<unknown> = Promise.resolve();

  const keyFor = (salt: string): Promise<Buffer> => {
    if (derived?.salt !== salt) derived = { salt, key: scrypt(options.masterKey, Buffer.from(salt, 'base64')) };
    return derived.key;
  };

  async function load(): Promise<{ values: Record<string, string>; salt: string }> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { values: {}, salt: randomBytes(16).toString('base64') };
      throw error;
    }
    const sealed = parseSealed(text, file);
    const decipher = createDecipheriv('aes-256-gcm', await keyFor(sealed.salt), Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(FORMAT));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    let plain: string;
    try {
      plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretsFileError(`The master key does not open ${file}: it is not the key the file was written with, or the file was changed. Nothing was overwritten.`);
    }
    return { values: JSON.parse(plain) as Record<string, string>, salt: sealed.salt };
  }

  async function save(values: Record<string, string>, salt: string): Promise<void> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', await keyFor(salt), iv);
    cipher.setAAD(Buffer.from(FORMAT));
    const data = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()]);
    const sealed: SealedFile = { format: FORMAT, salt, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    await mkdir(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temporary, `${JSON.stringify(sealed)}\n`, { mode: 0o600 });
    await rename(temporary, file);
  }

  function change<T>(work: (values: Record<string, string>) => T): Promise<T> {
    const run = queue.then(async () => {
      const { values, salt } = await load();
      const result = work(values);
      await save(values, salt);
      return result;
    });
    queue = run.catch(() => undefined);
    return run;
  }

  return {
    async get(account) {
      await queue;
      return (await load()).values[account];
    },
    set: (account, value) =>
      change((values) => {
        values[account] = value;
      }),
    delete: (account) =>
      change((values) => {
        const had = account in values;
        delete values[account];
        return had;
      }),
    async check() {
      await load();
    },
    async accounts(prefix) {
      await queue;
      return Object.keys((await load()).values).filter((account) => account.startsWith(prefix));
    },
  };
}

function parseSealed(text: string, file: string): SealedFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SecretsFileError(`${file} is not an encrypted secrets file (not JSON). Nothing was overwritten.`);
  }
  const sealed = value as Partial<SealedFile> | null;
  if (!sealed || sealed.format !== FORMAT || ![sealed.salt, sealed.iv, sealed.tag, sealed.data].every((part) => typeof part === 'string')) {
    throw new SecretsFileError(`${file} is not an encrypted secrets file of this version (expected format "${FORMAT}"). Nothing was overwritten.`);
  }
  return sealed as SealedFile;
}

function scrypt(passphrase: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCallback(passphrase, salt, 32, SCRYPT, (error, key) => (error ? reject(error) : resolve(key))));
}
