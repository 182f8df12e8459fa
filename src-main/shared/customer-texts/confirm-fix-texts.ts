// What the editor's one-click confirmation fix (src-renderer/editor/confirm-fix.ts) writes into
// a flow, in the flow's language: the question (the confirmation under it names the call and
// shows every value, so it needs no grammar of the tool's name), the End step's reply to a no,
// and the two steps' names on their cards. Written once into the flow, where the owner can
// change them: not owner overrides of the bot's own texts (catalogue.ts).
import { catalogueLanguage } from './index';

export interface ConfirmFixTexts {
  question: string;
  declined: string;
  /** The question's name on its card. */
  askLabel: string;
  /** The End step's name on its card. */
  endLabel: string;
}

const TEXTS: Readonly<Record<string, ConfirmFixTexts>> = {
  en: { question: 'Shall I go ahead?', declined: "OK, I won't do that.", askLabel: 'Confirm first', endLabel: 'Not done' },
  'pt-BR': { question: 'Posso continuar?', declined: 'Tudo bem, não vou fazer isso.', askLabel: 'Confirmar antes', endLabel: 'Não feito' },
  es: { question: '¿Sigo adelante?', declined: 'De acuerdo, no lo haré.', askLabel: 'Confirmar antes', endLabel: 'No hecho' },
  fr: { question: 'Je continue ?', declined: "D'accord, je ne le fais pas.", askLabel: "Confirmer d'abord", endLabel: 'Pas fait' },
  de: { question: 'Soll ich fortfahren?', declined: 'In Ordnung, das mache ich nicht.', askLabel: 'Erst bestätigen', endLabel: 'Nicht erledigt' },
  it: { question: 'Procedo?', declined: 'Va bene, non lo faccio.', askLabel: 'Prima conferma', endLabel: 'Non fatto' },
  id: { question: 'Boleh saya lanjutkan?', declined: 'Baik, saya tidak akan melakukannya.', askLabel: 'Konfirmasi dulu', endLabel: 'Tidak jadi' },
  tr: { question: 'Devam edeyim mi?', declined: 'Tamam, bunu yapmayacağım.', askLabel: 'Önce onayla', endLabel: 'Yapılmadı' },
};

/** The texts in `language` (BCP 47, with the catalogues' fallback: pt → pt-BR, unknown → English). */
export const confirmFixTexts = (language: string | undefined): ConfirmFixTexts => TEXTS[catalogueLanguage(language)] ?? TEXTS.en!;
