// The plain headline of a server failure, read from what really happened: the stderr and exit
// code of a real `node missing.js`, a program that is not installed, an exit at start.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { plainFailure } from '../../src-main/adapters/mcp/server-failure-words';

const dir = mkdtempSync(join(tmpdir(), 'flowbot-failure-words-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `node <script>` and returns its exit code and stderr. */
function runNode(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stderr }));
  });
}

describe('plainFailure', () => {
  it('a script that does not exist: the program could not find the file (from the real stderr of node)', async () => {
    const missing = join(dir, 'crm-server', 'index.js');
    const ran = await runNode([missing]);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('Cannot find module'); // what node really prints
    const headline = plainFailure({ kind: 'exited', program: process.execPath, exit: { code: ran.code, signal: null }, stderr: ran.stderr, atStart: true });
    expect(headline).toBe(`The program \`node\` could not find the file \`${missing}\`.`);
    expect(headline).not.toMatch(/at Module|MODULE_NOT_FOUND|node:internal/);
  });

  it('a package the server imports is missing: says which one, not the stack', async () => {
    const script = join(dir, 'needs-package.mjs');
    writeFileSync(script, "import 'flowbot-no-such-package';\n");
    const ran = await runNode([script]);
    const headline = plainFailure({ kind: 'exited', program: 'node', exit: { code: ran.code, signal: null }, stderr: ran.stderr, atStart: true });
    expect(headline).toBe('The server needs `flowbot-no-such-package`, which is not installed where it runs.');
  });

  it('a program that is not installed', () => {
    expect(plainFailure({ kind: 'not_found', program: 'foo' })).toBe('The program `foo` is not installed on this computer (or not where Flowbot looks for programs).');
  });

  it('a server that exits at start without a known cause: the exit code, never its last lines as the headline', async () => {
    const script = join(dir, 'exits.js');
    writeFileSync(script, "console.error('Error: something deep\\n    at x (y.js:1:1)'); process.exit(3);\n");
    const ran = await runNode([script]);
    expect(plainFailure({ kind: 'exited', program: 'node', exit: { code: ran.code, signal: null }, stderr: ran.stderr, atStart: true })).toBe(
      'The server exited at start (code 3).',
    );
    expect(plainFailure({ kind: 'exited', program: 'node', exit: { code: 3, signal: null }, stderr: '', atStart: false })).toBe('The server stopped unexpectedly (code 3).');
    expect(plainFailure({ kind: 'exited', program: 'node', exit: { code: null, signal: 'SIGKILL' }, atStart: false })).toBe('The server was stopped by the system (SIGKILL).');
  });

  it('a server that keeps crashing says the cause first, then that it was stopped', () => {
    const headline = plainFailure({
      kind: 'circuit_open',
      program: 'node',
      exit: { code: 1, signal: null },
      stderr: "Error: Cannot find module '/srv/crm/index.js'\n    at Module._resolveFilename (node:internal/modules/cjs/loader:1207:15)",
      atStart: true,
    });
    expect(headline).toBe('The program `node` could not find the file `/srv/crm/index.js`. It is not restarted any more: fix this, then press "Start now".');
  });

  it('python: can\'t open file', () => {
    const stderr = "/usr/bin/python3: can't open file '/home/me/server.py': [Errno 2] No such file or directory";
    expect(plainFailure({ kind: 'exited', program: '/usr/bin/python3', exit: { code: 2, signal: null }, stderr, atStart: true })).toBe(
      'The program `python3` could not find the file `/home/me/server.py`.',
    );
  });

  it('other kinds keep their own words, without the server-name prefix', () => {
    expect(plainFailure({ kind: 'start_timeout', program: 'node', startTimeoutMs: 30_000 })).toBe('The server did not finish starting within 30 s.');
    expect(plainFailure({ kind: 'config', message: 'MCP server "crm": the folder "/x" does not exist. Check mcpServers.crm.cwd.' })).toBe(
      'The folder "/x" does not exist. Check mcpServers.crm.cwd.',
    );
  });
});
