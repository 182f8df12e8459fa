// Structured condition rules: a fixed set of operators, never code.
import type { ConditionRule } from '../shared/flow';
import { lookupPath } from './template';

/** Long inputs are cut before regex matching so a rule cannot stall the bot. */
const MAX_MATCH_INPUT = 2000;

const asNumber = (v: unknown): number | undefined => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
};
const asText = (v: unknown): string =>
  v === undefined || v === null ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);

export function ruleHolds(rule: ConditionRule, scope: Record<string, unknown>): boolean {
  const actual = lookupPath(scope, rule.var);
  switch (rule.op) {
    case 'exists':
      return actual !== undefined && actual !== null && actual !== '';
    case 'equals': {
      const a = asNumber(actual);
      const b = asNumber(rule.value);
      if (a !== undefined && b !== undefined) return a === b;
      return asText(actual).trim().toLowerCase() === asText(rule.value).trim().toLowerCase();
    }
    case 'contains':
      return asText(actual).toLowerCase().includes(asText(rule.value).toLowerCase());
    case 'gt':
    case 'lt': {
      const a = asNumber(actual);
      const b = asNumber(rule.value);
      if (a === undefined || b === undefined) return false;
      return rule.op === 'gt' ? a > b : a < b;
    }
    case 'matches':
      try {
        return new RegExp(asText(rule.value), 'i').test(asText(actual).slice(0, MAX_MATCH_INPUT));
      } catch {
        return false;
      }
  }
}

/** The handle of the first rule that holds, else "else". */
export function chooseHandle(rules: ConditionRule[], scope: Record<string, unknown>): string {
  return rules.find((r) => ruleHolds(r, scope))?.handle ?? 'else';
}
