// The remote web host's sign-in password, kept as a scrypt hash (never the password) in the data
// dir: <data dir>/web-password.json, readable by its owner only. Each setting draws a new random
// salt, so the same password set on two installs (or twice) gives different records; the salt
// also names the "credential" sessions are bound to (a new password ends the old sessions).
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../../app/input-error';
import { describeIssues } from '../../core/zod-issues';

export const WEB_PASSWORD_FILE = 'web-password.json';
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

/**
 * scrypt N=2^16, r=8, p=1: 64 MiB and about a tenth of a second per guess. The host checks one
 * sign-in at a time (remote-access.ts), so guesses cannot pile up memory.
 */
export const PASSWORD_COST: ScryptCost = Object.freeze({ N: 2 ** 16, r: 8, p: 1 });
/**
 * For a generated password (192 random bits) a slow hash adds nothing: nobody can guess it, from
 * a stolen file or not. The cheaper cost (N=2^14, 16 MiB) keeps the first start quick on a small
 * board; tests use it too.
 */
export const GENERATED_PASSWORD_COST: ScryptCost = Object.freeze({ N: 2 ** 14, r: 8, p: 1 });

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}
const KEY_BYTES = 32;

const PasswordRecordSchema = z
  .object({
    version: z.literal(1),
    kdf: z.literal('scrypt'),
    N: z.number().int().min(2 ** 14).max(2 ** 22),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
    salt: z.string().min(16),
    hash: z.string().min(16),
    setAt: z.string(),
  })
  .strict();
export type PasswordRecord = z.infer<typeof PasswordRecordSchema>;

export const passwordFileOf = (dataDir: string): string => join(dataDir, WEB_PASSWORD_FILE);

/** A long random password for owners who would rather not pick one (printed once). */
export const generatePassword = (): string => randomBytes(24).toString('base64url');

/** Why this password cannot be used, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `The password must be at least ${MIN_PASSWORD_LENGTH} characters long (a sentence is fine).`;
  if (password.length > MAX_PASSWORD_LENGTH) return `The password must be at most ${MAX_PASSWORD_LENGTH} characters long.`;
  return null;
}

function scrypt(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) => scryptCallback(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** Replaces the password (atomically, owner-only file). Throws InputError for an unusable one. */
export async function setWebPassword(dataDir: string, password: string, options: { cost?: ScryptCost; now?: Date } = {}): Promise<PasswordRecord> {
  const problem = passwordProblem(password);
  if (problem !== null) throw new InputError(problem);
  const cost = options.cost ?? PASSWORD_COST;
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, cost);
  const now = options.now ?? new Date();
  const record: PasswordRecord = { version: 1, kdf: 'scrypt', N: cost.N, r: cost.r, p: cost.p, salt: salt.toString('base64'), hash: hash.toString('base64'), setAt: now.toISOString() };
  mkdirSync(dataDir, { recursive: true });
  const file = passwordFileOf(dataDir);
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(temp, 0o600); // whatever the umask
    renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
  return record;
}

/** The stored record, or null when no password was set. A damaged file is an InputError naming it. */
export function readPasswordRecord(dataDir: string): PasswordRecord | null {
  const file = passwordFileOf(dataDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return null;
    throw new InputError(`Cannot read the web password file ${file}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InputError(`The web password file ${file} is not JSON. Set the password again with "flowbot web-password".`);
  }
  const parsed = PasswordRecordSchema.safeParse(value);
  if (!parsed.success) {
    throw new InputError(`The web password file ${file} is damaged (${describeIssues(parsed.error.issues, value, 'file')}). Set the password again with "flowbot web-password".`);
  }
  return parsed.data;
}

/** Whether `candidate` is the password of `record` (constant-time comparison of the hashes). */
export async function passwordMatches(record: PasswordRecord, candidate: string): Promise<boolean> {
  if (candidate.length === 0 || candidate.length > MAX_PASSWORD_LENGTH) return false;
  const expected = Buffer.from(record.hash, 'base64');
  const actual = await scrypt(candidate, Buffer.from(record.salt, 'base64'), record);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
