// How well the customer's language is told from short WhatsApp-style messages
// (test/fixtures/short-messages.ts), for each eld database size, with and without the
// restriction to the flow's languages and the greetings lookup. Prints a table and one JSON line.
//   npx tsx bench/language-detection.ts
import { eld } from 'eld';
import { createEldDetector, type EldDatabase } from '../src-main/adapters/language/eld-detector';
import { closestLanguage } from '../src-main/shared/flow-translations';
import { SHORT_MESSAGES } from '../test/fixtures/short-messages';

const FLOW_LANGUAGES = ['pt-BR', 'en', 'es'];
const expected = (language: string) => closestLanguage(FLOW_LANGUAGES, language);

type Detect = (text: string) => Promise<string | undefined>;

async function accuracy(detect: Detect): Promise<{ correct: number; undecided: number; wrong: string[] }> {
  let correct = 0;
  let undecided = 0;
  const wrong: string[] = [];
  for (const m of SHORT_MESSAGES) {
    const got = await detect(m.text);
    if (got === expected(m.language)) correct += 1;
    else if (got === undefined) undecided += 1;
    if (got !== expected(m.language)) wrong.push(`${m.text} -> ${got ?? '?'}`);
  }
  return { correct, undecided, wrong };
}

const rows: { variant: string; correct: number; undecided: number; total: number; wrong: string[] }[] = [];
for (const size of ['extrasmall', 'small', 'medium', 'large'] as EldDatabase[]) {
  const plain = eld.newInstance() as ReturnType<typeof eld.newInstance> & { load(s: string): Promise<unknown> };
  await plain.load(size);
  const variants: [string, Detect][] = [
    [`${size}, all 60 languages`, async (t) => { const l = plain.detect(t).language; return l ? closestLanguage(FLOW_LANGUAGES, l) : undefined; }],
    [`${size}, subset pt/en/es`, async (t) => { plain.setLanguageSubset(['pt', 'en', 'es']); const l = plain.detect(t).language; plain.setLanguageSubset(false); return l ? closestLanguage(FLOW_LANGUAGES, l) : undefined; }],
    [`${size}, subset, reliable only`, (t) => createEldDetector({ database: size, greetings: false }).detect(t, FLOW_LANGUAGES)],
    [`${size}, greetings + subset, reliable`, (t) => createEldDetector({ database: size }).detect(t, FLOW_LANGUAGES)],
  ];
  for (const [variant, detect] of variants) rows.push({ variant, total: SHORT_MESSAGES.length, ...(await accuracy(detect)) });
}

for (const r of rows) {
  console.log(`${r.variant.padEnd(40)} ${String(r.correct).padStart(3)}/${r.total}  ${((100 * r.correct) / r.total).toFixed(1).padStart(5)} %  undecided ${String(r.undecided).padStart(2)}   ${r.wrong.slice(0, 5).join(' | ')}`);
}
console.log(JSON.stringify({ bench: 'language-detection', messages: SHORT_MESSAGES.length, results: rows.map(({ variant, correct, undecided }) => ({ variant, correct, undecided })) }));
