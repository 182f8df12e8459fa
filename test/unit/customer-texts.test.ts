// The bot's own texts per language (shared/customer-texts): complete in every language, the
// owner's overrides on top, and a sensible fallback for languages without a catalogue.
import { describe, expect, it } from 'vitest';
import {
  CATALOGUES,
  CUSTOMER_TEXT_KEYS,
  TEXT_PLACEHOLDERS,
  catalogueLanguage,
  customerTexts,
  fillText,
  overridesFor,
  SUPPORTED_LANGUAGES,
  STEP_DEFAULT_KEYS,
} from '../../src-main/shared/customer-texts';
import { fold } from '../../src-main/core/fold-text';
import { WorkspaceConfigSchema } from '../../src-main/shared/workspace-config';

describe('catalogues', () => {
  it('the eight languages the issue asks for', () => {
    expect([...SUPPORTED_LANGUAGES].sort()).toEqual(['de', 'en', 'es', 'fr', 'id', 'it', 'pt-BR', 'tr']);
  });

  it.each(SUPPORTED_LANGUAGES)('%s: every text written, with its placeholders, and none left in English', (language) => {
    const texts = CATALOGUES[language]!;
    for (const key of [...CUSTOMER_TEXT_KEYS, ...STEP_DEFAULT_KEYS]) {
      expect(texts[key].trim(), key).not.toBe('');
      for (const name of TEXT_PLACEHOLDERS[key] ?? []) expect(texts[key], `${language}.${key}`).toContain(`{${name}}`);
      // The choice list's number format is the same everywhere; everything else is translated.
      if (language !== 'en' && key !== 'choiceOption') expect(texts[key], `${language}.${key}`).not.toBe(CATALOGUES.en![key]);
    }
    expect(texts.yesWords.length).toBeGreaterThan(1);
    expect(texts.noWords.length).toBeGreaterThan(1);
    // A word cannot mean yes and no at once (compared as the answer reader compares them).
    const yes = new Set(texts.yesWords.map(fold));
    expect(texts.noWords.map(fold).filter((w) => yes.has(w))).toEqual([]);
  });
});

describe('overridable texts', () => {
  it('every text the runtime says is one an owner can word differently (the editor\'s step defaults aside)', () => {
    const texts = Object.keys(CATALOGUES.en!).filter((key) => typeof CATALOGUES.en![key as keyof typeof CATALOGUES.en] === 'string');
    expect(texts.filter((key) => !([...CUSTOMER_TEXT_KEYS, ...STEP_DEFAULT_KEYS] as string[]).includes(key))).toEqual([]);
  });

  it('a bot\'s settings may word the "I don\'t know" of its AI steps', () => {
    const config = WorkspaceConfigSchema.parse({ customerTexts: { 'pt-BR': { knowledgeUnknown: 'Não achei isso nos nossos papéis: a Ana já te responde.' } } });
    expect(customerTexts('pt-BR', overridesFor(config.customerTexts, 'pt-BR')).knowledgeUnknown).toBe('Não achei isso nos nossos papéis: a Ana já te responde.');
  });
});

describe('customerTexts(language, overrides)', () => {
  it('falls back along the tag, then to English', () => {
    expect(catalogueLanguage('pt-BR')).toBe('pt-BR');
    expect(catalogueLanguage('pt-br')).toBe('pt-BR');
    expect(catalogueLanguage('pt-PT')).toBe('pt-BR');
    expect(catalogueLanguage('pt')).toBe('pt-BR');
    expect(catalogueLanguage('es-MX')).toBe('es');
    expect(catalogueLanguage('de-CH')).toBe('de');
    expect(catalogueLanguage('ja')).toBe('en');
    expect(catalogueLanguage('not a tag')).toBe('en');
    expect(catalogueLanguage(undefined)).toBe('en');
    expect(customerTexts('es-MX').confirmHint).toBe(CATALOGUES.es!.confirmHint);
  });

  it("the owner's overrides replace single texts; empty ones are ignored", () => {
    const texts = customerTexts('pt-BR', { failure: 'Ops! Tente de novo mais tarde.', retry: '' });
    expect(texts.failure).toBe('Ops! Tente de novo mais tarde.');
    expect(texts.retry).toBe(CATALOGUES['pt-BR']!.retry);
    expect(CATALOGUES['pt-BR']!.failure).not.toBe(texts.failure); // the catalogue itself is untouched
  });

  it('overrides are taken for the conversation\'s language (or another variant of it), never another language', () => {
    const byLanguage = { 'pt-BR': { failure: 'pt' }, ja: { failure: 'ja' } };
    expect(overridesFor(byLanguage, 'pt-BR')).toEqual({ failure: 'pt' });
    expect(overridesFor(byLanguage, 'pt-PT')).toEqual({ failure: 'pt' });
    expect(overridesFor(byLanguage, 'ja')).toEqual({ failure: 'ja' });
    expect(overridesFor(byLanguage, 'en')).toEqual({}); // "ja" speaks English texts, but its overrides are not English
    expect(overridesFor(undefined, 'en')).toEqual({});
  });

  it('fillText fills known placeholders and leaves others as written', () => {
    expect(fillText('Desculpe, não entendi. {question}', { question: 'Qual sabor?' })).toBe('Desculpe, não entendi. Qual sabor?');
    expect(fillText('{number}. {option} {other}', { number: 2, option: 'Bolo' })).toBe('2. Bolo {other}');
    expect(fillText('{question}', { question: '{number} $& $1' })).toBe('{number} $& $1'); // values are not patterns
  });
});

describe("the bot's language settings (workspace config)", () => {
  it('takes a language tag and overrides per language; says what is wrong otherwise', () => {
    const ok = WorkspaceConfigSchema.safeParse({ language: 'pt-BR', customerTexts: { 'pt-BR': { failure: 'Ops!' } } });
    expect(ok.success).toBe(true);
    const badTag = WorkspaceConfigSchema.safeParse({ language: 'brazilian portuguese' });
    expect(badTag.error?.issues[0]?.message).toBe('"brazilian portuguese" is not a language tag: write one like "en", "pt-BR" or "es"');
    // The yes words are not replaced (confirmWords add to them), nor are texts the runtime never says.
    expect(WorkspaceConfigSchema.safeParse({ customerTexts: { en: { yesWords: ['sure'] } } }).success).toBe(false);
    expect(WorkspaceConfigSchema.safeParse({ customerTexts: { en: { handoff: 'x' } } }).success).toBe(false);
  });
});
