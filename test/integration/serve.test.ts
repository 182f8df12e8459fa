// `flowbot serve` as an owner runs it on a server: a real child process on a temp data folder
// with the bot "shop" switched on (the example CRM, the scripted model, secrets in the
// encrypted file under FLOWBOT_MASTER_KEY), talked to through the HTTP chat API: a conversation
// with a confirmed write (the CRM's crm.json checked) across SIGTERM and SIGKILL restarts.
import { spawn } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { existsSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../fixtures/scripted-llm-server';
import { API_KEY, MASTER_KEY, SERVED_BOT, writeServedDataDir, type ServedDataDir } from '../support/serve-data-dir';

const BIN = resolve('bin/flowbot.js');
const BUILT = existsSync(resolve('out/renderer/index.html'));

let llm: ScriptedLlmServer;
let dir: string;
let served: ServedDataDir;

beforeAll(async () => {
  llm = await startScriptedLlmServer();
  dir = mkdtempSync(join(tmpdir(), 'flowbot-serve-'));
  served = await writeServedDataDir(dir, llm.url);
});
afterAll(async () => {
  await llm.close();
  rmSync(dir, { recursive: true, force: true });
});

interface LogLine {
  time: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  [field: string]: unknown;
}

/** The serve process: stdout parsed as JSON lines (a line that is not JSON fails the test). */
function serve(args: string[], env: NodeJS.ProcessEnv = { FLOWBOT_MASTER_KEY: MASTER_KEY }) {
  const { FLOWBOT_MASTER_KEY: _drop, CREDENTIALS_DIRECTORY: _drop2, ...base } = process.env;
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { stdio: 'pipe', env: { ...base, ...env } });
  const lines: LogLine[] = [];
  const notJson: string[] = [];
  let stdout = '';
  let stderr = '';
  let buffer = '';
  const waiters = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += String(chunk);
    buffer += String(chunk);
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const line of parts.filter(Boolean)) {
      try {
        lines.push(JSON.parse(line) as LogLine);
      } catch {
        notJson.push(line);
      }
    }
    for (const wake of waiters) wake();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
  const waitFor = (match: (line: LogLine) => boolean): Promise<LogLine> =>
    new Promise((resolveLine, reject) => {
      const check = () => {
        const found = lines.find(match);
        if (found) {
          waiters.delete(check);
          resolveLine(found);
        }
      };
      waiters.add(check);
      void exited.then(() => {
        if (!waiters.has(check)) return;
        waiters.delete(check);
        reject(new Error(`serve exited before the line came.\nstdout: ${stdout}\nstderr: ${stderr}`));
      });
      check();
    });
  return { child, lines, notJson, exited, waitFor, stdout: () => stdout, stderr: () => stderr };
}

interface Answer {
  conversationId: string;
  replies: string[];
  status: string;
}

/** The HTTP chat API of a serving process. */
async function say(origin: string, customer: string, text: string, messageId: string): Promise<Answer> {
  const response = await fetch(`${origin}/api/v1/bots/${SERVED_BOT}/conversations/${customer}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text, messageId }),
  });
  const body = (await response.json()) as Answer;
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body;
}

/** Up to the confirmation question of the support-ticket flow (ticket for c1, priority high). */
async function upToConfirmation(origin: string, customer: string): Promise<Answer> {
  await say(origin, customer, 'hi', `${customer}-1`);
  await say(origin, customer, 'c1', `${customer}-2`);
  await say(origin, customer, `The lamp of ${customer} flickers`, `${customer}-3`);
  const asked = await say(origin, customer, 'high', `${customer}-4`);
  expect(asked.status).toBe('confirmation_pending');
  expect(asked.replies.at(-1)).toContain('Shall I open this support ticket for you?');
  return asked;
}

const tickets = (): { description: string }[] => {
  try {
    return (JSON.parse(readFileSync(join(served.crmDir, 'crm.json'), 'utf8')) as { tickets: { description: string }[] }).tickets;
  } catch {
    return []; // not written yet, or being replaced
  }
};
const ticketsOf = (customer: string) => tickets().filter((t) => t.description === `The lamp of ${customer} flickers`);

/** Resolves when the CRM has written a ticket for the customer (the write is done; its answer may not be). */
function ticketWritten(customer: string): Promise<void> {
  return new Promise((resolveWrite) => {
    const watcher = watch(served.crmDir, () => {
      if (ticketsOf(customer).length === 0) return;
      watcher.close();
      resolveWrite();
    });
  });
}

async function started(server: ReturnType<typeof serve>): Promise<string> {
  const ready = await server.waitFor((l) => l.msg === 'serving');
  return new URL(String(ready.url)).origin;
}

describe('flowbot serve', () => {
  it('starts the switched-on bot, logs JSON lines, serves the studio and the HTTP chat on loopback, and stops cleanly on SIGTERM mid-conversation', async () => {
    expect(BUILT, 'the editor is not built: run "npm run build" (npm test builds it first)').toBe(true);
    const server = serve(['--data-dir', served.dataDir]);
    const origin = await started(server);
    const ready = server.lines.find((l) => l.msg === 'serving')!;
    expect(ready).toMatchObject({ level: 'info', bots: [SERVED_BOT], dataDir: served.dataDir });
    expect(String(ready.url)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
    // The bot's server started, and the chosen flow was checked against it.
    expect(server.lines).toContainEqual(expect.objectContaining({ msg: 'MCP server ready', bot: SERVED_BOT, server: 'crm' }));
    expect(server.lines).toContainEqual(expect.objectContaining({ msg: 'answers on WhatsApp with “Support ticket”', bot: SERVED_BOT, channel: 'whatsapp' }));
    expect((await fetch(origin)).status).toBe(200);

    await upToConfirmation(origin, 'alice');
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    const msgs = server.lines.map((l) => l.msg);
    expect(msgs.slice(msgs.indexOf('stopping: no new messages are taken, those in hand finish'))).toEqual([
      'stopping: no new messages are taken, those in hand finish',
      'closing the web host and the channels (messages in hand finishing)',
      'closing the bots’ workspaces (MCP servers, model, store)',
      'MCP server stopped',
      'stopped',
    ]);
    // Every line is one JSON object with the time, a level and the message.
    expect(server.notJson).toEqual([]);
    for (const line of server.lines) {
      expect(Number.isNaN(Date.parse(line.time)), JSON.stringify(line)).toBe(false);
      expect(['debug', 'info', 'warn', 'error']).toContain(line.level);
      expect(typeof line.msg).toBe('string');
    }
    expect(ticketsOf('alice')).toEqual([]);
    // The secrets file holds no secret in clear.
    const sealed = readFileSync(join(served.dataDir, 'secrets.enc'), 'utf8');
    expect(sealed).not.toContain('note-value');
    expect(sealed).not.toContain(API_KEY);
  });

  it('after a restart the conversation goes on; a SIGTERM while a confirmed write is in hand lets it finish and answer', async () => {
    const server = serve(['--data-dir', served.dataDir]);
    const origin = await started(server);
    const done = await say(origin, 'alice', 'yes', 'alice-5');
    expect(done.status).toBe('ended');
    expect(done.replies.at(-1)).toMatch(/^Done! Your ticket number is \S+\./);
    expect(ticketsOf('alice')).toHaveLength(1);

    await upToConfirmation(origin, 'bob');
    const written = ticketWritten('bob');
    const answer = say(origin, 'bob', 'yes', 'bob-5');
    await written;
    server.child.kill('SIGTERM'); // the write is done, its answer on its way
    expect((await answer).status).toBe('ended');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(ticketsOf('bob')).toHaveLength(1);
  });

  it('a SIGKILL right after a confirmed write: after the restart the retried message is answered and the ticket is not written twice', async () => {
    const first = serve(['--data-dir', served.dataDir]);
    const origin = await started(first);
    const before = tickets().length;
    await upToConfirmation(origin, 'carol');
    const written = ticketWritten('carol');
    const lost = say(origin, 'carol', 'yes', 'carol-5').catch((error: unknown) => error);
    await written;
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    await lost;

    const second = serve(['--data-dir', served.dataDir]);
    const again = await started(second);
    const retried = await say(again, 'carol', 'yes', 'carol-5');
    // Killed after the CRM wrote: if the result was stored before the kill, the answer is the
    // ticket; if not, the re-issued call finds its single-use confirmation spent and is blocked,
    // and the flow's failure path hands the chat to a human. Never a second write.
    if (retried.status === 'ended') expect(retried.replies.at(-1)).toMatch(/^Done! Your ticket number is \S+\./);
    else expect(retried, JSON.stringify(retried)).toMatchObject({ status: 'handed_off', replies: ['Sorry, I could not create the ticket. A colleague will take over this chat.'] });
    expect(ticketsOf('carol')).toHaveLength(1);
    expect(tickets()).toHaveLength(before + 1);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });

  it('refuses to start without a master key, naming both places it looks', async () => {
    const server = serve(['--data-dir', served.dataDir], {});
    expect((await server.exited).code).toBe(1);
    expect(server.lines).toContainEqual(expect.objectContaining({ level: 'error', msg: 'flowbot serve did not start' }));
    expect(server.stderr()).toContain('systemd credential "flowbot-master-key"');
    expect(server.stderr()).toContain('FLOWBOT_MASTER_KEY');
  });

  it('reads the master key from a systemd credential, and never serves the studio off loopback over plain HTTP', async () => {
    const credentials = mkdtempSync(join(tmpdir(), 'flowbot-credentials-'));
    writeFileSync(join(credentials, 'flowbot-master-key'), `${MASTER_KEY}\n`);
    const server = serve(['--data-dir', served.dataDir, '--check'], { CREDENTIALS_DIRECTORY: credentials });
    expect((await server.exited).code).toBe(0);
    expect(server.stdout()).toContain('OK: 1 bot ready to serve (shop).');

    const remote = serve(['--data-dir', served.dataDir, '--host', '0.0.0.0']);
    expect((await remote.exited).code).toBe(2);
    expect(remote.stderr()).toContain('over plain HTTP');
    const halfTls = serve(['--data-dir', served.dataDir, '--public-host', 'shop.test', '--tls-cert', 'cert.pem']);
    expect((await halfTls.exited).code).toBe(2);
    expect(halfTls.stderr()).toContain('--tls-cert and --tls-key go together');
  });

  it('serves the studio over TLS behind its sign-in (a password made once, never logged), the chat API with its key only', async () => {
    const pems = await generate([{ name: 'commonName', value: 'shop.test' }], {
      keyType: 'ec',
      curve: 'P-256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'shop.test' }] }],
    });
    const tlsDir = mkdtempSync(join(tmpdir(), 'flowbot-serve-tls-'));
    writeFileSync(join(tlsDir, 'cert.pem'), pems.cert);
    writeFileSync(join(tlsDir, 'key.pem'), pems.private);
    const server = serve(['--data-dir', served.dataDir, '--host', '127.0.0.1', '--public-host', 'shop.test', '--tls-cert', join(tlsDir, 'cert.pem'), '--tls-key', join(tlsDir, 'key.pem')]);
    try {
      const ready = await server.waitFor((l) => l.msg === 'serving');
      const port = ready.port as number;
      expect(ready.url).toBe(`https://shop.test:${port}/`);
      // Printed on stderr, a pipe of its own: it may come after the log line.
      const passwordLine = /sign-in password[^\n]*\n(\S{20,})\n/;
      while (!passwordLine.test(server.stderr())) await new Promise((next) => server.child.stderr.once('data', next));
      const password = passwordLine.exec(server.stderr())?.[1];
      expect(server.stdout()).not.toContain(password!);
      const ask = (path: string, headers: Record<string, string> = {}, body?: string) =>
        new Promise<{ status: number; location?: string; text: string }>((done, fail) => {
          const req = httpsRequest(
            { host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET', servername: 'shop.test', ca: pems.cert, headers: { host: `shop.test:${port}`, ...headers } },
            (res) => {
              let text = '';
              res.on('data', (c: Buffer) => (text += String(c)));
              res.on('end', () => done({ status: res.statusCode ?? 0, ...(res.headers.location ? { location: res.headers.location } : {}), text }));
            },
          );
          req.on('error', fail);
          req.end(body);
        });
      // The studio: only after signing in.
      const page = await ask('/');
      expect(page.status).toBe(303);
      expect(page.location).toBe('/signin');
      // The chat API: its own key, no sign-in.
      const chat = await ask(`/api/v1/bots/${SERVED_BOT}/conversations/tls-1/messages`, { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' }, JSON.stringify({ text: 'hi', messageId: 'tls-1-1' }));
      expect(chat.status, chat.text).toBe(200);
      const refused = await ask(`/api/v1/bots/${SERVED_BOT}/conversations/tls-1/messages`, { authorization: 'Bearer wrong', 'content-type': 'application/json' }, JSON.stringify({ text: 'hi' }));
      expect(refused.status).toBe(401);
      // Another name for this machine reaches nothing (DNS rebinding).
      expect((await ask('/', { host: `evil.test:${port}` })).status).toBe(403);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      rmSync(tlsDir, { recursive: true, force: true });
    }
  });

  it('--check on a broken data folder lists every problem with its file, bot and field', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'flowbot-serve-broken-'));
    const { dataDir } = await writeServedDataDir(broken, llm.url, {
      bots: {
        [SERVED_BOT]: JSON.parse(readFileSync(join(served.dataDir, 'settings.json'), 'utf8')).bots[SERVED_BOT],
        other: { name: 'Other', workspace: { mcpServers: { files: { command: 'node', args: ['files.js'], env: { TOKEN: { secret: 'api-key' } } } } } },
        third: { name: 'Third' },
      },
      whatsapp: { [SERVED_BOT]: { flowId: 'bad' }, other: { flowId: 'gone' }, third: { paused: 'yes' } },
      serve: { [SERVED_BOT]: { alwaysOn: true }, other: { alwaysOn: true }, third: { alwaysOn: true }, ghost: { alwaysOn: true } },
    });
    // A valid flow file whose tool step names a server the bot does not have.
    const flow = JSON.parse(readFileSync(resolve('flows/support-ticket.flow.json'), 'utf8'));
    flow.id = 'bad';
    flow.nodes.find((n: { id: string }) => n.id === 'lookup').data.server = 'nowhere';
    writeFileSync(join(dataDir, 'flows', 'bad.flow.json'), JSON.stringify(flow));

    const settings = join(dataDir, 'settings.json');
    const check = serve(['--data-dir', dataDir, '--check', '--json']);
    expect((await check.exited).code).toBe(1);
    const report = JSON.parse(check.stdout()) as { ok: boolean; bots: string[]; problems: Record<string, string>[] };
    expect(report.ok).toBe(false);
    expect(report.bots).toEqual([SERVED_BOT, 'other', 'third']);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: settings, bot: 'ghost', field: 'serve.ghost.alwaysOn', message: 'the bot "ghost" is switched on, but there is no such bot' }),
        expect.objectContaining({ file: join(dataDir, 'flows', 'bad.flow.json'), bot: SERVED_BOT, field: 'lookup', message: expect.stringContaining('nowhere') }),
        expect.objectContaining({ file: settings, bot: 'other', field: 'whatsapp.other.flowId', message: 'the flow "gone" that answers on WhatsApp does not exist' }),
        expect.objectContaining({ file: settings, bot: 'other', field: 'bots.other.workspace.mcpServers.files', message: expect.stringContaining('is not approved for this bot') }),
        expect.objectContaining({ file: join(dataDir, 'secrets.enc'), bot: 'other', field: 'mcpServers.files.env.TOKEN', message: 'the secret "api-key" (scope "files") is not set' }),
        expect.objectContaining({ file: settings, bot: 'third', field: 'whatsapp.third', message: expect.stringContaining('whatsapp.third.paused') }),
      ]),
    );
    expect(report.problems, JSON.stringify(report.problems, null, 1)).toHaveLength(7); // the unknown server is two problems of the step: no such server, and so not known to only read

    // Without the key the secrets cannot be checked: that is one more problem, the others stay listed.
    const keyless = serve(['--data-dir', dataDir, '--check'], {});
    expect((await keyless.exited).code).toBe(1);
    expect(keyless.stdout()).toContain(`${join(dataDir, 'secrets.enc')}: No master key for the encrypted secrets`);
    expect(keyless.stdout()).toContain(`${settings}: bot "other": whatsapp.other.flowId: the flow "gone" that answers on WhatsApp does not exist`);
    expect(keyless.stdout()).toContain('7 problems found.');
    rmSync(broken, { recursive: true, force: true });
  });
});
