// Values in the trace and the variables list: JSON with nothing hidden (the same escapes as the
// customer's confirmation and the audit details: src-main/shared/show-json.ts).
import { showJson } from '../../../src-main/shared/show-json';

export function showValue(value: unknown, indent = 2): string {
  return value === undefined ? 'undefined' : showJson(value, indent);
}

/** One line: `customerId: "c1", priority: "high"`. */
export function showArgs(args: Record<string, unknown>): string {
  const parts = Object.entries(args).map(([k, v]) => `${k}: ${showValue(v, 0)}`);
  return parts.length ? parts.join(', ') : '(no arguments)';
}
