// Variables a template field can use: the built-in ones and those saved by the steps that can
// come before this one (following connections backwards). Pure.
import type { StepEdge, StepNode } from './flow-conversion';
import { i18n } from '../i18n';
import { savedVarsOf } from './step-catalog';

export interface KnownVariable {
  readonly name: string;
  /** Where it comes from, in plain words. */
  readonly from: string;
}

const t = (key: string, params?: Record<string, unknown>): string => i18n.t(key, { ns: 'editor', ...params });

export const BUILT_IN_VARIABLES: readonly KnownVariable[] = [
  {
    name: 'contact.name',
    get from() {
      return t('variables.contactName');
    },
  },
  {
    name: 'last_message',
    get from() {
      return t('variables.lastMessage');
    },
  },
  {
    name: 'open_now',
    get from() {
      return i18n.t('waowner:variables.openNow');
    },
  },
];

export function variablesBefore(nodeId: string, nodes: readonly StepNode[], edges: readonly StepEdge[]): KnownVariable[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const into = new Map<string, string[]>();
  for (const e of edges) {
    const list = into.get(e.target);
    if (list) list.push(e.source);
    else into.set(e.target, [e.source]);
  }
  const seen = new Set<string>();
  const todo = [...(into.get(nodeId) ?? [])];
  const found = new Map<string, string>();
  for (let id = todo.shift(); id !== undefined; id = todo.shift()) {
    if (seen.has(id)) continue;
    seen.add(id);
    const node = byId.get(id);
    if (node) {
      const step = node.data.step;
      for (const name of savedVarsOf(step)) if (!found.has(name)) found.set(name, t('variables.savedBy', { step: step.label?.trim() || node.id }));
    }
    todo.push(...(into.get(id) ?? []));
  }
  const saved = [...found].map(([name, from]) => ({ name, from })).sort((a, b) => a.name.localeCompare(b.name));
  return [...saved, ...BUILT_IN_VARIABLES];
}

/** Inserts `{{name}}` into `text` at the selection, returning the new text and caret position. */
export function insertPlaceholder(text: string, name: string, start = text.length, end = start): { text: string; caret: number } {
  const placeholder = `{{${name}}}`;
  const before = text.slice(0, start);
  const after = text.slice(end);
  const pad = before !== '' && !/\s$/.test(before) ? ' ' : '';
  const next = `${before}${pad}${placeholder}${after}`;
  return { text: next, caret: before.length + pad.length + placeholder.length };
}
