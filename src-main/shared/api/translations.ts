// The editor's translation drafts (README "Multilingual flows"): the bot's model drafts the
// texts a language still lacks; the editor shows each draft for the owner to accept, edit or
// reject. Nothing here saves anything: an accepted draft is saved with the flow, as any edit.
import { z } from 'zod';
import { LANGUAGE_TAG, TRANSLATABLE_FIELD_NAMES } from '../flow';
import { method } from './method';

export const LanguageTagSchema = z.string().regex(LANGUAGE_TAG, 'a language code like "en", "es" or "pt-BR"');

/** A text (or a choice's options) as the step says it, or as drafted. */
const TextValueSchema = z.union([z.string().min(1).max(4000), z.array(z.string().min(1).max(500)).min(1).max(50)]);

export const DraftSourceSchema = z
  .object({ nodeId: z.string().min(1).max(200), field: z.enum(TRANSLATABLE_FIELD_NAMES), source: TextValueSchema })
  .strict();
export type DraftSource = z.infer<typeof DraftSourceSchema>;

export const TranslationDraftSchema = z.object({ nodeId: z.string(), field: z.enum(TRANSLATABLE_FIELD_NAMES), text: TextValueSchema });
export type TranslationDraft = z.infer<typeof TranslationDraftSchema>;

export const translationsMethods = {
  /**
   * Drafts translations of `texts` from the flow's language into `to` with the active bot's
   * model (its LLM settings). `undrafted`: texts the model gave no usable draft for, and why
   * (a missing answer, options that do not line up, a {{variable}} lost or added).
   * CONFLICT when no model is set up or it cannot be reached.
   */
  'translations.draft': method(
    z.object({ from: LanguageTagSchema, to: LanguageTagSchema, texts: z.array(DraftSourceSchema).min(1).max(100) }).strict(),
    z.object({
      drafts: z.array(TranslationDraftSchema),
      undrafted: z.array(z.object({ nodeId: z.string(), field: z.enum(TRANSLATABLE_FIELD_NAMES), reason: z.string() })),
    }),
  ),
} as const;
