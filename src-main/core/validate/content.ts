// What each step says and decides: questions, choices, messages, condition rules, and
// variable names that would overwrite the built-in ones.
import type { ConditionRule, FlowNode, NodeOf } from '../../shared/flow';
import { savedVariables } from '../../shared/flow';
import type { Problem } from '../../shared/problem';
import { CollectionNameSchema } from '../../shared/knowledge';
import { error, nameOf, warning } from './graph';

/** `open_now`: whether the bot is open by its opening hours (true when it has none). */
export const BUILT_IN_VARS = ['contact', 'last_message', 'open_now'] as const;

export function contentProblems(nodes: FlowNode[]): Problem[] {
  return nodes.flatMap((node) => [...nodeContent(node), ...reservedVars(node)]);
}

function nodeContent(node: FlowNode): Problem[] {
  switch (node.type) {
    case 'message':
      return node.data.text.trim() === ''
        ? [error('MESSAGE_EMPTY', { nodeId: node.id, field: 'data.text' }, 'MESSAGE_EMPTY', { step: nameOf(node) })]
        : [];
    case 'ask':
      return askProblems(node);
    case 'condition':
      return conditionProblems(node);
    case 'llm':
      return knowledgeProblems(node);
    default:
      return [];
  }
}

function askProblems(node: NodeOf<'ask'>): Problem[] {
  const problems: Problem[] = [];
  const where = { nodeId: node.id };
  const step = nameOf(node);
  if (node.data.question.trim() === '') {
    problems.push(error('ASK_NO_QUESTION', { ...where, field: 'data.question' }, 'ASK_NO_QUESTION', { step }));
  }
  const answer = node.data.answer;
  if (answer.kind !== 'choice') return problems;
  const field = { ...where, field: 'data.answer.options' };
  if (answer.options.length === 0) {
    problems.push(error('ASK_CHOICE_NO_OPTIONS', field, 'ASK_CHOICE_NO_OPTIONS', { step }));
    return problems;
  }
  if (answer.options.some((o) => o.trim() === '')) {
    problems.push(error('ASK_CHOICE_NO_OPTIONS', field, 'ASK_CHOICE_NO_OPTIONS.empty_option', { step }));
  }
  const seen = new Set<string>();
  for (const option of answer.options) {
    const key = option.trim().toLowerCase();
    if (key === '') continue;
    if (seen.has(key)) {
      problems.push(error('ASK_CHOICE_NO_OPTIONS', field, 'ASK_CHOICE_NO_OPTIONS.duplicate', { step, option: option.trim() }));
    } else if (key === 'next' || key === 'invalid') {
      problems.push(error('ASK_CHOICE_NO_OPTIONS', field, 'ASK_CHOICE_NO_OPTIONS.reserved', { step, option: option.trim() }));
    }
    seen.add(key);
  }
  return problems;
}

/** An AI step's knowledge collections: at least one, each a valid name, none twice. */
function knowledgeProblems(node: NodeOf<'llm'>): Problem[] {
  const knowledge = node.data.knowledge;
  if (!knowledge) return [];
  const where = { nodeId: node.id, field: 'data.knowledge.collections' };
  const step = nameOf(node);
  if (knowledge.collections.length === 0) return [error('LLM_KNOWLEDGE_INVALID', where, 'LLM_KNOWLEDGE_INVALID', { step })];
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const collection of knowledge.collections) {
    if (!CollectionNameSchema.safeParse(collection).success) {
      problems.push(error('LLM_KNOWLEDGE_INVALID', where, 'LLM_KNOWLEDGE_INVALID.name', { step, collection }));
    } else if (seen.has(collection)) {
      problems.push(error('LLM_KNOWLEDGE_INVALID', where, 'LLM_KNOWLEDGE_INVALID.duplicate', { step, collection }));
    }
    seen.add(collection);
  }
  return problems;
}

function conditionProblems(node: NodeOf<'condition'>): Problem[] {
  const { rules } = node.data;
  if (rules.length === 0) {
    return [error('CONDITION_NO_RULES', { nodeId: node.id, field: 'data.rules' }, 'CONDITION_NO_RULES', { step: nameOf(node) })];
  }
  const problems: Problem[] = [];
  const handles = new Set<string>();
  rules.forEach((rule, i) => {
    const at = (f: string) => ({ nodeId: node.id, field: `data.rules[${i}].${f}` });
    const label: RuleLabel = { rule: i + 1, step: nameOf(node), var: rule.var };
    if (rule.handle === 'else' || handles.has(rule.handle)) {
      problems.push(error('CONDITION_DUPLICATE_HANDLE', at('handle'), rule.handle === 'else' ? 'CONDITION_DUPLICATE_HANDLE.else' : 'CONDITION_DUPLICATE_HANDLE', { ...label, handle: rule.handle }));
    }
    handles.add(rule.handle);
    if (!VAR_PATH.test(rule.var)) {
      problems.push(warning('CONDITION_BAD_VAR', at('var'), 'CONDITION_BAD_VAR', label));
    }
    problems.push(...ruleValueProblems(rule, label, at('value')));
  });
  return problems;
}

/** Which rule of which step, and the variable it checks: the parameters of every rule message. */
type RuleLabel = { rule: number; step: string; var: string };

function ruleValueProblems(rule: ConditionRule, label: RuleLabel, where: { nodeId: string; field: string }): Problem[] {
  if (rule.op === 'exists') return [];
  const value = rule.value;
  if (value === undefined || (typeof value === 'string' && value.trim() === '' && rule.op !== 'equals')) {
    return [error('CONDITION_MISSING_VALUE', where, 'CONDITION_MISSING_VALUE', { ...label, op: rule.op })];
  }
  if (rule.op === 'matches') {
    try {
      new RegExp(String(value));
    } catch (e) {
      const why = e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : String(e);
      return [error('CONDITION_BAD_REGEX', where, 'CONDITION_BAD_REGEX', { ...label, why })];
    }
  }
  if ((rule.op === 'gt' || rule.op === 'lt') && !isNumberLike(value)) {
    return [error('CONDITION_VALUE_NOT_NUMBER', where, 'CONDITION_VALUE_NOT_NUMBER', { ...label, value: JSON.stringify(value) })];
  }
  return [];
}

/** A condition rule's `var` is a plain dotted path (the engine looks it up as is). */
export const VAR_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*$/;
const isNumberLike = (v: string | number | boolean) =>
  typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)));

const RESERVED_VAR_TEXT = { contact: 'RESERVED_VAR.contact', last_message: 'RESERVED_VAR.last_message', open_now: 'RESERVED_VAR.open_now' } as const;

function reservedVars(node: FlowNode): Problem[] {
  return savedVariables(node)
    .filter((v) => (BUILT_IN_VARS as readonly string[]).includes(v.name))
    .map((v) => error('RESERVED_VAR', { nodeId: node.id, field: v.field }, RESERVED_VAR_TEXT[v.name as (typeof BUILT_IN_VARS)[number]], { step: nameOf(node), name: v.name }));
}
