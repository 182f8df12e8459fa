// What is wrong in a flow file, in the owner's words: "The tool step "tool-1" has no tool yet:
// pick one", not "data.server: must not be empty". The schema path stays in `field` (for the
// editor and the CLI); the message names the step and the setting as the editor shows them.
import type { z } from 'zod';
import type { NodeType } from '../shared/flow';
import { describeIssue, formatPath, valueAt } from './zod-issues';

type Issue = z.core.$ZodIssue;

/** How each kind of step is called in a sentence. */
const STEP_WORDS: Readonly<Record<NodeType, string>> = {
  start: 'the Start step',
  message: 'the message step',
  ask: 'the question',
  llm: 'the AI step',
  tool: 'the tool step',
  condition: 'the decision step',
  set: 'the step',
  handoff: 'the hand-over step',
  end: 'the End step',
};

/** A step's settings as the editor labels them, by type and path (indices left out). */
const SETTING_WORDS: Readonly<Record<string, string>> = {
  'message.text': 'text',
  'ask.question': 'question',
  'ask.saveAs': '"Save the answer as" name',
  'ask.retryText': '"If the answer is not understood" text',
  'ask.maxRetries': '"Ask again at most" number',
  'ask.answer': 'kind of answer',
  'ask.answer.options': 'options',
  'llm.instructions': 'instructions',
  'llm.input': '"What the AI reads" text',
  'llm.tools': 'list of tools',
  'llm.output': '"What to do with the result" setting',
  'llm.output.var': '"Save the result as" name',
  'llm.maxToolRounds': 'limit of tool rounds',
  'tool.args': 'arguments',
  'tool.saveAs': '"Save the result as" name',
  'tool.actionLabel': 'action label',
  'llm.tools.actionLabel': 'action label of a tool',
  'condition.rules': 'rules',
  'condition.rules.var': 'variable it checks',
  'condition.rules.value': 'value to compare with',
  'condition.rules.handle': 'exit name',
  'set.assign': 'values to remember',
  'handoff.text': 'text',
  'end.text': 'text',
};

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const shown = (value: unknown) => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value));

/** One node-data issue as a sentence. `name` is the step's label, else its id; `data` the node's data. */
export function nodeFieldMessage(type: NodeType, name: string, issue: Issue, data: unknown): string {
  const step = `${STEP_WORDS[type]} "${name}"`;
  const path = issue.path;
  const keys = path.filter((k): k is string => typeof k === 'string');
  const index = path.find((k): k is number => typeof k === 'number');
  const why = describeIssue(issue, data);
  const missing = why === 'missing' || why === 'must not be empty';

  if (path.length === 0) {
    if (issue.code === 'unrecognized_keys') return `${capital(step)} has settings it does not use (${issue.keys.join(', ')}): delete them from the file.`;
    return `${capital(step)} has no settings ("data" is ${why === 'missing' ? 'missing' : 'not an object'}). Delete the step and add it again.`;
  }
  if (type === 'tool' && (keys[0] === 'server' || keys[0] === 'tool') && keys.length === 1) {
    return missing ? `${capital(step)} has no tool yet: pick one.` : `The tool of ${step} must be named in text: pick it again.`;
  }
  if (type === 'llm' && keys[0] === 'tools' && index !== undefined && keys.length === 2) {
    return `Tool ${index + 1} in the list of ${step} has no tool picked: pick one or remove it.`;
  }
  if (type === 'ask' && keys.join('.') === 'answer.kind') {
    return `${capital(step)} expects a kind of answer this version does not know${why === 'missing' ? '' : ` (${shown(valueAt(data, path))})`}: ${answerKinds(issue)}.`;
  }
  if (type === 'ask' && keys.join('.') === 'answer.options' && index === undefined) {
    return `${capital(step)} asks the customer to choose but has no list of options. Add the options.`;
  }
  if (type === 'ask' && keys.join('.') === 'answer.options') return `Option ${index! + 1} of ${step} must be text.`;
  if (type === 'llm' && keys.join('.') === 'output.mode') {
    return `Choose what ${step} does with its result: send it to the customer ("reply") or save it ("save").`;
  }
  if (type === 'condition' && keys[0] === 'rules' && index !== undefined && keys[1] === 'op') {
    return `Rule ${index + 1} of ${step} compares with ${why === 'missing' ? 'nothing' : shown(valueAt(data, path))}, which is not a comparison. Use one of: equals, contains, gt, lt, exists, matches.`;
  }

  if (type === 'condition' && keys[0] === 'rules' && index !== undefined && keys[1] === 'var' && missing) {
    return `Rule ${index + 1} of ${step} does not say which variable it checks.`;
  }
  if (type === 'condition' && keys[0] === 'rules' && index !== undefined && keys[1] === 'value') {
    return `The value that rule ${index + 1} of ${step} compares with must be text, a number, or true or false.`;
  }

  const subject = type === 'condition' && keys[0] === 'rules' && index !== undefined ? `rule ${index + 1} of ${step}` : step;
  const label = settingLabel(type, keys, path);
  if (issue.code === 'invalid_key') {
    const key = path[path.length - 1];
    return `${shown(String(key))} cannot be a variable name in ${step}: a name uses letters, digits and _ and does not start with a digit.`;
  }
  if (missing) return `${capital(subject)} has no ${label}.`;
  if (issue.code === 'invalid_format') return `${shown(valueAt(data, path))} cannot be the ${label} of ${subject}: ${issue.message}.`;
  return `The ${label} of ${subject} ${why.startsWith('expected ') ? `must be ${why.slice('expected '.length)}` : why}.`;
}

function settingLabel(type: NodeType, keys: string[], path: readonly PropertyKey[]): string {
  if (type === 'tool' && keys[0] === 'args' && keys.length === 2) return `value of the argument "${keys[1]}"`;
  if (type === 'set' && keys[0] === 'assign' && keys.length === 2) return `value of "${keys[1]}"`;
  if (keys.at(-2) === 'argLabels') return `label of the argument "${keys.at(-1)}"`;
  return SETTING_WORDS[[type, ...keys].join('.')] ?? `setting ${formatPath(path)}`;
}

function answerKinds(issue: Issue): string {
  const kinds = issue.code === 'invalid_union' && Array.isArray((issue as { options?: unknown }).options) ? ((issue as { options: unknown[] }).options as unknown[]) : issue.code === 'invalid_value' ? issue.values : [];
  return kinds.length > 0 ? `choose one of ${kinds.map(String).join(', ')}` : 'choose another one';
}

/** One envelope issue (the flow's own fields, steps' ids/types/positions, connections) as a sentence. */
export function envelopeMessage(issue: Issue, value: unknown): string {
  const path = issue.path;
  const why = describeIssue(issue, value);
  const missing = why === 'missing' || why === 'must not be empty';
  const [head, index, field] = path;
  const itemId = (list: string) => {
    const item = typeof index === 'number' ? valueAt(value, [list, index]) : undefined;
    const id = item && typeof item === 'object' ? (item as { id?: unknown }).id : undefined;
    return typeof id === 'string' && id !== '' ? id : undefined;
  };
  switch (head) {
    case 'schemaVersion':
      return missing ? 'The file does not say which flow format it uses: add "schemaVersion": 1.' : 'The flow format ("schemaVersion") must be 1.';
    case 'id':
      if (missing) return 'The flow has no id: give it one (lowercase letters, digits and dashes).';
      return `The flow's id ${shown(valueAt(value, path))} cannot be used: ${issue.code === 'invalid_format' ? issue.message : why}.`;
    case 'name':
      return missing ? 'The flow has no name: give it one.' : 'The flow\'s name must be text.';
    case 'description':
      return 'The flow\'s description must be text.';
    case 'nodes':
    case 'edges': {
      const list = head === 'nodes' ? 'steps' : 'connections';
      if (typeof index !== 'number') return `The file's list of ${list} ("${head}") is ${missing ? 'missing' : 'not a list'}.`;
      const id = itemId(head);
      if (field === undefined) return `${head === 'nodes' ? 'Step' : 'Connection'} ${index + 1} in the file is not a ${head === 'nodes' ? 'step' : 'connection'}: delete it.`;
      if (head === 'nodes') {
        const step = id ? `The step "${id}"` : `Step ${index + 1} in the file`;
        if (field === 'id') return `Step ${index + 1} in the file has no id${missing ? '' : ' in text'}: give it one.`;
        if (field === 'type') return `${step} has no type (message, ask, tool, …).`;
        if (field === 'position') return `${step} has no place on the canvas (a position with numbers x and y).`;
        if (field === 'data') return `${step} has no settings ("data"): delete it and add it again.`;
        if (field === 'label') return `The name of ${step.charAt(0).toLowerCase()}${step.slice(1)} must be text.`;
      } else {
        const connection = id ? `The connection "${id}"` : `Connection ${index + 1} in the file`;
        if (field === 'target') return `${connection} ${missing ? 'leads nowhere' : 'does not name the step it leads to'}: connect it to a step or delete it.`;
        if (field === 'source') return `${connection} ${missing ? 'starts nowhere' : 'does not name the step it starts from'}: delete it and draw it again.`;
        if (field === 'id') return `Connection ${index + 1} in the file has no id: delete it and draw it again.`;
        if (field === 'sourceHandle' || field === 'targetHandle') return `${connection} has an exit name that is not text: delete it and draw it again.`;
      }
      return `${formatPath(path)}: ${why}`;
    }
    default:
      return `${formatPath(path) || 'the flow'}: ${why}`;
  }
}
