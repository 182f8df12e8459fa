// A flow's texts in the conversation's language (README "Multilingual flows"): which fields of
// a step are translatable, the lookup with its fallbacks, and what still lacks a translation.
// The engine, the validator and the editor share these, so they agree on every field.
import { DEFAULT_LANGUAGE } from './customer-texts';
import { LANGUAGE_TAG, type Flow, type FlowNode, type FlowTranslations, type NodeType, type StepTranslation, type TranslatableField } from './flow';

export type { TranslatableField } from './flow';

/** The fields a customer reads, per step type (the only ones a translation may carry). */
export const TRANSLATABLE_FIELDS: Readonly<Record<NodeType, readonly TranslatableField[]>> = {
  start: [],
  message: ['text'],
  ask: ['question', 'retryText', 'options'],
  llm: [],
  tool: ['action'],
  condition: [],
  set: [],
  handoff: ['text'],
  end: ['text'],
};

/** What a step says in the flow's own language, per translatable field (absent or empty: nothing to translate). */
export function sourceTexts(node: FlowNode): Partial<Record<TranslatableField, string | string[]>> {
  const out: Partial<Record<TranslatableField, string | string[]>> = {};
  const data = node.data as Record<string, unknown>;
  for (const field of TRANSLATABLE_FIELDS[node.type]) {
    const value = field === 'options' ? optionsOf(node) : data[actionKey(field)];
    if (typeof value === 'string' ? value.trim() !== '' : Array.isArray(value) && value.length > 0) out[field] = value as string | string[];
  }
  return out;
}

const optionsOf = (node: FlowNode): string[] | undefined =>
  node.type === 'ask' && node.data.answer.kind === 'choice' ? node.data.answer.options : undefined;

/** The action label's key in a tool step's data (lang-labels names it `actionLabel`). */
const actionKey = (field: TranslatableField): string => (field === 'action' ? 'actionLabel' : field);

/** The language part of a BCP 47 tag, lowercased: "pt-BR" -> "pt". */
export const baseLanguage = (tag: string): string => tag.split('-')[0]!.toLowerCase();

/** A well-formed BCP 47 tag (language, optional script and region), e.g. "en", "pt-BR", "zh-Hant-TW". */
export const isLanguageTag = (tag: string): boolean => LANGUAGE_TAG.test(tag);

/** "Brazilian Portuguese (pt-BR)": the model knows the names better than the codes. */
export function languageName(tag: string): string {
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'language' }).of(tag);
    return name && name !== tag ? `${name} (${tag})` : tag;
  } catch {
    return tag;
  }
}

/** The flow's own language: its `language`, else the bot's (`botLanguage`), else English. */
export const ownLanguage = (flow: Pick<Flow, 'language'>, botLanguage?: string): string => flow.language ?? botLanguage ?? DEFAULT_LANGUAGE;

/** Every language the flow can speak: its own, then those it has translations for. */
export function flowLanguages(flow: Pick<Flow, 'language' | 'translations'>, botLanguage?: string): string[] {
  const own = ownLanguage(flow, botLanguage);
  return [own, ...Object.keys(flow.translations ?? {}).filter((l) => l !== own)];
}

/**
 * The flow's language that best fits `language`: the same tag, else the first with the same
 * base language ("pt" fits "pt-BR"); undefined when the flow does not speak it.
 */
export function closestLanguage(languages: readonly string[], language: string): string | undefined {
  const exact = languages.find((l) => l.toLowerCase() === language.toLowerCase());
  return exact ?? languages.find((l) => baseLanguage(l) === baseLanguage(language));
}

/** The translations to use for a conversation in `language` (none when that is the flow's own). */
export function translationsFor(
  flow: Pick<Flow, 'language' | 'translations'>,
  language: string | undefined,
  botLanguage?: string,
): Record<string, StepTranslation> | undefined {
  if (language === undefined || !flow.translations) return undefined;
  const match = closestLanguage(flowLanguages(flow, botLanguage), language);
  if (match === undefined || match === ownLanguage(flow, botLanguage)) return undefined;
  return flow.translations[match];
}

/** A step's texts as the customer reads them: each translated field where it is usable, else the original. */
export interface LocalTexts {
  text?: string;
  question?: string;
  retryText?: string;
  /** Shown to the customer; the saved value and the exit stay `node.data.answer.options[i]`. */
  options?: string[];
  action?: string;
}

export function localTexts(node: FlowNode, translation: StepTranslation | undefined): LocalTexts {
  const source = sourceTexts(node);
  const out: LocalTexts = {};
  for (const [field, original] of Object.entries(source) as [TranslatableField, string | string[]][]) {
    const translated = translation?.[field];
    (out as Record<string, unknown>)[field] = usable(translated, original) ? translated : original;
  }
  return out;
}

/** A translation the customer can be shown: a text that is not blank; options as many as the original's, none blank. */
function usable(translated: unknown, original: string | string[]): boolean {
  if (Array.isArray(original)) {
    return Array.isArray(translated) && translated.length === original.length && translated.every((o) => typeof o === 'string' && o.trim() !== '');
  }
  return typeof translated === 'string' && translated.trim() !== '';
}

/** One text a language still lacks: the step, the field, and the text in the flow's own language. */
export interface MissingTranslation {
  language: string;
  nodeId: string;
  field: TranslatableField;
  source: string | string[];
}

/** Per translation language (those in `translations`, plus `extra`), every text without a usable translation, in step order. */
export function missingTranslations(
  flow: Pick<Flow, 'language' | 'translations' | 'nodes'>,
  extra: readonly string[] = [],
  botLanguage?: string,
): MissingTranslation[] {
  const own = ownLanguage(flow, botLanguage);
  const languages = [...new Set([...Object.keys(flow.translations ?? {}), ...extra])].filter((l) => l !== own);
  const missing: MissingTranslation[] = [];
  for (const language of languages) {
    const steps = flow.translations?.[language] ?? {};
    for (const node of flow.nodes) {
      for (const [field, source] of Object.entries(sourceTexts(node)) as [TranslatableField, string | string[]][]) {
        if (!usable(steps[node.id]?.[field], source)) missing.push({ language, nodeId: node.id, field, source });
      }
    }
  }
  return missing;
}

/** The flow with one translated text set (or removed with `undefined`); nothing else changes. */
export function withTranslation(
  translations: FlowTranslations | undefined,
  language: string,
  nodeId: string,
  field: TranslatableField,
  value: string | string[] | undefined,
): FlowTranslations {
  const all = structuredClone(translations ?? {});
  const steps = (all[language] ??= {});
  const step = { ...(steps[nodeId] ?? {}) };
  if (value === undefined) delete step[field];
  else (step as Record<string, unknown>)[field] = value;
  if (Object.keys(step).length === 0) delete steps[nodeId];
  else steps[nodeId] = step;
  return all;
}
