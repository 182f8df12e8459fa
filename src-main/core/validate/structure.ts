// How the steps are wired: one start, unique ids, connections that lead somewhere, one
// connection per exit, every step reachable, no silent dead ends.
import { edgeHandle, type FlowEdge, type FlowNode } from '../../shared/flow';
import type { Problem } from '../../shared/problem';
import { handlesOf } from '../handles';
import { error, exitKey, exitName, handlesOfId, nameOf, push, warning, type FlowGraph } from './graph';

export function structureProblems(graph: FlowGraph): Problem[] {
  return [...startProblems(graph), ...duplicateIds(graph), ...edgeProblems(graph), ...conditionElse(graph), ...unreachable(graph), ...deadEnds(graph)];
}

function startProblems({ flow, start }: FlowGraph): Problem[] {
  if (!start) {
    return [error('FLOW_NO_START', {}, 'FLOW_NO_START')];
  }
  return flow.nodes
    .filter((n) => n.type === 'start' && n !== start)
    .map((n) =>
      error('FLOW_MULTIPLE_START', { nodeId: n.id }, 'FLOW_MULTIPLE_START', { step: nameOf(n), start: nameOf(start) }),
    );
}

function duplicateIds({ flow }: FlowGraph): Problem[] {
  const problems: Problem[] = [];
  const nodeIds = new Set<string>();
  for (const n of flow.nodes) {
    if (nodeIds.has(n.id)) problems.push(error('NODE_DUPLICATE_ID', { nodeId: n.id }, 'NODE_DUPLICATE_ID', { id: n.id }));
    nodeIds.add(n.id);
  }
  const edgeIds = new Set<string>();
  for (const e of flow.edges) {
    if (edgeIds.has(e.id)) problems.push(error('EDGE_DUPLICATE_ID', { edgeId: e.id }, 'EDGE_DUPLICATE_ID', { id: e.id }));
    edgeIds.add(e.id);
  }
  return problems;
}

function edgeProblems(graph: FlowGraph): Problem[] {
  const { flow, nodesWithId } = graph;
  const problems: Problem[] = [];
  const byExit = new Map<string, FlowEdge[]>();
  for (const e of flow.edges) {
    const source = nodesWithId.get(e.source)?.[0];
    const target = nodesWithId.get(e.target)?.[0];
    if (!source) {
      problems.push(error('EDGE_MISSING_SOURCE', { edgeId: e.id, nodeId: target?.id }, target ? 'EDGE_MISSING_SOURCE.into' : 'EDGE_MISSING_SOURCE', { source: e.source, ...(target && { step: nameOf(target) }) }));
    }
    if (!target) {
      problems.push(error('EDGE_MISSING_TARGET', { edgeId: e.id, nodeId: source?.id }, source ? 'EDGE_MISSING_TARGET.from' : 'EDGE_MISSING_TARGET', { target: e.target, ...(source && { step: nameOf(source) }) }));
    } else if (target.type === 'start') {
      problems.push(error('EDGE_INTO_START', { edgeId: e.id, nodeId: target.id }, 'EDGE_INTO_START'));
    }
    if (!source) continue;
    const handle = edgeHandle(e);
    const offered = handlesOfId(nodesWithId, e.source);
    if (!offered.has(handle)) {
      const where = { edgeId: e.id, nodeId: source.id };
      const params = { step: nameOf(source), handle, exits: [...offered].join(', ') };
      problems.push(error('EDGE_UNKNOWN_HANDLE', where, offered.size > 0 ? 'EDGE_UNKNOWN_HANDLE' : 'EDGE_UNKNOWN_HANDLE.no_exits', params));
      continue;
    }
    push(byExit, exitKey(e.source, handle), e);
  }
  for (const edges of byExit.values()) {
    const [first, second] = edges;
    if (!first || !second) continue;
    const source = nodesWithId.get(first.source)![0]!;
    const targets = edges.map((e) => nodesWithId.get(e.target)?.[0]).map((t, i) => `"${t ? nameOf(t) : edges[i]!.target}"`);
    const params = { step: nameOf(source), count: edges.length, exit: exitName(edgeHandle(first)), targets };
    problems.push(error('HANDLE_MULTIPLE_EDGES', { edgeId: second.id, nodeId: source.id }, 'HANDLE_MULTIPLE_EDGES', params));
  }
  return problems;
}

function conditionElse({ flow, connectedExits }: FlowGraph): Problem[] {
  return flow.nodes
    .filter((n) => n.type === 'condition' && !connectedExits.has(exitKey(n.id, 'else')))
    .map((n) => error('CONDITION_NO_ELSE', { nodeId: n.id }, 'CONDITION_NO_ELSE', { step: nameOf(n) }));
}

function unreachable({ flow, start, reachable }: FlowGraph): Problem[] {
  if (!start) return [];
  return flow.nodes
    .filter((n) => n.type !== 'start' && !reachable.has(n.id))
    .map((n) => warning('NODE_UNREACHABLE', { nodeId: n.id }, 'NODE_UNREACHABLE', { step: nameOf(n) }));
}

/** The exits of which at least one must be connected, or undefined when the step may end. */
function requiredExits(node: FlowNode): string[] | undefined {
  switch (node.type) {
    case 'start':
    case 'message':
    case 'set':
    case 'llm':
    case 'tool':
      return ['next'];
    case 'ask':
      if (node.data.answer.kind === 'confirm') return ['yes', 'no'];
      return handlesOf(node).filter((h) => h !== 'invalid');
    case 'condition':
      return handlesOf(node);
    case 'handoff':
    case 'end':
      return undefined;
  }
}

function deadEnds({ flow, connectedExits }: FlowGraph): Problem[] {
  const problems: Problem[] = [];
  for (const node of flow.nodes) {
    const exits = requiredExits(node);
    if (!exits || exits.some((h) => connectedExits.has(exitKey(node.id, h)))) continue;
    problems.push(warning('DEAD_END', { nodeId: node.id }, exits.length === 1 ? 'DEAD_END' : 'DEAD_END.many', { step: nameOf(node) }));
  }
  return problems;
}
