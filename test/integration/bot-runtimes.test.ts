// createBotRuntimes: the seam the channels use (bot-runtime-port.ts), on a real data folder
// (SQLite, the example CRM over MCP, the encrypted secrets file), and the Always on switch.
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotRuntimes, chosenFlowFromSettings, BotNotRunningError, type ServedBots } from '../../src-main/app/bot-runtimes';
import { FlowCannotAnswerError } from '../../src-main/app/answering-flow';
import { createServeHandlers } from '../../src-main/app/settings/serve-handlers';
import { createFlowRepository } from '../../src-main/adapters/flow-files/flow-repository';
import { createEncryptedFileSecrets } from '../../src-main/adapters/secrets/encrypted-file-secrets';
import { createServeSettingsStore } from '../../src-main/adapters/settings/serve-settings';
import { createSettingsStore } from '../../src-main/adapters/settings/settings-store';
import { createWhatsAppSettingsStore } from '../../src-main/adapters/settings/whatsapp-settings';
import { createHttpChatSettingsStore } from '../../src-main/adapters/settings/http-chat-settings';
import { MASTER_KEY, SERVED_BOT, SERVE_FLOW, writeServedDataDir } from '../support/serve-data-dir';

let dir: string;
let dataDir: string;
let runtimes: ServedBots;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-runtimes-'));
  ({ dataDir } = await writeServedDataDir(dir, 'http://127.0.0.1:9', {}));
  const settings = createSettingsStore({ dataDir });
  settings.createBot('Off bot');
  const serve = createServeSettingsStore({ dataDir });
  runtimes = createBotRuntimes({
    dataDir,
    secrets: createEncryptedFileSecrets({ file: join(dataDir, 'secrets.enc'), masterKey: MASTER_KEY }),
    settings,
    flows: createFlowRepository({ dir: join(dataDir, 'flows'), trashDir: join(dataDir, 'trash') }),
    runs: (bot) => serve.get(bot).alwaysOn,
    chosenFlow: chosenFlowFromSettings({ whatsapp: createWhatsAppSettingsStore({ dataDir }), http: createHttpChatSettingsStore({ dataDir }) }),
  });
});
afterAll(async () => {
  await runtimes.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('bot runtimes', () => {
  it('opens a switched-on bot on first use, with the flow chosen per channel checked against its servers', async () => {
    expect(runtimes.list()).toEqual([SERVED_BOT]);
    const runtime = await runtimes.get(SERVED_BOT);
    expect(runtime?.bot).toBe(SERVED_BOT);
    const flow = await runtime!.answeringFlow('whatsapp');
    expect(flow).toMatchObject({ flow: { id: SERVE_FLOW }, source: join(dataDir, 'flows', `${SERVE_FLOW}.flow.json`) });
    // The HTTP chat answers with the WhatsApp flow until it has its own.
    expect((await runtime!.answeringFlow('http'))?.flow.id).toBe(SERVE_FLOW);
  });

  it('gives nothing for a bot that is not switched on (or does not exist), and says why when its workspace is asked for', async () => {
    expect(await runtimes.get('off-bot')).toBeUndefined();
    expect(await runtimes.get('nobody')).toBeUndefined();
    await expect(runtimes.workspace('off-bot')).rejects.toThrow(BotNotRunningError);
  });

  it('refuses a chosen flow that cannot answer, listing why (a tool step whose server is unknown)', async () => {
    const flow = JSON.parse(readFileSync(join(dataDir, 'flows', `${SERVE_FLOW}.flow.json`), 'utf8'));
    flow.id = 'bad';
    flow.nodes.find((n: { id: string }) => n.id === 'lookup').data.server = 'nowhere';
    writeFileSync(join(dataDir, 'flows', 'bad.flow.json'), JSON.stringify(flow));
    createHttpChatSettingsStore({ dataDir }).update(SERVED_BOT, { flowId: 'bad' });
    const runtime = await runtimes.get(SERVED_BOT);
    const refused = await runtime!.answeringFlow('http').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(FlowCannotAnswerError);
    expect((refused as FlowCannotAnswerError).message).toMatch(/^“Support ticket” cannot answer on the HTTP chat until these 2 problems are fixed:\n• The step "Look up the customer" uses the tool search_customers on the server "nowhere"/);
    expect((await runtime!.answeringFlow('whatsapp'))?.flow.id).toBe(SERVE_FLOW);
    createHttpChatSettingsStore({ dataDir }).replace(SERVED_BOT, { widget: false });
  });

  it('the Always on switch: listed per bot, saved, unknown bots refused', async () => {
    const handlers = createServeHandlers({ settings: createSettingsStore({ dataDir }), serve: createServeSettingsStore({ dataDir }) });
    expect(await handlers['serve.bots']({})).toEqual({ bots: [{ id: SERVED_BOT, alwaysOn: true }, { id: 'off-bot', alwaysOn: false }] });
    expect(await handlers['serve.setAlwaysOn']({ id: 'off-bot', alwaysOn: true })).toEqual({ id: 'off-bot', alwaysOn: true });
    expect(runtimes.list()).toEqual([SERVED_BOT, 'off-bot']);
    expect(() => handlers['serve.setAlwaysOn']({ id: 'nobody', alwaysOn: true })).toThrow('There is no bot "nobody".');
    expect(createServeSettingsStore({ dataDir }).switchedOn()).toEqual([SERVED_BOT, 'off-bot']);
  });
});
