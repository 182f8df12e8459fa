// The composition root: builds the runtime's ports from the real adapters. The CLI, the
// Electron main process and the web host all get their services from here.
import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import type { Flow } from '../shared/flow';
import type { LlmConfig, WorkspaceConfig } from '../shared/workspace-config';
import { classifierFromConfig, type ToolClassifier } from '../core/tool-policy';
import { ConversationRunner, type RunnerDeps } from '../runtime/conversation-runner';
import type { LlmPort, McpPort, StorePort } from '../runtime/ports';
import { createOllamaLlm } from '../adapters/llm/ollama-llm';
import { createStdioMcp } from '../adapters/mcp/stdio-mcp';
import { openStore } from '../adapters/store/sqlite-store';
import { InputError } from './input-error';
import { resolvePlainValue } from './load-config';

export interface Workspace {
  bot: string;
  config: WorkspaceConfig;
  store: StorePort;
  mcp: McpPort;
  llm?: LlmPort;
  classify: ToolClassifier;
  runner(flow: Flow, flowSource: string, hooks: Pick<RunnerDeps, 'onEvent'> & Partial<Pick<RunnerDeps, 'channel'>>): ConversationRunner;
  close(): Promise<void>;
}

/** The bot the CLI acts for when none is named: secrets and approvals are kept per bot. */
export const DEFAULT_BOT = 'default';

export interface WorkspaceOptions {
  /** Secrets, approvals and server processes are never shared between bots. */
  bot?: string;
  config: WorkspaceConfig;
  /** The config file, whose folder relative server paths are resolved against. */
  configPath?: string;
  dataDir: string;
}

const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

export async function openWorkspace(options: WorkspaceOptions): Promise<Workspace> {
  const { config } = options;
  const llm = config.llm ? await createLlm(config.llm) : undefined;
  const store = openStore(options.dataDir);
  const mcp = createStdioMcp({
    servers: config.mcpServers,
    resolveValue: resolvePlainValue,
    cwd: options.configPath ? dirname(resolve(options.configPath)) : process.cwd(),
  });
  const classify = classifierFromConfig(config);
  const clock = { now: () => Date.now() };
  const ids = { newId: () => randomUUID() };
  return {
    bot: options.bot ?? DEFAULT_BOT,
    config,
    store,
    mcp,
    ...(llm ? { llm } : {}),
    classify,
    runner: (flow, flowSource, hooks) =>
      new ConversationRunner({
        flow,
        flowSource,
        store,
        mcp,
        ...(llm ? { llm } : {}),
        channel: hooks.channel ?? { send: async () => undefined },
        clock,
        ids,
        classify,
        ...(config.confirmWords ? { confirmWords: config.confirmWords } : {}),
        toolTimeoutMs: (server) => config.mcpServers[server]?.timeoutMs,
        ...(hooks.onEvent ? { onEvent: hooks.onEvent } : {}),
      }),
    async close() {
      await mcp.close();
      store.close();
    },
  };
}

async function createLlm(llm: LlmConfig): Promise<LlmPort> {
  if (llm.provider !== 'ollama') {
    throw new InputError(`llm.provider "${llm.provider}" is not supported yet; use "ollama" (local or remote host)`);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(llm.headers ?? {})) headers[name] = await resolvePlainValue(value, { scope: 'llm', field: `llm.headers.${name}` });
  return createOllamaLlm({
    host: llm.host ?? DEFAULT_OLLAMA_HOST,
    model: llm.model,
    ...(Object.keys(headers).length ? { headers } : {}),
    ...(llm.timeoutMs ? { timeoutMs: llm.timeoutMs } : {}),
  });
}
