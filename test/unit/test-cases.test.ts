// The pure core of conversation test cases: recording a run as a case, matching a run against a
// case (exact / contains / regex replies, tool calls, end state), the readable diff, and parsing
// case files with file + field in every problem.
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src-main/shared/run-event';
import type { TestCase } from '../../src-main/shared/test-case';
import { TestCaseRecordError, testCaseFromRun } from '../../src-main/core/test-cases/from-run';
import { containsValue, matchTestCase, passed } from '../../src-main/core/test-cases/match';
import { formatDiff } from '../../src-main/core/test-cases/diff';
import { parseTestCaseText } from '../../src-main/core/test-cases/parse';
import { caseSlug } from '../../src-main/core/test-cases/slug';
import type { RecordedRun } from '../../src-main/core/test-cases/turns';

const ID = 'conv-1';
const start: RunEvent = { type: 'conversation_started', conversationId: ID, flowId: 'support' };
const bot = (text: string): RunEvent => ({ type: 'bot_message', conversationId: ID, text });
const customer = (text: string): RunEvent => ({ type: 'customer_message', conversationId: ID, text });
const tool = (status: 'executed' | 'declined' | 'blocked' | 'error', args: Record<string, unknown>, result?: unknown, reason?: string): RunEvent => ({
  type: 'tool_call',
  conversationId: ID,
  nodeId: 'create',
  server: 'crm',
  tool: 'create_ticket',
  args,
  status,
  ...(result !== undefined ? { result } : {}),
  ...(reason ? { reason } : {}),
  durationMs: 3,
});
const end = (status: 'ended' | 'handoff' | 'failed', reason?: string): RunEvent => ({ type: 'end', conversationId: ID, status, ...(reason ? { reason } : {}) });

/** A support conversation: number, problem, yes -> ticket T-7. */
function supportRun(overrides: { problemReply?: string; args?: Record<string, unknown>; status?: 'executed' | 'blocked'; endStatus?: 'ended' | 'handoff' } = {}): RecordedRun {
  const args = overrides.args ?? { customerId: 'c1', description: 'My lamp flickers' };
  return {
    messages: ['c1', 'My lamp flickers', 'yes'],
    events: [
      start,
      bot('Hi! What is your customer number?'),
      customer('c1'),
      bot(overrides.problemReply ?? 'Please describe the problem in one message.'),
      customer('My lamp flickers'),
      bot('Shall I open this ticket?'),
      { type: 'confirmation_requested', conversationId: ID, nodeId: 'create', server: 'crm', tool: 'create_ticket', args },
      customer('yes'),
      tool(overrides.status ?? 'executed', args, overrides.status === 'blocked' ? undefined : { ticketId: 'T-7' }, overrides.status === 'blocked' ? 'no matching confirmation' : undefined),
      bot('Done! Your ticket number is T-7. We will get back to you soon.'),
      end(overrides.endStatus ?? 'ended'),
    ],
    final: { status: overrides.endStatus ?? 'ended', vars: { customerId: 'c1', problem: 'My lamp flickers', ticket: { ticketId: 'T-7' } } },
  };
}

const recorded = (): TestCase => testCaseFromRun({ flowId: 'support', name: '  Customer confirms  ', ...supportRun() });

describe('testCaseFromRun', () => {
  it('groups bot replies and tool calls per customer turn, exact text by default, with the end state', () => {
    const testCase = recorded();
    expect(testCase).toEqual({
      schemaVersion: 1,
      name: 'Customer confirms',
      flowId: 'support',
      opening: { replies: [{ text: 'Hi! What is your customer number?' }], toolCalls: [] },
      turns: [
        { customer: 'c1', replies: [{ text: 'Please describe the problem in one message.' }], toolCalls: [] },
        { customer: 'My lamp flickers', replies: [{ text: 'Shall I open this ticket?' }], toolCalls: [] },
        {
          customer: 'yes',
          replies: [{ text: 'Done! Your ticket number is T-7. We will get back to you soon.' }],
          toolCalls: [{ server: 'crm', tool: 'create_ticket', args: { customerId: 'c1', description: 'My lamp flickers' }, status: 'executed' }],
        },
      ],
      // The variable holding the tool's result is left out: it belongs to the CRM.
      end: { status: 'ended', vars: { customerId: 'c1', problem: 'My lamp flickers' } },
    });
    expect(passed(matchTestCase(testCase, supportRun()))).toBe(true);
  });

  it('turns a reply showing a tool value into a pattern when asked, which passes with the next ticket number', () => {
    const testCase = testCaseFromRun({ flowId: 'support', name: 'n', toolValues: 'pattern', ...supportRun() });
    expect(testCase.turns[2]!.replies).toEqual([{ regex: '^Done! Your ticket number is .*?\\. We will get back to you soon\\.$' }]);
    const next = supportRun();
    next.events = next.events.map((e) => (e.type === 'bot_message' ? { ...e, text: e.text.replace('T-7', 'T-8') } : e));
    expect(passed(matchTestCase(testCase, next))).toBe(true);
    // Replies without tool values stay exact.
    expect(testCase.turns[0]!.replies).toEqual([{ text: 'Please describe the problem in one message.' }]);
  });

  it('in pattern mode, a value the customer typed stays exact even when a tool echoes it', () => {
    const run = supportRun();
    run.events = run.events.map((e) =>
      e.type === 'tool_call' ? { ...e, result: { ticketId: 'T-7', customerId: 'c1' } } : e.type === 'bot_message' && e.text.startsWith('Done') ? { ...e, text: 'Done, c1! Ticket T-7.' } : e,
    );
    const testCase = testCaseFromRun({ flowId: 'support', name: 'n', toolValues: 'pattern', ...run });
    expect(testCase.turns[2]!.replies).toEqual([{ regex: '^Done, c1! Ticket .*?\\.$' }]);
  });

  it('keeps exactly the named end variables, and a waiting conversation ends as "waiting"', () => {
    const run = supportRun();
    const testCase = testCaseFromRun({ flowId: 'support', name: 'n', ...run, final: { status: 'active', vars: run.final.vars }, endVars: ['ticket'] });
    expect(testCase.end).toEqual({ status: 'waiting', vars: { ticket: { ticketId: 'T-7' } } });
  });

  it('only the last conversation counts when the simulator restarted', () => {
    const run = supportRun();
    const earlier: RunEvent[] = [
      { type: 'conversation_started', conversationId: 'old', flowId: 'support' },
      { type: 'bot_message', conversationId: 'old', text: 'Hi! What is your customer number?' },
      { type: 'customer_message', conversationId: 'old', text: 'c9' },
    ];
    expect(testCaseFromRun({ flowId: 'support', name: 'n', ...run, events: [...earlier, ...run.events] })).toEqual({ ...recorded(), name: 'n' });
  });

  it('refuses events that do not fit the messages, saying why', () => {
    const run = supportRun();
    expect(() => testCaseFromRun({ flowId: 'support', name: 'n', ...run, events: run.events.filter((e) => e.type !== 'customer_message') })).toThrow(
      new TestCaseRecordError('The recorded events do not say when the customer wrote (no customer_message events), so the bot replies cannot be put into turns.'),
    );
    expect(() => testCaseFromRun({ flowId: 'support', name: 'n', ...run, messages: ['c1'] })).toThrow(/show 3 customer message\(s\) but 1 were given/);
  });
});

describe('matchTestCase', () => {
  const withReply = (reply: TestCase['turns'][number]['replies']): TestCase => {
    const testCase = recorded();
    testCase.turns[0] = { ...testCase.turns[0]!, replies: reply };
    return testCase;
  };
  const changedReply = (text: string) => supportRun({ problemReply: text });

  it('exact text: any change fails, with where the texts part', () => {
    const results = matchTestCase(recorded(), changedReply('Please describe your problem.'));
    const failed = results.filter((r) => !r.ok);
    expect(failed).toEqual([
      {
        place: 'turn',
        turn: 1,
        kind: 'reply',
        index: 1,
        ok: false,
        expected: 'exactly "Please describe the problem in one message."',
        got: '"Please describe your problem."',
        note: 'they differ from character 17: expected "the problem in one messa", got "your problem."',
      },
    ]);
  });

  it('contains: passes when the part is there, fails when it is not', () => {
    const testCase = withReply([{ contains: 'the problem' }]);
    expect(passed(matchTestCase(testCase, changedReply('Tell me the problem, please.')))).toBe(true);
    const failed = matchTestCase(testCase, changedReply('Tell me what is wrong.')).filter((r) => !r.ok);
    expect(failed).toMatchObject([{ turn: 1, kind: 'reply', expected: 'containing "the problem"', got: '"Tell me what is wrong."' }]);
  });

  it('regex: searched in the reply, with flags', () => {
    const testCase = withReply([{ regex: '^please DESCRIBE', flags: 'i' }]);
    expect(passed(matchTestCase(testCase, changedReply('Please describe it.')))).toBe(true);
    expect(matchTestCase(testCase, changedReply('Could you please describe it?')).filter((r) => !r.ok)).toMatchObject([
      { turn: 1, kind: 'reply', expected: 'matching /^please DESCRIBE/i' },
    ]);
  });

  it('a missing or an extra reply fails', () => {
    const missing = supportRun();
    missing.events = missing.events.filter((e) => !(e.type === 'bot_message' && e.text.startsWith('Please describe')));
    expect(matchTestCase(recorded(), missing).filter((r) => !r.ok)).toMatchObject([{ turn: 1, kind: 'reply', index: 1, got: 'nothing' }]);

    const extra = supportRun();
    extra.events = [...extra.events.slice(0, 4), bot('One more thing.'), ...extra.events.slice(4)];
    expect(matchTestCase(recorded(), extra).filter((r) => !r.ok)).toMatchObject([{ turn: 1, kind: 'reply', index: 2, expected: 'no more replies', got: '"One more thing."' }]);
  });

  it('a left-out list is not checked; an empty list means none', () => {
    const unchecked = recorded();
    delete unchecked.turns[0]!.replies;
    expect(passed(matchTestCase(unchecked, changedReply('Anything at all.')))).toBe(true);
    const none = recorded();
    none.turns[0]!.replies = [];
    expect(passed(matchTestCase(none, supportRun()))).toBe(false);
  });

  it('tool calls: other arguments, another status, a missing call each fail; subset arguments pass with more', () => {
    const otherArgs = matchTestCase(recorded(), supportRun({ args: { customerId: 'c2', description: 'My lamp flickers' } })).filter((r) => !r.ok && r.kind === 'tool_call');
    expect(otherArgs).toEqual([
      {
        place: 'turn',
        turn: 3,
        kind: 'tool_call',
        index: 1,
        ok: false,
        expected: 'crm.create_ticket, with exactly the arguments {"customerId":"c1","description":"My lamp flickers"}, executed',
        got: 'crm.create_ticket, with the arguments {"customerId":"c2","description":"My lamp flickers"}, executed',
      },
    ]);

    const blocked = matchTestCase(recorded(), supportRun({ status: 'blocked' })).filter((r) => !r.ok && r.kind === 'tool_call');
    expect(blocked).toMatchObject([{ got: expect.stringContaining(', blocked'), note: 'blocked: no matching confirmation' }]);

    const noCall = supportRun();
    noCall.events = noCall.events.filter((e) => e.type !== 'tool_call');
    expect(matchTestCase(recorded(), noCall).filter((r) => !r.ok)).toMatchObject([{ turn: 3, kind: 'tool_call', got: 'nothing' }]);

    const subset = recorded();
    subset.turns[2]!.toolCalls = [{ server: 'crm', tool: 'create_ticket', args: { customerId: 'c1' }, argsMatch: 'subset' }];
    expect(passed(matchTestCase(subset, supportRun()))).toBe(true);
    expect(passed(matchTestCase(subset, supportRun({ args: { customerId: 'c2', description: 'x' } })))).toBe(false);
    // The same expectation as "exact" fails: the call had more arguments.
    subset.turns[2]!.toolCalls[0]!.argsMatch = 'exact';
    expect(passed(matchTestCase(subset, supportRun()))).toBe(false);
  });

  it('subset compares nested objects by their keys, lists and values exactly', () => {
    expect(containsValue({ a: { b: 1, c: 2 }, d: [1, 2] }, { a: { b: 1 } })).toBe(true);
    expect(containsValue({ a: { b: 1 } }, { a: { b: 2 } })).toBe(false);
    expect(containsValue({ d: [1, 2] }, { d: [1] })).toBe(false);
    expect(containsValue({ a: 1 }, { b: undefined })).toBe(false);
  });

  it('end state: another status (with the reason) or another variable value fails', () => {
    const handoff = supportRun({ endStatus: 'handoff' });
    handoff.events = handoff.events.map((e) => (e.type === 'end' ? { ...e, reason: 'a person took over' } : e));
    expect(matchTestCase(recorded(), handoff).filter((r) => !r.ok)).toEqual([
      { place: 'end', kind: 'status', ok: false, expected: 'ended', got: 'handoff', note: 'a person took over' },
    ]);
    const run = supportRun();
    run.final = { status: 'ended', vars: { customerId: 'c2' } };
    expect(matchTestCase(recorded(), run).filter((r) => !r.ok)).toEqual([
      { place: 'end', kind: 'var', var: 'customerId', ok: false, expected: '"c1"', got: '"c2"' },
      { place: 'end', kind: 'var', var: 'problem', ok: false, expected: '"My lamp flickers"', got: 'not set' },
    ]);
  });

  it('turns after the conversation ended say so', () => {
    const run = supportRun();
    // The flow ended right after the customer number.
    run.events = [start, bot('Hi! What is your customer number?'), customer('c1'), end('ended'), customer('My lamp flickers'), customer('yes')];
    const failed = matchTestCase(recorded(), run).filter((r) => !r.ok);
    expect(failed.find((r) => r.turn === 2)).toMatchObject({ kind: 'reply', got: 'nothing (the conversation had already ended)' });
  });
});

describe('formatDiff', () => {
  it('names the turn, what the customer wrote, each failed expectation with expected and got; nothing when all passed', () => {
    const run = supportRun({ problemReply: 'Please describe your problem.', args: { customerId: 'c1', description: 'other' } });
    run.final = { status: 'waiting', vars: { customerId: 'c1', problem: 'My lamp flickers' } };
    const testCase = recorded();
    expect(formatDiff(testCase, matchTestCase(testCase, run))).toBe(
      [
        'Turn 1, after the customer wrote "c1":',
        '  reply 1',
        '    expected: exactly "Please describe the problem in one message."',
        '    got:      "Please describe your problem."',
        '    (they differ from character 17: expected "the problem in one messa", got "your problem.")',
        'Turn 3, after the customer wrote "yes":',
        '  tool call 1',
        '    expected: crm.create_ticket, with exactly the arguments {"customerId":"c1","description":"My lamp flickers"}, executed',
        '    got:      crm.create_ticket, with the arguments {"customerId":"c1","description":"other"}, executed',
        'At the end:',
        '  status',
        '    expected: ended',
        '    got:      waiting',
      ].join('\n'),
    );
    expect(formatDiff(testCase, matchTestCase(testCase, supportRun()))).toBe('');
  });

  it('shows line breaks and invisible characters in replies', () => {
    const testCase = recorded();
    const results = matchTestCase(testCase, supportRun({ problemReply: 'Please describe\nthe problem\u200b' }));
    expect(formatDiff(testCase, results)).toContain('got:      "Please describe\\nthe problem\u200b"');
  });
});

describe('parseTestCaseText', () => {
  const file = 'support.tests/yes.test.json';
  const problemsOf = (value: unknown) => {
    const parsed = parseTestCaseText(JSON.stringify(value), file);
    return parsed.ok ? [] : parsed.problems;
  };
  const valid = { schemaVersion: 1, name: 'Yes', flowId: 'support', turns: [{ customer: 'hi', replies: [{ text: 'Hello' }] }] };

  it('reads a valid case', () => {
    expect(parseTestCaseText(JSON.stringify(valid), file)).toEqual({ ok: true, testCase: valid });
  });

  it('names the file and the field of each problem', () => {
    expect(problemsOf({ ...valid, turns: [{ replies: [] }] })).toEqual([{ field: 'turns[0].customer', message: `${file}: turns[0].customer: missing` }]);
    expect(problemsOf({ ...valid, turns: [{ customer: 'hi', replies: [{}] }] })).toEqual([
      { field: 'turns[0].replies[0]', message: `${file}: turns[0].replies[0]: needs one of "text" (exact), "contains" or "regex"` },
    ]);
    expect(problemsOf({ ...valid, turns: [{ customer: 'hi', replies: [{ text: 'a', regex: 'b' }] }] })[0]!.message).toBe(
      `${file}: turns[0].replies[0]: has "text" and "regex": give only one of them`,
    );
    expect(problemsOf({ ...valid, turns: [{ customer: 'hi', replies: [{ regex: '(' }] }] })[0]).toMatchObject({
      field: 'turns[0].replies[0].regex',
      message: expect.stringContaining(`${file}: turns[0].replies[0].regex: not a valid regular expression`),
    });
    expect(problemsOf({ ...valid, turns: [{ customer: 'hi', toolCalls: [{ server: 'crm', tool: 't', status: 'done' }] }] })).toEqual([
      { field: 'turns[0].toolCalls[0].status', message: `${file}: turns[0].toolCalls[0].status: must be one of: executed, blocked, declined, error, dry_run` },
    ]);
    expect(problemsOf({ ...valid, end: { status: 'finished' } })[0]!.message).toBe(`${file}: end.status: must be one of: ended, handoff, failed, waiting`);
    expect(problemsOf({ ...valid, turn: [] })[0]!.message).toBe(`${file}: (top level): unknown field "turn"`);
    expect(problemsOf({ ...valid, schemaVersion: 2 })).toEqual([
      { field: 'schemaVersion', message: `${file}: schemaVersion: this is test case format version 2; this version of Flowbot Studio reads version 1` },
    ]);
  });

  it('broken JSON: the line and column', () => {
    const parsed = parseTestCaseText('{\n  "name": "x",\n  "turns": [\n}', file);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems[0]!.message).toMatch(new RegExp(`^${file.replace(/\./g, '\\.')} line 4, column 1: `));
  });
});

describe('caseSlug', () => {
  it('makes file names from names', () => {
    expect(caseSlug('Customer says "no"!')).toBe('customer-says-no');
    expect(caseSlug('Größe prüfen')).toBe('grosse-prufen');
    expect(caseSlug('订单')).toBe('case');
    expect(caseSlug('con')).toBe('con-case');
  });
});
