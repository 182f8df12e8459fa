// Tools: that each one exists and is classified, and the write guard (DESIGN §4): a tool
// that changes data may only be entered through the Yes answer of a confirmation question.
import { edgeHandle, type FlowEdge, type FlowNode, type NodeOf, type ToolRef } from '../../shared/flow';
import type { Problem } from '../../shared/problem';
import { classifierFromConfig } from '../tool-policy';
import { describeExit, error, joinWords, quoted, warning, type FlowGraph, type ValidateOptions } from './graph';

export function toolProblems(graph: FlowGraph, options: ValidateOptions): Problem[] {
  const problems: Problem[] = [];
  for (const node of graph.flow.nodes) {
    if (node.type === 'tool') {
      problems.push(...toolRefProblems(node, node.data, 'data', options));
      problems.push(...writeGuard(graph, node, options));
    } else if (node.type === 'llm') {
      node.data.tools.forEach((ref, i) => problems.push(...toolRefProblems(node, ref, `data.tools[${i}]`, options)));
    }
  }
  return problems;
}

function toolRefProblems(node: FlowNode, ref: ToolRef, at: string, { config, catalog }: ValidateOptions): Problem[] {
  const { server, tool } = ref;
  const subject = node.type === 'llm' ? `The AI step ${quoted(node)} may use the tool ${tool} on the server "${server}"` : `The step ${quoted(node)} uses the tool ${tool} on the server "${server}"`;
  if (config && !Object.hasOwn(config.mcpServers, server)) {
    return [error('TOOL_UNKNOWN_SERVER', { nodeId: node.id, field: `${at}.server` }, `${subject}, but there is no server called "${server}" in the settings. Add that server in the settings, or pick one of: ${Object.keys(config.mcpServers).join(', ') || '(no servers yet)'}.`)];
  }
  const offered = catalog && Object.hasOwn(catalog, server) ? catalog[server] : undefined;
  if (offered && !offered.includes(tool)) {
    return [error('TOOL_UNKNOWN_TOOL', { nodeId: node.id, field: `${at}.tool` }, `${subject}, but that server does not offer a tool called ${tool}. Check the spelling or pick one of: ${offered.join(', ') || '(the server offers no tools)'}.`)];
  }
  const classes = config?.mcpServers[server]?.tools;
  if (config && !(classes && Object.hasOwn(classes, tool))) {
    return [warning('TOOL_UNCLASSIFIED', { nodeId: node.id, field: `${at}.tool` }, `${subject}, which you have not yet marked as read-only or as changing data, so it is treated as a tool that changes data (the customer must confirm every call). Mark it in the server's settings.`)];
  }
  return [];
}

function isConfirmYes(graph: FlowGraph, edge: FlowEdge): boolean {
  const sources = graph.nodesWithId.get(edge.source) ?? [];
  return (
    edgeHandle(edge) === 'yes' &&
    sources.length > 0 &&
    sources.every((s) => s.type === 'ask' && s.data.answer.kind === 'confirm')
  );
}

function writeGuard(graph: FlowGraph, node: NodeOf<'tool'>, { config }: ValidateOptions): Problem[] {
  const { server, tool } = node.data;
  if (classifierFromConfig(config)(server, tool) !== 'write') return [];
  const unguarded = (graph.into.get(node.id) ?? []).filter((e) => !isConfirmYes(graph, e));
  if (unguarded.length === 0) return [];
  const from = [...new Set(unguarded.map((e) => describeExit(graph, e)))];
  const classified = config?.mcpServers[server]?.tools?.[tool] === 'write';
  const hint = classified ? '' : ` If ${tool} only reads data, mark it as read-only in the settings of the server "${server}" instead.`;
  return [
    error(
      'WRITE_TOOL_UNGUARDED',
      { nodeId: node.id, edgeId: unguarded[0]!.id },
      `The step ${quoted(node)} changes data (${tool} on ${server}) but can be reached without the customer confirming: from ${joinWords(from)}. Put a Yes/No confirmation question right before it and connect only its Yes answer to this step.${hint}`,
    ),
  ];
}
