// What the one-click confirmation fix writes into a flow for its customers, in the flow's
// language: the question (the confirmation below it names the call and shows every value, so
// the question itself needs no grammar of the tool's name) and the End step's reply to a no.
import { catalogueLanguage } from '../../src-main/shared/customer-texts';

export interface ConfirmFixWords {
  question: string;
  declined: string;
}

const WORDS: Readonly<Record<string, ConfirmFixWords>> = {
  en: { question: 'Shall I go ahead?', declined: "OK, I won't do that." },
  'pt-BR': { question: 'Posso continuar?', declined: 'Tudo bem, não vou fazer isso.' },
  es: { question: '¿Sigo adelante?', declined: 'De acuerdo, no lo haré.' },
  fr: { question: 'Je continue ?', declined: "D'accord, je ne le fais pas." },
  de: { question: 'Soll ich fortfahren?', declined: 'In Ordnung, das mache ich nicht.' },
  it: { question: 'Procedo?', declined: 'Va bene, non lo faccio.' },
  id: { question: 'Boleh saya lanjutkan?', declined: 'Baik, saya tidak akan melakukannya.' },
  tr: { question: 'Devam edeyim mi?', declined: 'Tamam, bunu yapmayacağım.' },
};

/** The words in `language` (BCP 47; the customer texts' fallback: pt → pt-BR, unknown → English). */
export const confirmFixWords = (language: string | undefined): ConfirmFixWords => WORDS[catalogueLanguage(language)] ?? WORDS.en!;
