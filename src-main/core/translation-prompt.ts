// What the bot's model is asked when the owner drafts missing translations, and how its answer
// is read. Pure: the handler (app/translation-drafts.ts) makes the call. A draft is only ever a
// proposal the owner reviews; this module still refuses drafts that could not work as given
// (options that do not line up, {{variables}} lost or invented).
import type { LlmMessage } from '../shared/llm-message';
import type { TranslatableField } from '../shared/flow';
import { fold } from './fold-text';
import { languageName } from '../shared/flow-translations';

export interface DraftText {
  nodeId: string;
  field: TranslatableField;
  source: string | string[];
}

export interface DraftReading {
  drafts: { nodeId: string; field: TranslatableField; text: string | string[] }[];
  undrafted: { nodeId: string; field: TranslatableField; reason: string }[];
}

export function draftMessages(from: string, to: string, texts: readonly DraftText[]): LlmMessage[] {
  const system = [
    `You translate the messages a shop's customer-service chatbot sends on WhatsApp, from ${languageName(from)} into ${languageName(to)}.`,
    'Write as a native speaker would in a chat: short, friendly, the same meaning and tone.',
    'Keep every {{placeholder}} exactly as written (they are filled in later); do not translate or add any.',
    'An item whose text is a list holds the options of a question: answer a list with the same number of options, in the same order.',
    'Answer with JSON only, no other words: {"translations": [{"id": <the item id>, "text": <the translation>}]}.',
  ].join('\n');
  const items = texts.map((t, i) => ({ id: i + 1, text: t.source }));
  return [
    { role: 'system', content: system },
    { role: 'user', content: JSON.stringify({ items }) },
  ];
}

/** Reads the model's answer: one draft per text it translated usably; the rest with the reason. */
export function readDrafts(reply: string, texts: readonly DraftText[]): DraftReading {
  const answers = answersIn(reply);
  const out: DraftReading = { drafts: [], undrafted: [] };
  texts.forEach((t, i) => {
    const answer = answers.get(i + 1);
    const reason = answer === undefined ? 'the model gave no translation for it' : problemWith(t.source, answer);
    if (reason) out.undrafted.push({ nodeId: t.nodeId, field: t.field, reason });
    else out.drafts.push({ nodeId: t.nodeId, field: t.field, text: tidy(answer!) });
  });
  return out;
}

/** id -> text from {"translations":[{id,text}]}, also inside a ```json fence or around other words. */
function answersIn(reply: string): Map<number, unknown> {
  const found = new Map<number, unknown>();
  const start = reply.indexOf('{');
  const end = reply.lastIndexOf('}');
  if (start < 0 || end < start) return found;
  let value: unknown;
  try {
    value = JSON.parse(reply.slice(start, end + 1));
  } catch {
    return found;
  }
  const list = typeof value === 'object' && value !== null ? (value as { translations?: unknown }).translations : undefined;
  if (!Array.isArray(list)) return found;
  for (const item of list) {
    if (typeof item === 'object' && item !== null && Number.isInteger((item as { id?: unknown }).id)) {
      found.set((item as { id: number }).id, (item as { text?: unknown }).text);
    }
  }
  return found;
}

const PLACEHOLDER = /\{\{\s*([^{}]+?)\s*\}\}/g;
const placeholders = (text: string): string => [...text.matchAll(PLACEHOLDER)].map((m) => m[1]).sort().join('\u0000');

function problemWith(source: string | string[], answer: unknown): string | undefined {
  if (Array.isArray(source)) {
    if (!Array.isArray(answer) || answer.some((o) => typeof o !== 'string' || o.trim() === '')) return 'the model did not answer a list of options';
    if (answer.length !== source.length) return `the model gave ${answer.length} options for ${source.length}`;
    const folded = (answer as string[]).map(fold);
    if (new Set(folded).size !== folded.length) return 'the model gave the same option twice';
    return undefined;
  }
  if (typeof answer !== 'string' || answer.trim() === '') return 'the model gave no text';
  if (placeholders(answer) !== placeholders(source)) return 'the draft does not keep the {{variables}} of the original';
  return undefined;
}

const tidy = (answer: unknown): string | string[] => (Array.isArray(answer) ? answer.map((o: string) => o.trim()) : (answer as string).trim());
