// What each kind of step is called, looks like and starts with, in the owner's words.
// Pure data and functions (no React) so the store, the cards and the tests share one list.
import type { Answer, FlowNode, NodeOf, NodeType } from '../../src-main/shared/flow';
import { savedVariables, stepExits } from '../../src-main/shared/flow';
import { customerTexts } from '../../src-main/shared/customer-texts';
import { i18n } from '../i18n';

/** A step as the editor holds it: a flow node without its id and position. */
export type Step = { [T in NodeType]: { type: T; label?: string; data: NodeOf<T>['data'] } }[NodeType];
export type StepOf<T extends NodeType> = Extract<Step, { type: T }>;

export interface StepKind {
  readonly type: NodeType;
  /** The friendly name on the palette and the card. */
  readonly name: string;
  /** One sentence for the palette tooltip and the inspector. */
  readonly help: string;
  /** CSS colour token suffix: var(--step-<tone>). */
  readonly tone: string;
}

/** The editor's words (namespace `editor`), read when shown: they follow the studio's language. */
const t = (key: string, params?: Record<string, unknown>): string => i18n.t(key, { ns: 'editor', ...params });

const stepKind = (type: NodeType): StepKind => ({
  type,
  tone: type,
  get name() {
    return t(`steps.${type}.name`);
  },
  get help() {
    return t(`steps.${type}.help`);
  },
});

export const STEP_KINDS: Readonly<Record<NodeType, StepKind>> = {
  start: stepKind('start'),
  message: stepKind('message'),
  ask: stepKind('ask'),
  llm: stepKind('llm'),
  tool: stepKind('tool'),
  condition: stepKind('condition'),
  set: stepKind('set'),
  handoff: stepKind('handoff'),
  end: stepKind('end'),
};

/** The palette, in the order people reach for the steps. Start is last: a flow has one already. */
export const PALETTE: readonly NodeType[] = ['message', 'ask', 'llm', 'tool', 'condition', 'set', 'handoff', 'end', 'start'];

export const isNodeType = (value: unknown): value is NodeType => typeof value === 'string' && Object.hasOwn(STEP_KINDS, value);

/** What a new step of this kind starts with; its text in `language` (the flow's) where it has one. */
export function defaultStep(type: NodeType, language?: string): Step {
  switch (type) {
    case 'start':
      return { type, data: {} };
    case 'message':
      return { type, data: { text: '' } };
    case 'ask':
      return { type, data: { question: '', answer: { kind: 'text' } } };
    case 'llm':
      return { type, data: { instructions: '', tools: [], output: { mode: 'reply' } } };
    case 'tool':
      return { type, data: { server: '', tool: '', args: {} } };
    case 'condition':
      return { type, data: { rules: [{ var: 'last_message', op: 'contains', value: '', handle: 'match' }] } };
    case 'set':
      return { type, data: { assign: {} } };
    case 'handoff':
      return { type, data: { text: customerTexts(language).handoff } };
    case 'end':
      return { type, data: { text: '' } };
  }
}

const ANSWER_KIND_IDS: readonly Answer['kind'][] = ['text', 'number', 'choice', 'confirm', 'date', 'phone', 'email'];
export const ANSWER_KINDS: readonly { kind: Answer['kind']; name: string }[] = ANSWER_KIND_IDS.map((kind) => ({
  kind,
  get name() {
    return t(`answers.${kind}`);
  },
}));

const CONDITION_OP_IDS = ['equals', 'contains', 'gt', 'lt', 'exists', 'matches'] as const;
export const CONDITION_OPS: readonly { op: (typeof CONDITION_OP_IDS)[number]; name: string }[] = CONDITION_OP_IDS.map((op) => ({
  op,
  get name() {
    return t(`ops.${op}`);
  },
}));

const oneLine = (text: string, max = 80): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};
const quote = (text: string): string => `“${oneLine(text)}”`;

/** The one-line summary on the card: what the step does, in plain words. */
export function summaryOf(step: Step): string {
  switch (step.type) {
    case 'start':
      return t('summary.start');
    case 'message':
      return step.data.text.trim() ? quote(step.data.text) : t('summary.noText');
    case 'ask': {
      const q = step.data.question.trim() ? quote(step.data.question) : t('summary.noQuestion');
      return step.data.saveAs ? `${q} → ${step.data.saveAs}` : q;
    }
    case 'llm': {
      const tools = step.data.tools.length;
      const out = step.data.output.mode === 'save' ? t('summary.savesTo', { name: step.data.output.var }) : t('summary.replies');
      const instructions = step.data.instructions.trim() ? quote(step.data.instructions) : t('summary.noInstructions');
      return [instructions, out, ...(tools ? [t('summary.tools', { count: tools })] : [])].join(' · ');
    }
    case 'tool':
      if (!step.data.tool) return t('summary.noTool');
      return `${t('summary.toolOn', { tool: step.data.tool, server: step.data.server || '?' })}${step.data.saveAs ? ` → ${step.data.saveAs}` : ''}`;
    case 'condition': {
      const n = step.data.rules.length;
      const first = step.data.rules[0];
      if (!first) return t('summary.noRules');
      const op = CONDITION_OPS.find((o) => o.op === first.op)?.name ?? first.op;
      const value = first.op === 'exists' ? '' : ` ${JSON.stringify(first.value ?? '')}`;
      return `${t('summary.if', { var: first.var, op, value })}${n > 1 ? ` ${t('summary.more', { count: n - 1 })}` : ''}`;
    }
    case 'set': {
      const names = Object.keys(step.data.assign);
      return names.length ? t('summary.remembers', { names: names.join(', ') }) : t('summary.nothingToRemember');
    }
    case 'handoff':
      return step.data.text?.trim() ? quote(step.data.text) : t('summary.handoff');
    case 'end':
      return step.data.text?.trim() ? quote(step.data.text) : t('summary.end');
  }
}

export type HandleTone = 'next' | 'yes' | 'no' | 'error' | 'else' | 'invalid' | 'option';
export interface HandleInfo {
  readonly id: string;
  readonly label: string;
  readonly tone: HandleTone;
}

/** The exits of a step (ids from shared/flow's stepExits), with the words on the card. */
export function exitsOf(step: Step): HandleInfo[] {
  const ids = stepExits(step).filter((id) => id !== '');
  // On the card "Not understood" comes after a question's options.
  const ordered = [...ids.filter((id) => id !== 'invalid'), ...ids.filter((id) => id === 'invalid')];
  return ordered.map((id) => exitInfo(step, id));
}

function exitInfo(step: Step, id: string): HandleInfo {
  // A condition's rules and a question's options are named by the owner: shown as they are.
  if (step.type === 'condition') return id === 'else' ? { id, label: t('exits.else'), tone: 'else' } : { id, label: id, tone: 'option' };
  const choice = step.type === 'ask' && step.data.answer.kind === 'choice';
  if (choice && id !== 'next' && id !== 'invalid') return { id, label: id, tone: 'option' };
  switch (id) {
    case 'next':
      if (step.type === 'tool') return { id, label: t('exits.done'), tone: 'next' };
      if (step.type === 'ask') return { id, label: step.data.answer.kind === 'choice' ? t('exits.any') : t('exits.answer'), tone: 'next' };
      return { id, label: '', tone: 'next' };
    case 'yes':
    case 'no':
      if (step.type === 'ask') return { id, label: id === 'yes' ? t('exits.yes') : t('exits.no'), tone: id };
      break;
    case 'invalid':
      if (step.type === 'ask') return { id, label: t('exits.invalid'), tone: 'invalid' };
      break;
    case 'error':
      if (step.type === 'tool') return { id, label: t('exits.error'), tone: 'error' };
      break;
  }
  return { id, label: id, tone: 'option' };
}

/** A step from a flow node (drops id and position). */
export function stepOf(node: FlowNode): Step {
  // Each branch rebuilds the pair so the union stays correlated without a cast.
  const label = node.label !== undefined ? { label: node.label } : {};
  switch (node.type) {
    case 'start':
      return { type: node.type, ...label, data: node.data };
    case 'message':
      return { type: node.type, ...label, data: node.data };
    case 'ask':
      return { type: node.type, ...label, data: node.data };
    case 'llm':
      return { type: node.type, ...label, data: node.data };
    case 'tool':
      return { type: node.type, ...label, data: node.data };
    case 'condition':
      return { type: node.type, ...label, data: node.data };
    case 'set':
      return { type: node.type, ...label, data: node.data };
    case 'handoff':
      return { type: node.type, ...label, data: node.data };
    case 'end':
      return { type: node.type, ...label, data: node.data };
  }
}

/** Variables a step saves, for the "insert variable" menu. */
export function savedVarsOf(step: Step): string[] {
  return savedVariables(step)
    .map((v) => v.name)
    .filter((name) => name !== '');
}

/** What the owner calls the step: its label, else its friendly kind name. */
export const titleOf = (step: Step): string => step.label?.trim() || STEP_KINDS[step.type].name;
