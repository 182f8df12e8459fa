// The editor's side of multilingual flows: which texts each language still lacks (grouped per
// step), asking the bot's model for drafts of them, and the owner's review of each draft. A
// draft becomes part of the flow only when the owner accepts it (as drafted or as edited):
// `acceptDraft` returns the flow's new translations, and nothing else writes them.
import type { FlowTranslations, TranslatableField } from '../../src-main/shared/flow';
import type { ApiClient } from '../../src-main/shared/api-contract';
import type { TranslationDraft } from '../../src-main/shared/api/translations';
import { missingTranslations, ownLanguage, withTranslation, type MissingTranslation } from '../../src-main/shared/flow-translations';
import { fromStepNode, type FlowMeta, type StepNode } from './flow-conversion';

/** The languages an owner is offered to add (those with the bot's own texts); any other BCP 47 tag can be typed. */
export const SUGGESTED_LANGUAGES = ['en', 'pt-BR', 'es', 'fr', 'de', 'it', 'id', 'tr'] as const;

export interface StepGaps {
  nodeId: string;
  fields: { field: TranslatableField; source: string | string[] }[];
}

export interface LanguageGaps {
  language: string;
  missing: number;
  steps: StepGaps[];
}

/** Per translation language (in the flow, plus `adding`), its missing texts per step, in step order. */
export function gapsByLanguage(meta: FlowMeta, nodes: readonly StepNode[], adding: readonly string[] = []): LanguageGaps[] {
  const flow = { ...meta, nodes: nodes.map(fromStepNode) };
  const all = missingTranslations(flow, adding);
  const languages = [...new Set([...Object.keys(meta.translations ?? {}), ...adding])].filter((l) => l !== ownLanguage(meta));
  return languages.map((language) => {
    const mine = all.filter((m) => m.language === language);
    const steps: StepGaps[] = [];
    for (const m of mine) {
      let step = steps.find((s) => s.nodeId === m.nodeId);
      if (!step) steps.push((step = { nodeId: m.nodeId, fields: [] }));
      step.fields.push({ field: m.field, source: m.source });
    }
    return { language, missing: mine.length, steps };
  });
}

/** How many texts one draft request carries (the contract's limit). */
const BATCH = 100;

export type ReviewState = 'pending' | 'accepted' | 'rejected';

/** One draft under review: the original, the model's draft, and what the owner decided. */
export interface ReviewItem {
  nodeId: string;
  field: TranslatableField;
  source: string | string[];
  draft: string | string[];
  state: ReviewState;
}

export interface Review {
  language: string;
  items: ReviewItem[];
  /** Texts the model gave no usable draft for, and why. */
  undrafted: { nodeId: string; field: TranslatableField; reason: string }[];
}

/** Asks the bot's model (translations.draft) for drafts of everything `language` lacks; saves nothing. */
export async function requestDrafts(api: Pick<ApiClient, 'call'>, meta: FlowMeta, nodes: readonly StepNode[], language: string): Promise<Review> {
  const missing: MissingTranslation[] = gapsByLanguage(meta, nodes, [language])
    .filter((g) => g.language === language)
    .flatMap((g) => g.steps.flatMap((s) => s.fields.map((f) => ({ language, nodeId: s.nodeId, ...f }))));
  const review: Review = { language, items: [], undrafted: [] };
  for (let i = 0; i < missing.length; i += BATCH) {
    const texts = missing.slice(i, i + BATCH).map(({ nodeId, field, source }) => ({ nodeId, field, source }));
    const out = await api.call('translations.draft', { from: ownLanguage(meta), to: language, texts });
    review.items.push(...out.drafts.map((d: TranslationDraft): ReviewItem => ({ nodeId: d.nodeId, field: d.field, source: sourceOf(texts, d), draft: d.text, state: 'pending' })));
    review.undrafted.push(...out.undrafted);
  }
  return review;
}

const sourceOf = (texts: { nodeId: string; field: TranslatableField; source: string | string[] }[], d: { nodeId: string; field: TranslatableField }) =>
  texts.find((t) => t.nodeId === d.nodeId && t.field === d.field)!.source;

/**
 * The owner accepts item `index`, as drafted or as `edited`: the flow's translations with that
 * one text added, and the review with the item marked. An edited list of options must keep the
 * number of options (one per line in the editor); an empty text is refused.
 */
export function acceptDraft(
  translations: FlowTranslations | undefined,
  review: Review,
  index: number,
  edited?: string | string[],
): { translations: FlowTranslations; review: Review } | { error: 'empty' | 'options' } {
  const item = review.items[index]!;
  const value = edited ?? item.draft;
  if (Array.isArray(item.source)) {
    if (!Array.isArray(value) || value.length !== item.source.length) return { error: 'options' };
    if (value.some((o) => o.trim() === '')) return { error: 'empty' };
  } else if (typeof value !== 'string' || value.trim() === '') return { error: 'empty' };
  const clean = Array.isArray(value) ? value.map((o) => o.trim()) : value.trim();
  return {
    translations: withTranslation(translations, review.language, item.nodeId, item.field, clean),
    review: mark(review, index, 'accepted', clean),
  };
}

/** The owner rejects item `index`: nothing is written. */
export function rejectDraft(review: Review, index: number): Review {
  return mark(review, index, 'rejected');
}

function mark(review: Review, index: number, state: ReviewState, draft?: string | string[]): Review {
  return { ...review, items: review.items.map((item, i) => (i === index ? { ...item, state, ...(draft !== undefined ? { draft } : {}) } : item)) };
}

/** Options are edited one per line. */
export const optionsFromLines = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
