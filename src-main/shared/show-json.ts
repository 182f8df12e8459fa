// Values shown to people (the customer's confirmation, the audit details, the simulator's trace)
// as JSON with every character a person cannot see written out as \uXXXX: zero-width and
// bidi controls, variation selectors, tag characters, C1 controls, line/paragraph separators.
// Shared by the core and the renderer so they escape exactly the same set.

const INVISIBLE = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb]|\udb40[\udc00-\udfff]/g;
const RAW_IN_JSON = /[\u007f-\u009f\u2028\u2029]/g;

const escapeChars = (ch: string): string => [...ch].map((c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`).join('');

/** JSON of `value` (undefined shown as null), indented by `indent` (0: one line), nothing hidden. */
export function showJson(value: unknown, indent = 2): string {
  const json = JSON.stringify(value === undefined ? null : value, null, indent || undefined) ?? 'null';
  return json.replace(INVISIBLE, escapeChars).replace(RAW_IN_JSON, escapeChars);
}

/**
 * A name shown beside values (a label of a call or an argument) as plain text on one line:
 * every run of spaces and line breaks becomes one space, and what showJson escapes is escaped
 * the same way (plus the other control characters), so a label cannot add lines or hide text.
 */
export function showText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000e-\u001f]/g, escapeChars)
    .replace(/\s+/g, ' ')
    .trim()
    .replace(INVISIBLE, escapeChars)
    .replace(RAW_IN_JSON, escapeChars);
}
