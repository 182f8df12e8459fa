// Replays one test case through the real ConversationRunner of a workspace (real store, MCP
// servers, model), in a fresh conversation, then compares what happened with the case.
// Bounded: a case that does not finish within its time fails with what it did so far.
import { randomUUID } from 'node:crypto';
import type { ConversationState } from '../shared/conversation';
import type { Flow } from '../shared/flow';
import type { OwnerText } from '../shared/owner-text';
import { refusalHeadline, type RunBlocker } from '../shared/run-blocker';
import type { RunEvent } from '../shared/run-event';
import type { TestCase, TestCaseResult, ToolCallExpectation } from '../shared/test-case';
import { isAffirmative } from '../core/answers';
import { conversationLanguage } from '../core/engine';
import { languageOf } from '../shared/workspace-config';
import { startAtProblem } from '../core/engine';
import { unexpectedConfirmation, type AskedCall } from '../core/test-cases/confirm-guard';
import { hasErrors, validateFlow } from '../core/validate';
import { formatDiff } from '../core/test-cases/diff';
import { matchTestCase, passed } from '../core/test-cases/match';
import type { RecordedRun } from '../core/test-cases/turns';
import { liveCatalog, problemBlocker } from './live-catalog';
import type { Workspace } from './workspace';

export const DEFAULT_CASE_TIMEOUT_MS = 120_000;
/** Conversations of test runs are told apart in the store and the audit log by this prefix. */
export const TEST_CONVERSATION_PREFIX = 'test-';

export interface RunTestCaseOptions {
  workspace: Workspace;
  flow: Flow;
  /** Where the flow came from (a file path), stored with the conversation. */
  flowSource: string;
  testCase: TestCase;
  /** The case file, reported with the result. */
  file?: string;
  timeoutMs?: number;
  /** Every event of the replayed conversation, as it happens (the studio may show them). */
  onEvent?: (event: RunEvent) => void;
  /**
   * Run write tools for real (`flowbot test --live`, the Tests panel's live switch). Off by
   * default: a case is a file anyone can commit, and it scripts its own "yes", so a replay
   * never writes unless the owner asks for it; the writes are dry runs (see ReplayOptions.dryRun).
   */
  live?: boolean;
}

export interface TestCaseRun {
  result: TestCaseResult;
  /** What the replay recorded (also on failure; partial after a timeout). */
  run?: RecordedRun;
}

export async function runTestCase(options: RunTestCaseOptions): Promise<TestCaseRun> {
  const { workspace, flow, testCase } = options;
  const started = Date.now();
  const base = { name: testCase.name, flowId: testCase.flowId, ...(options.file ? { file: options.file } : {}) };
  // A case's own dryRun stays dry even in a live run.
  const dryRun = options.live !== true || testCase.dryRun === true;
  const matchOptions = { writesDryRun: dryRun && testCase.dryRun !== true };
  const failedToRun = (error: string, run?: RecordedRun, notReady?: FlowNotReady): TestCaseRun => {
    const results = run ? matchTestCase(testCase, run, matchOptions) : [];
    const diff = run ? formatDiff(testCase, results) : '';
    const why = notReady ? { errorText: notReady.text, blockers: notReady.blockers } : {};
    return { result: { ...base, passed: false, error, ...why, results, diff, durationMs: Date.now() - started }, ...(run ? { run } : {}) };
  };

  if (testCase.flowId !== flow.id) return failedToRun(`This case is for the flow "${testCase.flowId}", not "${flow.id}".`);
  const startProblem = testCase.startAt !== undefined ? startAtProblem(flow, testCase.startAt) : undefined;
  if (startProblem) return failedToRun(`This case starts at a step the flow no longer has: ${startProblem}.`);
  const notReady = await checkFlow(workspace, flow);
  if (notReady) return failedToRun(notReady.message, undefined, notReady);

  const replay = await replayConversation({
    workspace,
    flow,
    flowSource: options.flowSource,
    messages: testCase.turns.map((t) => t.customer),
    expectedCalls: testCase.turns.map((t) => t.toolCalls),
    ...(testCase.contact ? { contact: testCase.contact } : {}),
    ...(testCase.startAt !== undefined ? { startAt: testCase.startAt } : {}),
    ...(testCase.vars !== undefined ? { vars: testCase.vars } : {}),
    dryRun,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  if (replay.error) return failedToRun(replay.error, replay.run);
  const results = matchTestCase(testCase, replay.run, matchOptions);
  return {
    result: { ...base, passed: passed(results), results, diff: formatDiff(testCase, results), durationMs: Date.now() - started },
    run: replay.run,
  };
}

export interface ReplayOptions {
  workspace: Workspace;
  flow: Flow;
  flowSource: string;
  messages: readonly string[];
  /**
   * Per message: the calls its turn expects. A message that would confirm a call the bot asked
   * for must find that exact call here, or the replay stops before sending it (nothing written).
   */
  expectedCalls?: readonly (readonly ToolCallExpectation[] | undefined)[];
  contact?: { name?: string };
  /** As the simulator started it: at this step, with these variables. */
  startAt?: string;
  vars?: Record<string, unknown>;
  /**
   * Writes are not sent to their servers: they still need the scripted confirmation of exactly
   * that call, pass the write guard and are recorded as `dry_run` (the simulator's dry run).
   */
  dryRun?: boolean;
  timeoutMs?: number;
  onEvent?: (event: RunEvent) => void;
}

/**
 * One conversation in a fresh id: the start, then every message in order. `error` when it did
 * not finish in time or the runner threw; `run` holds what happened either way.
 */
export async function replayConversation(options: ReplayOptions): Promise<{ run: RecordedRun; error?: string }> {
  const events: RunEvent[] = [];
  let open = true;
  const runner = options.workspace.runner(options.flow, options.flowSource, {
    ...(options.dryRun ? { dryRunWrites: true } : {}),
    onEvent: (event) => {
      if (!open) return;
      events.push(event);
      options.onEvent?.(event);
    },
  });
  const conversationId = `${TEST_CONVERSATION_PREFIX}${randomUUID()}`;
  const messages = [...options.messages];
  let state: ConversationState | undefined;
  const snapshot = (): RecordedRun => ({
    messages,
    events: [...events],
    final: state ? { status: state.status, vars: state.vars } : { status: 'new', vars: {} },
  });

  let stopped = false;
  const replay = async () => {
    const name = options.contact?.name;
    state = await runner.start({ id: 'test', ...(name ? { name } : {}) }, conversationId, {
      ...(options.startAt !== undefined ? { startAt: options.startAt } : {}),
      ...(options.vars !== undefined ? { vars: options.vars } : {}),
    });
    // Every message is sent, also after the conversation ended: a case recorded from a
    // simulator may hold messages the bot no longer answered, and a broken flow may end early.
    for (const [index, message] of messages.entries()) {
      if (stopped) return;
      const refusal = options.expectedCalls && isAffirmative(message, conversationLanguage({ flow: options.flow, ...languageOf(options.workspace.config) }, state ?? {}), options.workspace.config.confirmWords) ? unexpectedConfirmation(askedSinceLastMessage(events), options.expectedCalls[index]) : undefined;
      if (refusal) throw new ConfirmationRefused(`In turn ${index + 1}, ${refusal}`);
      state = await runner.receive(conversationId, message);
    }
  };

  const timeoutMs = options.timeoutMs ?? DEFAULT_CASE_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const work = replay();
    // After a timeout the runner may still fail (its workspace closes under it): that is not this run's outcome any more.
    work.catch(() => undefined);
    const outcome = await Promise.race([work.then(() => 'done' as const), timedOut]);
    if (outcome === 'timeout') {
      stopped = true; // no further message is sent, whatever the runner still finishes
      const turn = events.filter((e) => e.type === 'customer_message').length;
      return { run: snapshot(), error: `The conversation did not finish within ${Math.round(timeoutMs / 1000)} s (it was in turn ${turn}).` };
    }
  } catch (error) {
    if (error instanceof ConfirmationRefused) return { run: snapshot(), error: error.message };
    return { run: snapshot(), error: `The conversation stopped with an error: ${(error as Error).message}` };
  } finally {
    clearTimeout(timer);
    // Whatever the runner still does after a timeout is not part of this run any more.
    open = false;
  }
  return { run: snapshot() };
}

class ConfirmationRefused extends Error {
  override readonly name = 'ConfirmationRefused';
}

/** The calls the bot asked the customer to confirm since the customer last wrote. */
function askedSinceLastMessage(events: readonly RunEvent[]): AskedCall[] {
  const asked: AskedCall[] = [];
  for (const event of events) {
    if (event.type === 'customer_message') asked.length = 0;
    if (event.type === 'confirmation_requested') asked.push({ server: event.server, tool: event.tool, args: event.args });
  }
  return asked;
}

/** Why a case was not run: `message` in English (the CLI), `text` and `blockers` for the studio's language. */
export interface FlowNotReady {
  message: string;
  text: OwnerText;
  blockers: RunBlocker[];
}

/** The flow must be valid against the servers' live tool lists, as before any conversation. */
export async function checkFlow(workspace: Workspace, flow: Flow): Promise<FlowNotReady | undefined> {
  const notReady = (message: string, blockers: RunBlocker[]): FlowNotReady => ({ message, text: refusalHeadline('tests', flow.name, blockers), blockers });
  const live = await liveCatalog(flow, Object.keys(workspace.config.mcpServers), workspace.mcp);
  if (live.problems.length > 0) return notReady(`The flow's tools could not be listed: ${live.problems.map((p) => p.message).join(' ')}`, live.problems);
  const problems = validateFlow(flow, { config: workspace.config, catalog: live.catalog });
  if (!hasErrors(problems)) return undefined;
  const errors = problems.filter((p) => p.severity === 'error');
  const listed = errors.slice(0, 3).map((p) => `${p.message}${p.nodeId ? ` [step ${p.nodeId}]` : ''}`);
  const more = errors.length - listed.length;
  return notReady(`The flow has problems, so it was not run: ${listed.join('; ')}${more > 0 ? `; and ${more} more` : ''}`, errors.map(problemBlocker));
}

