// What the audit screen shows, as plain functions: status words and colours, times and
// durations, and the filter form turned into the API's filter (local date-times to ms).
// Words come from the `audit` catalogue, dates and numbers from Intl in the UI language.
import { i18n, uiLanguage } from '../../i18n';
import type { AuditFilter, AuditNames } from '../../../src-main/shared/api/audit';
import type { ToolCallStatus } from '../../../src-main/shared/conversation';
import { STEP_KINDS } from '../../editor/step-catalog';

export const STATUSES: readonly ToolCallStatus[] = ['executed', 'blocked', 'declined', 'error', 'dry_run'];

const STATUS_TONES: Record<ToolCallStatus, string> = { executed: 'ok', blocked: 'error', declined: 'muted', error: 'warning', dry_run: 'muted' };

/** Words first, colour second: the status must read without the colour (audit:status.<status>). */
export function statusLook(status: ToolCallStatus): { label: string; tone: string; meaning: string } {
  return { label: i18n.t(`audit:status.${status}.label`), tone: STATUS_TONES[status], meaning: i18n.t(`audit:status.${status}.meaning`) };
}

/** The filter form: every field a string, '' = not filtered. */
export interface FilterForm {
  status: '' | ToolCallStatus;
  bot: string;
  server: string;
  tool: string;
  flowId: string;
  conversationId: string;
  text: string;
  /** `<input type="datetime-local">` values (local time). */
  from: string;
  to: string;
}

export const EMPTY_FILTERS: FilterForm = { status: '', bot: '', server: '', tool: '', flowId: '', conversationId: '', text: '', from: '', to: '' };

/** The API filter; a date-time that does not parse (the browser only lets valid ones through) is left out. */
export function toApiFilter(form: FilterForm): AuditFilter {
  const out: AuditFilter = {};
  if (form.status) out.status = form.status;
  for (const key of ['bot', 'server', 'tool', 'flowId', 'conversationId', 'text'] as const) {
    const value = form[key].trim();
    if (value) out[key] = value;
  }
  const from = localTime(form.from);
  const to = localTime(form.to);
  if (from !== undefined) out.from = from;
  if (to !== undefined) out.to = to;
  return out;
}

export const isFiltered = (form: FilterForm): boolean => Object.keys(toApiFilter(form)).length > 0;

/** "2025-06-03T14:05" (local) -> ms; undefined when empty or not a time. */
export function localTime(value: string): number | undefined {
  if (!value) return undefined;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** "From" after "To": said before anything is sent. */
export function rangeProblem(form: FilterForm): string | undefined {
  const from = localTime(form.from);
  const to = localTime(form.to);
  return from !== undefined && to !== undefined && from > to ? i18n.t('audit:filters.fromAfterTo') : undefined;
}

/** 3 Jun 2025, 14:05:02: the exact moment, to the second (a log is read for exact times). */
export function fullTime(at: number): string {
  return new Date(at).toLocaleString(uiLanguage(), { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** The table's time: to the second, the date only when it is not today (the year only when not this year). */
export function tableTime(at: number, now = Date.now()): string {
  const when = new Date(at);
  const today = new Date(now);
  const time = when.toLocaleTimeString(uiLanguage(), { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  if (when.toDateString() === today.toDateString()) return time;
  const sameYear = when.getFullYear() === today.getFullYear();
  const date = when.toLocaleDateString(uiLanguage(), { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) });
  return `${date}, ${time}`;
}

export function duration(ms: number): string {
  const number = (value: number, digits = 0) => new Intl.NumberFormat(uiLanguage(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
  if (ms < 1) return ms === 0 ? i18n.t('audit:duration.ms', { value: number(0) }) : i18n.t('audit:duration.underOneMs', { value: number(1) });
  if (ms < 1000) return i18n.t('audit:duration.ms', { value: number(Math.round(ms)) });
  return i18n.t('audit:duration.s', { value: number(ms / 1000, ms < 10_000 ? 2 : 1) });
}

/** Conversation ids are UUIDs: the first part tells them apart in a table. */
export const shortId = (id: string): string => (id.length > 13 ? `${id.slice(0, 8)}…` : id);

/** Names first, where the studio knows them; the ids stay for the details and the tooltips. */
export function namesOf(r: { bot?: string | undefined; flowId: string; nodeId: string; names?: AuditNames | undefined }) {
  const n = r.names ?? {};
  return {
    bot: n.bot ?? r.bot,
    flow: n.flow ?? r.flowId,
    step: n.step ?? (n.stepType ? `${STEP_KINDS[n.stepType].name} (${r.nodeId})` : r.nodeId),
  };
}

/** Whether an intact log is keyed, in plain words (verify's `keyedFrom`): unkeyed records could have been rewritten by anyone who can write the data file. */
export function keyedWords(result: { count: number; keyedFrom?: number }): string {
  if (result.count === 0) return '';
  if (result.keyedFrom === undefined) return i18n.t('audit:verify.notKeyed');
  if (result.keyedFrom === 1) return i18n.t('audit:verify.keyedAll');
  return i18n.t('audit:verify.keyedFrom', { from: result.keyedFrom, last: result.keyedFrom - 1 });
}
