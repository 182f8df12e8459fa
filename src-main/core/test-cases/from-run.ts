// Turns a recorded conversation (simulator or CLI) into a test case: the customer's messages
// in order, each turn's bot replies (exact text) and tool calls (exact arguments and status),
// and the end state.
import { TEST_CASE_SCHEMA_VERSION, type ReplyExpectation, type TestCase, type ToolCallExpectation } from '../../shared/test-case';
import { canonicalJson } from '../canonical-json';
import { endStatusOf, splitTurns, type RecordedRun, type RunTurn, type ToolCallEvent } from './turns';

export interface TestCaseFromRunInput extends RecordedRun {
  flowId: string;
  name: string;
  description?: string;
  startAt?: string;
  vars?: Record<string, unknown>;
  dryRun?: boolean;
  contact?: { name?: string };
  /**
   * Which variables the end state checks. Default: every variable except those holding a tool's
   * result (those belong to the other system and change between runs: add them by hand when stable).
   */
  endVars?: readonly string[];
  /**
   * "exact" (default): every reply is expected word for word. "pattern": a reply that shows a
   * value from a tool's result (a ticket number, a date) becomes a regex with that part left open,
   * so the case still passes when the other system hands out the next number. Values the customer
   * typed (a customer number the tool echoes) stay exact.
   */
  toolValues?: 'exact' | 'pattern';
}

/** The run cannot be turned into a case (its events do not fit its messages). */
export class TestCaseRecordError extends Error {
  override readonly name = 'TestCaseRecordError';
}

export function testCaseFromRun(input: TestCaseFromRunInput): TestCase {
  const { opening, turns } = splitTurns(input.events);
  checkTurns(input.messages, turns);
  const toolResults: unknown[] = [];
  const expectTurn = (turn: RunTurn) => {
    // Values the bot repeats from a tool may come from this turn's calls or an earlier one.
    for (const call of turn.toolCalls) if (call.status === 'executed' && call.result !== undefined) toolResults.push(call.result);
    return {
      replies: turn.replies.map((text) => replyExpectation(text, input.toolValues === 'pattern' ? systemValues(toolResults, input.messages) : [])),
      toolCalls: turn.toolCalls.map(toolCallExpectation),
    };
  };
  const allResults = [...opening.toolCalls, ...turns.flatMap((t) => t.toolCalls)].flatMap((c) => (c.result !== undefined ? [canonicalJson(c.result)] : []));
  const endVars = Object.entries(input.final.vars).filter(([name, value]) =>
    input.endVars ? input.endVars.includes(name) : !allResults.includes(canonicalJson(value)),
  );
  const testCase: TestCase = {
    schemaVersion: TEST_CASE_SCHEMA_VERSION,
    name: input.name.trim(),
    flowId: input.flowId,
    ...(input.description ? { description: input.description } : {}),
    ...(input.startAt ? { startAt: input.startAt } : {}),
    ...(input.vars && Object.keys(input.vars).length > 0 ? { vars: input.vars } : {}),
    ...(input.dryRun ? { dryRun: true } : {}),
    ...(input.contact?.name ? { contact: { name: input.contact.name } } : {}),
    opening: expectTurn(opening),
    turns: turns.map((turn) => ({ customer: turn.customer ?? '', ...expectTurn(turn) })),
    end: {
      status: endStatusOf(input.final.status),
      ...(endVars.length > 0 ? { vars: Object.fromEntries(endVars) } : {}),
    },
  };
  return testCase;
}

function checkTurns(messages: readonly string[], turns: RunTurn[]): void {
  const said = turns.map((t) => t.customer ?? '');
  if (said.length === messages.length && said.every((text, i) => text === messages[i])) return;
  if (said.length === 0 && messages.length > 0) {
    throw new TestCaseRecordError('The recorded events do not say when the customer wrote (no customer_message events), so the bot replies cannot be put into turns.');
  }
  throw new TestCaseRecordError(
    `The recorded events show ${said.length} customer message(s) but ${messages.length} were given; record the conversation again from its start.`,
  );
}

function toolCallExpectation(call: ToolCallEvent): ToolCallExpectation {
  return { server: call.server, tool: call.tool, args: call.args, status: call.status };
}

function replyExpectation(text: string, values: string[]): ReplyExpectation {
  const pattern = patternFor(text, values);
  return pattern === undefined ? { text } : { regex: pattern };
}

/** Values a tool returned that the customer did not type themselves (those are stable: the case sends them). */
function systemValues(results: unknown[], messages: readonly string[]): string[] {
  return leafValues(results).filter((value) => !messages.some((m) => m.includes(value)));
}

/** Text and number leaves of tool results, at least 2 characters (shorter ones match by accident). */
function leafValues(results: unknown[]): string[] {
  const out = new Set<string>();
  const walk = (value: unknown) => {
    if (typeof value === 'string' || typeof value === 'number') {
      const text = String(value);
      if (text.trim().length >= 2) out.add(text);
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  results.forEach(walk);
  return [...out];
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * `^Done! Your ticket is .*?\.$` for "Done! Your ticket is T-1." when "T-1" came from a tool. The
 * value may be empty: in a replay that is not live a write's result is the dry run's (no ticket).
 */
function patternFor(text: string, values: string[]): string | undefined {
  const found = values.filter((v) => text.includes(v)).sort((a, b) => b.length - a.length);
  if (found.length === 0) return undefined;
  const any = new RegExp(found.map(escapeRegex).join('|'), 'g');
  let out = '^';
  let last = 0;
  for (const match of text.matchAll(any)) {
    out += `${escapeRegex(text.slice(last, match.index))}.*?`;
    last = match.index + match[0].length;
  }
  return `${out}${escapeRegex(text.slice(last))}$`;
}
