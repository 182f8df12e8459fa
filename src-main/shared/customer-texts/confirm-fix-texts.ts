// What the editor's one-click confirmation fix (src-renderer/editor/confirm-fix.ts) writes into
// a flow, in the flow's language: the question (the confirmation under it names the call and
// shows every value, so it needs no grammar of the tool's name), the End step's reply to a no,
// and the two steps' names on their cards. Written once into the flow, where the owner can
// change them: not owner overrides of the bot's own texts (catalogue.ts).
import { catalogueLanguage, customerTexts } from './index';

export interface ConfirmFixTexts {
  question: string;
  declined: string;
  /** The question's name on its card. */
  askLabel: string;
  /** The End step's name on its card. */
  endLabel: string;
}

const CARD_NAMES: Readonly<Record<string, Pick<ConfirmFixTexts, 'askLabel' | 'endLabel'>>> = {
  en: { askLabel: 'Confirm first', endLabel: 'Not done' },
  'pt-BR': { askLabel: 'Confirmar antes', endLabel: 'Não feito' },
  es: { askLabel: 'Confirmar antes', endLabel: 'No hecho' },
  fr: { askLabel: "Confirmer d'abord", endLabel: 'Pas fait' },
  de: { askLabel: 'Erst bestätigen', endLabel: 'Nicht erledigt' },
  it: { askLabel: 'Prima conferma', endLabel: 'Non fatto' },
  id: { askLabel: 'Konfirmasi dulu', endLabel: 'Tidak jadi' },
  tr: { askLabel: 'Önce onayla', endLabel: 'Yapılmadı' },
};

/** The texts in `language` (BCP 47, with the catalogues' fallback: pt → pt-BR, unknown → English). */
export function confirmFixTexts(language: string | undefined): ConfirmFixTexts {
  const { confirmQuestion, declined } = customerTexts(language);
  return { question: confirmQuestion, declined, ...(CARD_NAMES[catalogueLanguage(language)] ?? CARD_NAMES.en!) };
}
