// Opening hours (core/opening-hours.ts, shared/opening-hours.ts): the zone's wall clock across
// daylight-saving changes, ranges past midnight, closed dates, and clear errors for bad input.
import { describe, expect, it } from 'vitest';
import { isOpen, wallClock } from '../../src-main/core/opening-hours';
import { OpeningHoursSchema, type OpeningHours } from '../../src-main/shared/opening-hours';

const weekdays9to17 = { mon: [{ from: '09:00', to: '17:00' }], tue: [{ from: '09:00', to: '17:00' }], wed: [{ from: '09:00', to: '17:00' }], thu: [{ from: '09:00', to: '17:00' }], fri: [{ from: '09:00', to: '17:00' }] };
const hours = (over: Partial<OpeningHours> = {}): OpeningHours => OpeningHoursSchema.parse({ timeZone: 'America/New_York', weekly: weekdays9to17, ...over });
const at = (iso: string) => Date.parse(iso);

describe('isOpen', () => {
  it('follows the zone across the spring-forward change (New York, 8 March 2026)', () => {
    const h = hours();
    // Friday before the change: EST (UTC-5).
    expect(isOpen(h, at('2026-03-06T13:30:00Z'))).toBe(false); // 08:30
    expect(isOpen(h, at('2026-03-06T14:30:00Z'))).toBe(true); // 09:30
    // Monday after: EDT (UTC-4); the same UTC instant is an hour later on the wall clock.
    expect(isOpen(h, at('2026-03-09T12:30:00Z'))).toBe(false); // 08:30
    expect(isOpen(h, at('2026-03-09T13:30:00Z'))).toBe(true); // 09:30
    expect(isOpen(h, at('2026-03-09T20:59:00Z'))).toBe(true); // 16:59
    expect(isOpen(h, at('2026-03-09T21:00:00Z'))).toBe(false); // 17:00
  });

  it('a range on the night of the change ends by the wall clock (the skipped hour does not count)', () => {
    const h = hours({ weekly: { sun: [{ from: '01:00', to: '03:00' }] } });
    expect(wallClock('America/New_York', at('2026-03-08T06:30:00Z')).minute).toBe(90); // 01:30 EST
    expect(isOpen(h, at('2026-03-08T06:30:00Z'))).toBe(true);
    expect(isOpen(h, at('2026-03-08T07:30:00Z'))).toBe(false); // 03:30 EDT
  });

  it('follows the autumn change too (Lisbon, 25 October 2026: 02:00 WEST becomes 01:00 WET)', () => {
    const h = hours({ timeZone: 'Europe/Lisbon', weekly: { sat: [{ from: '10:00', to: '12:00' }], mon: [{ from: '10:00', to: '12:00' }] } });
    expect(isOpen(h, at('2026-10-24T09:30:00Z'))).toBe(true); // Saturday 10:30 WEST (UTC+1)
    expect(isOpen(h, at('2026-10-24T10:30:00Z'))).toBe(true); // 11:30
    expect(isOpen(h, at('2026-10-26T09:30:00Z'))).toBe(false); // Monday 09:30 WET (UTC+0)
    expect(isOpen(h, at('2026-10-26T11:30:00Z'))).toBe(true); // 11:30
  });

  it('a range past midnight belongs to the day it starts', () => {
    const h = hours({ weekly: { fri: [{ from: '22:00', to: '02:00' }] } });
    expect(isOpen(h, at('2026-12-05T02:30:00Z'))).toBe(false); // Friday 21:30 EST
    expect(isOpen(h, at('2026-12-05T03:30:00Z'))).toBe(true); // Friday 22:30
    expect(isOpen(h, at('2026-12-05T06:30:00Z'))).toBe(true); // Saturday 01:30
    expect(isOpen(h, at('2026-12-05T07:30:00Z'))).toBe(false); // Saturday 02:30
    // Saturday night: Saturday has no range of its own.
    expect(isOpen(h, at('2026-12-06T03:30:00Z'))).toBe(false);
  });

  it('a closed date closes the ranges that start on it, not the night before running into it', () => {
    const night = { fri: [{ from: '22:00', to: '02:00' }], sat: [{ from: '09:00', to: '12:00' }] };
    const closedSaturday = hours({ weekly: night, closed: ['2026-12-05'] });
    expect(isOpen(closedSaturday, at('2026-12-05T06:30:00Z'))).toBe(true); // Saturday 01:30, Friday's range
    expect(isOpen(closedSaturday, at('2026-12-05T15:00:00Z'))).toBe(false); // Saturday 10:00
    const closedFriday = hours({ weekly: night, closed: ['2026-12-04'] });
    expect(isOpen(closedFriday, at('2026-12-05T03:30:00Z'))).toBe(false); // Friday 22:30
    expect(isOpen(closedFriday, at('2026-12-05T06:30:00Z'))).toBe(false); // Saturday 01:30
    expect(isOpen(closedFriday, at('2026-12-05T15:00:00Z'))).toBe(true); // Saturday 10:00
  });

  it('"24:00" is open until midnight', () => {
    const h = hours({ weekly: { wed: [{ from: '18:00', to: '24:00' }] } });
    expect(isOpen(h, at('2026-12-03T04:59:00Z'))).toBe(true); // Wednesday 23:59
    expect(isOpen(h, at('2026-12-03T05:00:00Z'))).toBe(false); // Thursday 00:00
  });
});

describe('OpeningHoursSchema: what is wrong and where', () => {
  const problem = (value: unknown) => {
    const parsed = OpeningHoursSchema.safeParse(value);
    if (parsed.success) return undefined;
    const issue = parsed.error.issues[0]!;
    return `${issue.path.join('.')}: ${issue.message}`;
  };

  it('a time zone that does not exist', () => {
    expect(problem({ timeZone: 'Europe/Atlantis', weekly: {} })).toBe('timeZone: "Europe/Atlantis" is not a time zone: choose one like "Europe/Lisbon" or "America/Sao_Paulo"');
  });
  it('a badly written time, and a range of no length', () => {
    expect(problem({ timeZone: 'UTC', weekly: { mon: [{ from: '9:00', to: '17:00' }] } })).toBe('weekly.mon.0.from: a time is written HH:MM, e.g. 09:00');
    expect(problem({ timeZone: 'UTC', weekly: { mon: [{ from: '09:00', to: '09:00' }] } })).toBe('weekly.mon.0.to: a range must not start and end at the same time');
  });
  it('overlapping ranges on one day', () => {
    expect(problem({ timeZone: 'UTC', weekly: { tue: [{ from: '09:00', to: '13:00' }, { from: '12:00', to: '18:00' }] } })).toBe('weekly.tue.1: the range 12:00–18:00 overlaps 09:00–13:00');
  });
  it('a closed date that is not a date, and an unknown weekday', () => {
    expect(problem({ timeZone: 'UTC', weekly: {}, closed: ['2026-02-30'] })).toBe('closed.0: "2026-02-30" is not a date: write it YYYY-MM-DD, e.g. 2026-12-25');
    expect(problem({ timeZone: 'UTC', weekly: { monday: [] } })).toMatch(/^weekly: Unrecognized key/);
  });
});
