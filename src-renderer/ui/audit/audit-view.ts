// What the audit screen shows, as plain functions: status words and colours, times and
// durations, and the filter form turned into the API's filter (local date-times to ms).
import type { AuditFilter, AuditNames } from '../../../src-main/shared/api/audit';
import type { ToolCallStatus } from '../../../src-main/shared/conversation';
import { STEP_KINDS } from '../../editor/step-catalog';

export const STATUSES: readonly ToolCallStatus[] = ['executed', 'blocked', 'declined', 'error', 'dry_run'];

/** Words first, colour second: the status must read without the colour. */
export const STATUS_LOOK: Record<ToolCallStatus, { label: string; tone: string; meaning: string }> = {
  executed: { label: 'Executed', tone: 'ok', meaning: 'The tool ran.' },
  blocked: { label: 'Blocked', tone: 'error', meaning: 'Not run: the write guard stopped it.' },
  declined: { label: 'Declined', tone: 'muted', meaning: 'Not run: the customer said no.' },
  error: { label: 'Error', tone: 'warning', meaning: 'The call failed.' },
  dry_run: { label: 'Dry run', tone: 'muted', meaning: 'Not run: a dry run (the simulator, or a test case replayed without Live) showed what would have been called.' },
};

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
  return from !== undefined && to !== undefined && from > to ? '“From” is after “To”.' : undefined;
}

/** 3 Jun 2025, 14:05:02: the exact moment, to the second (a log is read for exact times). */
export function fullTime(at: number): string {
  return new Date(at).toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** The table's time: to the second, the date only when it is not today (the year only when not this year). */
export function tableTime(at: number, now = Date.now()): string {
  const when = new Date(at);
  const today = new Date(now);
  const time = when.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  if (when.toDateString() === today.toDateString()) return time;
  const sameYear = when.getFullYear() === today.getFullYear();
  const date = when.toLocaleDateString(undefined, { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) });
  return `${date}, ${time}`;
}

export function duration(ms: number): string {
  if (ms < 1) return ms === 0 ? '0 ms' : '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
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
  if (result.keyedFrom === undefined) return "Not keyed: no record is sealed with this computer's audit key, so anyone who can write the data file could have rewritten them.";
  if (result.keyedFrom === 1) return "Keyed from record 1: every record is sealed with this computer's audit key.";
  return `Keyed from record ${result.keyedFrom}: records 1 to ${result.keyedFrom - 1} were written before the audit key and are not sealed with it.`;
}
