// The parts of a tool definition an owner reviews, and how a change is put in words.
// No node: imports here, so the validator (and a browser) can use it.

/** The parts of a definition an owner reviews, in the words used in messages. */
export const DEFINITION_PARTS = ['title', 'description', 'inputSchema', 'outputSchema', 'annotations'] as const;
export type DefinitionPart = (typeof DEFINITION_PARTS)[number];
export type PartHashes = Record<DefinitionPart, string>;

const PART_WORDS: Record<DefinitionPart, string> = {
  title: 'title',
  description: 'description',
  inputSchema: 'input schema',
  outputSchema: 'output schema',
  annotations: 'annotations',
};

/** "its description and input schema", or "its definition" when the parts are unknown. */
export function describeChange(parts: readonly DefinitionPart[]): string {
  if (parts.length === 0) return 'its definition';
  const words = parts.map((p) => PART_WORDS[p]);
  const list = words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} and ${words.at(-1)!}`;
  return `its ${list}`;
}

