// Reading what customers type, per answer kind (core/answers.ts, core/answer-date.ts).
import { describe, expect, it } from 'vitest';
import type { Answer } from '../../src-main/shared/flow';
import { initialState, step, type EngineEvent } from '../../src-main/core/engine';
import { isNegative, parseAnswer } from '../../src-main/core/answers';
import { edge, flow, n } from './flow-builders';

/** Wednesday 2 December 2026, noon UTC: the same calendar day in every time zone from -11 to +11. */
const NOW = Date.UTC(2026, 11, 2, 12);
const UTC = { now: NOW, timeZone: 'UTC' };
const read = (answer: Answer, text: string, reading = {}) => parseAnswer(answer, text, reading)?.value;

describe('text and number', () => {
  it('text: anything but an empty message', () => {
    expect(read({ kind: 'text' }, '  Lisbon ')).toBe('Lisbon');
    expect(read({ kind: 'text' }, '   ')).toBeUndefined();
  });
  it('number: with a dot or a comma', () => {
    expect(read({ kind: 'number' }, '3,5')).toBe(3.5);
    expect(read({ kind: 'number' }, '-2')).toBe(-2);
    expect(read({ kind: 'number' }, 'three')).toBeUndefined();
  });

  it("number: thousands and decimals as the flow's language writes them", () => {
    const num = (text: string, language?: string) => read({ kind: 'number' }, text, language ? { language } : {});
    expect(num('1.234,50', 'pt-BR')).toBe(1234.5);
    expect(num('1.234', 'pt-BR')).toBe(1234);
    expect(num('12.345.678', 'de')).toBe(12345678);
    expect(num('1,234.50', 'en')).toBe(1234.5);
    expect(num('1,234.50')).toBe(1234.5); // no language: English
    expect(num('1,234', 'en')).toBe(1234);
    expect(num('1 234,5', 'fr')).toBe(1234.5);
    expect(num('1\u202f234,5', 'fr')).toBe(1234.5); // as a French keyboard groups
    expect(num('1.234,5', 'es')).toBe(1234.5);
    expect(num('1.234,5', 'tr')).toBe(1234.5);
    expect(num('1.234,5', 'id')).toBe(1234.5);
    // A single separator that cannot group thousands is a decimal point in any language.
    expect(num('2.75', 'pt-BR')).toBe(2.75);
    expect(num('3,5', 'en')).toBe(3.5);
    // Written the other language's way: not a number here (asked again), never a wrong one.
    expect(num('1,234.50', 'pt-BR')).toBeUndefined();
    expect(num('1.234,50', 'en')).toBeUndefined();
    expect(num('1.23.4', 'pt-BR')).toBeUndefined();
    expect(num('12', 'tr')).toBe(12);
  });
});

describe('choice', () => {
  const answer: Answer = { kind: 'choice', options: ['Horário de funcionamento', 'Prazo de entrega', 'Falar com alguém'] };

  it('matches case- and accent-insensitively', () => {
    expect(read(answer, 'HORÁRIO DE FUNCIONAMENTO')).toBe('Horário de funcionamento');
    expect(read(answer, 'horario de funcionamento.')).toBe('Horário de funcionamento');
    expect(read(answer, 'falar com alguem')).toBe('Falar com alguém');
  });

  it('matches the one option that begins with the answer or contains it as whole words', () => {
    expect(read(answer, 'horario')).toBe('Horário de funcionamento');
    expect(read(answer, 'Entrega')).toBe('Prazo de entrega');
    expect(read(answer, 'hor')).toBe('Horário de funcionamento');
  });

  it('by number in the list', () => {
    expect(read(answer, '2')).toBe('Prazo de entrega');
    expect(read(answer, '3.')).toBe('Falar com alguém');
    expect(read(answer, '4')).toBeUndefined();
    expect(read(answer, '0')).toBeUndefined();
  });

  it('asks again when several options fit, the answer is too short, or nothing fits', () => {
    expect(read(answer, 'de')).toBeUndefined(); // in two options, and too short anyway
    expect(read({ kind: 'choice', options: ['Bolo de chocolate', 'Bolo de cenoura'] }, 'bolo')).toBeUndefined();
    expect(read(answer, 'pizza')).toBeUndefined();
    expect(read(answer, 'funciona')).toBeUndefined(); // not a whole word, not the beginning
  });

  it('an exact option wins over a partial one', () => {
    expect(read({ kind: 'choice', options: ['Bolo', 'Bolo de chocolate'] }, 'bolo')).toBe('Bolo');
  });
});

describe('confirm', () => {
  const yes = (text: string, language?: string, confirmWords?: string[]) =>
    read({ kind: 'confirm' }, text, { ...(language ? { language } : {}), ...(confirmWords ? { confirmWords } : {}) });

  it('only a plain affirmative (or a configured word) is yes', () => {
    expect(yes('Yes!')).toBe(true);
    expect(yes('yes but later')).toBe(false);
    expect(yes('oui')).toBe(false); // English flow: French is not its yes
    expect(yes('oui', undefined, ['oui'])).toBe(true);
  });

  // What people type, with and without accents, in each language's flow.
  const plainYes: Record<string, string[]> = {
    en: ['yes', 'Y', 'ok', 'Yes!'],
    'pt-BR': ['sim', 'Sim', 's', 'SIM!', 'claro', 'ok'],
    es: ['sí', 'si', 'Sí.', 's', 'vale', 'claro'],
    fr: ['oui', 'Oui !', 'ouais', "d'accord", 'd’accord'],
    de: ['ja', 'Ja', 'JA!', 'klar', 'genau'],
    it: ['sì', 'si', 'Sì', 'certo', 'va bene'],
    id: ['ya', 'iya', 'Iya', 'y', 'oke', 'boleh'],
    tr: ['evet', 'Evet', 'tamam', 'olur'],
  };
  const hedged: Record<string, string[]> = {
    en: ['yes but tomorrow', 'maybe', 'no'],
    'pt-BR': ['sim, mas amanhã', 'talvez', 'não', 'nao', 'n', 'sim mas sem cobertura'],
    es: ['sí, pero mañana', 'quizás', 'no', 'n'],
    fr: ['oui mais demain', 'peut-être', 'non'],
    de: ['ja, aber morgen', 'vielleicht', 'nein', 'n'],
    it: ['sì, ma domani', 'forse', 'no'],
    id: ['iya tapi besok', 'mungkin', 'tidak', 'nggak', 'gak'],
    tr: ['evet ama yarın', 'belki', 'hayır', 'hayir'],
  };
  it.each(Object.keys(plainYes))('%s: the plain yes confirms; a hedged yes or a no declines', (language) => {
    for (const text of plainYes[language]!) expect(yes(text, language), text).toBe(true);
    for (const text of hedged[language]!) expect(yes(text, language), text).toBe(false);
  });

  it("another language's yes does not confirm (sim is not a yes in a German flow)", () => {
    expect(yes('sim', 'de')).toBe(false);
    expect(yes('ja', 'pt-BR')).toBe(false);
    expect(yes('evet', 'es')).toBe(false);
  });

  it('a language variant takes its language\'s words; the owner\'s words add to them', () => {
    expect(yes('sim', 'pt-PT')).toBe(true);
    expect(yes('sí', 'es-MX')).toBe(true);
    expect(yes('bora', 'pt-BR', ['bora'])).toBe(true);
    expect(yes('sim', 'pt-BR', ['bora'])).toBe(true);
  });
});

describe('isNegative', () => {
  it('plain negatives per language, with and without accents', () => {
    for (const [language, words] of Object.entries({
      'pt-BR': ['não', 'nao', 'N', 'Não.'],
      es: ['no', 'n'],
      fr: ['non'],
      de: ['nein'],
      it: ['no'],
      id: ['tidak', 'nggak', 'gak'],
      tr: ['hayır', 'hayir', 'Hayır'],
      en: ['no', 'nope'],
    })) {
      for (const word of words) expect(isNegative(word, language), `${language} ${word}`).toBe(true);
    }
    expect(isNegative('não, mas talvez', 'pt-BR')).toBe(false);
    expect(isNegative('sim', 'pt-BR')).toBe(false);
  });
});

describe('date', () => {
  const date = (text: string, reading: object = UTC) => read({ kind: 'date' }, text, reading);

  it('day-first numbers, with or without a year', () => {
    expect(date('24/12/2026')).toBe('2026-12-24');
    expect(date('24-12-26')).toBe('2026-12-24');
    expect(date('24.12')).toBe('2026-12-24');
    expect(date('2026-12-24')).toBe('2026-12-24');
  });

  it('without a year: the next such day from today on', () => {
    expect(date('02/12')).toBe('2026-12-02'); // today
    expect(date('1/12')).toBe('2027-12-01'); // yesterday's date: next year
    expect(date('5/1')).toBe('2027-01-05');
    expect(date('29/02')).toBe('2028-02-29');
  });

  it('month first only for en-US', () => {
    expect(date('12/24', { ...UTC, locale: 'en-US' })).toBe('2026-12-24');
    expect(date('12/24')).toBeUndefined(); // day 12 of month 24
    expect(date('12/11', { ...UTC, locale: 'en-GB' })).toBe('2027-11-12');
  });

  it('relative words in English, Portuguese and Spanish', () => {
    for (const today of ['hoje', 'today', 'Hoy']) expect(date(today)).toBe('2026-12-02');
    for (const tomorrow of ['amanhã', 'amanha', 'Tomorrow', 'mañana', 'manana']) expect(date(tomorrow)).toBe('2026-12-03');
    expect(date('depois de amanhã')).toBe('2026-12-04');
    expect(date('ontem')).toBe('2026-12-01');
  });

  it('weekdays: the next one after today', () => {
    expect(date('sábado')).toBe('2026-12-05');
    expect(date('saturday')).toBe('2026-12-05');
    expect(date('Sabado')).toBe('2026-12-05');
    expect(date('no sábado')).toBe('2026-12-05');
    expect(date('segunda')).toBe('2026-12-07');
    expect(date('segunda-feira')).toBe('2026-12-07');
    expect(date('lunes')).toBe('2026-12-07');
    expect(date('next Monday')).toBe('2026-12-07');
    expect(date('quarta')).toBe('2026-12-09'); // today is a Wednesday: the one a week later
  });

  it('written dates, and a weekday that must agree with the date', () => {
    expect(date('24 de dezembro')).toBe('2026-12-24');
    expect(date('24 de diciembre de 2027')).toBe('2027-12-24');
    expect(date('December 24')).toBe('2026-12-24');
    expect(date('Dec 24, 2026')).toBe('2026-12-24');
    expect(date('24th of December')).toBe('2026-12-24');
    expect(date('quinta, 24/12')).toBe('2026-12-24');
    expect(date('sexta, 24/12')).toBeUndefined();
  });

  it('asks again for what is not a date', () => {
    for (const text of ['31/02/2026', '32/01', 'soon', 'next week', '24/13', '']) expect(date(text)).toBeUndefined();
  });

  it('without the time the message was sent: full dates only', () => {
    expect(date('24/12/2026', {})).toBe('2026-12-24');
    expect(date('amanhã', {})).toBeUndefined();
    expect(date('24/12', {})).toBeUndefined();
  });

  it('"today" is counted in the given time zone', () => {
    const lateEvening = Date.UTC(2026, 11, 2, 23, 30); // 00:30 on 3 December in Berlin, 20:30 on the 2nd in São Paulo
    expect(date('hoje', { now: lateEvening, timeZone: 'Europe/Berlin' })).toBe('2026-12-03');
    expect(date('hoje', { now: lateEvening, timeZone: 'America/Sao_Paulo' })).toBe('2026-12-02');
  });
});

describe('phone and email', () => {
  it('phone: digits, a + for international numbers', () => {
    expect(read({ kind: 'phone' }, '(11) 98765-4321')).toBe('11987654321');
    expect(read({ kind: 'phone' }, '+55 11 98765 4321')).toBe('+5511987654321');
    expect(read({ kind: 'phone' }, '0055 11 98765 4321')).toBe('+5511987654321');
    expect(read({ kind: 'phone' }, '12345')).toBeUndefined();
    expect(read({ kind: 'phone' }, 'call me')).toBeUndefined();
    expect(read({ kind: 'phone' }, '+1 234 567 890 123 456')).toBeUndefined(); // 16 digits
  });

  it('email: one address, the domain in lowercase', () => {
    expect(read({ kind: 'email' }, ' Ana.Silva@Padaria.COM.br ')).toBe('Ana.Silva@padaria.com.br');
    expect(read({ kind: 'email' }, '<ana@example.org>')).toBe('ana@example.org');
    for (const text of ['ana@', 'ana@example', 'ana example.org', 'ana@@example.org', 'a@b..com', 'ana@example.org, bob@example.org']) {
      expect(read({ kind: 'email' }, text)).toBeUndefined();
    }
  });
});

describe('through the engine: the time on the event', () => {
  const f = flow(
    [n.start(), n.ask('when', { answer: { kind: 'date' }, saveAs: 'day', retryText: 'Which day?' }), n.end('end', 'See you on {{day}}')],
    [edge('start', null, 'when'), edge('when', 'next', 'end')],
  );
  const run = (events: EngineEvent[]) => {
    let state = initialState(f, 'c', { id: 'c1' });
    const sent: string[] = [];
    for (const event of [{ type: 'start' } as EngineEvent, ...events]) {
      const result = step({ flow: f }, state, event);
      state = result.state;
      for (const e of result.effects) if (e.type === 'send') sent.push(e.text);
    }
    return { state, sent };
  };

  it('reads "amanhã" from the time the customer sent it', () => {
    const { state, sent } = run([{ type: 'user_message', text: 'amanhã', sentAt: NOW }]);
    expect(state.vars.day).toBe('2026-12-03');
    expect(sent.at(-1)).toBe('See you on 2026-12-03');
  });

  it('asks again when it cannot read a date', () => {
    const { state, sent } = run([{ type: 'user_message', text: 'whenever', sentAt: NOW }]);
    expect(state.status).toBe('active');
    expect(sent.at(-1)).toBe('Which day?');
  });
});
