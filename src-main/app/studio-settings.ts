// The handlers of the settings screens' API (src-main/shared/api/settings.ts): bots, secrets,
// the LLM and the MCP servers of the active bot. Wired into the studio service by one spread.
import type { ApiHandlers } from '../api/dispatcher';
import type { settingsMethods } from '../shared/api/settings';
import { createBotHandlers } from './settings/bots-handlers';
import type { SettingsAreaDeps } from './settings/deps';
import { createImportHandlers } from './settings/import-handlers';
import { createLlmHandlers } from './settings/llm-handlers';
import { createMcpSettingsHandlers } from './settings/mcp-handlers';
import { createSecretHandlers } from './settings/secrets-handlers';

export type { SettingsAreaDeps } from './settings/deps';

export function createSettingsHandlers(deps: SettingsAreaDeps): Pick<ApiHandlers, keyof typeof settingsMethods> {
  return {
    ...createBotHandlers(deps),
    ...createSecretHandlers(deps),
    ...createLlmHandlers(deps),
    ...createMcpSettingsHandlers(deps),
    ...createImportHandlers(deps),
  };
}
