// `flowbot studio` as a user runs it: prints the tokenised loopback URL, serves, stops on Ctrl+C.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const BIN = resolve('bin/flowbot.js');
const BUILT = existsSync(resolve('out/renderer/index.html'));
const dataDir = mkdtempSync(join(tmpdir(), 'flowbot-cli-studio-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function run(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += String(c)));
  child.stderr.on('data', (c: Buffer) => (stderr += String(c)));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('flowbot studio', () => {
  it('refuses a bad --port with usage exit 2', async () => {
    const cli = run(['studio', '--port', 'eighty', '--data-dir', dataDir]);
    expect(await cli.exited).toBe(2);
    expect(cli.err()).toContain('--port needs a whole number from 0 to 65535');
  });

  it('prints the URL with its token in the fragment, serves the page (no cookie), the API only with the token, and stops on SIGTERM', async () => {
    expect(BUILT, 'the editor is not built: run "npm run build" (npm test builds it first)').toBe(true);
    const cli = run(['studio', '--data-dir', dataDir]);
    let url: string | undefined;
    for (let i = 0; i < 300 && url === undefined; i++) {
      url = /http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}/.exec(cli.out())?.[0];
      if (url === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(url, cli.err()).toBeDefined();
    expect(cli.out()).toContain(`Data folder: ${dataDir}`);
    const { origin, hash } = new URL(url!);
    const page = await fetch(origin);
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie')).toBeNull();
    const token = hash.slice('#token='.length);
    const opens = (protocols: string[]) =>
      new Promise<boolean>((resolve) => {
        const socket = new WebSocket(`${origin.replace('http', 'ws')}/api`, protocols, { origin });
        socket.once('open', () => {
          socket.close();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
    expect(await opens(['flowbot-api'])).toBe(false);
    expect(await opens(['flowbot-api', `flowbot-token.${token}`])).toBe(true);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.err()).toContain('Flowbot Studio stopped.');
  });
});
