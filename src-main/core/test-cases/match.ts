// Compares a test case with a run: one result per expectation (and per reply or tool call the
// case did not expect), each with readable "expected" and "got" texts.
import type { ExpectationResult, ReplyExpectation, TestCase, ToolCallExpectation } from '../../shared/test-case';
import { canonicalJson } from '../canonical-json';
import { endStatusOf, splitTurns, type RecordedRun, type RunTurn, type ToolCallEvent } from './turns';

const MAX_SHOWN = 400;

/** Every result; the case passed when all are ok. */
export interface MatchOptions {
  /**
   * The replay left writes out (a test run that is not live): a write recorded as `dry_run`
   * meets an expectation of `executed`; server, tool and arguments are compared as always.
   */
  writesDryRun?: boolean;
}

export function matchTestCase(testCase: TestCase, run: RecordedRun, options: MatchOptions = {}): ExpectationResult[] {
  const { opening, turns, endReason } = splitTurns(run.events);
  const results: ExpectationResult[] = [];
  const matchTurn = (expected: Parameters<typeof matchTurnWith>[1], got: RunTurn, where: Where) => matchTurnWith(options, expected, got, where);
  results.push(...matchTurn(testCase.opening, opening, { place: 'opening', turn: 0 }));
  testCase.turns.forEach((expected, i) => {
    const got: RunTurn = turns[i] ?? { customer: expected.customer, replies: [], toolCalls: [], afterEnd: false };
    results.push(...matchTurn(expected, got, { place: 'turn', turn: i + 1 }));
  });
  if (testCase.end?.status !== undefined) {
    const got = endStatusOf(run.final.status);
    const ok = got === testCase.end.status;
    results.push({ place: 'end', kind: 'status', ok, expected: testCase.end.status, got, ...(!ok && endReason ? { note: endReason } : {}) });
  }
  for (const [name, value] of Object.entries(testCase.end?.vars ?? {})) {
    const has = Object.hasOwn(run.final.vars, name);
    const got = run.final.vars[name];
    results.push({
      place: 'end',
      kind: 'var',
      var: name,
      ok: has && canonicalJson(got) === canonicalJson(value),
      expected: showValue(value),
      got: has ? showValue(got) : 'not set',
    });
  }
  return results;
}

export const passed = (results: readonly ExpectationResult[]): boolean => results.every((r) => r.ok);

type Where = Pick<ExpectationResult, 'place' | 'turn'>;

function matchTurnWith(options: MatchOptions, expected: { replies?: ReplyExpectation[]; toolCalls?: ToolCallExpectation[] } | undefined, got: RunTurn, where: Where): ExpectationResult[] {
  const results: ExpectationResult[] = [];
  const nothing = got.afterEnd ? 'nothing (the conversation had already ended)' : 'nothing';
  if (expected?.replies) {
    const count = Math.max(expected.replies.length, got.replies.length);
    for (let i = 0; i < count; i++) {
      const want = expected.replies[i];
      const text = got.replies[i];
      const base = { ...where, kind: 'reply' as const, index: i + 1 };
      if (want === undefined) results.push({ ...base, ok: false, expected: 'no more replies', got: show(text ?? '') });
      else if (text === undefined) results.push({ ...base, ok: false, expected: describeReply(want), got: nothing });
      else results.push({ ...base, ...matchReply(want, text) });
    }
  }
  if (expected?.toolCalls) {
    const count = Math.max(expected.toolCalls.length, got.toolCalls.length);
    for (let i = 0; i < count; i++) {
      const want = expected.toolCalls[i];
      const call = got.toolCalls[i];
      const base = { ...where, kind: 'tool_call' as const, index: i + 1 };
      if (want === undefined) results.push({ ...base, ok: false, expected: 'no more tool calls', got: describeCall(call!), ...reasonOf(call!) });
      else if (call === undefined) results.push({ ...base, ok: false, expected: describeExpectedCall(want), got: nothing });
      else results.push({ ...base, ...matchCall(want, call, options) });
    }
  }
  return results;
}

function matchReply(want: ReplyExpectation, text: string): Pick<ExpectationResult, 'ok' | 'expected' | 'got' | 'note'> {
  const expected = describeReply(want);
  const got = show(text);
  if (want.text !== undefined) {
    if (want.text === text) return { ok: true, expected, got };
    return { ok: false, expected, got, note: firstDifference(want.text, text) };
  }
  if (want.contains !== undefined) return { ok: text.includes(want.contains), expected, got };
  // The schema checked that the pattern compiles.
  return { ok: new RegExp(want.regex ?? '', want.flags).test(text), expected, got };
}

function matchCall(want: ToolCallExpectation, call: ToolCallEvent, options: MatchOptions): Pick<ExpectationResult, 'ok' | 'expected' | 'got' | 'note'> {
  const sameTool = want.server === call.server && want.tool === call.tool;
  const argsOk = want.args === undefined || (want.argsMatch === 'subset' ? containsValue(call.args, want.args) : canonicalJson(call.args) === canonicalJson(want.args));
  const statusOk = want.status === undefined || want.status === call.status || (options.writesDryRun === true && want.status === 'executed' && call.status === 'dry_run');
  return { ok: sameTool && argsOk && statusOk, expected: describeExpectedCall(want), got: describeCall(call), ...reasonOf(call) };
}

const reasonOf = (call: ToolCallEvent): { note?: string } => (call.reason && call.status !== 'executed' ? { note: `${call.status}: ${call.reason}` } : {});

/** `subset`: every key of `want` is in `got` with an equal value; objects inside are compared the same way. */
export function containsValue(got: unknown, want: unknown): boolean {
  if (isPlainObject(want) && isPlainObject(got)) {
    return Object.entries(want).every(([key, value]) => Object.hasOwn(got, key) && containsValue(got[key], value));
  }
  return canonicalJson(got) === canonicalJson(want);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function describeReply(want: ReplyExpectation): string {
  if (want.text !== undefined) return `exactly ${show(want.text)}`;
  if (want.contains !== undefined) return `containing ${show(want.contains)}`;
  return `matching /${want.regex ?? ''}/${want.flags ?? ''}`;
}

export function describeExpectedCall(want: ToolCallExpectation): string {
  const parts = [`${want.server}.${want.tool}`];
  if (want.args !== undefined) parts.push(`with ${want.argsMatch === 'subset' ? 'at least the' : 'exactly the'} arguments ${showValue(want.args)}`);
  if (want.status !== undefined) parts.push(want.status);
  return parts.join(', ');
}

const describeCall = (call: ToolCallEvent): string => `${call.server}.${call.tool}, with the arguments ${showValue(call.args)}, ${call.status}`;

/** JSON-quoted (line breaks and invisible characters visible), shortened when very long. */
function show(text: string): string {
  const quoted = JSON.stringify(text);
  return quoted.length > MAX_SHOWN ? `${quoted.slice(0, MAX_SHOWN)}…" (${text.length} characters)` : quoted;
}

function showValue(value: unknown): string {
  const text = value === undefined ? 'undefined' : canonicalJson(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/** "they differ from character 19: expected "your problem", got "the problem"". */
function firstDifference(want: string, got: string): string {
  let i = 0;
  while (i < want.length && i < got.length && want[i] === got[i]) i++;
  const around = (text: string) => (i >= text.length ? 'the end' : show(text.slice(i, i + 24)));
  return `they differ from character ${i + 1}: expected ${around(want)}, got ${around(got)}`;
}
