// Pure conversions between the flow file (the shared FlowSchema) and what React Flow draws.
// Loading parses with the shared schema (never a cast); saving builds a plain Flow with
// positions rounded to whole pixels, so the JSON on disk stays readable and diffs stay small.
import type { Edge, Node } from '@xyflow/react';
import { FlowSchema, type Flow, type FlowEdge, type FlowNode, type NodeType } from '../../src-main/shared/flow';
import { i18n } from '../i18n';
import { isNodeType, STEP_KINDS, stepOf, type Step } from './step-catalog';

/** A node's data: its step, and its problem counts for the badge (not part of the flow file). */
export type StepNodeData = { step: Step; errors?: number; warnings?: number };
export type StepNode = Node<StepNodeData, NodeType>;
/** `targetHandle` of the file kept aside: our cards have one unnamed entry point. */
export type StepEdgeData = { targetHandle?: string | null };
export type StepEdge = Edge<StepEdgeData>;

/** The flow's own fields: everything but nodes and edges (a new flow field is kept without a change here). */
export type FlowMeta = Omit<Flow, 'nodes' | 'edges'>;

export interface EditorGraph {
  meta: FlowMeta;
  nodes: StepNode[];
  edges: StepEdge[];
}

/** Every field but nodes and edges, copied (not listed by hand: a field left out would be dropped on the first autosave). */
export function metaOf(flow: Flow): FlowMeta {
  const { nodes: _nodes, edges: _edges, ...meta } = flow;
  return structuredClone(meta);
}

export function toStepNode(node: FlowNode): StepNode {
  return { id: node.id, type: node.type, position: { x: node.position.x, y: node.position.y }, data: { step: stepOf(node) } };
}

export function toStepEdge(edge: FlowEdge): StepEdge {
  const result: StepEdge = { id: edge.id, source: edge.source, sourceHandle: edge.sourceHandle ?? 'next', target: edge.target };
  if (edge.targetHandle !== undefined) result.data = { targetHandle: edge.targetHandle };
  return result;
}

export function flowToGraph(flow: Flow): EditorGraph {
  return { meta: metaOf(flow), nodes: flow.nodes.map(toStepNode), edges: flow.edges.map(toStepEdge) };
}

/** A flow node from a step: keys in the file's usual order. */
export function toFlowNode(id: string, position: { x: number; y: number }, step: Step): FlowNode {
  const at = { x: Math.round(position.x), y: Math.round(position.y) };
  // Spreading the (union) step keeps type and data correlated.
  return { id, position: at, ...step };
}

export function fromStepNode(node: StepNode): FlowNode {
  return toFlowNode(node.id, node.position, node.data.step);
}

export function fromStepEdge(edge: StepEdge): FlowEdge {
  const result: FlowEdge = { id: edge.id, source: edge.source, sourceHandle: edge.sourceHandle ?? 'next', target: edge.target };
  const targetHandle = edge.data?.targetHandle;
  if (targetHandle !== undefined) result.targetHandle = targetHandle;
  return result;
}

/**
 * The flow as it would be saved. Typed, but not checked: a step being edited may still break a
 * rule of the schema (an empty tool name); see `checkFlow`.
 */
export function graphToFlow(meta: FlowMeta, nodes: readonly StepNode[], edges: readonly StepEdge[]): Flow {
  return { ...meta, nodes: nodes.map(fromStepNode), edges: edges.map(fromStepEdge) };
}

export type FlowCheck = { ok: true; flow: Flow } | { ok: false; reasons: string[] };

/**
 * Parses a value (a file's JSON, an API answer, the editor's own state) with the shared schema.
 * Reasons are in the owner's words and name the step ("the step “Create ticket”: tool: must not be empty").
 */
export function checkFlow(value: unknown): FlowCheck {
  const parsed = FlowSchema.safeParse(value);
  if (parsed.success) return { ok: true, flow: parsed.data };
  const reasons = parsed.error.issues.map((issue) => describeIssue(value, issue.path, issue.message));
  return { ok: false, reasons: [...new Set(reasons)] };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function describeIssue(value: unknown, path: readonly PropertyKey[], message: string): string {
  const [head, index, ...rest] = path;
  const field = rest.filter((k) => k !== 'data').map(String).join(' ');
  const reason = friendlyMessage(message);
  const why = reason === EMPTY ? t('check.empty') : reason;
  if (head === 'nodes' && typeof index === 'number' && isRecord(value) && Array.isArray(value.nodes)) {
    const node: unknown = value.nodes[index];
    const label = isRecord(node) && typeof node.label === 'string' && node.label.trim() ? node.label.trim() : undefined;
    const id = isRecord(node) && typeof node.id === 'string' ? node.id : `#${index + 1}`;
    const type = isRecord(node) ? node.type : undefined;
    const name = label ?? (isNodeType(type) ? `${STEP_KINDS[type].name} (${id})` : id);
    if (type === 'tool' && (field === 'server' || field === 'tool') && reason === EMPTY) {
      return t('check.noTool', { name });
    }
    return field ? t('check.stepField', { name, field: fieldWords(field), why }) : t('check.step', { name, why });
  }
  if (head === 'edges') return t('check.edge', { why });
  return t('check.other', { where: path.map(String).join(' ') || t('check.theFlow'), why });
}

/** The settings named in reasons (editor namespace: check.fields.<key>). */
const FIELD_KEYS: Readonly<Record<string, string>> = { server: 'server', tool: 'tool', saveAs: 'saveAs', 'output var': 'outputVar', question: 'question', text: 'text' };

function fieldWords(field: string): string {
  if (field.startsWith('assign ')) return t('check.fields.assign', { name: field.slice('assign '.length) });
  return Object.hasOwn(FIELD_KEYS, field) ? t(`check.fields.${FIELD_KEYS[field]}`) : field;
}

const EMPTY = 'empty';
function friendlyMessage(message: string): string {
  if (/Too small.*>=1 character/i.test(message)) return EMPTY;
  return message;
}

const t = (key: string, params?: Record<string, unknown>): string => i18n.t(key, { ns: 'editor', ...params });
