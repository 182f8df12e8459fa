// What the bot writes to its OWNER on WhatsApp (setting `notifyOwnerNumber`): not customer texts
// (those are in customer-texts/, and an owner may reword them), so a catalogue of its own, in the
// same eight languages, chosen by the bot's language. Placeholders {name} and {message} are
// filled with customer-texts' fillText.
import { catalogueLanguage, fillText } from './customer-texts';

export interface OwnerWhatsAppTexts {
  /** The flow handed the conversation to a human. */
  handoff: string;
  /** The customer wrote in a conversation a human has (taken over), and nobody answered yet. */
  waiting: string;
}

export const OWNER_WHATSAPP_TEXTS: Readonly<Record<string, OwnerWhatsAppTexts>> = {
  en: {
    handoff: '🙋 {name} needs a person: the bot handed the conversation over. Last message: “{message}”',
    waiting: '🙋 {name} is waiting for your answer: “{message}”',
  },
  'pt-BR': {
    handoff: '🙋 {name} precisa de uma pessoa: o bot passou a conversa. Última mensagem: “{message}”',
    waiting: '🙋 {name} está esperando sua resposta: “{message}”',
  },
  es: {
    handoff: '🙋 {name} necesita una persona: el bot le pasó la conversación. Último mensaje: “{message}”',
    waiting: '🙋 {name} espera tu respuesta: “{message}”',
  },
  fr: {
    handoff: '🙋 {name} a besoin d’une personne : le bot a transmis la conversation. Dernier message : « {message} »',
    waiting: '🙋 {name} attend votre réponse : « {message} »',
  },
  de: {
    handoff: '🙋 {name} braucht einen Menschen: Der Bot hat das Gespräch übergeben. Letzte Nachricht: „{message}“',
    waiting: '🙋 {name} wartet auf deine Antwort: „{message}“',
  },
  it: {
    handoff: '🙋 {name} ha bisogno di una persona: il bot ha passato la conversazione. Ultimo messaggio: «{message}»',
    waiting: '🙋 {name} aspetta la tua risposta: «{message}»',
  },
  id: {
    handoff: '🙋 {name} butuh orang: bot menyerahkan percakapan. Pesan terakhir: “{message}”',
    waiting: '🙋 {name} menunggu jawaban Anda: “{message}”',
  },
  tr: {
    handoff: '🙋 {name} bir kişiyle görüşmek istiyor: bot konuşmayı devretti. Son mesaj: “{message}”',
    waiting: '🙋 {name} yanıtınızı bekliyor: “{message}”',
  },
};

/** The owner's message about a customer waiting for a human, in the bot's language. */
export function ownerNotification(language: string | undefined, reason: keyof OwnerWhatsAppTexts, values: { name: string; message: string }): string {
  const texts = OWNER_WHATSAPP_TEXTS[catalogueLanguage(language)] ?? OWNER_WHATSAPP_TEXTS.en!;
  return fillText(texts[reason], values);
}
