// A flow's translations (shared/flow-translations.ts): the lookup with its fallbacks, the list of
// texts a language still lacks, and the validator's problems (core/validate/translations.ts).
import { describe, expect, it } from 'vitest';
import { closestLanguage, flowLanguages, localTexts, missingTranslations, translationsFor, withTranslation } from '../../src-main/shared/flow-translations';
import { validateFlow } from '../../src-main/core/validate';
import { parseFlowValue } from '../../src-main/core/parse-flow';
import { edge, flow, line, n } from './flow-builders';

const cake = (translations = {}) =>
  flow(
    [
      n.start(),
      n.message('hello', 'Olá! Bem-vindo à confeitaria.'),
      n.choice('size', ['Pequeno', 'Grande'], { question: 'Qual tamanho?', retryText: 'Escolha 1 ou 2.' }),
      n.end('bye', 'Até logo!'),
    ],
    [...line('start', 'hello', 'size'), edge('size', 'Pequeno', 'bye'), edge('size', 'Grande', 'bye')],
    { language: 'pt-BR', translations },
  );

describe('the translation lookup', () => {
  const f = cake({ en: { hello: { text: 'Hello! Welcome to the bakery.' }, size: { question: 'Which size?', options: ['Small', 'Large'] } } });
  const node = (id: string) => f.nodes.find((x) => x.id === id)!;

  it('the flow speaks its own language first, then its translations', () => {
    expect(flowLanguages(f)).toEqual(['pt-BR', 'en']);
    expect(closestLanguage(flowLanguages(f), 'pt')).toBe('pt-BR');
    expect(closestLanguage(flowLanguages(f), 'en-GB')).toBe('en');
    expect(closestLanguage(flowLanguages(f), 'es')).toBeUndefined();
  });

  it('a conversation in a translated language reads the translation, field by field, with the original where none', () => {
    const en = translationsFor(f, 'en-US');
    expect(localTexts(node('hello'), en?.hello)).toEqual({ text: 'Hello! Welcome to the bakery.' });
    expect(localTexts(node('size'), en?.size)).toEqual({ question: 'Which size?', retryText: 'Escolha 1 ou 2.', options: ['Small', 'Large'] });
    expect(localTexts(node('bye'), en?.bye)).toEqual({ text: 'Até logo!' });
  });

  it('the flow\'s own language and unknown languages read the originals', () => {
    expect(translationsFor(f, 'pt-BR')).toBeUndefined();
    expect(translationsFor(f, 'es')).toBeUndefined();
    expect(translationsFor(f, undefined)).toBeUndefined();
  });

  it('options that do not line up with the originals are not used (the pick is read back by position)', () => {
    expect(localTexts(node('size'), { options: ['Small'] }).options).toEqual(['Pequeno', 'Grande']);
    expect(localTexts(node('size'), { options: ['Small', ' '] }).options).toEqual(['Pequeno', 'Grande']);
  });
});

describe('missing translations', () => {
  it('lists, per language and step, every text without a usable translation', () => {
    const f = cake({ en: { hello: { text: 'Hello!' }, size: { options: ['Small'] } }, es: {} });
    const missing = missingTranslations(f).map((m) => `${m.language} ${m.nodeId}.${m.field}`);
    expect(missing).toEqual([
      'en size.question',
      'en size.retryText',
      'en size.options',
      'en bye.text',
      'es hello.text',
      'es size.question',
      'es size.retryText',
      'es size.options',
      'es bye.text',
    ]);
  });

  it('a language the owner is adding counts before it has any text', () => {
    expect(missingTranslations(cake(), ['fr']).filter((m) => m.language === 'fr')).toHaveLength(5);
  });

  it('setting and clearing one text leaves the others alone', () => {
    const once = withTranslation(undefined, 'en', 'hello', 'text', 'Hi!');
    const twice = withTranslation(once, 'en', 'size', 'options', ['Small', 'Large']);
    expect(twice).toEqual({ en: { hello: { text: 'Hi!' }, size: { options: ['Small', 'Large'] } } });
    expect(withTranslation(twice, 'en', 'hello', 'text', undefined)).toEqual({ en: { size: { options: ['Small', 'Large'] } } });
    expect(once).toEqual({ en: { hello: { text: 'Hi!' } } });
  });
});

describe('validating translations', () => {
  const problems = (translations: object) =>
    validateFlow(cake(translations as never)).filter((p) => p.code.startsWith('TRANSLATION_')).map((p) => [p.code, p.severity, p.nodeId, p.field]);

  it('a complete translation has no problems', () => {
    expect(problems({ en: { hello: { text: 'Hi' }, size: { question: 'Size?', retryText: '1 or 2', options: ['Small', 'Large'] }, bye: { text: 'Bye' } } })).toEqual([]);
  });

  it('names the step and field of a translation for an unknown step or a field the step does not say', () => {
    expect(problems({ en: { gone: { text: 'Hi' }, hello: { question: 'Hi?' } } })).toEqual([
      ['TRANSLATION_UNKNOWN_STEP', 'warning', 'gone', 'translations.en.gone'],
      ['TRANSLATION_UNKNOWN_FIELD', 'warning', 'hello', 'translations.en.hello.question'],
    ]);
  });

  it('options that would not line up are an error', () => {
    expect(problems({ en: { size: { options: ['Small'] } } })).toEqual([['TRANSLATION_OPTIONS_MISMATCH', 'error', 'size', 'translations.en.size.options']]);
    expect(problems({ en: { size: { options: ['Small', 'small'] } } })).toEqual([['TRANSLATION_OPTIONS_MISMATCH', 'error', 'size', 'translations.en.size.options']]);
  });

  it('a language code that is not one, or the flow\'s own language', () => {
    expect(problems({ english: {}, 'pt-BR': {} })).toEqual([
      ['TRANSLATION_BAD_LANGUAGE', 'error', undefined, 'translations.english'],
      ['TRANSLATION_OWN_LANGUAGE', 'warning', undefined, 'translations.pt-BR'],
    ]);
  });

  it('detecting the customer\'s language without translations, or translations without the flow\'s own language', () => {
    const codes = (fields: object) => validateFlow(flow([n.start()], [], fields)).map((p) => [p.code, p.field]).filter(([c]) => c !== 'FLOW_NO_PATH' && String(c).includes('LANGUAGE'));
    expect(codes({ language: 'pt-BR', detectLanguage: true })).toEqual([['DETECT_LANGUAGE_NO_TRANSLATIONS', 'detectLanguage']]);
    expect(codes({ translations: { en: {} } })).toEqual([['TRANSLATION_NO_FLOW_LANGUAGE', 'language']]);
  });

  it('a translated text that is not text: the file names the step and field', () => {
    const value = { ...cake(), translations: { en: { hello: { text: 42 } } } };
    const parsed = parseFlowValue(value, 'cake.flow.json');
    expect(parsed.flow).toBeUndefined();
    expect(parsed.problems.map((p) => [p.nodeId, p.field])).toEqual([['hello', 'translations.en.hello.text']]);
  });
});
