import { describe, expect, it } from 'vitest';
import { hasErrors, validateFlow, validateFlowText, type ValidateOptions } from '../../src-main/core/validate';
import type { Flow, FlowEdge, FlowNode } from '../../src-main/shared/flow';
import type { Problem } from '../../src-main/shared/problem';
import { config, edge, flow, flowText, line, n, rule } from './flow-builders';

/** Problems of one code. */
const of = (problems: Problem[], code: string) => problems.filter((p) => p.code === code);
const codes = (problems: Problem[]) => problems.map((p) => p.code);

/** Exactly one problem with this code, severity and node; returns it. */
function expectOne(problems: Problem[], code: string, severity: Problem['severity'], nodeId?: string): Problem {
  const found = of(problems, code);
  expect(found, `${code} in ${JSON.stringify(problems, null, 1)}`).toHaveLength(1);
  expect(found[0]).toMatchObject({ code, severity });
  expect(found[0]!.nodeId).toBe(nodeId);
  expect(found[0]!.message.length).toBeGreaterThan(20);
  return found[0]!;
}
const expectNone = (problems: Problem[], code: string) => expect(codes(problems), code).not.toContain(code);

/** start -> nodes... -> end through "next" exits: the smallest complete flow around some steps. */
function around(nodes: FlowNode[], extraEdges: FlowEdge[] = []): Flow {
  return flow([n.start(), ...nodes, n.end()], [...line('start', ...nodes.map((x) => x.id), 'end'), ...extraEdges]);
}

describe('a complete flow', () => {
  it('has no problems', () => {
    const f = flow(
      [n.start(), n.ask('name', { question: 'Your name?', saveAs: 'name' }), n.message('hi', 'Hi {{name}}, I am here, {{contact.name}}: {{last_message}}'), n.end('end', 'Bye {{name}}')],
      line('start', 'name', 'hi', 'end'),
    );
    expect(validateFlow(f)).toEqual([]);
  });
});

describe('structure', () => {
  it('FLOW_NO_START', () => {
    const problems = validateFlow(flow([n.message('m'), n.end()], line('m', 'end')));
    expectOne(problems, 'FLOW_NO_START', 'error', undefined);
    expectNone(problems, 'NODE_UNREACHABLE'); // not once per step on top
    expectNone(validateFlow(around([n.message('m')])), 'FLOW_NO_START');
  });

  it('FLOW_MULTIPLE_START reports each extra start', () => {
    const f = flow([n.start(), n.start('start2'), n.start('start3'), n.end()], [edge('start', 'next', 'end'), edge('start2', 'next', 'end'), edge('start3', 'next', 'end')]);
    const problems = of(validateFlow(f), 'FLOW_MULTIPLE_START');
    expect(problems.map((p) => [p.nodeId, p.severity])).toEqual([['start2', 'error'], ['start3', 'error']]);
    expectNone(validateFlow(around([])), 'FLOW_MULTIPLE_START');
  });

  it('NODE_DUPLICATE_ID', () => {
    const f = flow([n.start(), n.message('m'), n.message('m'), n.end()], line('start', 'm', 'end'));
    expectOne(validateFlow(f), 'NODE_DUPLICATE_ID', 'error', 'm');
    expectNone(validateFlow(around([n.message('m'), n.message('m2')])), 'NODE_DUPLICATE_ID');
  });

  it('EDGE_DUPLICATE_ID', () => {
    const f = flow([n.start(), n.message('m'), n.end()], [edge('start', 'next', 'm', 'e1'), edge('m', 'next', 'end', 'e1')]);
    const p = expectOne(validateFlow(f), 'EDGE_DUPLICATE_ID', 'error', undefined);
    expect(p.edgeId).toBe('e1');
    expectNone(validateFlow(around([n.message('m')])), 'EDGE_DUPLICATE_ID');
  });

  it('EDGE_MISSING_SOURCE', () => {
    const f = around([n.message('m')], [edge('ghost', 'next', 'end', 'e-ghost')]);
    const p = expectOne(validateFlow(f), 'EDGE_MISSING_SOURCE', 'error', 'end');
    expect(p.edgeId).toBe('e-ghost');
    expect(p.message).toContain('"ghost"');
    expectNone(validateFlow(around([n.message('m')])), 'EDGE_MISSING_SOURCE');
  });

  it('EDGE_MISSING_TARGET', () => {
    const f = flow([n.start(), n.message('m', 'Hi', { label: 'Greeting' })], [edge('start', 'next', 'm'), edge('m', 'next', 'gone', 'e-gone')]);
    const p = expectOne(validateFlow(f), 'EDGE_MISSING_TARGET', 'error', 'm');
    expect(p).toMatchObject({ edgeId: 'e-gone' });
    expect(p.message).toContain('"Greeting"');
    expect(p.message).toContain('"gone"');
    expectNone(validateFlow(around([n.message('m')])), 'EDGE_MISSING_TARGET');
  });

  it('EDGE_UNKNOWN_HANDLE: an exit the step does not have', () => {
    const f = around([n.message('m')], [edge('m', 'yes', 'end', 'e-yes')]);
    const p = expectOne(validateFlow(f), 'EDGE_UNKNOWN_HANDLE', 'error', 'm');
    expect(p.edgeId).toBe('e-yes');
    expect(p.message).toContain('It offers: next');
    const fromEnd = flow([n.start(), n.end(), n.message('m')], [edge('start', 'next', 'end'), edge('end', 'next', 'm')]);
    expect(expectOne(validateFlow(fromEnd), 'EDGE_UNKNOWN_HANDLE', 'error', 'end').message).toContain('has no exits');
    // Choice options are exits too; a null handle means "next".
    const choice = flow(
      [n.start(), n.choice('size', ['Small', 'Large']), n.message('s'), n.message('l'), n.end()],
      [edge('start', null, 'size'), edge('size', 'Small', 's'), edge('size', 'Large', 'l'), ...line('s', 'end'), ...line('l', 'end')],
    );
    expect(validateFlow(choice)).toEqual([]);
  });

  it('HANDLE_MULTIPLE_EDGES: the conversation can only go one way', () => {
    const f = flow([n.start(), n.message('a'), n.message('b'), n.end()], [edge('start', 'next', 'a', 'e1'), edge('start', null, 'b', 'e2'), ...line('a', 'end'), ...line('b', 'end')]);
    const p = expectOne(validateFlow(f), 'HANDLE_MULTIPLE_EDGES', 'error', 'start');
    expect(p.edgeId).toBe('e2');
    expect(p.message).toContain('2 connections');
    const yesAndNo = flow([n.start(), n.confirm('c'), n.end('a'), n.end('b')], [edge('start', 'next', 'c'), edge('c', 'yes', 'a'), edge('c', 'no', 'b')]);
    expectNone(validateFlow(yesAndNo), 'HANDLE_MULTIPLE_EDGES');
  });

  it('EDGE_INTO_START', () => {
    const f = around([n.ask('q')], [edge('q', 'invalid', 'start', 'back')]);
    const p = expectOne(validateFlow(f), 'EDGE_INTO_START', 'error', 'start');
    expect(p.edgeId).toBe('back');
    expectNone(validateFlow(around([n.ask('q')], [edge('q', 'invalid', 'q')])), 'EDGE_INTO_START');
  });

  it('NODE_UNREACHABLE is a warning', () => {
    const f = flow([n.start(), n.end(), n.message('lost', 'Hello {{nobody}}')], [edge('start', 'next', 'end'), edge('lost', 'next', 'end')]);
    const problems = validateFlow(f);
    expectOne(problems, 'NODE_UNREACHABLE', 'warning', 'lost');
    expectNone(problems, 'TEMPLATE_UNDEFINED_VAR'); // reported once, as unreachable
    expect(hasErrors(problems)).toBe(false);
    expectNone(validateFlow(around([n.message('m')])), 'NODE_UNREACHABLE');
  });

  it('DEAD_END (warning) when no required exit is connected', () => {
    const dead: [FlowNode, string?][] = [
      [n.message('m')],
      [n.set('s', { a: '1' })],
      [n.llm('l')],
      [n.tool('t', { server: 'crm', tool: 'lookup' })],
      [n.confirm('c')],
      [n.ask('q')],
      [n.choice('ch', ['A', 'B'])],
      [n.condition('cond', [rule('a', 'exists')])],
    ];
    for (const [node] of dead) {
      const f = flow([n.start(), node], [edge('start', 'next', node.id)]);
      expectOne(validateFlow(f, { config: config({ crm: { lookup: 'read' } }) }), 'DEAD_END', 'warning', node.id);
    }
    expectOne(validateFlow(flow([n.start()])), 'DEAD_END', 'warning', 'start');
    // One connected exit is enough; handoff and end are meant to stop.
    const ok = flow(
      [n.start(), n.confirm('c'), n.choice('ch', ['A']), n.handoff('h', 'A person will help you.'), n.end()],
      [edge('start', 'next', 'c'), edge('c', 'no', 'ch'), edge('ch', 'A', 'h')],
    );
    expectNone(validateFlow(ok), 'DEAD_END');
  });
});

describe('step content', () => {
  it('ASK_NO_QUESTION for a blank question', () => {
    expectOne(validateFlow(around([n.ask('q', { question: '  \n' })])), 'ASK_NO_QUESTION', 'error', 'q');
    expectNone(validateFlow(around([n.ask('q', { question: 'Why?' })])), 'ASK_NO_QUESTION');
  });

  it('ASK_CHOICE_NO_OPTIONS: none, blank, duplicate, or named like an exit', () => {
    for (const options of [[], ['A', ' '], ['Small', 'small '], ['Yes', 'invalid']]) {
      const p = expectOne(validateFlow(around([n.choice('ch', options)])), 'ASK_CHOICE_NO_OPTIONS', 'error', 'ch');
      expect(p.field).toBe('data.answer.options');
    }
    expectNone(validateFlow(around([n.choice('ch', ['Small', 'Large'])])), 'ASK_CHOICE_NO_OPTIONS');
  });

  it('MESSAGE_EMPTY', () => {
    expectOne(validateFlow(around([n.message('m', ' ')])), 'MESSAGE_EMPTY', 'error', 'm');
    expectNone(validateFlow(around([n.message('m', 'Hello')])), 'MESSAGE_EMPTY');
  });

  it('RESERVED_VAR for saving into contact or last_message', () => {
    const cases: FlowNode[] = [
      n.ask('x', { saveAs: 'contact' }),
      n.tool('x', { server: 'crm', tool: 'lookup', saveAs: 'last_message' }),
      n.llm('x', { output: { mode: 'save', var: 'contact' } }),
      n.set('x', { ok: '1', last_message: 'hi' }),
    ];
    for (const node of cases) expectOne(validateFlow(around([node]), { config: config({ crm: { lookup: 'read' } }) }), 'RESERVED_VAR', 'error', 'x');
    expectNone(validateFlow(around([n.ask('x', { saveAs: 'contact_name' })])), 'RESERVED_VAR');
  });
});

describe('condition rules', () => {
  /** start -> condition -> (rule handles and else) -> end */
  function decision(rules: ReturnType<typeof rule>[], withElse = true): Flow {
    const handles = [...new Set(rules.map((r) => r.handle))].filter((h) => h !== 'else');
    return flow(
      [n.start(), n.ask('age', { answer: { kind: 'number' }, saveAs: 'age' }), n.condition('c', rules), n.end()],
      [...line('start', 'age', 'c'), ...handles.map((h) => edge('c', h, 'end')), ...(withElse ? [edge('c', 'else', 'end')] : [])],
    );
  }

  it('a valid decision has no problems', () => {
    expect(validateFlow(decision([rule('age', 'gt', 17, 'adult'), rule('age', 'matches', '^1[0-7]$', 'teen'), rule('age', 'exists', undefined, 'any')]))).toEqual([]);
  });

  it('CONDITION_NO_ELSE', () => {
    expectOne(validateFlow(decision([rule('age', 'gt', 17, 'adult')], false)), 'CONDITION_NO_ELSE', 'error', 'c');
  });

  it('CONDITION_NO_RULES', () => {
    expectOne(validateFlow(decision([])), 'CONDITION_NO_RULES', 'error', 'c');
  });

  it('CONDITION_BAD_REGEX', () => {
    const p = expectOne(validateFlow(decision([rule('age', 'matches', '([0-9]', 'h')])), 'CONDITION_BAD_REGEX', 'error', 'c');
    expect(p.field).toBe('data.rules[0].value');
    expectNone(validateFlow(decision([rule('age', 'matches', '([0-9])', 'h')])), 'CONDITION_BAD_REGEX');
  });

  it('CONDITION_MISSING_VALUE for every op but exists', () => {
    for (const op of ['equals', 'contains', 'gt', 'lt', 'matches'] as const) {
      expectOne(validateFlow(decision([rule('age', op, undefined, 'h')])), 'CONDITION_MISSING_VALUE', 'error', 'c');
    }
    expectOne(validateFlow(decision([rule('age', 'contains', '', 'h')])), 'CONDITION_MISSING_VALUE', 'error', 'c');
    expectNone(validateFlow(decision([rule('age', 'exists', undefined, 'h')])), 'CONDITION_MISSING_VALUE');
    expectNone(validateFlow(decision([rule('age', 'equals', '', 'h')])), 'CONDITION_MISSING_VALUE');
  });

  it('CONDITION_DUPLICATE_HANDLE: the same exit twice, or one named "else"', () => {
    expectOne(validateFlow(decision([rule('age', 'gt', 17, 'h'), rule('age', 'lt', 5, 'h')])), 'CONDITION_DUPLICATE_HANDLE', 'error', 'c');
    expectOne(validateFlow(decision([rule('age', 'gt', 17, 'else')])), 'CONDITION_DUPLICATE_HANDLE', 'error', 'c');
    expectNone(validateFlow(decision([rule('age', 'gt', 17, 'h1'), rule('age', 'lt', 5, 'h2')])), 'CONDITION_DUPLICATE_HANDLE');
  });

  it('CONDITION_VALUE_NOT_NUMBER for gt/lt', () => {
    expectOne(validateFlow(decision([rule('age', 'gt', 'ten', 'h')])), 'CONDITION_VALUE_NOT_NUMBER', 'error', 'c');
    expectNone(validateFlow(decision([rule('age', 'gt', '10', 'h')])), 'CONDITION_VALUE_NOT_NUMBER');
  });

  it('CONDITION_BAD_VAR (warning) when var is not a plain variable path', () => {
    expectOne(validateFlow(decision([rule('{{age}}', 'exists', undefined, 'h')])), 'CONDITION_BAD_VAR', 'warning', 'c');
    expectNone(validateFlow(decision([rule('contact.name', 'exists', undefined, 'h')])), 'CONDITION_BAD_VAR');
  });
});

describe('tools', () => {
  const crm = () => config({ crm: { get_order: 'read', create_ticket: 'write' } });
  const reader = (tool = 'get_order', server = 'crm') => around([n.tool('t', { server, tool })], [edge('t', 'error', 'end')]);

  it('TOOL_UNKNOWN_SERVER for tool steps and for each tool of an AI step', () => {
    const p = expectOne(validateFlow(reader('get_order', 'erp'), { config: crm() }), 'TOOL_UNKNOWN_SERVER', 'error', 't');
    expect(p.message).toContain('crm');
    const ai = around([n.llm('ai', { tools: [{ server: 'crm', tool: 'get_order' }, { server: 'erp', tool: 'x' }] })]);
    expect(expectOne(validateFlow(ai, { config: crm() }), 'TOOL_UNKNOWN_SERVER', 'error', 'ai').field).toBe('data.tools[1].server');
    expectNone(validateFlow(reader(), { config: crm() }), 'TOOL_UNKNOWN_SERVER');
    expectNone(validateFlow(reader('get_order', 'erp')), 'TOOL_UNKNOWN_SERVER'); // no config: nothing to check against
  });

  it('TOOL_UNKNOWN_TOOL when the started server does not offer it', () => {
    const catalog = { crm: ['get_order', 'create_ticket'] };
    expectOne(validateFlow(reader('get_orders'), { config: crm(), catalog }), 'TOOL_UNKNOWN_TOOL', 'error', 't');
    expectOne(validateFlow(around([n.llm('ai', { tools: [{ server: 'crm', tool: 'nope' }] })]), { catalog }), 'TOOL_UNKNOWN_TOOL', 'error', 'ai');
    expectNone(validateFlow(reader(), { config: crm(), catalog }), 'TOOL_UNKNOWN_TOOL');
    expectNone(validateFlow(reader('get_orders'), { config: crm(), catalog: {} }), 'TOOL_UNKNOWN_TOOL'); // server not started
  });

  it('TOOL_UNCLASSIFIED (warning) with a config, with or without catalog', () => {
    const options: ValidateOptions[] = [{ config: crm() }, { config: crm(), catalog: { crm: ['get_order', 'delete_all'] } }];
    for (const o of options) {
      const f = around([n.ask('c', { answer: { kind: 'confirm' } }), n.tool('t', { server: 'crm', tool: 'delete_all' })]);
      const p = expectOne(validateFlow(f, o), 'TOOL_UNCLASSIFIED', 'warning', 't');
      expect(p.message).toContain('treated as a tool that changes data');
    }
    expectOne(validateFlow(around([n.llm('ai', { tools: [{ server: 'crm', tool: 'delete_all' }] })]), { config: crm() }), 'TOOL_UNCLASSIFIED', 'warning', 'ai');
    expectNone(validateFlow(reader(), { config: crm() }), 'TOOL_UNCLASSIFIED');
    expectNone(validateFlow(reader('delete_all')), 'TOOL_UNCLASSIFIED'); // no config
  });
});

describe('tool arguments against the tool\'s input schema', () => {
  const crm = () => config({ crm: { create_ticket: 'write' } });
  const inputSchema = {
    type: 'object',
    properties: {
      customerId: { type: 'string', minLength: 1 },
      subject: { type: 'string', title: 'Subject line' },
      quantity: { type: 'integer' },
      urgent: { type: 'boolean' },
      priority: { type: 'string', enum: ['low', 'normal', 'high'] },
    },
    required: ['customerId', 'subject', 'quantity'],
  };
  const catalog = { crm: [{ name: 'create_ticket', status: 'approved' as const, inputSchema }] };
  const ticket = (args: Record<string, string>) =>
    around([n.confirm('ok'), n.tool('create', { server: 'crm', tool: 'create_ticket', args }, { label: 'Create ticket' })], [edge('create', 'error', 'end')]);
  const check = (args: Record<string, string>) => validateFlow(ticket(args), { config: crm(), catalog });

  it('TOOL_ARG_MISSING for each required argument that is absent or blank, by its label and field', () => {
    const problems = of(check({ customerId: '  ', quantity: '2' }), 'TOOL_ARG_MISSING');
    expect(problems.map((p) => [p.nodeId, p.field])).toEqual([
      ['create', 'data.args.customerId'],
      ['create', 'data.args.subject'],
    ]);
    expect(problems[1]!.message).toBe('The step "Create ticket" leaves "Subject line" empty, but the tool create_ticket needs it. Fill it in (it may use a saved answer, like {{order_id}}).');
    expect(problems[0]!.message).toContain('"Customer id"'); // no title: the name in words
    expect(hasErrors(problems)).toBe(true);
  });

  it('TOOL_ARG_WRONG_TYPE for a fixed value the tool cannot take; values with variables are left to run time', () => {
    const problems = of(check({ customerId: 'c1', subject: 'Hi', quantity: 'abc', urgent: 'maybe', priority: 'asap' }), 'TOOL_ARG_WRONG_TYPE');
    expect(problems.map((p) => p.field)).toEqual(['data.args.quantity', 'data.args.urgent', 'data.args.priority']);
    expect(problems[0]!.message).toBe('The step "Create ticket" gives "Quantity" the value "abc", but the tool create_ticket needs a number written in plain digits (like 1000 or 2.5) there. Correct the value.');
    expect(problems[1]!.message).toContain('needs true or false');
    expect(problems[2]!.message).toContain('needs one of: low, normal, high');
    expect(check({ customerId: '{{id}}', subject: 'Hi {{contact.name}}', quantity: '{{count}}', urgent: 'true', priority: 'high' }).filter((p) => p.code.startsWith('TOOL_ARG'))).toEqual([]);
  });

  it('TOOL_ARG_WRONG_TYPE by the run time\'s own rule: a number the run time would refuse to send is refused here too', () => {
    for (const quantity of ['1e3', '0x3E8', ' 7', '007', '+1', '1.']) {
      expect(of(check({ customerId: 'c1', subject: 'Hi', quantity }), 'TOOL_ARG_WRONG_TYPE').map((p) => p.field)).toEqual(['data.args.quantity']);
    }
    expect(of(check({ customerId: 'c1', subject: 'Hi', quantity: '1000' }), 'TOOL_ARG_WRONG_TYPE')).toEqual([]);
  });

  it('is checked only against a known schema, and not for a tool that is unknown or changed', () => {
    expectNone(validateFlow(ticket({}), { config: crm() }), 'TOOL_ARG_MISSING'); // servers not started
    expectNone(validateFlow(ticket({}), { config: crm(), catalog: { crm: ['create_ticket'] } }), 'TOOL_ARG_MISSING'); // names only
    expectNone(validateFlow(ticket({}), { config: crm(), catalog: { crm: [{ name: 'create_ticket', status: 'changed', inputSchema }] } }), 'TOOL_ARG_MISSING');
  });
});

describe("the flow's language", () => {
  const inLanguage = (language: string) => ({ ...around([]), language });
  const problemAt = (language: string, code: string) => {
    const found = of(validateFlow(inLanguage(language)), code);
    expect(found, JSON.stringify(validateFlow(inLanguage(language)))).toHaveLength(1);
    expect(found[0]!.field).toBe('language');
    return found[0]!;
  };

  it('FLOW_LANGUAGE_INVALID: not a language tag is an error that says what to write', () => {
    const p = problemAt('portuguese!', 'FLOW_LANGUAGE_INVALID');
    expect(p.severity).toBe('error');
    expect(p.message).toContain('"portuguese!" is not a language tag');
    expect(p.message).toContain('"pt-BR"');
  });

  it('FLOW_LANGUAGE_NO_TEXTS: a language the bot has no texts in is a warning (it would answer in English)', () => {
    const p = problemAt('ja', 'FLOW_LANGUAGE_NO_TEXTS');
    expect(p.severity).toBe('warning');
    expect(p.message).toContain('en, pt-BR, es, fr, de, it, id, tr');
  });

  it('a language with texts, a variant of one, or none at all is fine', () => {
    for (const language of ['pt-BR', 'pt-br', 'pt-PT', 'es-MX', 'tr', 'en']) {
      expect(codes(validateFlow(inLanguage(language))).filter((c) => c.startsWith('FLOW_LANGUAGE')), language).toEqual([]);
    }
    expectNone(validateFlow(around([])), 'FLOW_LANGUAGE_INVALID');
  });

  it('a bad language in the file still opens the flow (the envelope takes any string)', () => {
    const { flow, problems } = validateFlowText(JSON.stringify(inLanguage('??')), 'f.json');
    expect(flow?.language).toBe('??');
    expect(codes(problems)).toContain('FLOW_LANGUAGE_INVALID');
  });
});

describe('LLM_NO_MODEL', () => {
  it('warns on each AI step when the bot\'s settings have no model', () => {
    const f = around([n.llm('ai', {}, { label: 'Answer questions' })]);
    const p = expectOne(validateFlow(f, { config: config() }), 'LLM_NO_MODEL', 'warning', 'ai');
    expect(p.message).toBe('This bot has no language model yet, so the AI step "Answer questions" cannot answer: choose one in Settings → Model (in a workspace config file: add "llm").');
    expectNone(validateFlow(f, { config: { ...config(), llm: { provider: 'ollama', model: 'qwen3:4b' } } }), 'LLM_NO_MODEL');
    expectNone(validateFlow(f), 'LLM_NO_MODEL'); // no settings to check against
  });
});

describe('tool approval (pinning): TOOL_CHANGED and TOOL_UNAPPROVED', () => {
  const crm = () => config({ crm: { get_order: 'read', create_ticket: 'write' } });
  const reader = () => around([n.tool('t', { server: 'crm', tool: 'get_order' }, { label: 'Look up' })], [edge('t', 'error', 'end')]);
  const status = (get_order: 'approved' | 'unapproved' | 'changed', changes?: string[]) => ({
    crm: [{ name: 'get_order', status: get_order, ...(changes ? { changes } : {}) }, { name: 'create_ticket', status: 'approved' as const }],
  });

  it('TOOL_CHANGED (error) for a tool step and for an AI step whose tool changed since approval', () => {
    const p = expectOne(validateFlow(reader(), { config: crm(), catalog: status('changed', ['description', 'inputSchema']) }), 'TOOL_CHANGED', 'error', 't');
    expect(p.field).toBe('data.tool');
    expect(p.message).toBe(
      'The step "Look up" uses the tool get_order on the server "crm", but the server changed that tool (its description and input schema) since you approved it, so it is disabled. ' +
        'Review the change with `flowbot mcp tools --server crm` and, if you trust it, re-approve it with `flowbot mcp approve --server crm --tool get_order`.',
    );
    const ai = around([n.llm('ai', { tools: [{ server: 'crm', tool: 'create_ticket' }, { server: 'crm', tool: 'get_order' }] })]);
    expect(expectOne(validateFlow(ai, { config: crm(), catalog: status('changed') }), 'TOOL_CHANGED', 'error', 'ai').message).toContain('(its definition)');
    // Disabled, whatever its class: no write-guard error on top.
    expectNone(validateFlow(reader(), { config: crm(), catalog: status('changed') }), 'WRITE_TOOL_UNGUARDED');
    expectNone(validateFlow(reader(), { config: crm(), catalog: status('approved') }), 'TOOL_CHANGED');
    expectNone(validateFlow(reader(), { config: crm(), catalog: { crm: ['get_order'] } }), 'TOOL_CHANGED'); // names only: status unknown
  });

  it('an unapproved tool is a write even when marked read: the write guard applies', () => {
    const problems = validateFlow(reader(), { config: crm(), catalog: status('unapproved') });
    const p = expectOne(problems, 'WRITE_TOOL_UNGUARDED', 'error', 't');
    expect(p.message).toContain('get_order is marked read-only, but you have not approved it as the server now describes it');
    expect(expectOne(problems, 'TOOL_UNAPPROVED', 'warning', 't').message).toContain('flowbot mcp approve --server crm --tool get_order');
    expectNone(validateFlow(reader(), { config: crm(), catalog: status('approved') }), 'WRITE_TOOL_UNGUARDED');
    expectNone(validateFlow(reader(), { config: crm() }), 'WRITE_TOOL_UNGUARDED'); // servers not started: the config decides
  });
});

describe('WRITE_TOOL_UNGUARDED: the write guard', () => {
  const crm = () => config({ crm: { get_order: 'read', create_ticket: 'write' } });
  const ticket = (id = 'ticket') => n.tool(id, { server: 'crm', tool: 'create_ticket', args: { text: '{{last_message}}' } }, { label: 'Create ticket' });
  const guarded = (extra: FlowNode[] = [], edges: FlowEdge[] = []) =>
    flow(
      [n.start(), n.confirm('ok', 'Create a ticket?'), ticket(), n.end(), ...extra],
      [edge('start', 'next', 'ok'), edge('ok', 'yes', 'ticket'), edge('ok', 'no', 'end'), edge('ticket', 'next', 'end'), ...edges],
    );
  const unguarded = (f: Flow, options: ValidateOptions = { config: crm() }) => expectOne(validateFlow(f, options), 'WRITE_TOOL_UNGUARDED', 'error', 'ticket');

  it('passes when the only way in is a confirmation\'s Yes', () => {
    expect(validateFlow(guarded(), { config: crm() })).toEqual([]);
    expect(validateFlow(guarded(), {})).toEqual([]); // unclassified = write, and guarded
  });

  it('directly from the start', () => {
    const p = unguarded(around([ticket()]));
    expect(p.message).toBe(
      'The step "Create ticket" changes data (create_ticket on crm) but can be reached without the customer confirming: from the start of the conversation. Put a Yes/No confirmation question right before it and connect only its Yes answer to this step.',
    );
  });

  it('from a message', () => {
    expect(unguarded(around([n.message('m', 'Creating your ticket', { label: 'Tell' }), ticket()])).message).toContain('from "Tell"');
  });

  it("from the confirmation's No answer", () => {
    const f = flow([n.start(), n.confirm('ok', 'Sure?', { label: 'Sure?' }), ticket(), n.end()], [edge('start', 'next', 'ok'), edge('ok', 'no', 'ticket'), edge('ticket', 'next', 'end')]);
    expect(unguarded(f).message).toContain('from "Sure?" (its No answer)');
  });

  it("from a question that is not a confirmation (its next)", () => {
    const p = unguarded(around([n.ask('why', { question: 'Shall I create a ticket?' }), ticket()]));
    expect(p.edgeId).toBe('why.next->ticket');
  });

  it("from a choice question's option named yes", () => {
    unguarded(flow([n.start(), n.choice('pick', ['yes', 'no']), ticket(), n.end()], [edge('start', 'next', 'pick'), edge('pick', 'yes', 'ticket'), edge('ticket', 'next', 'end')]));
  });

  it('from a set step between the confirmation and the tool', () => {
    const f = flow(
      [n.start(), n.confirm('ok'), n.set('s', { reason: 'customer asked' }), ticket(), n.end()],
      [edge('start', 'next', 'ok'), edge('ok', 'yes', 's'), edge('ok', 'no', 'end'), ...line('s', 'ticket', 'end')],
    );
    unguarded(f);
  });

  it('from a condition', () => {
    const f = flow(
      [n.start(), n.confirm('ok'), n.condition('c', [rule('last_message', 'contains', 'urgent', 'urgent')]), ticket(), n.end()],
      [edge('start', 'next', 'ok'), edge('ok', 'yes', 'c'), edge('ok', 'no', 'end'), edge('c', 'urgent', 'ticket'), edge('c', 'else', 'end'), edge('ticket', 'next', 'end')],
    );
    unguarded(f);
  });

  it("from its own error exit (a retry loop without asking again)", () => {
    const p = unguarded(guarded([], [edge('ticket', 'error', 'ticket')]));
    expect(p.message).toContain('"Create ticket" (its error exit)');
  });

  it('a retry loop through another step', () => {
    unguarded(guarded([n.message('sorry', 'Trying again')], [edge('ticket', 'error', 'sorry'), edge('sorry', 'next', 'ticket')]));
  });

  it('two ways in, one correct: still reported, naming only the wrong one', () => {
    const p = unguarded(guarded([n.message('m', 'side door', { label: 'Side door' })], [edge('start', 'next', 'm', 'e-side'), edge('m', 'next', 'ticket')]));
    expect(p.message).toContain('from "Side door"');
    expect(p.message).not.toContain('Yes answer)');
  });

  it('a connection from a step that does not exist counts as a way in', () => {
    unguarded(guarded([], [edge('ghost', 'yes', 'ticket')]));
  });

  it('a duplicated confirmation id does not guard if one of them is not a confirmation', () => {
    unguarded(guarded([n.message('ok', 'not a question')]));
  });

  it('tools are write without a config, or when not classified', () => {
    unguarded(around([ticket()]), {});
    const p = unguarded(around([n.tool('ticket', { server: 'crm', tool: 'new_tool' })]));
    expect(p.message).toContain('mark it as read-only');
  });

  it('read-classified tools may be reached from anywhere', () => {
    const f = around([n.message('m'), n.tool('ticket', { server: 'crm', tool: 'get_order' })], [edge('ticket', 'error', 'm')]);
    expectNone(validateFlow(f, { config: crm() }), 'WRITE_TOOL_UNGUARDED');
  });

  it('a write tool with no way in is only unreachable', () => {
    const problems = validateFlow(flow([n.start(), n.end(), ticket()], [edge('start', 'next', 'end'), edge('ticket', 'next', 'end')]), { config: crm() });
    expectNone(problems, 'WRITE_TOOL_UNGUARDED');
    expectOne(problems, 'NODE_UNREACHABLE', 'warning', 'ticket');
  });
});

describe('variables', () => {
  it('TEMPLATE_UNDEFINED_VAR (warning) when no path saves the variable first', () => {
    const f = around([n.message('m', 'Hello {{name}}'), n.ask('name', { saveAs: 'name' })]);
    const p = expectOne(validateFlow(f), 'TEMPLATE_UNDEFINED_VAR', 'warning', 'm');
    expect(p).toMatchObject({ field: 'data.text' });
    expect(p.message).toContain('"name"');
    expectNone(validateFlow(around([n.ask('name', { saveAs: 'name' }), n.message('m', 'Hello {{name.first}}')])), 'TEMPLATE_UNDEFINED_VAR');
  });

  it('built-ins are always defined', () => {
    expectNone(validateFlow(around([n.message('m', '{{contact.name}} said {{last_message}}')])), 'TEMPLATE_UNDEFINED_VAR');
  });

  it('checks every kind of template', () => {
    const uses: FlowNode[] = [
      n.ask('x', { question: 'Hi {{v}}?' }),
      n.ask('x', { question: 'Hi?', retryText: 'Again {{v}}' }),
      n.tool('x', { server: 'crm', tool: 'get_order', args: { id: '{{v}}' } }),
      n.set('x', { a: 'pre {{v}}' }),
      n.llm('x', { input: '{{v}}' }),
      n.handoff('x', 'Bye {{v}}'),
      n.end('x', 'Bye {{v}}'),
      n.condition('x', [rule('v.count', 'gt', 1, 'h')]),
    ];
    for (const node of uses) {
      const stops = node.type === 'handoff' || node.type === 'end';
      const nodes = stops ? [n.start(), node] : [n.start(), node, n.end('fin')];
      const edges = stops ? [edge('start', 'next', 'x')] : [edge('start', 'next', 'x'), edge('x', node.type === 'condition' ? 'else' : 'next', 'fin'), ...(node.type === 'condition' ? [edge('x', 'h', 'fin')] : [])];
      const problems = validateFlow(flow(nodes, edges), { config: { ...config({ crm: { get_order: 'read' } }), llm: { provider: 'ollama', model: 'qwen3:4b' } } });
      expectOne(problems, 'TEMPLATE_UNDEFINED_VAR', 'warning', 'x');
      expect(problems, node.type).toEqual(of(problems, 'TEMPLATE_UNDEFINED_VAR'));
    }
  });

  it('saved on some path is enough (may be defined)', () => {
    const f = flow(
      [n.start(), n.confirm('c'), n.ask('name', { saveAs: 'name' }), n.message('m', 'Hi {{name}}'), n.end()],
      [edge('start', 'next', 'c'), edge('c', 'yes', 'name'), edge('c', 'no', 'm'), ...line('name', 'm', 'end')],
    );
    expectNone(validateFlow(f), 'TEMPLATE_UNDEFINED_VAR');
  });

  it('a variable saved later in a loop is defined when the loop comes back', () => {
    const f = flow(
      [n.start(), n.ask('q', { question: 'Last answer: {{answer}}. Again?', saveAs: 'answer' }), n.end()],
      [edge('start', 'next', 'q'), edge('q', 'next', 'q'), edge('q', 'invalid', 'end')],
    );
    expectNone(validateFlow(f), 'TEMPLATE_UNDEFINED_VAR');
  });

  it("a tool's result is saved on next, not on error", () => {
    const f = flow(
      [n.start(), n.tool('t', { server: 'crm', tool: 'get_order', saveAs: 'order' }), n.message('ok', 'Status {{order.status}}'), n.message('bad', 'Failed for {{order.id}}'), n.end()],
      [edge('start', 'next', 't'), edge('t', 'next', 'ok'), edge('t', 'error', 'bad'), ...line('ok', 'end'), ...line('bad', 'end')],
    );
    const problems = validateFlow(f, { config: config({ crm: { get_order: 'read' } }) });
    expectOne(problems, 'TEMPLATE_UNDEFINED_VAR', 'warning', 'bad');
  });

  it("a question's answer is not saved when it leaves through invalid", () => {
    const f = flow(
      [n.start(), n.ask('age', { answer: { kind: 'number' }, saveAs: 'age' }), n.message('ok', '{{age}}'), n.message('bad', 'Not a number: {{age}}'), n.end()],
      [edge('start', 'next', 'age'), edge('age', 'next', 'ok'), edge('age', 'invalid', 'bad'), ...line('ok', 'end'), ...line('bad', 'end')],
    );
    expectOne(validateFlow(f), 'TEMPLATE_UNDEFINED_VAR', 'warning', 'bad');
  });

  it('set and AI steps save variables; a set value may use the one assigned above it', () => {
    const f = around([
      n.set('s', { first: 'Ann', full: '{{first}} Lee' }),
      n.llm('ai', { input: '{{full}}', output: { mode: 'save', var: 'summary' } }),
      n.message('m', '{{summary}} / {{full}}'),
    ]);
    expect(validateFlow(f)).toEqual([]);
    expectOne(validateFlow(around([n.set('s', { full: '{{first}} Lee', first: 'Ann' })])), 'TEMPLATE_UNDEFINED_VAR', 'warning', 's');
  });

  it('TEMPLATE_MALFORMED (warning)', () => {
    const p = expectOne(validateFlow(around([n.message('m', 'Total: {{ 1+1 }}')])), 'TEMPLATE_MALFORMED', 'warning', 'm');
    expect(p.message).toContain('{{ 1+1 }}');
    expectNone(validateFlow(around([n.message('m', 'Hello {{ contact.name }}')])), 'TEMPLATE_MALFORMED');
  });
});

describe('FLOW_CYCLE_NO_WAIT', () => {
  it('warns about a loop with no question in it, naming its steps', () => {
    const f = flow(
      [n.start(), n.message('a', 'A', { label: 'Say A' }), n.set('b', { x: '1' }, { label: 'Count' }), n.condition('c', [rule('x', 'exists', undefined, 'done')]), n.end()],
      [...line('start', 'a', 'b', 'c'), edge('c', 'else', 'a'), edge('c', 'done', 'end')],
    );
    const p = expectOne(validateFlow(f), 'FLOW_CYCLE_NO_WAIT', 'warning', 'a');
    expect(p.message).toContain('"Say A", "Count" and "c"');
  });

  it('warns about a step that loops onto itself', () => {
    const f = around([n.tool('t', { server: 'crm', tool: 'get_order' })], [edge('t', 'error', 't')]);
    expectOne(validateFlow(f, { config: config({ crm: { get_order: 'read' } }) }), 'FLOW_CYCLE_NO_WAIT', 'warning', 't');
  });

  it('a loop through a question waits for the customer', () => {
    const f = flow(
      [n.start(), n.ask('q'), n.message('m'), n.end()],
      [...line('start', 'q', 'm'), edge('m', 'next', 'q'), edge('q', 'invalid', 'end')],
    );
    expectNone(validateFlow(f), 'FLOW_CYCLE_NO_WAIT');
  });

  it('reports each separate loop once', () => {
    const f = flow(
      [n.start(), n.tool('t1', { server: 'crm', tool: 'get_order' }), n.tool('t2', { server: 'crm', tool: 'get_order' }), n.end()],
      [...line('start', 't1', 't2', 'end'), edge('t1', 'error', 't1'), edge('t2', 'error', 't2')],
    );
    expect(of(validateFlow(f, { config: config({ crm: { get_order: 'read' } }) }), 'FLOW_CYCLE_NO_WAIT').map((p) => p.nodeId)).toEqual(['t1', 't2']);
  });
});

describe('results', () => {
  it('puts errors first, keeping the order within each severity', () => {
    const f = flow([n.start(), n.message('m', 'Hi {{who}}'), n.message('x', ' '), n.end()], [...line('start', 'm', 'end'), edge('x', 'next', 'end')]);
    const problems = validateFlow(f);
    const severities = problems.map((p) => p.severity);
    expect(severities).toEqual([...severities].sort());
    expect(codes(problems)).toEqual(['MESSAGE_EMPTY', 'NODE_UNREACHABLE', 'TEMPLATE_UNDEFINED_VAR']);
    expect(hasErrors(problems)).toBe(true);
    expect(hasErrors(problems.filter((p) => p.severity === 'warning'))).toBe(false);
  });

  it('uses the label when there is one, else the id', () => {
    expect(validateFlow(around([n.message('m1', ' ', { label: 'Welcome' })]))[0]!.message).toContain('"Welcome"');
    expect(validateFlow(around([n.message('m1', ' ')]))[0]!.message).toContain('"m1"');
  });

  it('validateFlowText: parse problems, or the parsed flow and its validation', () => {
    expect(validateFlowText('{', 'x.flow.json').problems.map((p) => p.code)).toEqual(['FLOW_JSON_INVALID']);
    const text = flowText(around([n.tool('t', { server: 'crm', tool: 'create_ticket' })]));
    const result = validateFlowText(text, 'x.flow.json', { config: config({ crm: { create_ticket: 'write' } }) });
    expect(result.flow?.id).toBe('test-flow');
    expect(codes(result.problems)).toEqual(['WRITE_TOOL_UNGUARDED']);
    expect(validateFlowText(text, 'x.flow.json', { config: config({ crm: { create_ticket: 'read' } }) }).problems).toEqual([]);
  });
});
