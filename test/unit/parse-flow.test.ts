import { describe, expect, it } from 'vitest';
import { parseFlowText, parseFlowValue } from '../../src-main/core/parse-flow';
import { findJsonErrorOffset, lineColumnAt, locateJsonError } from '../../src-main/core/json-position';
import { FlowSchema, NODE_TYPES } from '../../src-main/shared/flow';
import type { Problem } from '../../src-main/shared/problem';
import { edge, flow, flowText, line, n } from './flow-builders';

const good = flow([n.start(), n.ask('name', { question: 'Your name?', saveAs: 'name' }), n.message('hi', 'Hi {{name}}'), n.end()], line('start', 'name', 'hi', 'end'));
const raw = () => JSON.parse(flowText(good)) as Record<string, unknown> & { nodes: Record<string, unknown>[]; edges: Record<string, unknown>[] };
const only = (problems: Problem[], code: string) => problems.filter((p) => p.code === code);

describe('parseFlowText', () => {
  it('returns a valid Flow and no problems for a good file', () => {
    const parsed = parseFlowText(flowText(good), 'good.flow.json');
    expect(parsed.problems).toEqual([]);
    expect(parsed.flow).toEqual(good);
    expect(FlowSchema.safeParse(parsed.flow).success).toBe(true);
  });

  it('accepts a byte order mark', () => {
    expect(parseFlowText(`\uFEFF${flowText(good)}`, 'bom.flow.json').flow).toEqual(good);
  });

  describe('malformed JSON -> FLOW_JSON_INVALID with source, line and column', () => {
    const cases: [string, string, number, number][] = [
      ['trailing comma (V8 gives a position)', '{\n  "a": 1,\n}', 3, 1],
      ['unexpected token (V8 gives no position)', '{\n  "schemaVersion": 1,\n  "id": }', 3, 9],
      ['bad literal on line 4', '{\n\n\n   "a": tru }', 4, 12],
      ['missing comma', '{\n  "a": 1\n  "b": 2\n}', 3, 3],
      ['text after the end', '{}\n}', 2, 1],
      ['list not closed', '{\n  "a": [1, 2', 2, 13],
      ['ends too early (V8 gives no position)', '{\n  "a":', 2, 7],
      ['control character in a string', '{"a": "x\ny"}', 1, 9],
    ];
    for (const [name, text, line, column] of cases) {
      it(name, () => {
        const { flow: f, problems } = parseFlowText(text, 'orders.flow.json');
        expect(f).toBeUndefined();
        expect(problems).toHaveLength(1);
        expect(problems[0]).toMatchObject({ code: 'FLOW_JSON_INVALID', severity: 'error' });
        expect(problems[0]!.message).toMatch(new RegExp(`^orders\\.flow\\.json line ${line}, column ${column}: \\S`));
        expect(problems[0]!.message).not.toContain('is not valid JSON');
        expect(problems[0]!.message).not.toContain('position');
      });
    }

    it('names the token V8 complains about', () => {
      const { problems } = parseFlowText('{\n  "id": }', 'orders.flow.json');
      expect(problems[0]!.message).toBe(`orders.flow.json line 2, column 9: Unexpected token '}'`);
    });

    it('says in plain words when the text ends too early', () => {
      expect(parseFlowText('[', 'f').problems[0]!.message).toBe('f line 1, column 2: the text ends too early (a closing } or ] or " may be missing)');
    });

    it('says when the file is empty', () => {
      expect(parseFlowText('  \n', 'empty.flow.json').problems[0]!.message).toBe('empty.flow.json line 2, column 1: the file is empty');
    });
  });

  it('uses "(line L column C)" when the JSON error message has it', () => {
    const at = locateJsonError('whatever', new SyntaxError(`Unexpected token '}', "{"a": }" is not valid JSON (line 7 column 3)`));
    expect(at).toEqual({ line: 7, column: 3, reason: `Unexpected token '}'` });
    const at2 = locateJsonError('{\n"a" 1}', new SyntaxError(`Expected ':' after property name in JSON at position 5 (line 2 column 5)`));
    expect(at2).toEqual({ line: 2, column: 5, reason: `Expected ':' after property name` });
  });

  it('finds the same error position as V8 when V8 gives one', () => {
    const broken = ['{"a":1,}', '[1,2,]', '{"a" 1}', '{"a":1 "b":2}', '[1 2]', '{"a":-}', '{"a":01}', '{"a":1.}', '{"a":1e}', '"\\x"', '{,}', '[1]]', '{"a":"\\u12G4"}', '{\n\t"a": [\n\t\t{"b": nul}\n\t]\n}'];
    for (const text of broken) {
      let v8: number | undefined;
      try {
        JSON.parse(text);
      } catch (e) {
        const m = /at position (\d+)/.exec((e as Error).message);
        v8 = m ? Number(m[1]) : undefined;
      }
      const ours = findJsonErrorOffset(text);
      expect(ours, text).toBeDefined();
      if (v8 !== undefined) expect(ours, text).toBe(v8);
    }
    for (const ok of ['{}', '[]', '0', '-1.5e+3', '"a\\u00e9\\n"', '{"a":[true,false,null,{"b":[]}]}', ' [ 1 , 2 ] ']) {
      expect(findJsonErrorOffset(ok), ok).toBeUndefined();
    }
  });

  it('copes with very deep nesting', () => {
    expect(findJsonErrorOffset(`${'['.repeat(100_000)}${']'.repeat(99_999)}`)).toBe(200_000 - 1);
  });

  it('counts lines and columns from 1', () => {
    expect(lineColumnAt('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});

describe('parseFlowValue: the envelope', () => {
  it('FLOW_SCHEMA_INVALID when the file is not an object', () => {
    const { flow: f, problems } = parseFlowValue([1, 2], 'list.flow.json');
    expect(f).toBeUndefined();
    expect(problems).toEqual([expect.objectContaining({ code: 'FLOW_SCHEMA_INVALID', severity: 'error' })]);
    expect(problems[0]!.message).toContain('list.flow.json is not a flow');
  });

  it('FLOW_VERSION_UNSUPPORTED for another schemaVersion, and nothing else', () => {
    const { flow: f, problems } = parseFlowValue({ ...raw(), schemaVersion: 2, nodes: 'whatever' }, 'new.flow.json');
    expect(f).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'FLOW_VERSION_UNSUPPORTED', severity: 'error', field: 'schemaVersion' });
    expect(problems[0]!.message).toContain('version 2');
  });

  it('a missing schemaVersion is a schema problem', () => {
    const { schemaVersion: _, ...rest } = raw();
    const { problems } = parseFlowValue(rest, 'f');
    expect(problems).toEqual([expect.objectContaining({ code: 'FLOW_SCHEMA_INVALID', field: 'schemaVersion', message: 'The file does not say which flow format it uses: add "schemaVersion": 1.' })]);
  });

  it('says what is wrong in plain words, the path only in `field`', () => {
    const value = raw();
    value.edges.push({ id: 'e-x', source: 'hi', target: 'end' }, { id: 'e-bad', source: 'hi', target: 7 });
    value.id = 'Orders Flow';
    delete value.name;
    const { flow: f, problems } = parseFlowValue(value, 'f');
    expect(f).toBeUndefined();
    const messages = only(problems, 'FLOW_SCHEMA_INVALID').map((p) => p.message);
    expect(messages).toContain('The connection "e-bad" does not name the step it leads to: connect it to a step or delete it.');
    expect(messages).toContain('The flow has no name: give it one.');
    expect(messages).toContain('The flow\'s id "Orders Flow" cannot be used: a flow id uses lowercase letters, digits and dashes.');
    expect(problems.find((p) => p.message.includes('"e-bad"'))).toMatchObject({ edgeId: 'e-bad', field: 'edges[4].target' });
  });

  it('ties envelope problems inside a node to that node', () => {
    const value = raw();
    delete value.nodes[1]!.position;
    const { problems } = parseFlowValue(value, 'f');
    expect(problems).toEqual([expect.objectContaining({ code: 'FLOW_SCHEMA_INVALID', nodeId: 'name', field: 'position', message: 'The step "name" has no place on the canvas (a position with numbers x and y).' })]);
  });
});

describe('parseFlowValue: node data', () => {
  const withNode = (node: Record<string, unknown>) => {
    const value = raw();
    value.nodes.push({ position: { x: 0, y: 0 }, ...node });
    return parseFlowValue(value, 'f');
  };

  it('NODE_UNKNOWN_TYPE names the node and lists the known types', () => {
    const { flow: f, problems } = withNode({ id: 'w', type: 'webhook', data: {} });
    expect(f).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'NODE_UNKNOWN_TYPE', severity: 'error', nodeId: 'w' });
    expect(problems[0]!.message).toContain('"webhook"');
    for (const t of NODE_TYPES) expect(problems[0]!.message).toContain(t);
  });

  it('NODE_FIELD_INVALID with the field inside the node, and a sentence without schema paths', () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ type: 'ask', data: { question: 'Size?', answer: { kind: 'choice' } } }, 'data.answer.options', 'The question "Pick size" asks the customer to choose but has no list of options. Add the options.'],
      [{ type: 'ask', data: { question: 'Size?', answer: { kind: 'maybe' } } }, 'data.answer.kind', 'The question "Pick size" expects a kind of answer this version does not know ("maybe"): choose one of text, number, choice, confirm, date, phone, email.'],
      [{ type: 'ask', data: { question: 'Age?', answer: { kind: 'number' }, saveAs: '1age' } }, 'data.saveAs', '"1age" cannot be the "Save the answer as" name of the question "Pick size": a variable name uses letters, digits and _ and does not start with a digit.'],
      [{ type: 'ask', data: { question: 'Age?', answer: { kind: 'number' }, maxRetries: 99 } }, 'data.maxRetries', 'The "Ask again at most" number of the question "Pick size" must be at most 20.'],
      [{ type: 'ask', data: { question: 'Size?', answer: { kind: 'choice', options: ['S', 3] } } }, 'data.answer.options[1]', 'Option 2 of the question "Pick size" must be text.'],
      [{ type: 'tool', data: { server: 'crm', tool: 't', args: { id: 5 } } }, 'data.args.id', 'The value of the argument "id" of the tool step "Pick size" must be text.'],
      [{ type: 'tool', data: { server: '', tool: 't', args: {} } }, 'data.server', 'The tool step "Pick size" has no tool yet: pick one.'],
      [{ type: 'tool', data: { server: '', tool: '', args: {} } }, 'data.server', 'The tool step "Pick size" has no tool yet: pick one.'], // said once
      [{ type: 'set', data: { assign: { 'my var': 'x' } } }, 'data.assign["my var"]', '"my var" cannot be a variable name in the step "Pick size": a name uses letters, digits and _ and does not start with a digit.'],
      [{ type: 'start', data: { extra: true } }, 'data', 'The Start step "Pick size" has settings it does not use (extra): delete them from the file.'],
      [{ type: 'condition', data: { rules: [{ var: 'a', op: 'like', handle: 'h' }] } }, 'data.rules[0].op', 'Rule 1 of the decision step "Pick size" compares with "like", which is not a comparison. Use one of: equals, contains, gt, lt, exists, matches.'],
      [{ type: 'condition', data: { rules: [{ var: '', op: 'exists', handle: 'h' }] } }, 'data.rules[0].var', 'Rule 1 of the decision step "Pick size" does not say which variable it checks.'],
      [{ type: 'llm', data: { instructions: 'x', tools: [], output: { mode: 'save' } } }, 'data.output.var', 'The AI step "Pick size" has no "Save the result as" name.'],
      [{ type: 'llm', data: { instructions: 'x', tools: [{ server: 'crm', tool: '' }], output: { mode: 'reply' } } }, 'data.tools[0].tool', 'Tool 1 in the list of the AI step "Pick size" has no tool picked: pick one or remove it.'],
      [{ type: 'llm', data: { instructions: 'x', tools: [], output: { mode: 'shout' } } }, 'data.output.mode', 'Choose what the AI step "Pick size" does with its result: send it to the customer ("reply") or save it ("save").'],
      [{ type: 'message', data: {} }, 'data.text', 'The message step "Pick size" has no text.'],
    ];
    for (const [node, field, message] of cases) {
      const { flow: f, problems } = withNode({ id: 'x', label: 'Pick size', ...node });
      expect(f).toBeUndefined();
      expect(problems, field).toEqual([{ code: 'NODE_FIELD_INVALID', severity: 'error', nodeId: 'x', field, message }]);
    }
  });

  it('a missing or non-text question is ASK_NO_QUESTION', () => {
    for (const data of [{ answer: { kind: 'text' } }, { question: 42, answer: { kind: 'text' } }]) {
      const { problems } = withNode({ id: 'q', type: 'ask', data });
      expect(problems).toEqual([expect.objectContaining({ code: 'ASK_NO_QUESTION', severity: 'error', nodeId: 'q', field: 'data.question' })]);
    }
  });

  it('reports envelope and node problems together, in one pass', () => {
    const value = raw();
    value.edges.push({ id: 'e9', source: 'hi' });
    value.nodes.push({ id: 'bad', type: 'message', position: { x: 0, y: 0 }, data: { text: 3 } }, { id: 'odd', type: 'teleport', position: { x: 0, y: 0 }, data: {} });
    const { flow: f, problems } = parseFlowValue(value, 'f');
    expect(f).toBeUndefined();
    expect(problems.map((p) => p.code).sort()).toEqual(['FLOW_SCHEMA_INVALID', 'NODE_FIELD_INVALID', 'NODE_UNKNOWN_TYPE']);
  });

  it('returns the flow only when everything parsed', () => {
    const value = raw();
    value.edges.push(edge('hi', 'next', 'end', 'extra') as unknown as Record<string, unknown>);
    expect(parseFlowValue(value, 'f').flow?.edges).toHaveLength(4);
  });
});
