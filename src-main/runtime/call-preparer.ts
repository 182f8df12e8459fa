// Shown = sent. Before a confirm question shows the calls behind its "yes", each call is bound
// to its tool (arguments coerced to the tool's input schema, core/coerce-args) so the question
// shows the arguments exactly as they will be sent, or the call is refused when a text would
// change how it reads. The engine is pure, so the step is taken, the calls it wanted are
// prepared (I/O), and the same step is taken again with the answers; nothing is committed
// in between, so the first pass leaves no trace.
import type { PendingCall } from '../shared/conversation';
import type { ConversationState } from '../shared/conversation';
import { canonicalJson } from '../core/canonical-json';
import { ArgumentCoercionError } from '../core/coerce-args';
import { schemaArgLabels } from '../shared/call-labels';
import { step, type EngineContext, type EngineEvent, type PreparedCall, type StepResult } from '../core/engine';
import type { ConfirmationGate } from './confirmation-gate';

/** One engine step whose confirm questions show the calls as they will be sent. */
export async function stepWithPreparedCalls(
  engine: EngineContext,
  state: ConversationState,
  event: EngineEvent,
  prepare: (call: PendingCall) => Promise<PreparedCall>,
): Promise<StepResult> {
  const prepared = new Map<string, PreparedCall>();
  for (;;) {
    const wanted: PendingCall[] = [];
    const result = step({ ...engine, preparedCall: (call) => prepared.get(keyOf(call)) ?? void wanted.push(call) }, state, event);
    if (wanted.length === 0) return result;
    for (const call of wanted) prepared.set(keyOf(call), await prepare(call));
  }
}

/**
 * The call as the gate will send it. A text that would change how it reads is refused (the
 * reason names the argument); when the tool cannot be looked up now the call is shown as
 * resolved: no confirmation can be recorded for it then, and the write is blocked later.
 */
export async function prepareCall(gate: ConfirmationGate, call: PendingCall): Promise<PreparedCall> {
  try {
    const bound = await gate.bind(call);
    // The names the pinned definition gives the arguments: shown, never bound (call-hash.ts).
    return { args: bound.args, argLabels: schemaArgLabels(bound.definition.inputSchema) };
  } catch (error) {
    if (error instanceof ArgumentCoercionError) return { error: error.message };
    return { args: call.args };
  }
}

const keyOf = (call: PendingCall): string => canonicalJson([call.nodeId, call.server, call.tool, call.args]);
