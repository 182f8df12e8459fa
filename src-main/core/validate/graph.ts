// The flow as a graph, indexed once for all validation rules, plus message helpers.
import { edgeHandle, type Flow, type FlowEdge, type FlowNode } from '../../shared/flow';
import type { Problem, ProblemParam, ProblemText } from '../../shared/problem';
import { formatProblemText, problemText, type ProblemKey } from '../../shared/problem-texts';
import type { WorkspaceConfig } from '../../shared/workspace-config';
import { handlesOf } from '../handles';

/** A tool a started server offers, with its approval status (see docs/mcp-approvals.md). */
export interface CatalogEntry {
  name: string;
  status: 'approved' | 'unapproved' | 'changed';
  /** For a changed tool: the parts that changed ("description", "inputSchema", ...). */
  changes?: readonly string[];
  /** The tool's input JSON Schema, when known: the arguments of a tool step are checked against it. */
  inputSchema?: Record<string, unknown>;
}

export interface ValidateOptions {
  config?: WorkspaceConfig;
  /**
   * server -> the tools the server actually offers (known once the servers were started):
   * names only (status unknown), or entries with their approval status.
   */
  catalog?: Record<string, readonly (string | CatalogEntry)[]>;
}

export interface FlowGraph {
  flow: Flow;
  /** Every node carrying an id (more than one only when ids are duplicated). */
  nodesWithId: Map<string, FlowNode[]>;
  /** The first start node, the one a conversation begins at. */
  start: FlowNode | undefined;
  /** Edges the runtime can follow: source and target exist, the source offers the handle. */
  followable: FlowEdge[];
  /** Followable edges by source id. */
  out: Map<string, FlowEdge[]>;
  /** All edges by target id, followable or not. */
  into: Map<string, FlowEdge[]>;
  /** "source\u0000handle" of every edge, followable or not. */
  connectedExits: Set<string>;
  /** Node ids reachable from the start (empty without a start). */
  reachable: Set<string>;
}

export function buildGraph(flow: Flow): FlowGraph {
  const nodesWithId = new Map<string, FlowNode[]>();
  for (const node of flow.nodes) push(nodesWithId, node.id, node);
  const start = flow.nodes.find((n) => n.type === 'start');
  const followable = flow.edges.filter(
    (e) => nodesWithId.has(e.target) && handlesOfId(nodesWithId, e.source).has(edgeHandle(e)),
  );
  const out = new Map<string, FlowEdge[]>();
  for (const e of followable) push(out, e.source, e);
  const into = new Map<string, FlowEdge[]>();
  for (const e of flow.edges) push(into, e.target, e);
  const connectedExits = new Set(flow.edges.map((e) => exitKey(e.source, edgeHandle(e))));
  const reachable = new Set<string>();
  if (start) {
    const todo = [start.id];
    reachable.add(start.id);
    for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
      for (const e of out.get(id) ?? []) {
        if (!reachable.has(e.target)) {
          reachable.add(e.target);
          todo.push(e.target);
        }
      }
    }
  }
  return { flow, nodesWithId, start, followable, out, into, connectedExits, reachable };
}

export const exitKey = (nodeId: string, handle: string): string => `${nodeId}\u0000${handle}`;

/** Handles offered by the node(s) with this id; empty when there is no such node. */
export function handlesOfId(nodesWithId: Map<string, FlowNode[]>, id: string): Set<string> {
  return new Set((nodesWithId.get(id) ?? []).flatMap(handlesOf));
}

export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** What the owner calls the step: its label, else its id. */
export const nameOf = (node: FlowNode): string => (node.label?.trim() ? node.label.trim() : node.id);

/** `"Confirm order"`, `"Confirm order" (its No answer)`, ... for a connection's starting point. */
export function describeExit(graph: FlowGraph, edge: FlowEdge): ProblemText {
  const node = graph.nodesWithId.get(edge.source)?.[0];
  if (!node) return problemText('from.missing', { source: edge.source });
  const exit = exitWords(edgeHandle(edge));
  if (node.type === 'start') return problemText('from.start');
  return exit ? problemText('from.step_exit', { step: nameOf(node), exit }) : problemText('from.step', { step: nameOf(node) });
}

function exitWords(handle: string): ProblemText | undefined {
  switch (handle) {
    case 'next':
      return undefined;
    case 'yes':
    case 'no':
    case 'error':
    case 'invalid':
    case 'else':
      return problemText(`exit.${handle}` as const);
    default:
      return problemText('exit.named', { handle });
  }
}

export const exitName = (handle: string): ProblemText => exitWords(handle) ?? problemText('exit.next');

type Where = Pick<Problem, 'nodeId' | 'edgeId' | 'field'>;
/** A problem whose message is the catalogue's `key` with `params`: in English here, any language in the studio. */
const problem = (code: string, severity: Problem['severity'], where: Where, key: ProblemKey, params?: Record<string, ProblemParam>): Problem => {
  const located: Where = {};
  if (where.nodeId !== undefined) located.nodeId = where.nodeId;
  if (where.edgeId !== undefined) located.edgeId = where.edgeId;
  if (where.field !== undefined) located.field = where.field;
  const text = problemText(key, params);
  return { code, severity, ...located, message: formatProblemText(text), text };
};
export const error = (code: string, where: Where, key: ProblemKey, params?: Record<string, ProblemParam>): Problem => problem(code, 'error', where, key, params);
export const warning = (code: string, where: Where, key: ProblemKey, params?: Record<string, ProblemParam>): Problem => problem(code, 'warning', where, key, params);
