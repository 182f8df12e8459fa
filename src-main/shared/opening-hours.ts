// A bot's opening hours (workspace config `openingHours`): a weekly schedule in an IANA time
// zone, closed dates (holidays), and whether WhatsApp answers with the `away` text outside them.
// The rules (core/opening-hours.ts decides; this file only says what a valid schedule is):
// - Times are the zone's wall clock, "HH:MM"; `to` may be "24:00" (until midnight).
// - A range whose `to` is earlier than its `from` ("22:00"–"02:00") runs past midnight into the
//   next day and belongs to the day it STARTS: a closed date closes the ranges that start on it,
//   and a range that started the evening before still runs into a closed date.
// - A closed date ("2026-12-25") is a date of the zone's calendar.
import { z } from 'zod';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Minutes since midnight of "HH:MM" ("24:00" is 1440). */
export const minutesOf = (time: string): number => (time === '24:00' ? 1440 : Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5)));

export const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.trim() !== '';
  } catch {
    return false;
  }
};

const isRealDate = (date: string): boolean => {
  const m = DATE.exec(date);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === date;
};

export const TimeRangeSchema = z
  .object({
    from: z.string().regex(TIME, 'a time is written HH:MM, e.g. 09:00'),
    to: z.string().refine((t) => t === '24:00' || TIME.test(t), 'a time is written HH:MM, e.g. 17:30 (24:00 for midnight)'),
  })
  .strict()
  .refine((r) => minutesOf(r.from) !== minutesOf(r.to), { message: 'a range must not start and end at the same time', path: ['to'] });
export type TimeRange = z.infer<typeof TimeRangeSchema>;

/** The minutes of the day a range covers on the day it starts: [from, to) or [from, 1440) when it runs past midnight. */
const sameDaySpan = (r: TimeRange): [number, number] => {
  const from = minutesOf(r.from);
  const to = minutesOf(r.to);
  return [from, to > from ? to : 1440];
};

const DayRangesSchema = z.array(TimeRangeSchema).superRefine((ranges, ctx) => {
  const spans = ranges.map(sameDaySpan);
  for (let i = 0; i < spans.length; i++) {
    for (let j = 0; j < i; j++) {
      const [a, b] = [spans[i]!, spans[j]!];
      if (a[0] < b[1] && b[0] < a[1]) {
        ctx.addIssue({ code: 'custom', path: [i], message: `the range ${ranges[i]!.from}–${ranges[i]!.to} overlaps ${ranges[j]!.from}–${ranges[j]!.to}` });
      }
    }
  }
});

export const OpeningHoursSchema = z
  .object({
    /** An IANA time zone ("Europe/Lisbon", "America/Sao_Paulo"): the times below are its wall clock. */
    timeZone: z.string().refine(isTimeZone, { error: (issue) => `"${String(issue.input)}" is not a time zone: choose one like "Europe/Lisbon" or "America/Sao_Paulo"` }),
    /** Per weekday, the ranges the business is open; a day left out (or empty) is closed. */
    weekly: z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, DayRangesSchema.optional()])) as Record<Weekday, z.ZodOptional<typeof DayRangesSchema>>).strict(),
    /** Dates (YYYY-MM-DD, the zone's calendar) the business is closed all day: holidays. */
    closed: z.array(z.string().refine(isRealDate, { error: (issue) => `"${String(issue.input)}" is not a date: write it YYYY-MM-DD, e.g. 2026-12-25` })).default([]),
    /** On: outside the hours, WhatsApp answers with the `away` text instead of running the flow. */
    awayMessage: z.enum(['off', 'on']).default('off'),
  })
  .strict();
export type OpeningHours = z.infer<typeof OpeningHoursSchema>;
