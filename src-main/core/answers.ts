// Reading a customer's answer to an ask step. Returns undefined when the answer does not fit
// (the engine then asks again). The rules per kind are listed in README "Answer kinds".
import type { Answer } from '../shared/flow';
import { parseDate, type DateReading } from './answer-date';
import { customerTexts } from '../shared/customer-texts';
import { fold } from './fold-text';
import { parseNumber } from './answer-number';

/** Compared as people mean it: case, accents, spacing and a final full stop or ! do not matter ("Sí!" = "si"). */
const normalize = (text: string) => fold(text).replace(/[.!]+$/, '').trim();

/**
 * Only a plain affirmative in the conversation's language (or one of the owner's `extraWords`)
 * counts as yes; anything else, "sim, mas amanhã" and "yes but…" included, is no.
 */
export function isAffirmative(text: string, language: string | undefined, extraWords: readonly string[] = []): boolean {
  const said = normalize(text);
  return [...customerTexts(language).yesWords, ...extraWords].some((w) => normalize(w) === said);
}

/** A plain negative in the language ("não", "nao", "nein", "hayır"…). Not needed to decline: anything but a yes declines. */
export function isNegative(text: string, language: string | undefined): boolean {
  const said = normalize(text);
  return customerTexts(language).noWords.some((w) => normalize(w) === said);
}

export type ParsedAnswer =
  | { kind: 'text'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'choice'; value: string }
  | { kind: 'confirm'; value: boolean }
  /** ISO date, YYYY-MM-DD */
  | { kind: 'date'; value: string }
  /** Digits only, with a leading + when the customer wrote an international number. */
  | { kind: 'phone'; value: string }
  | { kind: 'email'; value: string };

export interface AnswerReading extends DateReading {
  /** The conversation's language (BCP 47): its yes words and how it writes numbers. Absent: English. */
  language?: string;
  /** Extra words that count as "yes" to a confirm question. */
  confirmWords?: readonly string[];
}

export function parseAnswer(answer: Answer, text: string, reading: AnswerReading = {}): ParsedAnswer | undefined {
  const trimmed = text.trim();
  switch (answer.kind) {
    case 'text':
      return trimmed ? { kind: 'text', value: trimmed } : undefined;
    case 'number': {
      const value = parseNumber(trimmed, reading.language);
      return value === undefined ? undefined : { kind: 'number', value };
    }
    case 'choice': {
      const option = matchOption(answer.options, trimmed);
      return option === undefined ? undefined : { kind: 'choice', value: option };
    }
    case 'confirm':
      return { kind: 'confirm', value: isAffirmative(trimmed, reading.language, reading.confirmWords) };
    case 'date': {
      const value = parseDate(trimmed, reading);
      return value === undefined ? undefined : { kind: 'date', value };
    }
    case 'phone': {
      const value = parsePhone(trimmed);
      return value === undefined ? undefined : { kind: 'phone', value };
    }
    case 'email': {
      const value = parseEmail(trimmed);
      return value === undefined ? undefined : { kind: 'email', value };
    }
    default:
      return unknownKind(answer);
  }
}

/** A new answer kind without a case above does not compile. */
function unknownKind(answer: never): undefined {
  void answer;
  return undefined;
}

/** The shortest answer that may stand for an option it only begins or contains ("hor", "entrega"). */
const MIN_PARTIAL_LENGTH = 3;

/**
 * The option the customer means, in this order: the option itself (case, accents and a final
 * full stop do not matter), its number in the list ("2", "2."), then the one option that
 * begins with what they wrote or contains it as whole words ("horario" -> "Horário de
 * funcionamento", "entrega" -> "Prazo de entrega"). When several options fit, none is chosen.
 */
export function matchOption(options: readonly string[], text: string): string | undefined {
  const said = clean(text);
  if (said === '') return undefined;
  const exact = options.find((o) => clean(o) === said);
  if (exact !== undefined) return exact;
  const number = /^#?(\d+)[.)]?$/.exec(said);
  if (number) return options[Number(number[1]) - 1];
  if (said.replace(/[^\p{L}\p{N}]/gu, '').length < MIN_PARTIAL_LENGTH) return undefined;
  const fits = options.filter((o) => {
    const option = clean(o);
    return option.startsWith(said) || ` ${option} `.includes(` ${said} `);
  });
  return fits.length === 1 ? fits[0] : undefined;
}

const clean = (text: string) => fold(text).replace(/[.!?]+$/, '').trim();

/** 8 to 15 digits (E.164), written with spaces, dashes, dots or parentheses; "00" means "+". */
export function parsePhone(text: string): string | undefined {
  const written = text.replace(/^tel:/i, '').trim();
  if (!/^\+?[\d\s().-]+$/.test(written)) return undefined;
  let digits = written.replace(/\D/g, '');
  let international = written.startsWith('+');
  if (!international && digits.startsWith('00')) {
    digits = digits.slice(2);
    international = true;
  }
  if (digits.length < 8 || digits.length > 15) return undefined;
  return international ? `+${digits}` : digits;
}

/** One address: name@domain.tld, without spaces; the domain is stored in lowercase. */
export function parseEmail(text: string): string | undefined {
  const written = text.replace(/^mailto:/i, '').replace(/^<(.*)>$/, '$1').trim();
  const m = /^([^\s@<>(),;:"]+)@([^\s@<>(),;:"]+\.[^\s@<>(),;:".]{2,})$/.exec(written);
  if (!m || m[2]!.includes('..') || m[2]!.startsWith('.')) return undefined;
  return `${m[1]}@${m[2]!.toLowerCase()}`;
}
