// What each step says and decides: questions, choices, messages, condition rules, and
// variable names that would overwrite the built-in ones.
import type { ConditionRule, FlowNode, NodeOf } from '../../shared/flow';
import { savedVariables } from '../../shared/flow';
import type { Problem } from '../../shared/problem';
import { error, quoted, warning } from './graph';

export const BUILT_IN_VARS = ['contact', 'last_message'] as const;

export function contentProblems(nodes: FlowNode[]): Problem[] {
  return nodes.flatMap((node) => [...nodeContent(node), ...reservedVars(node)]);
}

function nodeContent(node: FlowNode): Problem[] {
  switch (node.type) {
    case 'message':
      return node.data.text.trim() === ''
        ? [error('MESSAGE_EMPTY', { nodeId: node.id, field: 'data.text' }, `The message step ${quoted(node)} has no text, so the customer would get an empty message. Write the message, or delete the step.`)]
        : [];
    case 'ask':
      return askProblems(node);
    case 'condition':
      return conditionProblems(node);
    default:
      return [];
  }
}

function askProblems(node: NodeOf<'ask'>): Problem[] {
  const problems: Problem[] = [];
  const where = { nodeId: node.id };
  if (node.data.question.trim() === '') {
    problems.push(error('ASK_NO_QUESTION', { ...where, field: 'data.question' }, `The question step ${quoted(node)} has no question text. Write the question the customer should answer.`));
  }
  const answer = node.data.answer;
  if (answer.kind !== 'choice') return problems;
  const field = { ...where, field: 'data.answer.options' };
  if (answer.options.length === 0) {
    problems.push(error('ASK_CHOICE_NO_OPTIONS', field, `The question ${quoted(node)} asks the customer to choose, but offers no options. Add the options the customer can pick from.`));
    return problems;
  }
  if (answer.options.some((o) => o.trim() === '')) {
    problems.push(error('ASK_CHOICE_NO_OPTIONS', field, `The question ${quoted(node)} has an empty option. Write a text for every option or delete the empty one.`));
  }
  const seen = new Set<string>();
  for (const option of answer.options) {
    const key = option.trim().toLowerCase();
    if (key === '') continue;
    if (seen.has(key)) {
      problems.push(error('ASK_CHOICE_NO_OPTIONS', field, `The question ${quoted(node)} offers the option "${option.trim()}" twice. Each option must be different: delete or rename one.`));
    } else if (key === 'next' || key === 'invalid') {
      problems.push(error('ASK_CHOICE_NO_OPTIONS', field, `The question ${quoted(node)} has an option called "${option.trim()}", a name the step already uses for one of its exits. Rename the option.`));
    }
    seen.add(key);
  }
  return problems;
}

function conditionProblems(node: NodeOf<'condition'>): Problem[] {
  const { rules } = node.data;
  if (rules.length === 0) {
    return [error('CONDITION_NO_RULES', { nodeId: node.id, field: 'data.rules' }, `The decision step ${quoted(node)} has no rules, so it cannot decide anything. Add a rule, or replace the step with a direct connection.`)];
  }
  const problems: Problem[] = [];
  const handles = new Set<string>();
  rules.forEach((rule, i) => {
    const at = (f: string) => ({ nodeId: node.id, field: `data.rules[${i}].${f}` });
    const label = `rule ${i + 1} of the decision step ${quoted(node)}`;
    if (rule.handle === 'else' || handles.has(rule.handle)) {
      problems.push(error('CONDITION_DUPLICATE_HANDLE', at('handle'), `The exit name "${rule.handle}" of ${label} is ${rule.handle === 'else' ? 'reserved for the "otherwise" exit' : 'already used by another rule'}. Give each rule its own exit name.`));
    }
    handles.add(rule.handle);
    if (!VAR_PATH.test(rule.var)) {
      problems.push(warning('CONDITION_BAD_VAR', at('var'), `${capital(label)} checks "${rule.var}", which is not a variable name, so the rule can never hold. Write just the name, without braces or spaces, for example order_status or contact.name.`));
    }
    problems.push(...ruleValueProblems(rule, label, at('value')));
  });
  return problems;
}

function ruleValueProblems(rule: ConditionRule, label: string, where: { nodeId: string; field: string }): Problem[] {
  if (rule.op === 'exists') return [];
  const value = rule.value;
  if (value === undefined || (typeof value === 'string' && value.trim() === '' && rule.op !== 'equals')) {
    return [error('CONDITION_MISSING_VALUE', where, `${capital(label)} checks "${rule.var}" (${rule.op}) but has no value to compare with. Fill in the value, or use "exists" to only check that "${rule.var}" is set.`)];
  }
  if (rule.op === 'matches') {
    try {
      new RegExp(String(value));
    } catch (e) {
      const why = e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : String(e);
      return [error('CONDITION_BAD_REGEX', where, `The pattern of ${label} is not a valid pattern (${why}). Fix the pattern, or use "contains" to look for plain text.`)];
    }
  }
  if ((rule.op === 'gt' || rule.op === 'lt') && !isNumberLike(value)) {
    return [error('CONDITION_VALUE_NOT_NUMBER', where, `${capital(label)} compares "${rule.var}" with ${JSON.stringify(value)}, which is not a number. "Greater than" and "less than" need a number.`)];
  }
  return [];
}

/** A condition rule's `var` is a plain dotted path (the engine looks it up as is). */
export const VAR_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*$/;
const isNumberLike = (v: string | number | boolean) =>
  typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)));
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function reservedVars(node: FlowNode): Problem[] {
  return savedVariables(node)
    .filter((v) => (BUILT_IN_VARS as readonly string[]).includes(v.name))
    .map((v) => error('RESERVED_VAR', { nodeId: node.id, field: v.field }, `The step ${quoted(node)} saves into "${v.name}", a name the bot already uses for ${v.name === 'contact' ? 'the customer\'s details' : 'the customer\'s last message'}. Choose another name.`));
}
