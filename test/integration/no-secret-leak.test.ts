// No secret is ever written down: a keychain secret and an {env} value reach the MCP server
// that declares them, and then appear nowhere else — not in the data dir (the raw bytes of
// every file: SQLite database, -wal, -shm), not in the config, not in the CLI's output, not
// in the audit log, not in what the server printed on stderr. The server here is careless on
// purpose: it prints its token on stderr, returns it as a tool result, and crashes quoting it.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src-main/shared/run-event';
import { WorkspaceConfigSchema } from '../../src-main/shared/workspace-config';
import { secretAccount } from '../../src-main/core/secret-account';
import { createKeytarSecrets } from '../../src-main/adapters/secrets/keytar-secrets';
import { openWorkspace } from '../../src-main/app/workspace';
import { edge, flow, flowText, line, n } from '../unit/flow-builders';
import { filesUnder, findLeaks, flowbot, requireTestKeyring, type Ran } from '../support/keychain';

requireTestKeyring();

const SERVER = resolve('test/fixtures/mcp-servers/keychain-env-to-file.js');
const tag = randomBytes(4).toString('hex');
const BOT = `leakbot-${tag}`;
/** "+", "/" and "=" make the URL-encoded and JSON forms differ from the plain one. */
const SECRET = `tok_${randomBytes(15).toString('base64')}+/=`;
const ENV_SECRET = `env_${randomBytes(15).toString('hex')}`;
const secrets = createKeytarSecrets();

let root: string;
let dirs: { config: string; data: string; home: string; proof: string; xdg: string };
let configPath: string;
let cliEnv: NodeJS.ProcessEnv;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'flowbot-leak-'));
  dirs = { config: join(root, 'config'), data: join(root, 'data'), home: join(root, 'home'), proof: join(root, 'proof'), xdg: join(root, 'xdg') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  configPath = join(dirs.config, 'workspace.json');
  writeFileSync(configPath, JSON.stringify({
    mcpServers: {
      leaky: {
        command: process.execPath,
        args: [SERVER],
        env: { API_TOKEN: { secret: 'api-token' }, EXTRA: { env: 'FLOWBOT_LEAK_ENV' }, ENV_DUMP_FILE: join(dirs.proof, 'server-env.json') },
        tools: { show_token: 'read', echo: 'read', crash: 'read' },
        // It dumps its environment into the proof folder (the sandbox hides the rest of /tmp).
        sandbox: { folders: [{ path: dirs.proof, access: 'write' }] },
      },
    },
  }, null, 2));
  // The CLI gets its own home and XDG folders, so anything it might write there is searched too.
  cliEnv = {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: join(dirs.xdg, 'config'),
    XDG_DATA_HOME: join(dirs.xdg, 'data'),
    XDG_STATE_HOME: join(dirs.xdg, 'state'),
    XDG_CACHE_HOME: join(dirs.xdg, 'cache'),
    FLOWBOT_LEAK_ENV: ENV_SECRET,
  };
});
afterAll(async () => {
  await secrets.delete(secretAccount({ bot: BOT, scope: 'leaky', name: 'api-token' }));
});

/** Everything that must not contain a secret: every file except the server's own proof files. */
const searched = () => [...filesUnder(dirs.config), ...filesUnder(dirs.data), ...filesUnder(dirs.home), ...filesUnder(dirs.xdg)];

describe('no secret leaks', () => {
  const outputs: Record<string, Ran> = {};

  it('a careless server gets its secrets, and nothing else ever shows them', async () => {
    outputs.set = await flowbot(['secrets', 'set', 'api-token', '--scope', 'leaky', '--bot', BOT, '--data-dir', dirs.data], { env: cliEnv, input: `${SECRET}\n` });
    expect(outputs.set.code).toBe(0);

    const flowPath = join(root, 'leaky.flow.json'); // the flow (written by the owner) holds no secret either
    writeFileSync(flowPath, flowText(flow(
      [
        n.start(),
        n.tool('show', { server: 'leaky', tool: 'show_token', saveAs: 'shown' }),
        n.tool('echo', { server: 'leaky', tool: 'echo', args: { text: 'server said {{shown}}' }, saveAs: 'echoed' }),
        n.message('tell', 'Echo: {{echoed.echoed}}'),
        n.tool('crash', { server: 'leaky', tool: 'crash' }),
        n.message('recovered', 'The server failed; we carry on.'),
        n.end('done', 'Bye.'),
      ],
      [...line('start', 'show', 'echo', 'tell', 'crash', 'done'), edge('crash', 'error', 'recovered'), edge('recovered', 'next', 'done')],
      { id: 'leaky' },
    )));
    outputs.chat = await flowbot(['chat', flowPath, '--config', configPath, '--bot', BOT, '--data-dir', dirs.data, '--json'], { env: cliEnv });
    expect(outputs.chat.code, outputs.chat.stderr).toBe(0);
    const events = outputs.chat.stdout.trim().split('\n').map((l) => JSON.parse(l) as RunEvent);

    // The secrets did reach the server, through its declared env only.
    const serverEnv = JSON.parse(readFileSync(join(dirs.proof, 'server-env.json'), 'utf8')) as Record<string, string>;
    expect(serverEnv.API_TOKEN).toBe(SECRET);
    expect(serverEnv.EXTRA).toBe(ENV_SECRET);
    expect(serverEnv.FLOWBOT_LEAK_ENV).toBeUndefined();

    // What the server leaked is masked before the conversation, the events or the audit see it.
    const calls = events.flatMap((e) => (e.type === 'tool_call' ? [e] : []));
    expect(calls.map((c) => `${c.tool}:${c.status}`)).toEqual(['show_token:executed', 'echo:executed', 'crash:error']);
    expect(calls[0]!.result).toBe('token: [secret]');
    expect(calls[1]!.args).toEqual({ text: 'server said token: [secret]' });
    expect(events.filter((e) => e.type === 'bot_message').map((e) => e.text)).toEqual([
      'Echo: server said token: [secret]',
      'The server failed; we carry on.',
      'Bye.',
    ]);

    outputs.audit = await flowbot(['audit', 'list', '--json', '--data-dir', dirs.data], { env: cliEnv });
    outputs.auditText = await flowbot(['audit', 'list', '--data-dir', dirs.data], { env: cliEnv });
    outputs.verify = await flowbot(['audit', 'verify', '--data-dir', dirs.data], { env: cliEnv });
    expect(outputs.verify.code).toBe(0);
    const records = (JSON.parse(outputs.audit.stdout) as { records: { tool: string; args: unknown; result?: unknown; reason?: string }[] }).records;
    expect(records.map((r) => r.tool)).toEqual(['show_token', 'echo', 'crash']);
    expect(records[0]!.result).toBe('token: [secret]');
    // The crash is explained with the server's stderr, which quoted the token: masked.
    expect(records[2]!.reason).toContain('API_TOKEN=[secret]');

    const files = searched();
    // The search does find a secret where one is: the server's own dump of its environment.
    expect(findLeaks([SECRET, ENV_SECRET], { files: filesUnder(dirs.proof) })).toHaveLength(2);
    expect(files.map((f) => f.path)).toContainEqual(expect.stringMatching(/flowbot\.db$/));
    const texts = Object.fromEntries(Object.entries(outputs).flatMap(([k, o]) => [[`${k} stdout`, o.stdout], [`${k} stderr`, o.stderr]]));
    expect(findLeaks([SECRET, ENV_SECRET], { files, texts })).toEqual([]);
  });

  it('a tool called with a secret as an argument is audited and reported masked', async () => {
    const config = WorkspaceConfigSchema.parse(JSON.parse(readFileSync(configPath, 'utf8')));
    const dataDir = join(root, 'data-in-process');
    const previous = process.env.FLOWBOT_LEAK_ENV;
    process.env.FLOWBOT_LEAK_ENV = ENV_SECRET;
    const workspace = await openWorkspace({ config, bot: BOT, configPath, dataDir });
    const events: RunEvent[] = [];
    try {
      // The secret as an argument: here the test puts it into the flow itself.
      const f = flow(
        [n.start(), n.tool('echo', { server: 'leaky', tool: 'echo', args: { text: `key=${SECRET}; env=${ENV_SECRET}` }, saveAs: 'r' }), n.end('done')],
        line('start', 'echo', 'done'),
        { id: 'arg-secret' },
      );
      const state = await workspace.runner(f, 'test', { onEvent: (e) => events.push(e) }).start({ id: 'c1' });
      expect(state.status).toBe('ended');

      // The server got the real value...
      const received = readFileSync(join(dirs.proof, 'server-env.json.calls'), 'utf8');
      expect(received).toContain(JSON.stringify({ text: `key=${SECRET}; env=${ENV_SECRET}` }));
      // ...the audit log and the event show it masked.
      const [record] = await workspace.store.listAudit({ conversationId: state.conversationId });
      expect(record).toMatchObject({ status: 'executed', args: { text: 'key=[secret]; env=[secret]' }, result: { echoed: 'key=[secret]; env=[secret]' } });
      expect(events).toContainEqual(expect.objectContaining({ type: 'tool_call', args: { text: 'key=[secret]; env=[secret]' }, result: { echoed: 'key=[secret]; env=[secret]' } }));
      expect(await workspace.store.verifyAudit()).toMatchObject({ ok: true });
      expect(findLeaks([SECRET, ENV_SECRET], { texts: { audit: JSON.stringify(await workspace.store.listAudit()), events: JSON.stringify(events) } })).toEqual([]);
    } finally {
      await workspace.close();
      if (previous === undefined) delete process.env.FLOWBOT_LEAK_ENV;
      else process.env.FLOWBOT_LEAK_ENV = previous;
    }
  });
});
