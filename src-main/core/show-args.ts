// How a tool call is shown to a customer before they confirm it: every argument, in full,
// with quotes, control characters and invisible/bidi characters escaped so nothing hides.
import type { PendingCall } from '../shared/conversation';
import { CALL_TEXTS } from '../shared/customer-texts';
import { showJson } from '../shared/show-json';

export { showJson } from '../shared/show-json';

/** One value on one line, as JSON with nothing hidden. */
export const showValue = (value: unknown): string => showJson(value, 0);

export function showCall(call: PendingCall): string {
  const lines = Object.keys(call.args)
    .sort()
    .map((key) => `• ${showValue(key).slice(1, -1)}: ${showValue(call.args[key])}`);
  return `${CALL_TEXTS.action(call.tool, call.server)}\n${lines.length > 0 ? lines.join('\n') : CALL_TEXTS.noDetails}`;
}
