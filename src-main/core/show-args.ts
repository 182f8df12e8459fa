// How a tool call is shown to a customer before they confirm it: every argument, in full,
// with quotes, control characters and invisible/bidi characters escaped so nothing hides.
import type { PendingCall } from '../shared/conversation';

const INVISIBLE = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb]|\udb40[\udc00-\udfff]/g;

export function showValue(value: unknown): string {
  const json = JSON.stringify(value === undefined ? null : value) ?? 'null';
  return json.replace(INVISIBLE, (ch) =>
    [...ch].map((c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`).join(''),
  );
}

export function showCall(call: PendingCall): string {
  const lines = Object.keys(call.args)
    .sort()
    .map((key) => `• ${showValue(key).slice(1, -1)}: ${showValue(call.args[key])}`);
  const body = lines.length > 0 ? lines.join('\n') : '• (no details)';
  return `Action: ${call.tool} (${call.server})\n${body}`;
}

/**
 * A value as indented JSON for an owner reading a record (the audit log's details): the same
 * escapes as showValue, plus the C1 controls and the line/paragraph separators, which
 * JSON.stringify leaves raw and which would otherwise break or hide lines.
 */
export function showJson(value: unknown, indent = 2): string {
  const json = JSON.stringify(value === undefined ? null : value, null, indent) ?? 'null';
  return json.replace(INVISIBLE, escapeChars).replace(/[\u007f-\u009f\u2028\u2029]/g, escapeChars);
}

const escapeChars = (ch: string): string => [...ch].map((c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`).join('');
