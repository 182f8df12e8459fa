// The desktop app's main process runs on Electron's own Node, not the Node that ran `npm
// install` (whose ABI native addons like better-sqlite3 are built for). Electron cannot run
// here, so a Node of another major stands in for it: Node 22 from the npm registry
// (scripts/node22.sh). Under it: a conversation through the CLI, the studio's composition root
// (keychain, store, approvals, WhatsApp), and the store tests; every native addon those
// processes load is recorded, and must be ABI-independent (N-API).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src-main/adapters/store/sqlite-store';
import { openWhatsAppStore } from '../../src-main/adapters/whatsapp/whatsapp-store';
import { createKeytarSecrets } from '../../src-main/adapters/secrets/keytar-secrets';
import { loadAuditKey } from '../../src-main/app/audit-key';
import { SECRETS_SERVICE } from '../../src-main/core/secret-account';
import { CRM_SERVER_SCRIPT } from '../support/crm-workspace';
import { BIN, requireTestKeyring, run, type Ran } from '../support/keychain';

requireTestKeyring();

const RECORDER = resolve('test/support/record-native-addons.mjs');
const STUDIO_CALLS = resolve('test/fixtures/studio-calls.ts');
/** Addons built on N-API, which load in any Node (and Electron): keytar; sharp (baileys, media only). */
const N_API_ADDONS = [/node_modules\/keytar\/build\/Release\/keytar\.node$/, /node_modules\/@img\/sharp-[\w-]+\/lib\/sharp-[\w.-]+\.node$/];

const keytar = createRequire(import.meta.url)('keytar') as { getPassword(s: string, a: string): Promise<string | null>; deletePassword(s: string, a: string): Promise<boolean> };
const tag = randomBytes(4).toString('hex');
const CUSTOMER = '31611111111@s.whatsapp.net';
const secretAccount = `bot/default/llm/node22-${tag}`;
let node22: string;
let dir: string;
let dataDir: string;
let runs = 0;
/** Each test starts whole processes under Node 22 (a vitest run in the last one): minutes on a busy machine. */
const SPAWNS = { timeout: 300_000 };

beforeAll(() => {
  // Installs it into .cache/node22 on the first run (a download from the npm registry).
  node22 = execFileSync('bash', ['scripts/node22.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  dir = mkdtempSync(join(tmpdir(), 'flowbot-node22-'));
  dataDir = join(dir, 'data');
}, 300_000);
afterAll(async () => {
  await keytar.deletePassword(SECRETS_SERVICE, secretAccount);
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `args` under Node 22 (tsx for TypeScript), recording the native addons it loads. */
async function underNode22(args: string[], input = ''): Promise<Ran & { addons: string[] }> {
  const addonLog = join(dir, `addons-${++runs}.log`);
  const env: NodeJS.ProcessEnv = { ...process.env, FLOWBOT_ADDON_LOG: addonLog, NO_COLOR: '1' };
  for (const name of Object.keys(env)) if (name.startsWith('VITEST')) delete env[name]; // a vitest of its own
  delete env.FORCE_COLOR;
  const ran = await run(node22, ['--import', RECORDER, '--import', 'tsx', ...args], { env, input, timeoutMs: 280_000 });
  const addons = existsSync(addonLog) ? readFileSync(addonLog, 'utf8').split('\n').filter(Boolean) : [];
  return { ...ran, addons };
}

/** The addons that are not N-API (they would need a build for this Node's ABI). */
const abiBound = (addons: string[]) => addons.map((a) => relative(process.cwd(), a)).filter((a) => !N_API_ADDONS.some((re) => re.test(a)));

describe('under Node 22 (another Node than the one that installed node_modules)', () => {
  it('is a Node 22 that has node:sqlite without a flag', () => {
    const version = execFileSync(node22, ['--version'], { encoding: 'utf8' }).trim();
    const [major, minor] = version.slice(1).split('.').map(Number) as [number, number];
    expect(major).toBe(22);
    expect(minor).toBeGreaterThanOrEqual(13);
  });

  it('runs a conversation through the CLI: store, MCP tool and audit log; Node 20 reads what it wrote', SPAWNS, async () => {
    const config = join(dir, 'workspace.json');
    writeFileSync(config, JSON.stringify({
      mcpServers: { crm: { command: node22, args: [CRM_SERVER_SCRIPT], env: { CRM_DATA_DIR: join(dir, 'crm') }, tools: { get_order_status: 'read' }, sandbox: { folders: [{ path: join(dir, 'crm'), access: 'write' }] } } },
    }));
    const chat = await underNode22([BIN, 'chat', 'flows/order-status.flow.json', '--config', config, '--data-dir', dataDir, '--json'], 'A100\n');
    expect(chat.code, chat.stderr).toBe(0);
    expect(chat.stderr).not.toMatch(/ExperimentalWarning|compiled against a different Node\.js version/);
    const events = chat.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; text?: string; conversationId: string });
    expect(events.filter((e) => e.type === 'bot_message').map((e) => e.text)).toEqual([
      'Hello! I can tell you where your order is.',
      'What is your order number? (for example A100)',
      'Order A100 is shipped.',
      'Anything else? Just write again.',
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'end', status: 'ended' });
    expect(abiBound(chat.addons)).toEqual([]);

    // The same file through the other driver (vitest's Node: better-sqlite3), as the CLI and
    // the desktop app share one data folder.
    // The audit chain is keyed with the key the Node 22 CLI made in the keychain.
    const { key } = await loadAuditKey(createKeytarSecrets(), { create: false });
    expect(key).toBeDefined();
    const store = openStore(dataDir, { create: false, auditKey: key! });
    try {
      const conversationId = events[0]!.conversationId;
      expect(store.getConversation(conversationId)?.state.status).toBe('ended');
      expect(store.transcript(conversationId, 10).map((m) => m.text)).toContain('A100');
      expect(store.listAudit()).toEqual([expect.objectContaining({ seq: 1, tool: 'get_order_status', status: 'executed', args: { orderId: 'A100' } })]);
      expect(store.verifyAudit()).toEqual({ ok: true, count: 1, keyedFrom: 1 });
    } finally {
      store.close();
    }
  });

  it("builds the studio's composition root: keychain, store, approvals and WhatsApp store", SPAWNS, async () => {
    // A record written by vitest's Node (better-sqlite3), for the studio under Node 22 to read.
    const studioData = join(dir, 'studio-data');
    const store = openStore(studioData);
    store.appendAudit({
      time: 1000, bot: 'default', conversationId: 'c1', flowId: 'orders', nodeId: 'lookup', server: 'crm', tool: 'get_order_status',
      args: { orderId: 'A100' }, status: 'executed', result: { status: 'shipped' }, durationMs: 3, confirmationId: null,
    });
    store.close();
    const whatsappStore = openWhatsAppStore(studioData);
    whatsappStore.setTakenOver('default', CUSTOMER, false, 1000);
    whatsappStore.close();
    const calls = [
      ['secrets.set', { scope: 'llm', name: `node22-${tag}`, value: `secret-${tag}` }],
      ['secrets.status', { secrets: [{ scope: 'llm', name: `node22-${tag}` }] }],
      ['bots.create', { name: `Node22 ${tag}` }],
      ['bots.delete', { id: `node22-${tag}` }],
      ['flows.create', { name: 'Cake orders', templateId: 'order-status' }],
      ['audit.verify', {}],
      ['audit.list', {}],
      ['whatsapp.status', {}],
      ['whatsapp.takeOver', { jid: CUSTOMER }],
    ];
    const studio = await underNode22([STUDIO_CALLS, studioData, JSON.stringify(calls)]);
    expect(studio.code, studio.stderr).toBe(0);
    const [set, status, created, deleted, flow, verified, listed, whatsapp, takenOver] = JSON.parse(studio.stdout) as { ok: boolean; output: Record<string, unknown> }[];
    expect(set).toEqual({ ok: true, output: { stored: true } });
    expect(status).toMatchObject({ ok: true, output: { keychain: { available: true }, secrets: [expect.objectContaining({ name: `node22-${tag}`, present: true })] } });
    expect(created).toMatchObject({ ok: true });
    expect(deleted).toMatchObject({ ok: true, output: { deleted: `node22-${tag}` } });
    expect(flow).toMatchObject({ ok: true, output: { name: 'Cake orders' } });
    expect(verified).toEqual({ ok: true, output: { ok: true, count: 1 } });
    expect(listed).toMatchObject({ ok: true, output: { total: 1, records: [{ seq: 1, bot: 'default', tool: 'get_order_status' }] } });
    expect(whatsapp).toMatchObject({ ok: true, output: { linked: false } });
    expect(takenOver).toMatchObject({ ok: true, output: { jid: CUSTOMER, takenOver: true } });
    const readBack = openWhatsAppStore(studioData);
    expect(readBack.customer('default', CUSTOMER)?.takenOver).toBe(true);
    readBack.close();
    expect(abiBound(studio.addons)).toEqual([]);
    expect(studio.addons.some((a) => a.endsWith('keytar.node'))).toBe(true);
    // Really in the OS keychain: read back from this (other) Node.
    expect(await keytar.getPassword(SECRETS_SERVICE, secretAccount)).toBe(`secret-${tag}`);
  });

  it('passes the store tests on the built-in node:sqlite', SPAWNS, async () => {
    const files = ['test/integration/sqlite-driver.test.ts', 'test/integration/sqlite-store.test.ts', 'test/integration/audit-store.test.ts'];
    const vitest = await underNode22(['node_modules/vitest/vitest.mjs', 'run', '--reporter=verbose', ...files]);
    expect(vitest.code, `${vitest.stdout}\n${vitest.stderr}`).toBe(0);
    expect(vitest.stdout).toMatch(/SQLite driver \(node:sqlite on Node 22\.\d+\.\d+\)/);
    expect(vitest.stdout).toMatch(/Test Files {2}3 passed \(3\)/);
  });
});
