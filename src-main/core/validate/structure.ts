// How the steps are wired: one start, unique ids, connections that lead somewhere, one
// connection per exit, every step reachable, no silent dead ends.
import { edgeHandle, type FlowEdge, type FlowNode } from '../../shared/flow';
import type { Problem } from '../../shared/problem';
import { handlesOf } from '../handles';
import { error, exitKey, exitName, handlesOfId, joinWords, push, quoted, warning, type FlowGraph } from './graph';

export function structureProblems(graph: FlowGraph): Problem[] {
  return [...startProblems(graph), ...duplicateIds(graph), ...edgeProblems(graph), ...conditionElse(graph), ...unreachable(graph), ...deadEnds(graph)];
}

function startProblems({ flow, start }: FlowGraph): Problem[] {
  if (!start) {
    return [error('FLOW_NO_START', {}, 'This flow has no Start step, so a conversation cannot begin. Add a Start step and connect it to the first message or question.')];
  }
  return flow.nodes
    .filter((n) => n.type === 'start' && n !== start)
    .map((n) =>
      error('FLOW_MULTIPLE_START', { nodeId: n.id }, `This flow has more than one Start step (${quoted(n)} and ${quoted(start)}). A conversation begins at one place only: delete the extra Start step.`),
    );
}

function duplicateIds({ flow }: FlowGraph): Problem[] {
  const problems: Problem[] = [];
  const nodeIds = new Set<string>();
  for (const n of flow.nodes) {
    if (nodeIds.has(n.id)) problems.push(error('NODE_DUPLICATE_ID', { nodeId: n.id }, `Two steps have the same id "${n.id}", so connections to it are ambiguous. Give one of them another id.`));
    nodeIds.add(n.id);
  }
  const edgeIds = new Set<string>();
  for (const e of flow.edges) {
    if (edgeIds.has(e.id)) problems.push(error('EDGE_DUPLICATE_ID', { edgeId: e.id }, `Two connections have the same id "${e.id}". Delete one of them and draw it again.`));
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
      problems.push(error('EDGE_MISSING_SOURCE', { edgeId: e.id, nodeId: target?.id }, `A connection${target ? ` into ${quoted(target)}` : ''} starts at a step "${e.source}" that does not exist (it was probably deleted). Delete this connection.`));
    }
    if (!target) {
      problems.push(error('EDGE_MISSING_TARGET', { edgeId: e.id, nodeId: source?.id }, `A connection${source ? ` from ${quoted(source)}` : ''} leads to a step "${e.target}" that does not exist (it was probably deleted). Connect it to another step or delete it.`));
    } else if (target.type === 'start') {
      problems.push(error('EDGE_INTO_START', { edgeId: e.id, nodeId: target.id }, `A connection leads back into the Start step. The Start step only begins a conversation: connect this to the first real step instead.`));
    }
    if (!source) continue;
    const handle = edgeHandle(e);
    const offered = handlesOfId(nodesWithId, e.source);
    if (!offered.has(handle)) {
      const choices = offered.size > 0 ? `It offers: ${[...offered].join(', ')}.` : 'This kind of step ends the conversation and has no exits.';
      problems.push(error('EDGE_UNKNOWN_HANDLE', { edgeId: e.id, nodeId: source.id }, `A connection leaves ${quoted(source)} from an exit called "${handle}", which this step does not have. ${choices} Delete the connection or draw it again from the right exit.`));
      continue;
    }
    push(byExit, exitKey(e.source, handle), e);
  }
  for (const edges of byExit.values()) {
    const [first, second] = edges;
    if (!first || !second) continue;
    const source = nodesWithId.get(first.source)![0]!;
    const targets = edges.map((e) => nodesWithId.get(e.target)?.[0]).map((t, i) => (t ? quoted(t) : `"${edges[i]!.target}"`));
    problems.push(error('HANDLE_MULTIPLE_EDGES', { edgeId: second.id, nodeId: source.id }, `${quoted(source)} has ${edges.length} connections leaving ${exitName(edgeHandle(first))} (to ${joinWords(targets)}). A conversation can only go one way: keep one connection and delete the others.`));
  }
  return problems;
}

function conditionElse({ flow, connectedExits }: FlowGraph): Problem[] {
  return flow.nodes
    .filter((n) => n.type === 'condition' && !connectedExits.has(exitKey(n.id, 'else')))
    .map((n) => error('CONDITION_NO_ELSE', { nodeId: n.id }, `The decision step ${quoted(n)} has no "otherwise" connection, so the conversation would stop when none of its rules holds. Connect its "otherwise" exit to the step that should follow in that case.`));
}

function unreachable({ flow, start, reachable }: FlowGraph): Problem[] {
  if (!start) return [];
  return flow.nodes
    .filter((n) => n.type !== 'start' && !reachable.has(n.id))
    .map((n) => warning('NODE_UNREACHABLE', { nodeId: n.id }, `No conversation can reach the step ${quoted(n)}: no path leads to it from the Start step. Connect it, or delete it if it is not needed.`));
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
    const what = exits.length === 1 ? 'its Next exit is not connected' : 'none of its exits is connected';
    problems.push(warning('DEAD_END', { nodeId: node.id }, `After ${quoted(node)} the conversation would stop without a word, because ${what}. Connect it to the next step, or to an End step with a goodbye.`));
  }
  return problems;
}
