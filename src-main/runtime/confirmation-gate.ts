// The runtime half of the write guard. A "yes" records a single-use confirmation bound to
// hash(server, tool, exact args, tool definition); a write runs only by consuming one.
import type { PendingCall } from '../shared/conversation';
import { callHash } from '../core/call-hash';
import { coerceArgs } from '../core/coerce-args';
import type { ToolClassifier } from '../core/tool-policy';
import type { Clock, McpPort, StorePort, ToolDefinition } from './ports';

export interface BoundCall {
  definition: ToolDefinition;
  /** Arguments as they will be sent (coerced to the tool's input schema). */
  args: Record<string, unknown>;
  hash: string;
}

export type Authorization =
  | { allowed: true; confirmationId: string | null }
  | { allowed: false; reason: string };

export class ConfirmationGate {
  constructor(
    private readonly deps: { mcp: McpPort; store: StorePort; clock: Clock; classify: ToolClassifier },
  ) {}

  /**
   * Looks the tool up on its server and binds the call to its current definition. `listing`:
   * a listing of call.server the caller just fetched (saves a round trip); used only for read
   * tools: a write is always bound to a fresh listing.
   */
  async bind(call: PendingCall, listing?: readonly ToolDefinition[]): Promise<BoundCall> {
    const reuse = listing !== undefined && this.deps.classify(call.server, call.tool) === 'read';
    const tools = reuse ? listing : await this.deps.mcp.listTools(call.server);
    const [definition, ...others] = tools.filter((t) => t.name === call.tool);
    if (!definition) throw new Error(`MCP server "${call.server}" does not offer a tool named "${call.tool}"`);
    // Which of two definitions would be "the" tool depends on who looks: none is called.
    if (others.length) throw new Error(`MCP server "${call.server}" lists more than one tool named "${call.tool}", so it is not called`);
    const args = coerceArgs(call.args, definition.inputSchema);
    return { definition, args, hash: callHash({ server: call.server, tool: call.tool, args, definition }) };
  }

  async record(conversationId: string, call: PendingCall): Promise<void> {
    const bound = await this.bind(call);
    await this.deps.store.recordConfirmation({
      conversationId,
      nodeId: call.nodeId,
      server: call.server,
      tool: call.tool,
      args: bound.args,
      callHash: bound.hash,
      at: this.deps.clock.now(),
    });
  }

  /** Read tools pass; a write passes only by consuming a matching, unused confirmation. */
  async authorize(conversationId: string, call: PendingCall, bound: BoundCall): Promise<Authorization> {
    if (this.deps.classify(call.server, call.tool) === 'read') return { allowed: true, confirmationId: null };
    const confirmationId = await this.deps.store.consumeConfirmation({
      conversationId,
      nodeId: call.nodeId,
      callHash: bound.hash,
      at: this.deps.clock.now(),
    });
    if (confirmationId) return { allowed: true, confirmationId };
    return {
      allowed: false,
      reason:
        'this tool changes data and the customer did not confirm exactly this call ' +
        '(no unused confirmation matches its server, tool, arguments and definition)',
    };
  }
}
