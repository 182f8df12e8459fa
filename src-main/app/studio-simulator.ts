// The simulator's API handlers: conversations with a saved flow, run by the real runtime on the
// studio's workspace (the same MCP server processes, the owner's approvals, the SQLite store
// and audit log as every other conversation of the bot), their run events streamed to the UI.
//
// - A flow only starts when it validates against the servers' live tool lists and every server
//   it uses has the owner's consent; otherwise the refusal lists every problem.
// - "Start from this step" and preset variables come from the engine (core/engine.ts); the write
//   guard is untouched: a write step entered without a confirmation is blocked at run time.
// - Dry run is the tool executor's option: writes pass the gate as usual but are not sent.
// - Calls return at once; what the bot does arrives as `sim.event` (the work may take as long as
//   the model needs). Events of a stopped session or a replaced conversation are dropped.
import { randomUUID } from 'node:crypto';
import { ApiCallError } from '../shared/api-contract';
import type { SimStartOptions } from '../shared/api/simulator';
import type { Flow } from '../shared/flow';
import type { RunEvent } from '../shared/run-event';
import { startAtProblem } from '../core/engine';
import type { ApiHandlers } from '../api/dispatcher';
import type { FlowRepository } from '../adapters/flow-files/flow-repository';
import type { ConversationRunner } from '../runtime/conversation-runner';
import type { EventHub } from './event-hub';
import { refusalHeadline } from '../shared/run-blocker';
import { blockedMessage } from './answering-flow';
import { runBlockers } from './live-catalog';
import type { Workspace } from './workspace';

type SimMethod = 'sim.start' | 'sim.send' | 'sim.restart' | 'sim.stop';
export type SimulatorHandlers = Pick<ApiHandlers, SimMethod>;

export interface StudioSimulatorDeps {
  flows: FlowRepository;
  events: EventHub;
  /** The bot's workspace (StudioMcp.workspace). Without it the simulator refuses, saying why. */
  workspace?: () => Promise<Workspace>;
  newId?: () => string;
  /** Sessions kept at once; starting one more stops the oldest (default 20). */
  maxSessions?: number;
}

/** Who the simulated customer is ({{contact.name}} in templates). */
export const SIMULATOR_CONTACT = { id: 'simulator', name: 'Test customer' } as const;

const FINISHED = new Set(['ended', 'handoff', 'failed']);

interface Options {
  startAt?: string;
  vars?: Record<string, unknown>;
  dryRun: boolean;
}

interface Session {
  id: string;
  flowId: string;
  options: Options;
  workspace: Workspace;
  runner: ConversationRunner;
  /** The current conversation; events of earlier ones (before a restart) are dropped. */
  conversationId: string;
  /** Emits an event of the current conversation (dropped once it is replaced or stopped). */
  emit: (event: RunEvent) => void;
  finished: boolean;
}

export function createStudioSimulator(deps: StudioSimulatorDeps): SimulatorHandlers {
  const sessions = new Map<string, Session>();
  const newId = deps.newId ?? (() => randomUUID());
  const maxSessions = deps.maxSessions ?? 20;

  const workspace = async (): Promise<Workspace> => {
    if (!deps.workspace) throw new ApiCallError('CONFLICT', 'The simulator is not available here: this studio runs without MCP servers.');
    return deps.workspace();
  };

  const sessionOf = (sessionId: string): Session => {
    const session = sessions.get(sessionId);
    if (!session) {
      throw new ApiCallError('NOT_FOUND', `There is no simulator session "${sessionId}" (it was stopped, or the app restarted). Start the simulator again.`);
    }
    return session;
  };

  /** The flow as saved, checked as the runtime would before any customer talks to it. */
  async function readyFlow(flowId: string, options: Options): Promise<{ flow: Flow; file: string; ws: Workspace }> {
    const entry = await deps.flows.read(flowId);
    if (entry === undefined) throw new ApiCallError('NOT_FOUND', `There is no flow "${flowId}".`);
    if (entry.kind === 'broken') {
      throw new ApiCallError('CONFLICT', `The file of "${flowId}" is not a valid flow (${entry.problems[0]?.message ?? 'it does not parse'}), so it cannot be simulated.`);
    }
    const { flow } = entry;
    if (options.startAt !== undefined) {
      const problem = startAtProblem(flow, options.startAt);
      if (problem) throw new ApiCallError('NOT_FOUND', `Cannot start the simulation: ${problem}.`);
    }
    const ws = await workspace();
    const problems = await runBlockers(flow, ws);
    if (problems.length > 0) {
      throw new ApiCallError('CONFLICT', blockedMessage(`“${flow.name}” cannot be simulated`, problems), refusalHeadline('simulator', flow.name, problems), problems);
    }
    return { flow, file: entry.file, ws };
  }

  /** A runner whose events reach the UI only while its conversation is the session's current one. */
  function begin(session: Omit<Session, 'runner' | 'conversationId' | 'emit' | 'finished'>, flow: Flow, file: string): Session {
    const conversationId = newId();
    const emit = (event: RunEvent): void => {
      const current = sessions.get(session.id);
      if (current?.conversationId !== conversationId) return;
      if (event.type === 'step') current.finished = FINISHED.has(event.status);
      // Tool events are masked by the executor; the rest (model text, messages, variables) here.
      deps.events.emit({ event: 'sim.event', payload: { sessionId: session.id, event: session.workspace.redactor.redactValue(event) } });
    };
    const runner = session.workspace.runner(flow, file, {
      onEvent: emit,
      emitSteps: true,
      ...(session.options.dryRun ? { dryRunWrites: true } : {}),
    });
    const started: Session = { ...session, runner, conversationId, emit, finished: false };
    sessions.set(session.id, started);
    background(started, () =>
      runner.start(SIMULATOR_CONTACT, conversationId, {
        ...(session.options.startAt !== undefined ? { startAt: session.options.startAt } : {}),
        ...(session.options.vars ? { vars: session.options.vars } : {}),
      }),
    );
    return started;
  }

  /** Work the caller does not wait for: a failure becomes an `error` event of the conversation. */
  function background(session: Session, work: () => Promise<unknown>): void {
    let running: Promise<unknown>;
    try {
      running = work();
    } catch (error) {
      running = Promise.reject(error);
    }
    running.catch((error: unknown) => {
      session.emit({ type: 'error', conversationId: session.conversationId, message: error instanceof Error ? error.message : String(error) });
    });
  }

  function makeRoom(): void {
    while (sessions.size >= maxSessions) {
      const oldest = sessions.keys().next().value;
      if (oldest === undefined) return;
      sessions.delete(oldest);
    }
  }

  return {
    'sim.start': async (input: SimStartOptions) => {
      const options: Options = {
        ...(input.startAt !== undefined ? { startAt: input.startAt } : {}),
        ...(input.vars !== undefined ? { vars: input.vars } : {}),
        dryRun: input.dryRun === true,
      };
      const { flow, file, ws } = await readyFlow(input.flowId, options);
      makeRoom();
      const session = begin({ id: newId(), flowId: flow.id, options, workspace: ws }, flow, file);
      return { sessionId: session.id, conversationId: session.conversationId };
    },

    'sim.send': async ({ sessionId, text }) => {
      const session = sessionOf(sessionId);
      if (session.finished) {
        throw new ApiCallError('CONFLICT', 'This simulated conversation has ended. Restart the simulator to talk to the flow again.');
      }
      if ((await workspace()) !== session.workspace) {
        throw new ApiCallError('CONFLICT', 'The settings changed since this simulation started. Restart the simulator to use them.');
      }
      background(session, () => session.runner.receive(session.conversationId, text));
      return { accepted: true as const };
    },

    'sim.restart': async ({ sessionId }) => {
      const old = sessionOf(sessionId);
      const { flow, file, ws } = await readyFlow(old.flowId, old.options);
      // Still ours? (stopped while the flow was being checked: stay stopped)
      sessionOf(sessionId);
      const session = begin({ id: sessionId, flowId: old.flowId, options: old.options, workspace: ws }, flow, file);
      return { sessionId, conversationId: session.conversationId };
    },

    'sim.stop': async ({ sessionId }) => {
      sessionOf(sessionId);
      sessions.delete(sessionId);
      return { stopped: true as const };
    },
  };
}
