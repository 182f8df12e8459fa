// The handlers of the settings screens' API (src-main/shared/api/settings.ts): bots, secrets,
// the LLM and the MCP servers of the active bot (with their browser sign-in, shared/api/mcp-sign-in.ts). Wired into the studio service by one spread.
import type { ApiHandlers } from '../api/dispatcher';
import type { settingsMethods } from '../shared/api/settings';
import type { signInMethods } from '../shared/api/mcp-sign-in';
import { createBotHandlers } from './settings/bots-handlers';
import type { SettingsAreaDeps } from './settings/deps';
import { createImportHandlers } from './settings/import-handlers';
import { createLlmHandlers } from './settings/llm-handlers';
import { createMcpSettingsHandlers } from './settings/mcp-handlers';
import { createSecretHandlers } from './settings/secrets-handlers';
import { createSignInHandlers } from './settings/sign-in-handlers';

export type { SettingsAreaDeps } from './settings/deps';

export function createSettingsHandlers(deps: SettingsAreaDeps): Pick<ApiHandlers, keyof typeof settingsMethods | keyof typeof signInMethods> {
  return {
    ...createBotHandlers(deps),
    ...createSecretHandlers(deps),
    ...createLlmHandlers(deps),
    ...createMcpSettingsHandlers(deps),
    ...createImportHandlers(deps),
    ...createSignInHandlers(deps),
  };
}
