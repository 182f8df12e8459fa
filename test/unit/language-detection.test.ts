// Telling the customer's language from short WhatsApp-style first messages, among the flow's
// languages (adapters/language/eld-detector.ts with the real eld database). Prints the accuracy;
// bench/language-detection.ts compares the database sizes and options.
import { describe, expect, it } from 'vitest';
import { createEldDetector, greetingLanguage } from '../../src-main/adapters/language/eld-detector';
import { closestLanguage } from '../../src-main/shared/flow-translations';
import { SHORT_MESSAGES } from '../fixtures/short-messages';

const detector = createEldDetector();

async function measure(languages: string[]): Promise<{ correct: number; total: number; wrong: string[] }> {
  const messages = SHORT_MESSAGES.filter((m) => closestLanguage(languages, m.language) !== undefined);
  const wrong: string[] = [];
  for (const m of messages) {
    const got = await detector.detect(m.text, languages);
    if (got !== closestLanguage(languages, m.language)) wrong.push(`"${m.text}" -> ${got ?? 'undecided'}`);
  }
  return { correct: messages.length - wrong.length, total: messages.length, wrong };
}

describe('language detection on short messages', () => {
  it('a pt-BR + en + es flow: at least 95 % of 60 short messages, reported', async () => {
    const { correct, total, wrong } = await measure(['pt-BR', 'en', 'es']);
    console.log(`language detection (pt-BR/en/es): ${correct}/${total} = ${((100 * correct) / total).toFixed(1)} %${wrong.length ? `; wrong: ${wrong.join(', ')}` : ''}`);
    expect(total).toBe(60);
    expect(correct / total).toBeGreaterThanOrEqual(0.95);
  });

  it('a pt-BR + en flow: at least 95 % of its 40 messages, reported', async () => {
    const { correct, total, wrong } = await measure(['pt-BR', 'en']);
    console.log(`language detection (pt-BR/en): ${correct}/${total} = ${((100 * correct) / total).toFixed(1)} %${wrong.length ? `; wrong: ${wrong.join(', ')}` : ''}`);
    expect(total).toBe(40);
    expect(correct / total).toBeGreaterThanOrEqual(0.95);
  });

  it('the openings of the issue, answered with the flow\'s own tags', async () => {
    const languages = ['pt-BR', 'en', 'es'];
    expect(await detector.detect('oi', languages)).toBe('pt-BR');
    expect(await detector.detect('Bom dia!', languages)).toBe('pt-BR');
    expect(await detector.detect('hola', languages)).toBe('es');
    expect(await detector.detect('hi there', languages)).toBe('en');
  });

  it('says nothing when nothing can be told (emoji, digits, codes, "ok"): a later message may decide', async () => {
    for (const text of ['👍', '123', 'c1', 'A100', 'ok', '2']) expect(await detector.detect(text, ['pt-BR', 'en']), text).toBeUndefined();
    expect(await detector.detect('Fui cobrada duas vezes', ['pt-BR', 'en'])).toBe('pt-BR');
  });

  it('a greeting decides only when exactly one of the flow\'s languages has it', () => {
    expect(greetingLanguage('Olá!!', ['pt', 'en'])).toBe('pt');
    expect(greetingLanguage('hello there', ['pt', 'en'])).toBe('en');
    expect(greetingLanguage('hola', ['pt', 'en'])).toBeUndefined();
    expect(greetingLanguage('oi, quero um bolo', ['pt', 'en'])).toBeUndefined();
  });
});
