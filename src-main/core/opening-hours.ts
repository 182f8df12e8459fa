// Is the business open at an instant? Pure: the instant is given, the zone's wall clock is
// computed with Intl (so daylight-saving changes are the zone's rules, never an offset kept
// here). The schedule's rules are stated in shared/opening-hours.ts.
import { minutesOf, WEEKDAYS, type OpeningHours, type Weekday } from '../shared/opening-hours';

interface WallClock {
  /** YYYY-MM-DD in the zone. */
  date: string;
  weekday: Weekday;
  /** Minutes since the zone's midnight. */
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
};

/** The zone's date, weekday and minute of the day at `instant` (ms since the epoch). */
export function wallClock(timeZone: string, instant: number): WallClock {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(instant))) parts[p.type] = p.value;
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  return { date, weekday: weekdayOf(date), minute: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** The weekday of a calendar date (no zone: a date is a date). */
const weekdayOf = (date: string): Weekday => WEEKDAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7]!;

const dayBefore = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

export function isOpen(hours: OpeningHours, instant: number): boolean {
  const now = wallClock(hours.timeZone, instant);
  const closed = new Set(hours.closed);
  // Ranges that start today.
  if (!closed.has(now.date)) {
    for (const r of hours.weekly[now.weekday] ?? []) {
      const from = minutesOf(r.from);
      const to = minutesOf(r.to);
      if (to > from ? now.minute >= from && now.minute < to : now.minute >= from) return true;
    }
  }
  // Ranges that started yesterday and run past midnight.
  const yesterday = dayBefore(now.date);
  if (!closed.has(yesterday)) {
    for (const r of hours.weekly[weekdayOf(yesterday)] ?? []) {
      const from = minutesOf(r.from);
      const to = minutesOf(r.to);
      if (to < from && now.minute < to) return true;
    }
  }
  return false;
}
