// Reading a date the way customers write it ("24/12", "24/12/2026", "amanhã", "sábado",
// "24 de dezembro", "Dec 24") into an ISO date (YYYY-MM-DD). Pure: "today" comes from the
// time the message was sent (`now`), never from a clock here.
//
// The rules (README "Answer kinds"):
// - Words and day/month names are read in English, Portuguese and Spanish (plus the locale's
//   own language when one is given), case- and accent-insensitively, through Intl.
// - Numeric dates are day first ("24/12"), month first only for the locale en-US ("12/24").
// - Without a year, the next such day from today on ("24/12" said on 2027-01-10 is 2027-12-24).
// - A weekday alone is the next one after today ("sábado" said on a Saturday is a week later:
//   a customer who means today says "today").
// - Relative words and dates without a year need `now`; without it they are not understood.
import { fold } from './fold-text';

export interface DateReading {
  /** When the customer sent the message (ms since the epoch). */
  now?: number;
  /** A BCP 47 hint, e.g. "pt-BR", "en-US". */
  locale?: string;
  /** The IANA time zone in which "today" is counted; default: the machine's. */
  timeZone?: string;
}

/** Words customers use for days relative to today, already folded (lowercase, no accents). */
export const RELATIVE_DAY_WORDS: Readonly<Record<string, number>> = {
  today: 0,
  hoje: 0,
  hoy: 0,
  tomorrow: 1,
  amanha: 1,
  manana: 1,
  'day after tomorrow': 2,
  'the day after tomorrow': 2,
  'depois de amanha': 2,
  'pasado manana': 2,
  yesterday: -1,
  ontem: -1,
  ayer: -1,
};

/** Words before a weekday or date that add nothing ("next saturday", "no sábado", "el lunes"). */
const FILLER_WORDS = new Set(['on', 'next', 'this', 'coming', 'proximo', 'proxima', 'este', 'esta', 'neste', 'nesta', 'no', 'na', 'el', 'la', 'em', 'dia', 'day']);
/** Words between the parts of a written date ("24 de dezembro de 2026", "24th of December"). */
const JOINING_WORDS = new Set(['de', 'del', 'of']);

const BASE_LANGUAGES = ['en', 'pt', 'es'];

interface CivilDate {
  year: number;
  month: number; // 1-12
  day: number;
}

export function parseDate(text: string, reading: DateReading = {}): string | undefined {
  const said = fold(text).replace(/[.!?]+$/, '').trim();
  if (said === '') return undefined;
  const today = reading.now === undefined ? undefined : civilToday(reading.now, reading.timeZone);

  const relative = RELATIVE_DAY_WORDS[said];
  if (relative !== undefined) return today && iso(addDays(today, relative));

  const words = said.split(/[\s,]+/).filter((w) => w !== '');
  while (words.length > 1 && FILLER_WORDS.has(words[0]!)) words.shift();
  const names = namesFor(reading.locale);

  const weekday = names.weekdays.get(words[0]!);
  if (weekday !== undefined && words.length === 1) return today && iso(nextWeekday(today, weekday));
  // "sábado, 24/12": the date decides, the weekday must agree with it.
  if (weekday !== undefined) {
    const date = dateOf(words.slice(1), names, reading, today);
    return date && weekdayOf(date) === weekday ? iso(date) : undefined;
  }
  const date = dateOf(words, names, reading, today);
  return date && iso(date);
}

function dateOf(words: string[], names: Names, reading: DateReading, today: CivilDate | undefined): CivilDate | undefined {
  if (words.length === 1) return numericDate(words[0]!, reading.locale, today);
  const parts = words.filter((w) => !JOINING_WORDS.has(w));
  // "24 dezembro 2026" or "december 24 2026"
  const [a, b, c, ...rest] = parts;
  if (rest.length > 0 || a === undefined || b === undefined) return undefined;
  const dayFirst = dayNumber(a) !== undefined && names.months.has(b);
  const monthFirst = names.months.get(a) !== undefined && dayNumber(b) !== undefined;
  if (!dayFirst && !monthFirst) return undefined;
  const day = dayFirst ? dayNumber(a)! : dayNumber(b)!;
  const month = dayFirst ? names.months.get(b)! : names.months.get(a)!;
  const year = c === undefined ? undefined : yearNumber(c);
  if (c !== undefined && year === undefined) return undefined;
  return complete(day, month, year, today);
}

/** "24/12", "24-12-2026", "24.12.26", "2026-12-24" (and "12/24" for en-US). */
function numericDate(word: string, locale: string | undefined, today: CivilDate | undefined): CivilDate | undefined {
  const m = /^(\d{1,4})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?$/.exec(word);
  if (!m) return undefined;
  const [, first, second, third] = m;
  if (first!.length === 4) return third === undefined ? undefined : valid(Number(first), Number(second), Number(third));
  if (first!.length > 2) return undefined;
  const monthFirst = locale?.toLowerCase() === 'en-us';
  const day = Number(monthFirst ? second : first);
  const month = Number(monthFirst ? first : second);
  const year = third === undefined ? undefined : yearNumber(third);
  if (third !== undefined && year === undefined) return undefined;
  return complete(day, month, year, today);
}

/** A date without a year is the next such day from today on. */
function complete(day: number, month: number, year: number | undefined, today: CivilDate | undefined): CivilDate | undefined {
  if (year !== undefined) return valid(year, month, day);
  if (!today) return undefined;
  const thisYear = valid(today.year, month, day);
  if (thisYear && compare(thisYear, today) >= 0) return thisYear;
  // Not this year any more (or 29 February of a common year): the next year that has it.
  for (let y = today.year + 1; y <= today.year + 8; y++) {
    const date = valid(y, month, day);
    if (date) return date;
  }
  return undefined;
}

const dayNumber = (word: string): number | undefined => {
  const m = /^(\d{1,2})(?:st|nd|rd|th|º|ª|o)?$/.exec(word);
  return m ? Number(m[1]) : undefined;
};
const yearNumber = (word: string): number | undefined => {
  if (/^\d{4}$/.test(word)) return Number(word);
  if (/^\d{2}$/.test(word)) return 2000 + Number(word);
  return undefined;
};

function valid(year: number, month: number, day: number): CivilDate | undefined {
  if (month < 1 || month > 12 || day < 1) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 ? { year, month, day } : undefined;
}

function civilToday(now: number, timeZone: string | undefined): CivilDate {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(new Date(now));
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { year: part('year'), month: part('month'), day: part('day') };
}

const toUtc = (d: CivilDate) => Date.UTC(d.year, d.month - 1, d.day);
const fromUtc = (ms: number): CivilDate => {
  const date = new Date(ms);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
};
const DAY_MS = 86_400_000;
const addDays = (d: CivilDate, days: number) => fromUtc(toUtc(d) + days * DAY_MS);
const weekdayOf = (d: CivilDate) => new Date(toUtc(d)).getUTCDay(); // 0 = Sunday
const nextWeekday = (today: CivilDate, weekday: number) => addDays(today, ((weekday - weekdayOf(today) + 6) % 7) + 1);
const compare = (a: CivilDate, b: CivilDate) => toUtc(a) - toUtc(b);
const iso = (d: CivilDate) => `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

interface Names {
  /** folded name -> 0 (Sunday) .. 6 */
  weekdays: Map<string, number>;
  /** folded name -> 1 .. 12 */
  months: Map<string, number>;
}

const namesCache = new Map<string, Names>();

/** Day and month names (long and short) in en/pt/es and the locale's language, from Intl. */
function namesFor(locale: string | undefined): Names {
  const key = locale ?? '';
  const cached = namesCache.get(key);
  if (cached) return cached;
  const languages = [...BASE_LANGUAGES];
  if (locale) {
    try {
      languages.push(new Intl.Locale(locale).language);
    } catch {
      // not a locale tag: the base languages only
    }
  }
  const weekdays = new NameTable();
  const months = new NameTable();
  for (const language of new Set(languages)) {
    for (const style of ['long', 'short'] as const) {
      const weekday = new Intl.DateTimeFormat(language, { weekday: style, timeZone: 'UTC' });
      for (let i = 0; i < 7; i++) {
        // 2026-01-04 is a Sunday
        const name = clean(weekday.format(new Date(Date.UTC(2026, 0, 4 + i))));
        weekdays.add(name, i);
        weekdays.add(name.split('-')[0]!, i); // "segunda-feira" -> "segunda"
      }
      const month = new Intl.DateTimeFormat(language, { month: style, timeZone: 'UTC' });
      for (let i = 0; i < 12; i++) months.add(clean(month.format(new Date(Date.UTC(2026, i, 15)))), i + 1);
    }
  }
  const names = { weekdays: weekdays.done(), months: months.done() };
  namesCache.set(key, names);
  return names;
}

const clean = (name: string) => fold(name).replace(/\.$/, '');

/** A name that means two different things in two languages means neither. */
class NameTable {
  private readonly values = new Map<string, number>();
  private readonly ambiguous = new Set<string>();
  add(name: string, value: number): void {
    if (name === '') return;
    const known = this.values.get(name);
    if (known !== undefined && known !== value) this.ambiguous.add(name);
    else this.values.set(name, value);
  }
  done(): Map<string, number> {
    for (const name of this.ambiguous) this.values.delete(name);
    return this.values;
  }
}
