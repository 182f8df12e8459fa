// A run's events, cut into turns: what the bot said and did before the customer wrote (the
// opening), then after each customer message. `customer_message` events mark the cuts.
import type { RunEvent } from '../../shared/run-event';
import type { ConversationStatus } from '../../shared/conversation';
import type { EndStatus } from '../../shared/test-case';

export type ToolCallEvent = Extract<RunEvent, { type: 'tool_call' }>;

export interface RunTurn {
  /** Absent for the opening. */
  customer?: string;
  replies: string[];
  toolCalls: ToolCallEvent[];
  /** The conversation had finished before this turn began (so the bot could not answer). */
  afterEnd: boolean;
}

export interface RunTurns {
  opening: RunTurn;
  turns: RunTurn[];
  /** Why the conversation ended, when the runner said (e.g. the reason it failed). */
  endReason?: string;
}

/** How a run finished: a conversation status ("active"/"new" count as waiting) or a test-case end status. */
export interface RunFinal {
  status: ConversationStatus | EndStatus;
  vars: Record<string, unknown>;
}

/** A conversation as a simulator or the test runner recorded it. */
export interface RecordedRun {
  messages: readonly string[];
  events: readonly RunEvent[];
  final: RunFinal;
}

export function endStatusOf(status: RunFinal['status']): EndStatus {
  return status === 'active' || status === 'new' ? 'waiting' : status;
}

/**
 * Only the last conversation's events count (a simulator that restarted keeps the earlier ones);
 * events without a conversation id (errors before the start) are left out.
 */
export function splitTurns(events: readonly RunEvent[]): RunTurns {
  const lastStart = [...events].reverse().find((e) => e.type === 'conversation_started');
  const id = lastStart?.conversationId;
  const opening: RunTurn = { replies: [], toolCalls: [], afterEnd: false };
  const turns: RunTurn[] = [];
  let current = opening;
  let ended = false;
  let endReason: string | undefined;
  for (const event of events) {
    if (id !== undefined && event.conversationId !== id) continue;
    switch (event.type) {
      case 'customer_message':
        current = { customer: event.text, replies: [], toolCalls: [], afterEnd: ended };
        turns.push(current);
        break;
      case 'bot_message':
        current.replies.push(event.text);
        break;
      case 'tool_call':
        current.toolCalls.push(event);
        break;
      case 'end':
        ended = true;
        endReason = event.reason;
        break;
      default:
        break;
    }
  }
  return { opening, turns, ...(endReason ? { endReason } : {}) };
}
