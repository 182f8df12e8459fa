// The preset variables of "start from this step", typed as JSON by the tester: parsed with the
// API's own schema, and every mistake said in words (where the JSON breaks, which name is wrong).
import { SimVarsSchema } from '../../../src-main/shared/api/simulator';
import { i18n } from '../../i18n';

const t = (key: string, params?: Record<string, unknown>): string => i18n.t(key, { ns: 'simulator', ...params });

const EXAMPLE = '{"customerId": "c1"}';

export type VarsParse = { ok: true; vars: Record<string, unknown> } | { ok: false; error: string };

export function parseVarsText(text: string): VarsParse {
  if (text.trim() === '') return { ok: true, vars: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: t('vars.notJson', { why: error instanceof Error ? error.message : String(error), example: EXAMPLE }) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: t('vars.notObject', { example: EXAMPLE }) };
  }
  const parsed = SimVarsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = issue.path.length > 0 ? `"${String(issue.path[0])}"` : t('vars.aName');
    // z.record reports a bad key as an issue on the key itself.
    const message = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
    return { ok: false, error: `${name}: ${message}.` };
  }
  return { ok: true, vars: parsed.data };
}

/** A starting text for a step: the variables saved before it, empty. */
export function varsTemplate(names: readonly string[]): string {
  if (names.length === 0) return '{}';
  return `{\n${names.map((n) => `  ${JSON.stringify(n)}: ""`).join(',\n')}\n}`;
}
