// The words a confirmation shows instead of ids (shared/call-labels.ts): a label for an argument
// the call never sends is never shown, so it is most likely a typo. A label on a read-only tool
// is fine (it is simply not needed: reads are not confirmed).
import type { FlowNode } from '../../shared/flow';
import type { Problem } from '../../shared/problem';
import { argFields } from '../../shared/tool-arg-fields';
import { nameOf, warning, type ValidateOptions } from './graph';

export function labelProblems(nodes: readonly FlowNode[], { catalog }: ValidateOptions): Problem[] {
  const problems: Problem[] = [];
  const schemaArgs = (server: string, tool: string): string[] | undefined => {
    const entry = catalog && Object.hasOwn(catalog, server) ? catalog[server]!.find((t) => typeof t !== 'string' && t.name === tool) : undefined;
    return entry && typeof entry !== 'string' && entry.inputSchema ? argFields(entry.inputSchema).map((f) => f.name) : undefined;
  };
  for (const node of nodes) {
    if (node.type === 'tool') {
      // A tool step sends exactly its arguments; the tool's schema, when known, lists the ones it may get.
      const known = new Set([...Object.keys(node.data.args), ...(schemaArgs(node.data.server, node.data.tool) ?? [])]);
      problems.push(...unknownArgLabels(node, node.data.tool, node.data.argLabels, known, 'data.argLabels'));
    } else if (node.type === 'llm') {
      node.data.tools.forEach((ref, i) => {
        const known = schemaArgs(ref.server, ref.tool);
        if (known) problems.push(...unknownArgLabels(node, ref.tool, ref.argLabels, new Set(known), `data.tools[${i}].argLabels`));
      });
    }
  }
  return problems;
}

function unknownArgLabels(node: FlowNode, tool: string, labels: Readonly<Record<string, string>> | undefined, known: ReadonlySet<string>, at: string): Problem[] {
  return Object.keys(labels ?? {})
    .filter((name) => !known.has(name))
    .map((name) =>
      warning(
        'LABEL_UNKNOWN_ARGUMENT',
        { nodeId: node.id, field: `${at}.${name}` },
        node.type === 'tool' ? 'LABEL_UNKNOWN_ARGUMENT' : 'LABEL_UNKNOWN_ARGUMENT.llm',
        { step: nameOf(node), argument: name, tool },
      ),
    );
}
