// How a tool call is shown to a customer before they confirm it: every argument, in full,
// with quotes, control characters and invisible/bidi characters escaped so nothing hides.
// Labels (shared/call-labels.ts) only name things: the arguments stay in the order of their
// ids, one line each, whatever the labels say, and an argument without a label shows its id.
import type { CallLabels } from '../shared/call-labels';
import type { PendingCall } from '../shared/conversation';
import { fillText, type CustomerTexts } from '../shared/customer-texts';
import { showJson, showText } from '../shared/show-json';

export { showJson } from '../shared/show-json';

/** Longest label shown; a longer one (a server's title, say) is cut. */
const LABEL_MAX = 80;

/** One value on one line, as JSON with nothing hidden. */
export const showValue = (value: unknown): string => showJson(value, 0);

const showKey = (key: string): string => showValue(key).slice(1, -1);

function showLabel(label: string | undefined): string | undefined {
  const text = label === undefined ? '' : showText(label);
  if (!text) return undefined;
  return text.length > LABEL_MAX ? `${text.slice(0, LABEL_MAX - 1).trimEnd()}…` : text;
}

/**
 * The call's heading and its arguments, one per line: named by `labels` where it has them, else
 * in the words of `texts` (the conversation's language) and by their ids.
 */
export function showCall(call: PendingCall, texts: Pick<CustomerTexts, 'callHeading' | 'noDetails'>, labels: CallLabels = {}): string {
  const keys = Object.keys(call.args).sort();
  const labelOf = (key: string) => showLabel(labels.args && Object.hasOwn(labels.args, key) ? labels.args[key] : undefined);
  const names = keys.map((key) => labelOf(key) ?? showKey(key));
  // Two arguments under one name: the labelled ones also show their id, so the customer can tell them apart.
  const shown = keys.map((key, i) => (labelOf(key) !== undefined && names.filter((n) => n === names[i]).length > 1 ? `${names[i]} (${showKey(key)})` : names[i]));
  const lines = keys.map((key, i) => `• ${shown[i]}: ${showValue(call.args[key])}`);
  const heading = showLabel(labels.action) ?? fillText(texts.callHeading, { tool: call.tool, server: call.server });
  return `${heading}\n${lines.length > 0 ? lines.join('\n') : texts.noDetails}`;
}
