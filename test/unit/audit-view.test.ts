// The audit screen's pure helpers: the filter form as the API's filter, times and durations.
import { describe, expect, it } from 'vitest';
import { AuditFilterSchema } from '../../src-main/shared/api/audit';
import { duration, EMPTY_FILTERS, isFiltered, keyedWords, localTime, rangeProblem, shortId, tableTime, toApiFilter } from '../../src-renderer/ui/audit/audit-view';

describe('toApiFilter', () => {
  it('leaves out empty fields, trims text, turns local date-times into ms', () => {
    expect(toApiFilter(EMPTY_FILTERS)).toEqual({});
    expect(isFiltered(EMPTY_FILTERS)).toBe(false);
    const form = { ...EMPTY_FILTERS, status: 'blocked' as const, tool: 'create_ticket', text: '  refund ', conversationId: '   ', from: '2025-06-03T14:00', to: '2025-06-03T15:30:15' };
    const filter = toApiFilter(form);
    expect(filter).toEqual({ status: 'blocked', tool: 'create_ticket', text: 'refund', from: new Date(2025, 5, 3, 14, 0).getTime(), to: new Date(2025, 5, 3, 15, 30, 15).getTime() });
    expect(AuditFilterSchema.parse(filter)).toEqual(filter); // what the screen sends, the API takes
    expect(isFiltered(form)).toBe(true);
  });

  it('says when From is after To, and ignores what is not a time', () => {
    expect(rangeProblem({ ...EMPTY_FILTERS, from: '2025-06-04T00:00', to: '2025-06-03T00:00' })).toBe('“From” is after “To”.');
    expect(rangeProblem({ ...EMPTY_FILTERS, from: '2025-06-03T00:00', to: '2025-06-03T00:00' })).toBeUndefined();
    expect(localTime('')).toBeUndefined();
    expect(localTime('not a time')).toBeUndefined();
  });
});

describe('formatting', () => {
  it('durations', () => {
    expect(duration(0)).toBe('0 ms');
    expect(duration(0.4)).toBe('<1 ms');
    expect(duration(12.6)).toBe('13 ms');
    expect(duration(1234)).toBe('1.23 s');
    expect(duration(65_000)).toBe('65.0 s');
  });

  it('table times carry the date only when it is not today', () => {
    const now = new Date(2025, 5, 3, 18, 0).getTime();
    expect(tableTime(new Date(2025, 5, 3, 9, 5, 7).getTime(), now)).not.toMatch(/2025|Jun/);
    expect(tableTime(new Date(2025, 5, 1, 9, 5, 7).getTime(), now)).toMatch(/Jun/);
    expect(tableTime(new Date(2025, 5, 1, 9, 5, 7).getTime(), now)).not.toMatch(/2025/);
    expect(tableTime(new Date(2024, 5, 1, 9, 5, 7).getTime(), now)).toMatch(/2024/);
  });

  it('short conversation ids', () => {
    expect(shortId('648d0f22-fcc7-4118-9a61-7925ed9e7d90')).toBe('648d0f22…');
    expect(shortId('c1')).toBe('c1');
  });
});

describe('keyedWords (the verify result)', () => {
  it('says whether and from which record the log is keyed', () => {
    expect(keyedWords({ count: 0 })).toBe('');
    expect(keyedWords({ count: 3 })).toMatch(/^Not keyed: /);
    expect(keyedWords({ count: 3, keyedFrom: 1 })).toBe("Keyed from record 1: every record is sealed with this computer's audit key.");
    expect(keyedWords({ count: 9, keyedFrom: 4 })).toBe('Keyed from record 4: records 1 to 3 were written before the audit key and are not sealed with it.');
  });
});
