// What each kind of step is called, looks like and starts with, in the owner's words.
// Pure data and functions (no React) so the store, the cards and the tests share one list.
import type { Answer, FlowNode, NodeOf, NodeType } from '../../src-main/shared/flow';
import { savedVariables, stepExits } from '../../src-main/shared/flow';
import { customerTexts } from '../../src-main/shared/customer-texts';

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

export const STEP_KINDS: Readonly<Record<NodeType, StepKind>> = {
  start: { type: 'start', name: 'Start', help: 'Where every conversation begins. A flow has exactly one.', tone: 'start' },
  message: { type: 'message', name: 'Send a message', help: 'The bot sends a message and goes straight on.', tone: 'message' },
  ask: { type: 'ask', name: 'Ask a question', help: 'The bot asks something and waits for the answer.', tone: 'ask' },
  llm: { type: 'llm', name: 'AI step', help: 'The AI model answers or works something out, following your instructions.', tone: 'llm' },
  tool: { type: 'tool', name: 'Use a tool', help: 'Looks something up or changes something in another system (for example your CRM).', tone: 'tool' },
  condition: { type: 'condition', name: 'Check a condition', help: 'Goes one way or another depending on what the bot knows.', tone: 'condition' },
  set: { type: 'set', name: 'Remember a value', help: 'Saves a value the later steps can use.', tone: 'set' },
  handoff: { type: 'handoff', name: 'Hand over to a person', help: 'A colleague takes over; the bot stops replying in this chat.', tone: 'handoff' },
  end: { type: 'end', name: 'End', help: 'Ends the conversation, optionally with a goodbye.', tone: 'end' },
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

export const ANSWER_KINDS: readonly { kind: Answer['kind']; name: string }[] = [
  { kind: 'text', name: 'Any text' },
  { kind: 'number', name: 'A number' },
  { kind: 'choice', name: 'One of a few options' },
  { kind: 'confirm', name: 'Yes or no (confirmation)' },
  { kind: 'date', name: 'A date ("24/12", "tomorrow", "saturday")' },
  { kind: 'phone', name: 'A phone number' },
  { kind: 'email', name: 'An email address' },
];

export const CONDITION_OPS = [
  { op: 'equals', name: 'is' },
  { op: 'contains', name: 'contains' },
  { op: 'gt', name: 'is more than' },
  { op: 'lt', name: 'is less than' },
  { op: 'exists', name: 'is set' },
  { op: 'matches', name: 'matches the pattern' },
] as const;

const oneLine = (text: string, max = 80): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};
const quote = (text: string): string => `“${oneLine(text)}”`;

/** The one-line summary on the card: what the step does, in plain words. */
export function summaryOf(step: Step): string {
  switch (step.type) {
    case 'start':
      return 'The conversation begins here';
    case 'message':
      return step.data.text.trim() ? quote(step.data.text) : 'No text yet';
    case 'ask': {
      const q = step.data.question.trim() ? quote(step.data.question) : 'No question yet';
      return step.data.saveAs ? `${q} → ${step.data.saveAs}` : q;
    }
    case 'llm': {
      const tools = step.data.tools.length;
      const out = step.data.output.mode === 'save' ? `saves to ${step.data.output.var}` : 'replies to the customer';
      return `${step.data.instructions.trim() ? quote(step.data.instructions) : 'No instructions yet'} · ${out}${tools ? ` · ${tools} tool${tools > 1 ? 's' : ''}` : ''}`;
    }
    case 'tool':
      return step.data.tool ? `${step.data.tool} on ${step.data.server || '?'}${step.data.saveAs ? ` → ${step.data.saveAs}` : ''}` : 'No tool picked yet';
    case 'condition': {
      const n = step.data.rules.length;
      const first = step.data.rules[0];
      if (!first) return 'No rules yet';
      const op = CONDITION_OPS.find((o) => o.op === first.op)?.name ?? first.op;
      const value = first.op === 'exists' ? '' : ` ${JSON.stringify(first.value ?? '')}`;
      return `If ${first.var} ${op}${value}${n > 1 ? ` (+${n - 1} more)` : ''}`;
    }
    case 'set': {
      const names = Object.keys(step.data.assign);
      return names.length ? `Remembers ${names.join(', ')}` : 'Nothing to remember yet';
    }
    case 'handoff':
      return step.data.text?.trim() ? quote(step.data.text) : 'A person takes over';
    case 'end':
      return step.data.text?.trim() ? quote(step.data.text) : 'The conversation ends';
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
  if (step.type === 'condition') return id === 'else' ? { id, label: 'Otherwise', tone: 'else' } : { id, label: id, tone: 'option' };
  const choice = step.type === 'ask' && step.data.answer.kind === 'choice';
  if (choice && id !== 'next' && id !== 'invalid') return { id, label: id, tone: 'option' };
  switch (id) {
    case 'next':
      if (step.type === 'tool') return { id, label: 'Done', tone: 'next' };
      if (step.type === 'ask') return { id, label: step.data.answer.kind === 'choice' ? 'Any' : 'Answer', tone: 'next' };
      return { id, label: '', tone: 'next' };
    case 'yes':
    case 'no':
      if (step.type === 'ask') return { id, label: id === 'yes' ? 'Yes' : 'No', tone: id };
      break;
    case 'invalid':
      if (step.type === 'ask') return { id, label: 'Not understood', tone: 'invalid' };
      break;
    case 'error':
      if (step.type === 'tool') return { id, label: 'If it fails', tone: 'error' };
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
