// A data folder as the studio leaves it, ready for `flowbot serve`: a bot "shop" switched on
// (Always on), the example CRM as its MCP server (approved and pinned, as the owner did in the
// studio), the scripted model, support-ticket as the flow that answers, and in the encrypted
// secrets file under MASTER_KEY a secret of the server and the bot's HTTP chat API key.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openWorkspace } from '../../src-main/app/workspace';
import { createEncryptedFileSecrets } from '../../src-main/adapters/secrets/encrypted-file-secrets';
import { secretAccount } from '../../src-main/core/secret-account';
import { WorkspaceConfigSchema, type ConfigValue } from '../../src-main/shared/workspace-config';
import { apiKeyAccount } from '../../src-main/app/http-chat/api-key';
import { crmServer } from './crm-workspace';

export const SERVED_BOT = 'shop';
export const MASTER_KEY = 'a test master key that is long enough, 40+';
export const SERVE_FLOW = 'support-ticket';
export const API_KEY = 'fbk_the-http-chat-key-of-the-shop-bot-in-this-test';

export interface ServedDataDir {
  dataDir: string;
  /** The CRM's data (crm.json) */
  crmDir: string;
}

/**
 * `extra` is merged into settings.json (e.g. more bots, or broken entries for --check).
 * `crmDataDir`: where the CRM keeps crm.json, as a config value (several instances: `{ env: NAME }`, one folder each),
 * and `crmFolders` the folders that value can name: granted to the CRM (its sandbox hides /tmp).
 */
export async function writeServedDataDir(dir: string, llmHost: string, extra: Record<string, unknown> = {}, crmDataDir?: ConfigValue, crmFolders?: string[]): Promise<ServedDataDir> {
  const dataDir = join(dir, 'data');
  const crmDir = join(dir, 'crm');
  mkdirSync(join(dataDir, 'flows'), { recursive: true });
  copyFileSync(resolve('flows', `${SERVE_FLOW}.flow.json`), join(dataDir, 'flows', `${SERVE_FLOW}.flow.json`));
  const config = WorkspaceConfigSchema.parse({
    llm: { provider: 'ollama', host: llmHost, model: 'qwen3:4b' },
    mcpServers: {
      crm: {
        ...crmServer(dir, { search_customers: 'read', get_order_status: 'read', create_ticket: 'write' }),
        env: { CRM_DATA_DIR: crmDataDir ?? crmDir, CRM_NOTE: { secret: 'crm-note' } },
        sandbox: { folders: (crmFolders ?? [crmDir]).map((path) => ({ path, access: 'write' as const })) },
      },
    },
  });
  const settings = {
    bots: { [SERVED_BOT]: { name: 'Shop', workspace: config } },
    activeBot: SERVED_BOT,
    whatsapp: { [SERVED_BOT]: { flowId: SERVE_FLOW } },
    serve: { [SERVED_BOT]: { alwaysOn: true } },
    ...extra,
  };
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(settings, null, 2));
  const secrets = createEncryptedFileSecrets({ file: join(dataDir, 'secrets.enc'), masterKey: MASTER_KEY });
  await secrets.set(secretAccount({ bot: SERVED_BOT, scope: 'crm', name: 'crm-note' }), 'note-value');
  await secrets.set(apiKeyAccount(SERVED_BOT), API_KEY);
  // The owner's approvals, as the studio records them: the config file approves here.
  const ws = await openWorkspace({ bot: SERVED_BOT, config, dataDir, secrets, consent: 'config-approves' });
  try {
    await ws.mcp.catalog('crm');
  } finally {
    await ws.close();
  }
  return { dataDir, crmDir };
}
