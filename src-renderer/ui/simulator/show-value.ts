// Values in the trace and the variables list: JSON, with the characters a person cannot see
// (zero-width, direction overrides, BOM) written out, so nothing hides in what is shown.
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

export function showValue(value: unknown, indent = 2): string {
  const text = value === undefined ? 'undefined' : (JSON.stringify(value, null, indent) ?? String(value));
  return text.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One line: `customerId: "c1", priority: "high"`. */
export function showArgs(args: Record<string, unknown>): string {
  const parts = Object.entries(args).map(([k, v]) => `${k}: ${showValue(v, 0)}`);
  return parts.length ? parts.join(', ') : '(no arguments)';
}
