// Helpers for the tests that use the real OS keychain (gnome-keyring over D-Bus).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodedForms } from '../../src-main/core/redact';

export const BIN = resolve('bin/flowbot.js');

/**
 * The keychain tests need `npm test`'s private D-Bus session with an unlocked gnome-keyring.
 * Without it they FAIL (never skip into green).
 */
export function requireTestKeyring(): void {
  if (process.env.FLOWBOT_TEST_KEYRING !== 'unlocked' || !process.env.DBUS_SESSION_BUS_ADDRESS) {
    throw new Error(
      'The keychain tests need a real, unlocked gnome-keyring in a private D-Bus session. Run them via `npm test` ' +
        '(or: dbus-run-session -- bash scripts/with-keyring.sh npx vitest run test/integration/keychain.test.ts test/integration/no-secret-leak.test.ts).',
    );
  }
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, with `input` on its stdin. */
export function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; timeoutMs?: number } = {}): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd ?? process.cwd(), stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${command} ${args.join(' ')} did not finish within ${options.timeoutMs ?? 60_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** The `flowbot` CLI as a child process. */
export const flowbot = (args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}) =>
  run(process.execPath, [BIN, ...args], options);

/** The environment without any D-Bus session (and no X11 display to autolaunch one from). */
export function envWithoutDbus(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  return env;
}

/** Every file under `dir` (recursively), with its raw bytes. */
export function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  if (!existsSync(dir)) return [];
  const out: { path: string; bytes: Buffer }[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    const stat = statSync(path);
    if (stat.isDirectory()) out.push(...filesUnder(path));
    else if (stat.isFile()) out.push({ path, bytes: readFileSync(path) });
  }
  return out;
}

/**
 * Where any of the secrets shows up — as is, URL-encoded, JSON-escaped, base64, or as UTF-16
 * — in the raw bytes of the files and in the texts. Empty means no leak.
 */
export function findLeaks(secrets: string[], places: { files?: { path: string; bytes: Buffer }[]; texts?: Record<string, string> }): string[] {
  const leaks: string[] = [];
  for (const secret of secrets) {
    const needles = [...encodedForms(secret).map((f) => Buffer.from(f, 'utf8')), Buffer.from(secret, 'utf16le')];
    for (const file of places.files ?? []) {
      if (needles.some((n) => file.bytes.includes(n))) leaks.push(`${file.path} contains a secret`);
    }
    for (const [name, text] of Object.entries(places.texts ?? {})) {
      const bytes = Buffer.from(text, 'utf8');
      if (needles.some((n) => bytes.includes(n))) leaks.push(`${name} contains a secret`);
    }
  }
  return leaks;
}
