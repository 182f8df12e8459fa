// The one-click fix for WRITE_TOOL_UNGUARDED: put a Yes/No confirmation question in front of
// a tool that changes data. Pure: it returns a patch the store applies (and the tests check).
//
// Decisions:
// - Only the tool's unguarded incoming connections are moved onto the new question; a
//   connection that already comes from the Yes answer of another confirmation stays, so the
//   customer is never asked twice.
// - The question's No answer goes to a new End step "OK, I won't do that." next to it, so the
//   conversation never stops silently; the owner can reconnect it elsewhere.
// - The tool and the steps after it that sit below it move down to make room.
import type { FlowEdge, FlowNode, NodeOf } from '../../src-main/shared/flow';
import { i18n } from '../i18n';
import { nextEdgeId, uniqueId } from './ids';

export interface ConfirmFix {
  /** The new confirmation question and the End step for its No answer. */
  add: FlowNode[];
  /** New positions of steps moved down to make room. */
  move: Record<string, { x: number; y: number }>;
  /** Incoming connections of the tool that now point at the question. */
  retarget: Record<string, string>;
  /** New connections: question Yes -> tool, question No -> End. */
  connect: FlowEdge[];
  askId: string;
}

export const ROOM = 150;
export const DECLINE_TEXT = "OK, I won't do that.";

/** "create_ticket" -> "create a ticket", "updateOrderStatus" -> "update the order status". */
export function actionWords(tool: string): string {
  const words = tool
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_\-.]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  const [verb, ...rest] = words;
  if (verb === undefined) return 'go ahead';
  if (rest.length === 0) return verb;
  const first = rest[0] ?? '';
  const plural = rest[rest.length - 1]?.endsWith('s') ?? false;
  const article = ['a', 'an', 'the', 'my', 'your'].includes(first)
    ? ''
    : CREATING.has(verb) && !plural
      ? /^[aeiou]/.test(first)
        ? 'an '
        : 'a '
      : 'the ';
  return `${verb} ${article}${rest.join(' ')}`;
}
const CREATING = new Set(['create', 'add', 'open', 'book', 'send', 'make', 'new', 'place', 'schedule', 'submit', 'post', 'log', 'register', 'start']);

/** "customerId" -> "customer id", "due_date" -> "due date". */
export const argWords = (name: string): string =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_\-.]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase())
    .join(' ');

/** The question, worded from the tool and its arguments (templates kept, plain values quoted). */
export function confirmationQuestion(tool: string, args: Readonly<Record<string, string>>): string {
  const parts = Object.entries(args)
    .filter(([, v]) => v.trim() !== '')
    .map(([name, value]) => `${argWords(name)} ${/^\s*\{\{[^}]+\}\}\s*$/.test(value) ? value.trim() : `“${value.trim()}”`}`);
  const list = parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  return `Shall I ${actionWords(tool)}${list ? ` with ${list}` : ''}?`;
}

function isConfirmYes(nodes: readonly FlowNode[], edge: FlowEdge): boolean {
  const source = nodes.find((n) => n.id === edge.source);
  return (edge.sourceHandle ?? 'next') === 'yes' && source?.type === 'ask' && source.data.answer.kind === 'confirm';
}

/** Steps reachable from `id` (not including it), following connections forward. */
function downstream(edges: readonly FlowEdge[], id: string): Set<string> {
  const seen = new Set<string>();
  const todo = [id];
  for (let at = todo.pop(); at !== undefined; at = todo.pop()) {
    for (const e of edges) {
      if (e.source === at && !seen.has(e.target) && e.target !== id) {
        seen.add(e.target);
        todo.push(e.target);
      }
    }
  }
  return seen;
}

export function confirmationFix(nodes: readonly FlowNode[], edges: readonly FlowEdge[], toolId: string): ConfirmFix | undefined {
  const tool = nodes.find((n): n is NodeOf<'tool'> => n.id === toolId && n.type === 'tool');
  if (!tool) return undefined;
  const taken = new Set(nodes.map((n) => n.id));
  const preferred = `confirm-${tool.id}`;
  const finalAskId = taken.has(preferred) ? uniqueId(preferred, taken) : preferred;
  taken.add(finalAskId);
  const endId = uniqueId('not-done', taken);

  const { x, y } = tool.position;
  const move: Record<string, { x: number; y: number }> = { [tool.id]: { x, y: y + ROOM } };
  for (const id of downstream(edges, tool.id)) {
    const n = nodes.find((m) => m.id === id);
    if (n && n.position.y >= y) move[id] = { x: n.position.x, y: n.position.y + ROOM };
  }

  const ask: NodeOf<'ask'> = {
    id: finalAskId,
    type: 'ask',
    position: { x, y },
    label: i18n.t('fix.confirmLabel', { ns: 'editor' }),
    data: { question: confirmationQuestion(tool.data.tool, tool.data.args), answer: { kind: 'confirm' } },
  };
  const end: NodeOf<'end'> = { id: endId, type: 'end', position: { x: x + 260, y: y + ROOM }, label: i18n.t('fix.declinedLabel', { ns: 'editor' }), data: { text: DECLINE_TEXT } };

  const retarget: Record<string, string> = {};
  for (const e of edges) if (e.target === tool.id && !isConfirmYes(nodes, e)) retarget[e.id] = finalAskId;

  const ids = edges.map((e) => e.id);
  const yesId = nextEdgeId(ids);
  const noId = nextEdgeId([...ids, yesId]);
  return {
    askId: finalAskId,
    add: [ask, end],
    move,
    retarget,
    connect: [
      { id: yesId, source: finalAskId, sourceHandle: 'yes', target: tool.id },
      { id: noId, source: finalAskId, sourceHandle: 'no', target: endId },
    ],
  };
}

/** The fix applied to plain nodes and edges (the store applies the same patch to its own). */
export function applyConfirmFix(nodes: readonly FlowNode[], edges: readonly FlowEdge[], fix: ConfirmFix): { nodes: FlowNode[]; edges: FlowEdge[] } {
  return {
    nodes: [...nodes.map((n) => (fix.move[n.id] ? { ...n, position: fix.move[n.id]! } : n)), ...fix.add],
    edges: [...edges.map((e) => (fix.retarget[e.id] ? { ...e, target: fix.retarget[e.id]! } : e)), ...fix.connect],
  };
}
