// Tools: that each one exists and is classified, and the write guard (DESIGN §4): a tool
// that changes data may only be entered through the Yes answer of a confirmation question.
import { edgeHandle, type FlowEdge, type FlowNode, type NodeOf, type ToolRef } from '../../shared/flow';
import type { Problem } from '../../shared/problem';
import { DEFINITION_PARTS, describeChange, type DefinitionPart } from '../mcp-catalog/parts';
import { classifierFromConfig, ownerClassOf, ownerClassesOf } from '../tool-policy';
import { toolArgProblems } from './tool-args';
import { describeExit, error, joinWords, quoted, warning, type CatalogEntry, type FlowGraph, type ValidateOptions } from './graph';

export function toolProblems(graph: FlowGraph, options: ValidateOptions): Problem[] {
  const problems: Problem[] = [];
  for (const node of graph.flow.nodes) {
    if (node.type === 'tool') {
      const refProblems = toolRefProblems(node, node.data, 'data', options);
      problems.push(...refProblems);
      const inputSchema = catalogEntry(options.catalog, node.data.server, node.data.tool)?.inputSchema;
      if (inputSchema && !refProblems.some((p) => p.severity === 'error')) problems.push(...toolArgProblems(node, inputSchema));
      problems.push(...writeGuard(graph, node, options));
    } else if (node.type === 'llm') {
      node.data.tools.forEach((ref, i) => problems.push(...toolRefProblems(node, ref, `data.tools[${i}]`, options)));
    }
  }
  return problems;
}

/** The server's tools from the catalog (undefined: the server was not started / no catalog). */
function offeredBy(catalog: ValidateOptions['catalog'], server: string): CatalogEntry[] | undefined {
  const list = catalog && Object.hasOwn(catalog, server) ? catalog[server] : undefined;
  return list?.map((t) => (typeof t === 'string' ? { name: t, status: 'approved' } : t));
}

function catalogEntry(catalog: ValidateOptions['catalog'], server: string, tool: string): CatalogEntry | undefined {
  return offeredBy(catalog, server)?.find((t) => t.name === tool);
}

function toolRefProblems(node: FlowNode, ref: ToolRef, at: string, { config, catalog }: ValidateOptions): Problem[] {
  const { server, tool } = ref;
  const subject = node.type === 'llm' ? `The AI step ${quoted(node)} may use the tool ${tool} on the server "${server}"` : `The step ${quoted(node)} uses the tool ${tool} on the server "${server}"`;
  if (config && !Object.hasOwn(config.mcpServers, server)) {
    return [error('TOOL_UNKNOWN_SERVER', { nodeId: node.id, field: `${at}.server` }, `${subject}, but there is no server called "${server}" in the settings. Add that server in the settings, or pick one of: ${Object.keys(config.mcpServers).join(', ') || '(no servers yet)'}.`)];
  }
  const offered = offeredBy(catalog, server);
  const entry = offered?.find((t) => t.name === tool);
  if (offered && !entry) {
    return [error('TOOL_UNKNOWN_TOOL', { nodeId: node.id, field: `${at}.tool` }, `${subject}, but that server does not offer a tool called ${tool}. Check the spelling or pick one of: ${offered.map((t) => t.name).join(', ') || '(the server offers no tools)'}.`)];
  }
  if (entry?.status === 'changed') {
    const parts = (entry.changes ?? []).filter((c): c is DefinitionPart => (DEFINITION_PARTS as readonly string[]).includes(c));
    return [error('TOOL_CHANGED', { nodeId: node.id, field: `${at}.tool` }, `${subject}, but the server changed that tool (${describeChange(parts)}) since you approved it, so it is disabled. Review the change with \`flowbot mcp tools --server ${server}\` and, if you trust it, re-approve it with \`flowbot mcp approve --server ${server} --tool ${tool}\`.`)];
  }
  const ownerClass = ownerClassOf(ownerClassesOf(config, server), tool);
  if (config && ownerClass === undefined) {
    return [warning('TOOL_UNCLASSIFIED', { nodeId: node.id, field: `${at}.tool` }, `${subject}, which you have not yet marked as read-only or as changing data, so it is treated as a tool that changes data (the customer must confirm every call). Mark it in the server's settings.`)];
  }
  if (entry?.status === 'unapproved' && ownerClass === 'read') {
    return [warning('TOOL_UNAPPROVED', { nodeId: node.id, field: `${at}.tool` }, `${subject}, which you marked as read-only, but you have not approved the tool as the server now describes it, so it is treated as a tool that changes data (the customer must confirm every call). Review and approve it with \`flowbot mcp approve --server ${server} --tool ${tool}\`.`)];
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

function writeGuard(graph: FlowGraph, node: NodeOf<'tool'>, { config, catalog }: ValidateOptions): Problem[] {
  const { server, tool } = node.data;
  const entry = catalogEntry(catalog, server, tool);
  if (entry?.status === 'changed') return []; // TOOL_CHANGED: disabled, whatever its class
  // Read only when the owner says so and (once the server was started) approved it as it is now.
  const approved = entry === undefined || entry.status === 'approved';
  if (classifierFromConfig(config)(server, tool) !== 'write' && approved) return [];
  const unguarded = (graph.into.get(node.id) ?? []).filter((e) => !isConfirmYes(graph, e));
  if (unguarded.length === 0) return [];
  const from = [...new Set(unguarded.map((e) => describeExit(graph, e)))];
  const ownerClass = ownerClassOf(ownerClassesOf(config, server), tool);
  const hint =
    ownerClass === 'read'
      ? ` ${tool} is marked read-only, but you have not approved it as the server now describes it: review and approve it with \`flowbot mcp approve --server ${server} --tool ${tool}\`.`
      : ownerClass === 'write'
        ? ''
        : ` If ${tool} only reads data, mark it as read-only in the settings of the server "${server}" instead.`;
  return [
    error(
      'WRITE_TOOL_UNGUARDED',
      { nodeId: node.id, edgeId: unguarded[0]!.id },
      `The step ${quoted(node)} changes data (${tool} on ${server}) but can be reached without the customer confirming: from ${joinWords(from)}. Put a Yes/No confirmation question right before it and connect only its Yes answer to this step.${hint}`,
    ),
  ];
}
