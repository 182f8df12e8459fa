// Tools: that each one exists and is classified, and the write guard (DESIGN §4): a tool
// that changes data may only be entered through the Yes answer of a confirmation question.
import { edgeHandle, type FlowEdge, type FlowNode, type NodeOf, type ToolRef } from '../../shared/flow';
import type { Problem } from '../../shared/problem';
import type { ProblemText } from '../../shared/problem';
import { problemText } from '../../shared/problem-texts';
import { DEFINITION_PARTS, type DefinitionPart } from '../mcp-catalog/parts';
import { classifierFromConfig, ownerClassOf, ownerClassesOf } from '../tool-policy';
import { toolArgProblems } from './tool-args';
import { describeExit, error, nameOf, warning, type CatalogEntry, type FlowGraph, type ValidateOptions } from './graph';

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
  const subject = problemText(node.type === 'llm' ? 'tool.subject.llm' : 'tool.subject.step', { step: nameOf(node), tool, server });
  const said = { subject, server, tool };
  if (config && !Object.hasOwn(config.mcpServers, server)) {
    const servers = Object.keys(config.mcpServers).join(', ') || problemText('none.servers');
    return [error('TOOL_UNKNOWN_SERVER', { nodeId: node.id, field: `${at}.server` }, 'TOOL_UNKNOWN_SERVER', { ...said, servers })];
  }
  const offered = offeredBy(catalog, server);
  const entry = offered?.find((t) => t.name === tool);
  if (offered && !entry) {
    const tools = offered.map((t) => t.name).join(', ') || problemText('none.tools');
    return [error('TOOL_UNKNOWN_TOOL', { nodeId: node.id, field: `${at}.tool` }, 'TOOL_UNKNOWN_TOOL', { ...said, tools })];
  }
  if (entry?.status === 'changed') {
    const parts = (entry.changes ?? []).filter((c): c is DefinitionPart => (DEFINITION_PARTS as readonly string[]).includes(c));
    return [error('TOOL_CHANGED', { nodeId: node.id, field: `${at}.tool` }, 'TOOL_CHANGED', { ...said, change: changeWords(parts) })];
  }
  const ownerClass = ownerClassOf(ownerClassesOf(config, server), tool);
  if (config && ownerClass === undefined) {
    return [warning('TOOL_UNCLASSIFIED', { nodeId: node.id, field: `${at}.tool` }, 'TOOL_UNCLASSIFIED', said)];
  }
  if (entry?.status === 'unapproved' && ownerClass === 'read') {
    return [warning('TOOL_UNAPPROVED', { nodeId: node.id, field: `${at}.tool` }, 'TOOL_UNAPPROVED', said)];
  }
  return [];
}

/** "its description and input schema", or "its definition" when the parts are unknown (as core/mcp-catalog's describeChange says it). */
function changeWords(parts: readonly DefinitionPart[]): ProblemText {
  if (parts.length === 0) return problemText('change.unknown');
  return problemText('change.parts', { parts: parts.map((p) => problemText(`part.${p}`)) });
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
  const from = uniqueTexts(unguarded.map((e) => describeExit(graph, e)));
  const ownerClass = ownerClassOf(ownerClassesOf(config, server), tool);
  const hint =
    ownerClass === 'read'
      ? problemText('WRITE_TOOL_UNGUARDED.unapproved', { tool, server })
      : ownerClass === 'write'
        ? ''
        : problemText('WRITE_TOOL_UNGUARDED.unclassified', { tool, server });
  return [error('WRITE_TOOL_UNGUARDED', { nodeId: node.id, edgeId: unguarded[0]!.id }, 'WRITE_TOOL_UNGUARDED', { step: nameOf(node), tool, server, from, hint })];
}

/** Each phrase once (two connections from the same exit are one place). */
function uniqueTexts(texts: ProblemText[]): ProblemText[] {
  const seen = new Set<string>();
  return texts.filter((t) => {
    const key = JSON.stringify(t);
    return !seen.has(key) && (seen.add(key), true);
  });
}
