// Reading a customer's answer to an ask step. Returns undefined when the answer does not fit.
import type { Answer } from '../shared/flow';

export const DEFAULT_CONFIRM_WORDS = ['yes', 'y', 'ok', 'okay', 'confirm', 'confirmed'];

const normalize = (text: string) => text.trim().toLowerCase().replace(/[.!]+$/, '').trim();

/** Only a plain affirmative counts as yes; anything else (including "yes but…") is no. */
export function isAffirmative(text: string, extraWords: readonly string[] = []): boolean {
  const said = normalize(text);
  return [...DEFAULT_CONFIRM_WORDS, ...extraWords].some((w) => normalize(w) === said);
}

export type ParsedAnswer =
  | { kind: 'text'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'choice'; value: string }
  | { kind: 'confirm'; value: boolean };

export function parseAnswer(answer: Answer, text: string, confirmWords: readonly string[] = []): ParsedAnswer | undefined {
  const trimmed = text.trim();
  switch (answer.kind) {
    case 'text':
      return trimmed ? { kind: 'text', value: trimmed } : undefined;
    case 'number': {
      if (!/^[-+]?\d+([.,]\d+)?$/.test(trimmed)) return undefined;
      return { kind: 'number', value: Number(trimmed.replace(',', '.')) };
    }
    case 'choice': {
      const byText = answer.options.find((o) => normalize(o) === normalize(trimmed));
      if (byText !== undefined) return { kind: 'choice', value: byText };
      const index = /^\d+$/.test(trimmed) ? Number(trimmed) - 1 : -1;
      const byNumber = answer.options[index];
      return byNumber !== undefined ? { kind: 'choice', value: byNumber } : undefined;
    }
    case 'confirm':
      return { kind: 'confirm', value: isAffirmative(trimmed, confirmWords) };
  }
}
