// The owner's decisions enforced around any McpPort (DESIGN §4, docs/mcp-approvals.md):
// - consent: a server starts only with the owner's approval of exactly what it runs
//   (its fingerprint); the CLI takes the config file as that approval, the app asks;
// - pinning: each tool's approved definition is pinned; a tool that changed since is
//   disabled (calls refused) until re-approved; a new tool is unapproved (always a write);
// - classification: `classify` gives the effective class from the latest listing;
// - one definition per name: a listing that repeats a name is a server error (all its tools
//   disabled), and a model is offered only approved tools, exactly as pinned (approvedTools);
// - approval binds to what the owner reviewed: the definition hash they were shown.
import type { McpServerConfig, ToolClass, WorkspaceConfig } from '../shared/workspace-config';
import type { ConsentText } from '../shared/consent-texts';
import {
  buildCatalog,
  changedParts,
  definitionFields,
  definitionHash,
  describeChange,
  consentFields,
  effectiveClass,
  escapeHidden,
  firstUsePins,
  ownerClassOf,
  parsePartHashes,
  partHashes,
  pinOf,
  repeatedToolNames,
  serverFingerprint,
  toolStatus,
  type CatalogTool,
  type DefinitionPart,
  type ToolPin,
  type ToolStatus,
} from '../core/mcp-catalog';
import type { ToolClassifier } from '../core/tool-policy';
import type { ApprovalsPort, CallOptions, Clock, McpPort, ToolCallResult, ToolDefinition } from './ports';

/** `config-approves`: the config file is the owner's approval (CLI); `ask`: the owner must approve (app). */
export type ConsentMode = 'config-approves' | 'ask';

/** A server may not start: the owner has not approved what it runs (or it changed since). */
export class ConsentRequiredError extends Error {
  override readonly name = 'ConsentRequiredError';
  constructor(
    readonly server: string,
    /** The exact command line (or URL) to show the owner. */
    readonly description: string,
    readonly fingerprint: string,
    /** new: never approved; changed: a different command line was approved before. */
    readonly reason: 'new' | 'changed',
    /** `description` as catalogue keys, for the owner's language. */
    readonly commandText: ConsentText,
  ) {
    super(
      reason === 'new'
        ? `MCP server "${server}" needs your approval before it starts. It would run: ${description}`
        : `MCP server "${server}" changed what it runs since you approved it, so it will not start until you approve it again. It would now run: ${description}`,
    );
  }
}

/** A tool whose definition changed since the owner approved it: disabled until re-approved. */
export class ToolDisabledError extends Error {
  override readonly name = 'ToolDisabledError';
  constructor(
    readonly server: string,
    readonly tool: string,
    readonly changes: readonly DefinitionPart[],
  ) {
    super(
      `The tool "${tool}" on MCP server "${server}" is disabled: ${describeChange(changes)} changed since it was approved. ` +
        `Review it with \`flowbot mcp tools --server ${server}\` and re-approve it with \`flowbot mcp approve --server ${server} --tool ${tool}\` (or in the app's MCP settings).`,
    );
  }
}

/**
 * A listing that names a tool more than once: which definition is "the" tool would depend on
 * who looks, so none of the server's tools is offered, classified read or called.
 */
export class ToolListingError extends Error {
  override readonly name = 'ToolListingError';
  constructor(
    readonly server: string,
    readonly repeated: readonly string[],
  ) {
    super(
      `MCP server "${server}" lists ${repeated.map((n) => `"${escapeHidden(n)}"`).join(', ')} more than once, so it cannot be told which definition you approved. ` +
        'All of its tools are disabled until the server lists each tool once.',
    );
  }
}

/** What the owner reviewed and approves: a tool by name and the hash of the definition they were shown. */
export interface ToolReview {
  name: string;
  definitionHash: string;
}

/** The server lists another definition than the one the owner reviewed: nothing is pinned. */
export class ToolReviewMismatchError extends Error {
  override readonly name = 'ToolReviewMismatchError';
  constructor(
    readonly server: string,
    /** The definitions the server lists now, with their hashes. */
    readonly current: readonly { definition: ToolDefinition; definitionHash: string }[],
  ) {
    const shown = current.map(({ definition, definitionHash: hash }) => `"${escapeHidden(definition.name)}" (definition ${hash}): ${escapeHidden(JSON.stringify(definitionFields(definition)))}`);
    super(
      `MCP server "${server}" now describes ${current.length === 1 ? 'a tool' : 'tools'} differently from what you reviewed, so nothing was approved. ` +
        `Review what it lists now and approve that: ${shown.join('; ')}`,
    );
  }
}

export interface ServerCatalog {
  server: string;
  /** describeServer(config): the command line or URL the owner approved (English, the canonical form). */
  command: string;
  /** The same as catalogue keys, for the owner's language. */
  commandText: ConsentText;
  fingerprint: string;
  tools: CatalogTool[];
  /** The definitions `tools` were built from (the same listing), by name. */
  definitions: ReadonlyMap<string, ToolDefinition>;
}

export interface ConsentState {
  server: string;
  fingerprint: string;
  /** describeServer(config): what the owner approves, in English (approval compares it). */
  description: string;
  /** The same as catalogue keys, for the owner's language. */
  text: ConsentText;
  /** approved: this exact fingerprint; new: nothing approved; changed: another one was. */
  state: 'approved' | 'new' | 'changed';
}

export interface GovernedMcp extends McpPort {
  /** The server's tools with status, classes and flags (starts the server if needed). */
  catalog(server: string, opts?: CallOptions): Promise<ServerCatalog>;
  /** Effective class from the latest listing; a tool never listed is a write. Synchronous. */
  readonly classify: ToolClassifier;
  /** What the owner is asked to approve for a server, and whether they have. */
  consent(server: string): Promise<ConsentState>;
  /** Records the owner's approval of the server's current command line. */
  approveServer(server: string): Promise<void>;
  /**
   * The tools a model may be offered: those whose definition is exactly the pinned one (status
   * approved), from one listing. Changed and never-approved tools are left out.
   */
  approvedTools(server: string, opts?: CallOptions): Promise<ToolDefinition[]>;
  /**
   * Pins the definitions the owner reviewed. Throws naming any tool the server does not offer,
   * and ToolReviewMismatchError (pinning nothing) when one is not listed with the reviewed hash.
   * Returns the names.
   */
  approveTools(server: string, tools: readonly ToolReview[], opts?: CallOptions): Promise<string[]>;
}

export interface GovernedMcpOptions {
  inner: McpPort;
  bot: string;
  config: WorkspaceConfig;
  approvals: ApprovalsPort;
  mode: ConsentMode;
  clock: Clock;
  /** Why stdio servers cannot be sandboxed on this machine (then consent covers running them unsandboxed). */
  unsandboxed?: ConsentText;
}

interface ToolState {
  status: ToolStatus;
  changes: DefinitionPart[];
  definition: ToolDefinition;
}

interface Listing {
  tools: ToolDefinition[];
  byName: Map<string, ToolState>;
}

export function createGovernedMcp(options: GovernedMcpOptions): GovernedMcp {
  const { inner, bot, config, approvals, mode, clock } = options;
  const context = (cfg: McpServerConfig) => ('url' in cfg || options.unsandboxed === undefined ? {} : { unsandboxed: options.unsandboxed });
  /** Fingerprints consented to in this instance (the config cannot change under it). */
  const consented = new Map<string, string>();
  const listings = new Map<string, Listing>();
  /** Hashes are computed once per listed definition object. */
  const hashes = new WeakMap<ToolDefinition, string>();

  const serverConfig = (server: string) => (Object.hasOwn(config.mcpServers, server) ? config.mcpServers[server] : undefined);
  const ownerClasses = (server: string) => serverConfig(server)?.tools;
  // The config cannot change under this instance, so each server's fingerprint is hashed once
  // (it is checked before every call).
  const fingerprints = new Map<string, string>();
  const fingerprintOf = (server: string, cfg: McpServerConfig): string => {
    let fingerprint = fingerprints.get(server);
    if (fingerprint === undefined) fingerprints.set(server, (fingerprint = serverFingerprint(cfg, context(cfg))));
    return fingerprint;
  };
  const hashOf = (tool: ToolDefinition): string => {
    let hash = hashes.get(tool);
    if (hash === undefined) hashes.set(tool, (hash = definitionHash(tool)));
    return hash;
  };

  async function consent(server: string): Promise<ConsentState> {
    const cfg = serverConfig(server);
    if (!cfg) throw new Error(`MCP server "${server}" is not configured (configured: ${Object.keys(config.mcpServers).join(', ') || 'none'}).`);
    const fingerprint = fingerprintOf(server, cfg);
    const approved = consented.get(server) === fingerprint ? fingerprint : (await approvals.serverApproval(bot, server))?.fingerprint;
    const state = approved === fingerprint ? 'approved' : approved === undefined ? 'new' : 'changed';
    const { command: description, commandText: text } = consentFields(cfg, context(cfg));
    return { server, fingerprint, description, text, state };
  }

  /** Before anything that could start the server. Unknown servers are left to the inner port. */
  async function ensureConsent(server: string): Promise<void> {
    const cfg = serverConfig(server);
    if (!cfg) return;
    const fingerprint = fingerprintOf(server, cfg);
    if (consented.get(server) === fingerprint) return;
    const current = await consent(server);
    if (current.state !== 'approved') {
      if (mode === 'ask') throw new ConsentRequiredError(server, current.description, fingerprint, current.state, current.text);
      await approvals.approveServer(bot, server, fingerprint, clock.now());
    }
    consented.set(server, fingerprint);
  }

  async function pinsOf(server: string): Promise<ToolPin[]> {
    return (await approvals.toolPins(bot, server)).map((pin) => {
      const parts = 'parts' in pin ? parsePartHashes(pin.parts) : undefined;
      return { tool: pin.tool, definitionHash: pin.definitionHash, ...(parts ? { parts } : {}) };
    });
  }

  /**
   * Pins the config's tools on first sight (CLI), then records each tool's status. A listing
   * that repeats a name leaves the server with no usable tool and throws ToolListingError.
   */
  async function observe(server: string, tools: ToolDefinition[]): Promise<{ pins: ToolPin[]; listing: Listing }> {
    const repeated = repeatedToolNames(tools);
    if (repeated.length) {
      listings.set(server, { tools: [], byName: new Map() });
      throw new ToolListingError(server, repeated);
    }
    let pins = await pinsOf(server);
    if (mode === 'config-approves') {
      const fresh = firstUsePins(tools, pins, ownerClasses(server));
      if (fresh.length) {
        await approvals.pinTools(bot, server, fresh, clock.now());
        pins = await pinsOf(server);
      }
    }
    const byPin = new Map(pins.map((p) => [p.tool, p]));
    const byName = new Map<string, ToolState>();
    for (const tool of tools) {
      const pin = byPin.get(tool.name);
      const status = toolStatus(hashOf(tool), pin);
      const changes = status === 'changed' ? changedParts(pin?.parts, partHashes(tool)) : [];
      byName.set(tool.name, { status, changes, definition: tool });
    }
    const listing = { tools, byName };
    listings.set(server, listing);
    return { pins, listing };
  }

  async function list(server: string, opts?: CallOptions): Promise<{ pins: ToolPin[]; listing: Listing }> {
    await ensureConsent(server);
    return observe(server, await inner.listTools(server, opts));
  }

  async function listTools(server: string, opts?: CallOptions): Promise<ToolDefinition[]> {
    return (await list(server, opts)).listing.tools;
  }

  async function approvedTools(server: string, opts?: CallOptions): Promise<ToolDefinition[]> {
    const { listing } = await list(server, opts);
    return listing.tools.filter((t) => listing.byName.get(t.name)?.status === 'approved');
  }

  async function callTool(server: string, tool: string, args: Record<string, unknown>, opts?: CallOptions): Promise<ToolCallResult> {
    await ensureConsent(server);
    let state = listings.get(server)?.byName.get(tool);
    if (!state) {
      await listTools(server, opts); // never listed, or new since the last listing
      state = listings.get(server)?.byName.get(tool);
    }
    if (!state) throw new Error(`MCP server "${server}" does not offer a tool named "${tool}".`);
    if (state.status === 'changed') throw new ToolDisabledError(server, tool, state.changes);
    // approved, or unapproved (classify makes it a write, so the confirmation gate decides).
    return inner.callTool(server, tool, args, opts);
  }

  const classify: ToolClassifier = (server: string, tool: string): ToolClass => {
    const state = listings.get(server)?.byName.get(tool);
    if (!state) return 'write';
    return effectiveClass(ownerClassOf(ownerClasses(server), tool), state.status);
  };

  async function catalog(server: string, opts?: CallOptions): Promise<ServerCatalog> {
    const { pins, listing } = await list(server, opts);
    const tools = listing.tools;
    const others = [...listings.entries()].filter(([name]) => name !== server).flatMap(([, l]) => l.tools.map((t) => t.name));
    const cfg = serverConfig(server)!; // ensureConsent + a successful listing: it is configured
    return {
      server,
      ...consentFields(cfg, context(cfg)),
      fingerprint: fingerprintOf(server, cfg),
      tools: buildCatalog({ tools, pins, ownerClasses: ownerClasses(server), otherServersToolNames: others }),
      definitions: new Map(tools.map((t) => [t.name, t])),
    };
  }

  async function approveServer(server: string): Promise<void> {
    const { fingerprint } = await consent(server);
    await approvals.approveServer(bot, server, fingerprint, clock.now());
    consented.set(server, fingerprint);
  }

  async function approveTools(server: string, reviewed: readonly ToolReview[], opts?: CallOptions): Promise<string[]> {
    const { listing } = await list(server, opts);
    const offered = listing.byName;
    const missing = [...new Set(reviewed.map((r) => r.name))].filter((n) => !offered.has(n));
    if (missing.length) {
      throw new Error(
        `MCP server "${server}" does not offer ${missing.map((n) => `"${n}"`).join(', ')}. It offers: ${[...offered.keys()].join(', ') || '(no tools)'}.`,
      );
    }
    // Only what the owner was shown is pinned: a definition that differs from the reviewed one is a conflict.
    const differ = reviewed.filter((r) => hashOf(offered.get(r.name)!.definition) !== r.definitionHash);
    if (differ.length) {
      const current = [...new Set(differ.map((r) => r.name))].map((n) => offered.get(n)!.definition);
      throw new ToolReviewMismatchError(server, current.map((definition) => ({ definition, definitionHash: hashOf(definition) })));
    }
    const names = [...new Set(reviewed.map((r) => r.name))];
    const pins = names.map((n) => pinOf(offered.get(n)!.definition));
    if (pins.length) await approvals.pinTools(bot, server, pins, clock.now());
    await observe(server, listing.tools);
    return names;
  }

  return {
    listTools,
    callTool,
    close: () => inner.close(),
    catalog,
    classify,
    consent,
    approveServer,
    approvedTools,
    approveTools,
  };
}
