// One simulated conversation as the renderer keeps it: what the tester typed, every run event in
// order, and where the conversation stands. Pure and immutable (each change returns a new
// recording), so it is easy to test and to hand to others: a "Save as test case" button needs
// exactly flowId, customerMessages, events, status and vars (see useSimulatorRecording).
import type { ConversationStatus } from '../../../src-main/shared/conversation';
import type { RunEvent } from '../../../src-main/shared/run-event';
import { i18n } from '../../i18n';

type EventOf<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;

export interface ChatLine {
  /** note: the simulator's own remark in the thread (a write the dry run did not execute). */
  role: 'customer' | 'bot' | 'note';
  text: string;
  /** Position in the conversation (customer and bot lines share one count). */
  seq: number;
}

export interface SimulatorRecording {
  flowId: string;
  sessionId: string;
  conversationId: string;
  /** How this conversation was started. */
  startAt?: string;
  presetVars?: Record<string, unknown>;
  dryRun: boolean;
  /** What the tester typed, in order. */
  customerMessages: string[];
  /** Every run event of this conversation, in the order they happened (`step` events included). */
  events: RunEvent[];
  /** The latest status: `new` until the first step; ended, handoff or failed once finished. */
  status: ConversationStatus;
  /** The variables after the latest step (secrets masked by the app). */
  vars: Record<string, unknown>;
  /** The step the conversation waits at or last entered (null before the first step). */
  activeNodeId: string | null;
  /** What it waits for: the customer, a tool or the model; null when finished. */
  awaiting: 'input' | 'tool' | 'llm' | null;
  finished: boolean;
  /** The chat as the tester sees it: their messages and the bot's, in order. */
  chat: ChatLine[];
}

export interface RecordingStart {
  flowId: string;
  sessionId: string;
  conversationId: string;
  startAt?: string;
  presetVars?: Record<string, unknown>;
  dryRun: boolean;
}

const FINISHED: readonly ConversationStatus[] = ['ended', 'handoff', 'failed'];

export function newRecording(start: RecordingStart): SimulatorRecording {
  return {
    ...start,
    customerMessages: [],
    events: [],
    status: 'new',
    vars: start.presetVars ? structuredClone(start.presetVars) : {},
    activeNodeId: start.startAt ?? null,
    awaiting: null,
    finished: false,
    chat: [],
  };
}

export function withCustomerMessage(recording: SimulatorRecording, text: string): SimulatorRecording {
  return {
    ...recording,
    customerMessages: [...recording.customerMessages, text],
    chat: [...recording.chat, { role: 'customer', text, seq: recording.chat.length }],
  };
}

export function withEvent(recording: SimulatorRecording, event: RunEvent): SimulatorRecording {
  const next: SimulatorRecording = { ...recording, events: [...recording.events, event] };
  switch (event.type) {
    case 'bot_message':
      next.chat = [...recording.chat, { role: 'bot', text: event.text, seq: recording.chat.length }];
      break;
    case 'step':
      next.status = event.status;
      next.vars = event.vars;
      next.activeNodeId = event.nodeId;
      next.awaiting = event.awaiting;
      next.finished = FINISHED.includes(event.status);
      break;
    case 'end':
      next.status = event.status;
      next.awaiting = null;
      next.finished = true;
      break;
    case 'tool_call':
      if (event.status === 'dry_run') {
        const text = i18n.t('chat.dryRunNote', { ns: 'simulator', server: event.server, tool: event.tool });
        next.chat = [...recording.chat, { role: 'note', text, seq: recording.chat.length }];
      }
      break;
  }
  return next;
}

// ---- The trace: the events grouped into what a tester reads ---------------------------------

export type TraceEntry =
  | { kind: 'started'; key: number; startAt?: string; dryRun: boolean }
  | { kind: 'step'; key: number; nodeId: string | null; awaiting: EventOf<'step'>['awaiting']; status: ConversationStatus }
  | {
      kind: 'llm';
      key: number;
      nodeId: string;
      round: number;
      messages: number;
      tools: string[];
      /** The model's text as it streamed in. */
      streamed: string;
      response?: { text: string; toolCalls: EventOf<'llm_response'>['toolCalls'] };
    }
  | { kind: 'proposed'; key: number; nodeId: string; name: string; server?: string; tool?: string; arguments: unknown; disposition: EventOf<'tool_call_proposed'>['disposition'] }
  | { kind: 'confirmation'; key: number; nodeId: string; server: string; tool: string; args: Record<string, unknown>; answer?: 'yes' | 'no' }
  | { kind: 'knowledge'; key: number; nodeId: string; query: string; passages: EventOf<'knowledge_used'>['passages'] }
  | { kind: 'tool'; key: number; event: EventOf<'tool_call'> }
  | { kind: 'end'; key: number; status: EventOf<'end'>['status']; reason?: string }
  | { kind: 'error'; key: number; message: string };

export function traceOf(recording: Pick<SimulatorRecording, 'events' | 'startAt' | 'dryRun'>): TraceEntry[] {
  const entries: TraceEntry[] = [];
  let llm: Extract<TraceEntry, { kind: 'llm' }> | undefined;
  recording.events.forEach((event, key) => {
    switch (event.type) {
      case 'conversation_started':
        entries.push({ kind: 'started', key, ...(recording.startAt !== undefined ? { startAt: recording.startAt } : {}), dryRun: recording.dryRun });
        return;
      case 'step': {
        const last = entries.findLast((e) => e.kind === 'step');
        // One entry per step entered: a question asked again (an unusable answer) is the same step.
        if (last?.kind === 'step' && last.nodeId === event.nodeId && last.awaiting === event.awaiting && last.status === event.status) return;
        entries.push({ kind: 'step', key, nodeId: event.nodeId, awaiting: event.awaiting, status: event.status });
        return;
      }
      case 'llm_request':
        llm = { kind: 'llm', key, nodeId: event.nodeId, round: event.round, messages: event.messages, tools: event.tools, streamed: '' };
        entries.push(llm);
        return;
      case 'llm_text':
        if (llm && llm.nodeId === event.nodeId && !llm.response) llm.streamed += event.delta;
        return;
      case 'llm_response':
        if (llm && llm.nodeId === event.nodeId && !llm.response) llm.response = { text: event.text, toolCalls: event.toolCalls };
        return;
      case 'tool_call_proposed':
        entries.push({
          kind: 'proposed',
          key,
          nodeId: event.nodeId,
          name: event.name,
          ...(event.server !== undefined ? { server: event.server } : {}),
          ...(event.tool !== undefined ? { tool: event.tool } : {}),
          arguments: event.arguments,
          disposition: event.disposition,
        });
        return;
      case 'knowledge_used':
        entries.push({ kind: 'knowledge', key, nodeId: event.nodeId, query: event.query, passages: event.passages });
        return;
      case 'confirmation_requested':
        entries.push({ kind: 'confirmation', key, nodeId: event.nodeId, server: event.server, tool: event.tool, args: event.args });
        return;
      case 'tool_call': {
        // The customer's answer to the question that showed this call.
        const asked = entries.findLast(
          (e): e is Extract<TraceEntry, { kind: 'confirmation' }> =>
            e.kind === 'confirmation' && e.answer === undefined && e.nodeId === event.nodeId && e.server === event.server && e.tool === event.tool,
        );
        if (asked) asked.answer = event.status === 'declined' ? 'no' : 'yes';
        entries.push({ kind: 'tool', key, event });
        return;
      }
      case 'end':
        entries.push({ kind: 'end', key, status: event.status, ...(event.reason !== undefined ? { reason: event.reason } : {}) });
        return;
      case 'error':
        entries.push({ kind: 'error', key, message: event.message });
        return;
      case 'bot_message':
        return; // shown in the chat
    }
  });
  return entries;
}
