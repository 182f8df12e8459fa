// `flowbot web-password`: the remote studio's password from stdin (never the command line), or
// generated and printed once; only a scrypt hash lands in the data folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { passwordFileOf, passwordMatches, readPasswordRecord } from '../../src-main/web/remote/password-file';

const BIN = resolve('bin/flowbot.js');
const dataDir = mkdtempSync(join(tmpdir(), 'flowbot-cli-web-password-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function run(args: string[], stdin = ''): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += String(c)));
  child.stderr.on('data', (c: Buffer) => (err += String(c)));
  child.stdin.end(stdin);
  return new Promise((done) => child.on('exit', (code) => done({ code, out, err })));
}

describe('flowbot web-password', () => {
  it('stores the hash of the password piped in, and refuses a short one or one on the command line', { timeout: 180_000 }, async () => {
    const password = 'a long enough sentence';
    const set = await run(['web-password', '--data-dir', dataDir], `${password}\n`);
    expect(set.code, set.err).toBe(0);
    expect(set.out).toContain(passwordFileOf(dataDir));
    expect(set.out + set.err).not.toContain(password);
    expect(readFileSync(passwordFileOf(dataDir), 'utf8')).not.toContain(password);
    const record = readPasswordRecord(dataDir);
    expect(record).not.toBeNull();
    expect(await passwordMatches(record!, password)).toBe(true);

    const short = await run(['web-password', '--data-dir', dataDir], 'short\n');
    expect(short.code).toBe(2);
    expect(short.err).toContain('at least 12 characters');
    const onLine = await run(['web-password', 'a long enough sentence', '--data-dir', dataDir]);
    expect(onLine.code).toBe(2);
    expect(readPasswordRecord(dataDir)?.salt).toBe(record!.salt);
  });

  it('--generate prints a long random password once and stores only its hash', { timeout: 120_000 }, async () => {
    const made = await run(['web-password', '--generate', '--data-dir', dataDir]);
    expect(made.code, made.err).toBe(0);
    const password = /^ {4}([A-Za-z0-9_-]{32})$/m.exec(made.out)?.[1];
    expect(password).toBeDefined();
    expect(readFileSync(passwordFileOf(dataDir), 'utf8')).not.toContain(password);
    expect(await passwordMatches(readPasswordRecord(dataDir)!, password!)).toBe(true);
  });
});
