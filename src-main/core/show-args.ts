// How a tool call is shown to a customer before they confirm it: every argument, in full,
// with quotes, control characters and invisible/bidi characters escaped so nothing hides.
import type { PendingCall } from '../shared/conversation';
import { fillText, type CustomerTexts } from '../shared/customer-texts';
import { showJson } from '../shared/show-json';

export { showJson } from '../shared/show-json';

/** One value on one line, as JSON with nothing hidden. */
export const showValue = (value: unknown): string => showJson(value, 0);

/** The call's heading and its arguments, one per line, in the words of `texts` (the conversation's language). */
export function showCall(call: PendingCall, texts: Pick<CustomerTexts, 'callHeading' | 'noDetails'>): string {
  const lines = Object.keys(call.args)
    .sort()
    .map((key) => `• ${showValue(key).slice(1, -1)}: ${showValue(call.args[key])}`);
  const heading = fillText(texts.callHeading, { tool: call.tool, server: call.server });
  return `${heading}\n${lines.length > 0 ? lines.join('\n') : texts.noDetails}`;
}
