// A server's tools as the owner sees them: each with its approval status against the pins,
// the server's suggested class, the effective class and the flags worth a second look.
import type { ToolClass } from '../../shared/workspace-config';
import { effectiveClass, suggestedClass, toolFlags, type ToolFlag, type ToolStatus } from './classify';
import { ownerClassOf } from '../tool-policy';
import { changedParts, definitionHash, partHashes, type DefinitionPart, type PartHashes, type ToolDefinition } from './definition';

/** An approved tool definition, as stored (per bot and server). */
export interface ToolPin {
  tool: string;
  definitionHash: string;
  /** Hashes of each part at approval, to say what changed; absent in older records. */
  parts?: Partial<PartHashes> | undefined;
}

export interface CatalogTool {
  name: string;
  title: string | null;
  description: string | null;
  suggestedClass: ToolClass;
  effectiveClass: ToolClass;
  status: ToolStatus;
  flags: ToolFlag[];
  /** For a changed tool: what changed since approval ([] when that is not known). */
  changes?: DefinitionPart[];
  definitionHash: string;
}

/** approved: the pinned hash matches; changed: pinned, but it differs; unapproved: never pinned. */
export function toolStatus(hash: string, pin: Pick<ToolPin, 'definitionHash'> | undefined): ToolStatus {
  if (!pin) return 'unapproved';
  return pin.definitionHash === hash ? 'approved' : 'changed';
}

/**
 * Names a listing gives more than one definition (in listing order). Such a listing is a
 * server error: which entry is "the" tool would depend on who looks (DESIGN §4).
 */
export function repeatedToolNames(tools: readonly Pick<ToolDefinition, 'name'>[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const { name } of tools) (seen.has(name) ? repeated : seen).add(name);
  return [...repeated];
}

/** The pin that approves a tool's current definition. */
export function pinOf(tool: ToolDefinition): Required<ToolPin> {
  return { tool: tool.name, definitionHash: definitionHash(tool), parts: partHashes(tool) };
}

export { ownerClassOf } from '../tool-policy';

export interface CatalogInput {
  tools: readonly ToolDefinition[];
  pins: readonly ToolPin[];
  /** The owner's classes from the config (`mcpServers.<name>.tools`). */
  ownerClasses?: Readonly<Record<string, ToolClass>> | undefined;
  /** Tool names of the bot's other servers, for the shadowing hint. */
  otherServersToolNames?: readonly string[];
}

export function buildCatalog(input: CatalogInput): CatalogTool[] {
  const pins = new Map(input.pins.map((p) => [p.tool, p]));
  const names = [...input.tools.map((t) => t.name), ...(input.otherServersToolNames ?? [])];
  return input.tools.map((tool) => {
    const hash = definitionHash(tool);
    const pin = pins.get(tool.name);
    const status = toolStatus(hash, pin);
    const ownerClass = ownerClassOf(input.ownerClasses, tool.name);
    const entry: CatalogTool = {
      name: tool.name,
      title: tool.title ?? null,
      description: tool.description ?? null,
      suggestedClass: suggestedClass(tool.annotations),
      effectiveClass: effectiveClass(ownerClass, status),
      status,
      flags: toolFlags(tool, { ownerClass, otherToolNames: names }),
      definitionHash: hash,
    };
    if (status === 'changed') entry.changes = changedParts(pin?.parts, partHashes(tool));
    return entry;
  });
}

/**
 * Trust on first use, for the CLI (where the config file is the owner's approval): the tools
 * the config classifies and that were never pinned get pinned as they are now. A changed
 * tool is never re-pinned this way.
 */
export function firstUsePins(
  tools: readonly ToolDefinition[],
  pins: readonly Pick<ToolPin, 'tool'>[],
  ownerClasses: Readonly<Record<string, ToolClass>> | undefined,
): Required<ToolPin>[] {
  const pinned = new Set(pins.map((p) => p.tool));
  return tools.filter((t) => !pinned.has(t.name) && ownerClassOf(ownerClasses, t.name) !== undefined).map(pinOf);
}
