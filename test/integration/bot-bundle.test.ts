// A bot moves from one data dir to another (issue 16, item 4): exported from the "desktop",
// imported on the "server" (the encrypted secrets file there, no keychain), it runs the example
// CRM's order-status flow with the same tool pins, once the owner consented to the server's
// command line there. The bundle file holds no secret value; a changed or damaged bundle is
// refused naming the field; an existing bot is never replaced silently.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlowRepository } from '../../src-main/adapters/flow-files/flow-repository';
import { createSettingsStore } from '../../src-main/adapters/settings/settings-store';
import { createWhatsAppSettingsStore } from '../../src-main/adapters/settings/whatsapp-settings';
import { createEncryptedFileSecrets } from '../../src-main/adapters/secrets/encrypted-file-secrets';
import { openApprovalsStore } from '../../src-main/adapters/store/approvals-store';
import { createCaseRepository } from '../../src-main/adapters/test-case-files/test-case-files';
import { BundleError, exportBot, importBot, previewImport, type BotBundleDeps } from '../../src-main/app/bot-bundles';
import { openWorkspace } from '../../src-main/app/workspace';
import { botCommand } from '../../src-main/cli/commands/bot';
import { bundleChecksum } from '../../src-main/core/bot-bundle';
import { secretAccount } from '../../src-main/core/secret-account';
import { parseFlowText } from '../../src-main/core/parse-flow';
import type { RunEvent } from '../../src-main/shared/run-event';
import { formatConsentText } from '../../src-main/shared/consent-texts';
import type { WorkspaceConfig } from '../../src-main/shared/workspace-config';
import { crmServer } from '../support/crm-workspace';

const BOT = 'shop';
const CRM_TOKEN = 'crm-token-value-7f3a9c1e55';
const LLM_KEY = 'sk-llm-key-value-0b8d2e6f41';
const MASTER_KEY = 'a-master-key-of-at-least-32-characters-long';

let root: string;

interface Side {
  dataDir: string;
  deps: BotBundleDeps;
  secrets: ReturnType<typeof createEncryptedFileSecrets>;
}

function side(name: string): Side {
  const dataDir = join(root, name);
  const flowsDir = join(dataDir, 'flows');
  mkdirSync(flowsDir, { recursive: true });
  const secrets = createEncryptedFileSecrets({ file: join(dataDir, 'secrets.enc'), masterKey: MASTER_KEY });
  return {
    dataDir,
    secrets,
    deps: {
      settings: createSettingsStore({ dataDir }),
      whatsapp: createWhatsAppSettingsStore({ dataDir }),
      flows: createFlowRepository({ dir: flowsDir, trashDir: join(dataDir, 'trash') }),
      cases: createCaseRepository({ flowsDir }),
      withApprovals: async (work) => {
        const approvals = openApprovalsStore(dataDir);
        try {
          return await work(approvals);
        } finally {
          approvals.close();
        }
      },
      secrets,
    },
  };
}

const orderStatusText = readFileSync(resolve('flows/order-status.flow.json'), 'utf8');
const orderStatus = parseFlowText(orderStatusText, 'order-status.flow.json').flow!;

/** Runs the order-status flow for order A100 in the bot's workspace; returns what the bot said. */
async function askForA100(s: Side, consent: 'ask' | 'config-approves'): Promise<string[]> {
  const config = s.deps.settings.workspace(BOT);
  const ws = await openWorkspace({ bot: BOT, config, dataDir: s.dataDir, secrets: s.secrets, consent });
  try {
    if (consent === 'ask') {
      expect((await ws.mcp.consent('crm')).state).toBe('new'); // the import never carries a consent
      await ws.mcp.approveServer('crm'); // the owner approves the command line on this machine
    }
    const said: RunEvent[] = [];
    const runner = ws.runner(orderStatus, 'order-status', { onEvent: (e) => said.push(e) });
    const state = await runner.start({ id: 'customer-1' });
    await runner.receive(state.conversationId, 'A100');
    return said.flatMap((e) => (e.type === 'bot_message' ? [(e as { text: string }).text] : []));
  } finally {
    await ws.close();
  }
}

const pinsOf = (s: Side) => s.deps.withApprovals(async (a) => (await a.toolPins(BOT, 'crm')).map(({ tool, definitionHash, parts }) => ({ tool, definitionHash, parts })));

let desktop: Side;
let bundleText: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'flowbot-bundle-'));
  desktop = side('desktop');
  const config: WorkspaceConfig = {
    llm: { provider: 'ollama', host: 'http://127.0.0.1:9', model: 'qwen3:4b', apiKey: { secret: 'LLM_KEY' } },
    mcpServers: { crm: { ...crmServer(join(root, 'desktop'), { get_order_status: 'read' }), env: { CRM_DATA_DIR: join(root, 'crm-data'), CRM_TOKEN: { secret: 'CRM_TOKEN' } } } },
    language: 'en',
  };
  desktop.deps.settings.createBot('Shop bot', { id: BOT });
  desktop.deps.settings.saveWorkspace(BOT, config);
  desktop.deps.whatsapp.update(BOT, { flowId: 'order-status', groupsEnabled: true });
  await desktop.secrets.set(secretAccount({ bot: BOT, scope: 'crm', name: 'CRM_TOKEN' }), CRM_TOKEN);
  await desktop.secrets.set(secretAccount({ bot: BOT, scope: 'llm', name: 'LLM_KEY' }), LLM_KEY);
  await desktop.deps.flows.createUnique(orderStatus, 'order-status');
  await desktop.deps.cases.save('order-status', { schemaVersion: 1, name: 'Shipped order', flowId: 'order-status', turns: [{ customer: 'A100' }] });
  // The desktop runs the flow once: the CLI-style consent pins the classified tool.
  expect(await askForA100(desktop, 'config-approves')).toContain('Order A100 is shipped.');
  bundleText = (await exportBot(desktop.deps, BOT)).text;
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a bot bundle', () => {
  it('carries the settings, flows, test cases and pins, and never a secret value', () => {
    const bundle = JSON.parse(bundleText);
    expect(bundle).toMatchObject({ format: 'flowbot-bot-bundle', version: 1, bot: { id: BOT, name: 'Shop bot' } });
    expect(bundle.flows.map((f: { id: string }) => f.id)).toEqual(['order-status']);
    expect(bundle.testCases).toHaveLength(1);
    expect(bundle.channels.whatsapp).toMatchObject({ flowId: 'order-status', groupsEnabled: true });
    expect(bundle.toolPins.crm.map((p: { tool: string }) => p.tool)).toEqual(['get_order_status']);
    expect(bundle.secrets).toEqual(
      expect.arrayContaining([
        { scope: 'crm', name: 'CRM_TOKEN', field: 'mcpServers.crm.env.CRM_TOKEN' },
        { scope: 'llm', name: 'LLM_KEY', field: 'llm.apiKey' },
      ]),
    );
    for (const value of [CRM_TOKEN, LLM_KEY, MASTER_KEY]) expect(bundleText).not.toContain(value);
  });

  it('moves to another data dir and runs there with the same tool pins once the owner consents to the server', async () => {
    const server = side('server');
    const preview = await previewImport(server.deps, bundleText);
    expect(preview.secrets.map((s) => [s.name, s.present])).toEqual(expect.arrayContaining([['CRM_TOKEN', false], ['LLM_KEY', false]]));
    expect(preview.servers).toEqual([{ name: 'crm', transport: 'stdio', command: expect.stringContaining('crm-server/index.js'), commandText: expect.any(Object) }]);
    expect(formatConsentText(preview.servers[0]!.commandText!, 'en')).toBe(preview.servers[0]!.command);
    expect(formatConsentText(preview.servers[0]!.commandText!, 'pt-BR')).toContain('[permissões da sandbox: ler e gravar ');

    const result = await importBot(server.deps, bundleText, { keepToolPins: true });
    expect(result).toMatchObject({ bot: { id: BOT, name: 'Shop bot' }, serversNeedingConsent: ['crm'], toolPinsKept: true });
    expect(await pinsOf(server)).toEqual(await pinsOf(desktop));
    expect(server.deps.whatsapp.get(BOT)).toMatchObject({ flowId: 'order-status', groupsEnabled: true });
    expect((await server.deps.cases.list('order-status')).map((c) => c.kind)).toEqual(['case']);
    expect(await server.deps.withApprovals(async (a) => a.serverApproval(BOT, 'crm'))).toBeUndefined();

    await server.secrets.set(secretAccount({ bot: BOT, scope: 'crm', name: 'CRM_TOKEN' }), CRM_TOKEN);
    expect(await askForA100(server, 'ask')).toContain('Order A100 is shipped.');
    expect(await pinsOf(server)).toEqual(await pinsOf(desktop));
  }, 60_000);

  it('keeps no tool pins unless the owner says so', async () => {
    const server = side('server-no-pins');
    await importBot(server.deps, bundleText, { keepToolPins: false });
    expect(await pinsOf(server)).toEqual([]);
  });

  it('never replaces a bot silently; renames a clashing flow, with its WhatsApp setting and test cases', async () => {
    const server = side('server-clash');
    server.deps.settings.createBot('Other shop', { id: BOT });
    await server.deps.flows.createUnique({ ...orderStatus, name: 'Another order flow' }, 'order-status');
    await expect(importBot(server.deps, bundleText, { keepToolPins: false })).rejects.toThrow(/There is a bot "shop" here already; nothing was imported/);
    expect(server.deps.settings.workspace(BOT).mcpServers).toEqual({});

    const result = await importBot(server.deps, bundleText, { as: 'shop-2', keepToolPins: false });
    expect(result.flows).toEqual([{ id: 'order-status', name: 'Order status', importAs: 'order-status-2', outcome: 'renamed', testCases: 1 }]);
    expect(server.deps.whatsapp.get('shop-2').flowId).toBe('order-status-2');
    expect((await server.deps.cases.list('order-status-2')).map((c) => (c.kind === 'case' ? c.testCase.flowId : c.kind))).toEqual(['order-status-2']);
    expect((await server.deps.flows.read('order-status'))?.kind === 'flow' && (await server.deps.flows.read('order-status'))).toMatchObject({ flow: { name: 'Another order flow' } });

    const replaced = await importBot(server.deps, bundleText, { replace: true, keepToolPins: false });
    expect(replaced.target).toEqual({ id: BOT, exists: true });
    expect(server.deps.settings.bots().find((b) => b.id === BOT)?.name).toBe('Shop bot');
    // The earlier import's copy is this very flow: reused, not added a third time.
    expect(replaced.flows[0]).toMatchObject({ importAs: 'order-status-2', outcome: 'same' });
    expect(server.deps.whatsapp.get(BOT).flowId).toBe('order-status-2');
  });

  it('refuses a changed, damaged or newer bundle, naming the field, and writes nothing', async () => {
    const server = side('server-refuses');
    const bundle = JSON.parse(bundleText);
    const refused = async (text: string) => {
      const error = await importBot(server.deps, text, { keepToolPins: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BundleError);
      return error as BundleError;
    };
    // Tampered: the server's command changed, the checksum left as it was.
    const tampered = structuredClone(bundle);
    tampered.workspace.mcpServers.crm.command = '/bin/sh';
    expect((await refused(JSON.stringify(tampered))).problems).toEqual([expect.objectContaining({ field: 'checksum' })]);
    // Damaged: cut short.
    expect((await refused(bundleText.slice(0, 200))).message).toMatch(/not JSON \(line \d+, column \d+/);
    // A newer version.
    expect((await refused(JSON.stringify({ ...bundle, version: 2 }))).message).toMatch(/version: .* is bundle version 2; this Flowbot reads version 1 only: update Flowbot/);
    // A field of the wrong kind, checksum recomputed: the field is named.
    const wrong = structuredClone(bundle);
    wrong.workspace.llm.provider = 'skynet';
    wrong.checksum = bundleChecksum(wrong);
    expect((await refused(JSON.stringify(wrong))).problems[0]?.field).toBe('workspace.llm.provider');
    const badFlow = structuredClone(bundle);
    badFlow.flows[0].nodes[2].data.question = 42;
    badFlow.checksum = bundleChecksum(badFlow);
    expect((await refused(JSON.stringify(badFlow))).message).toMatch(/flows\[0\] \(step "ask-order"\)/);
    expect(server.deps.settings.bots().map((b) => b.id)).toEqual(['default']);
    expect(await server.deps.flows.list()).toEqual([]);
  });

  it('refuses to export a bot whose flow holds a secret value as plain text', async () => {
    const leaky = side('leaky');
    leaky.deps.settings.createBot('Leaky', { id: BOT });
    leaky.deps.settings.saveWorkspace(BOT, { mcpServers: { crm: { command: 'node', env: { CRM_TOKEN: { secret: 'CRM_TOKEN' } } } } });
    await leaky.secrets.set(secretAccount({ bot: BOT, scope: 'crm', name: 'CRM_TOKEN' }), CRM_TOKEN);
    await leaky.deps.flows.createUnique({ ...orderStatus, description: `token ${CRM_TOKEN}` }, 'order-status');
    await expect(exportBot(leaky.deps, BOT)).rejects.toThrow(/the value of the secret "CRM_TOKEN" \(mcpServers\.crm\.env\.CRM_TOKEN\) appears in the bot's flows or settings/);
  });

  it('`flowbot bot export` and `import` move the bot and print the command for each missing secret', async () => {
    const file = join(root, 'shop.flowbot-bot.json');
    const out: string[] = [];
    const deps = { secrets: desktop.secrets, out: (t: string) => out.push(t), err: (t: string) => out.push(t) };
    expect(await botCommand(['export', '--bot', BOT, '--out', file, '--data-dir', desktop.dataDir], deps)).toBe(0);
    for (const value of [CRM_TOKEN, LLM_KEY]) expect(readFileSync(file, 'utf8')).not.toContain(value);

    const target = side('cli-server');
    const printed: string[] = [];
    const targetDeps = { secrets: target.secrets, out: (t: string) => printed.push(t), err: (t: string) => printed.push(t) };
    expect(await botCommand(['import', file, '--as', 'shop-server', '--data-dir', target.dataDir], targetDeps)).toBe(0);
    const report = printed.join('');
    expect(report).toContain('Imported the bot "Shop bot" as "shop-server"');
    expect(report).toContain('flowbot secrets set CRM_TOKEN --scope crm --bot shop-server');
    expect(report).toContain('flowbot secrets set LLM_KEY --scope llm --bot shop-server');
    expect(report).toContain('approve each command line before it starts');
    expect(report).toContain('Tool approvals were not kept');

    printed.length = 0;
    expect(await botCommand(['import', file, '--as', 'shop-server', '--data-dir', target.dataDir], targetDeps)).toBe(1);
    expect(printed.join('')).toContain('There is a bot "shop-server" here already');

    const broken = join(root, 'broken.json');
    writeFileSync(broken, readFileSync(file, 'utf8').replace('"Shop bot"', '"Shop b0t"'));
    printed.length = 0;
    expect(await botCommand(['import', broken, '--as', 'other', '--data-dir', target.dataDir], targetDeps)).toBe(2);
    expect(printed.join('')).toContain('checksum:');
  });
});
