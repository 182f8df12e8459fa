// Tool pinning (DESIGN §4): a tool's definition as the owner approved it is kept as a hash;
// the part hashes let us say what changed (description, schema, annotations) later.
import { createHash } from 'node:crypto';
import type { ToolDefinition } from '../../shared/tool-definition';
import { canonicalJson } from '../canonical-json';
import { DEFINITION_PARTS, type DefinitionPart, type PartHashes } from './parts';

export { DEFINITION_PARTS, describeChange, type DefinitionPart, type PartHashes } from './parts';

export type { ToolDefinition } from '../../shared/tool-definition';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The fields that make up a tool's identity, exactly as the server listed them. */
export function definitionFields(tool: ToolDefinition): Record<string, unknown> {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: tool.inputSchema,
    outputSchema: tool.outputSchema,
    annotations: tool.annotations,
  };
}

/** sha256(canonicalJson({name, title, description, inputSchema, outputSchema, annotations})). */
export function definitionHash(tool: ToolDefinition): string {
  return sha256(canonicalJson(definitionFields(tool)));
}

/** One hash per part (an absent part hashes as null). */
export function partHashes(tool: ToolDefinition): PartHashes {
  const out = {} as PartHashes;
  for (const part of DEFINITION_PARTS) out[part] = sha256(canonicalJson(tool[part] ?? null));
  return out;
}

/** Parts whose hash differs; [] when nothing is known about the pinned parts. */
export function changedParts(pinned: Partial<PartHashes> | undefined, current: PartHashes): DefinitionPart[] {
  if (!pinned) return [];
  return DEFINITION_PARTS.filter((p) => pinned[p] !== undefined && pinned[p] !== current[p]);
}

/** Reads part hashes stored next to a pin; anything malformed counts as unknown. */
export function parsePartHashes(value: unknown): Partial<PartHashes> | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const out: Partial<PartHashes> = {};
  for (const part of DEFINITION_PARTS) {
    const v = (value as Record<string, unknown>)[part];
    if (typeof v === 'string') out[part] = v;
  }
  return Object.keys(out).length ? out : undefined;
}
