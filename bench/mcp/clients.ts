// The three ways bench/mcp.ts talks to the same server (examples/crm-server over stdio):
//  - bare:     the SDK's Client + StdioClientTransport, used directly (the anchor);
//  - hub:      our createMcpHub (supervised connection), built like src-main/app/workspace.ts;
//  - governed: createGovernedMcp around a hub, with an approvals store (SQLite) in the data
//              dir: consent, pinning and classification checks on every call, as the app runs it.
// `open` is the whole cold start: spawn the process, `initialize`, `tools/list`. Every side
// lists the tools once before calling, so the SDK validates each call's structuredContent
// against the tool's outputSchema on every side alike.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createMcpHub, type McpHub } from '../../src-main/adapters/mcp/mcp-hub';
import type { ApprovalsStore } from '../../src-main/adapters/store/approvals-store';
import { createRedactor } from '../../src-main/core/redact';
import { createGovernedMcp } from '../../src-main/runtime/governed-mcp';
import type { ValueResolver } from '../../src-main/runtime/ports';
import { WorkspaceConfigSchema, type WorkspaceConfig } from '../../src-main/shared/workspace-config';

export type SideName = 'bare' | 'hub' | 'governed';

export const TOOL = 'get_order_status';
export const ARGS = { orderId: 'A100' } as const;

export interface Session {
  readonly side: SideName;
  /** The server process id (to check that it is gone after close). */
  readonly pid: number | undefined;
  /** Number of tools the listing returned (sanity check). */
  readonly tools: number;
  /** One tools/call of get_order_status {orderId: 'A100'}; resolves to the order status. */
  call(): Promise<string | undefined>;
  close(): Promise<void>;
}

export interface ServerSpec {
  /** Absolute path of examples/crm-server/index.js. */
  script: string;
  /** CRM_DATA_DIR for the server. */
  crmDataDir: string;
  /** Folder the hub resolves relative paths against (the temp dir). */
  cwd: string;
  /** Node options before the script (bench/mcp/probe.ts preloads a counter). */
  nodeArgs?: string[];
  /** Extra server variables (probe only). */
  env?: Record<string, string>;
}

export function workspaceConfig(spec: ServerSpec): WorkspaceConfig {
  return WorkspaceConfigSchema.parse({
    mcpServers: {
      crm: {
        command: process.execPath,
        args: [...(spec.nodeArgs ?? []), spec.script],
        env: { ...spec.env, CRM_DATA_DIR: spec.crmDataDir },
        tools: { get_order_status: 'read', create_ticket: 'write' },
      },
    },
  });
}

/** Plain values only: the bench config has no {secret} or {env} references. */
const plainValues: ValueResolver = async (value) => {
  if (typeof value !== 'string') throw new Error('bench/mcp: only plain config values are supported');
  return value;
};

const statusOf = (structured: unknown): string | undefined =>
  typeof structured === 'object' && structured !== null && typeof (structured as { status?: unknown }).status === 'string'
    ? (structured as { status: string }).status
    : undefined;

export async function openBare(spec: ServerSpec): Promise<Session> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [...(spec.nodeArgs ?? []), spec.script],
    // The SDK's default base environment plus the server's variable (the hub gives a similar minimal set).
    env: { ...getDefaultEnvironment(), ...spec.env, CRM_DATA_DIR: spec.crmDataDir },
    cwd: spec.cwd,
    // Piped and read, like the hub does (it keeps stderr for the owner).
    stderr: 'pipe',
  });
  transport.stderr?.on('data', () => undefined);
  const client = new Client({ name: 'bench-bare', version: '0.0.0' });
  try {
    await client.connect(transport);
    const listed = await client.listTools();
    return {
      side: 'bare',
      pid: transport.pid ?? undefined,
      tools: listed.tools.length,
      call: async () => statusOf((await client.callTool({ name: TOOL, arguments: { ...ARGS } })).structuredContent),
      close: () => client.close(),
    };
  } catch (err) {
    await client.close().catch(() => undefined);
    throw err;
  }
}

function buildHub(spec: ServerSpec, config: WorkspaceConfig): McpHub {
  // As in src-main/app/workspace.ts (openWorkspace), with a plain value resolver.
  const redactor = createRedactor();
  return createMcpHub({
    servers: config.mcpServers,
    resolveValue: plainValues,
    redact: (text) => redactor.redact(text),
    cwd: spec.cwd,
  });
}

export async function openHub(spec: ServerSpec, config: WorkspaceConfig): Promise<Session> {
  const hub = buildHub(spec, config);
  try {
    const tools = await hub.listTools('crm');
    return {
      side: 'hub',
      pid: hub.pid('crm'),
      tools: tools.length,
      call: async () => statusOf((await hub.callTool('crm', TOOL, { ...ARGS })).structuredContent),
      close: () => hub.close(),
    };
  } catch (err) {
    await hub.close().catch(() => undefined);
    throw err;
  }
}

export async function openGoverned(spec: ServerSpec, config: WorkspaceConfig, approvals: ApprovalsStore): Promise<Session> {
  const hub = buildHub(spec, config);
  const mcp = createGovernedMcp({ inner: hub, bot: 'bench', config, approvals, mode: 'config-approves', clock: { now: () => Date.now() } });
  try {
    const tools = await mcp.listTools('crm');
    if (mcp.classify('crm', TOOL) !== 'read') throw new Error(`bench/mcp: ${TOOL} should be an approved read tool`);
    return {
      side: 'governed',
      pid: hub.pid('crm'),
      tools: tools.length,
      call: async () => statusOf((await mcp.callTool('crm', TOOL, { ...ARGS })).structuredContent),
      close: () => mcp.close(),
    };
  } catch (err) {
    await mcp.close().catch(() => undefined);
    throw err;
  }
}
