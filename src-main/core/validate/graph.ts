// The flow as a graph, indexed once for all validation rules, plus message helpers.
import { edgeHandle, type Flow, type FlowEdge, type FlowNode } from '../../shared/flow';
import type { Problem } from '../../shared/problem';
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
export const quoted = (node: FlowNode): string => `"${nameOf(node)}"`;

/** `"Confirm order"`, `"Confirm order" (its No answer)`, ... for a connection's starting point. */
export function describeExit(graph: FlowGraph, edge: FlowEdge): string {
  const node = graph.nodesWithId.get(edge.source)?.[0];
  if (!node) return `a connection from "${edge.source}", a step that does not exist`;
  const handle = edgeHandle(edge);
  const exit = exitWords(handle);
  if (node.type === 'start') return 'the start of the conversation';
  return exit ? `${quoted(node)} (${exit})` : quoted(node);
}

function exitWords(handle: string): string | undefined {
  switch (handle) {
    case 'next':
      return undefined;
    case 'yes':
      return 'its Yes answer';
    case 'no':
      return 'its No answer';
    case 'error':
      return 'its error exit';
    case 'invalid':
      return 'its exit for answers it could not understand';
    case 'else':
      return 'its "otherwise" exit';
    default:
      return `its "${handle}" exit`;
  }
}

export const exitName = (handle: string): string => exitWords(handle) ?? 'its Next exit';

/** "A", "A and B", "A, B and C". */
export function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

type Where = Pick<Problem, 'nodeId' | 'edgeId' | 'field'>;
const problem = (code: string, severity: Problem['severity'], where: Where, message: string): Problem => {
  const located: Where = {};
  if (where.nodeId !== undefined) located.nodeId = where.nodeId;
  if (where.edgeId !== undefined) located.edgeId = where.edgeId;
  if (where.field !== undefined) located.field = where.field;
  return { code, severity, ...located, message };
};
export const error = (code: string, where: Where, message: string): Problem => problem(code, 'error', where, message);
export const warning = (code: string, where: Where, message: string): Problem => problem(code, 'warning', where, message);
