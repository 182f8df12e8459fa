// What the bot itself says to customers, in one language (DESIGN §8): the words around the
// flow's own texts (confirmations, retries, choice lists) and the replies for when the flow
// cannot answer. None of them ever carries an error's detail: that goes to the trace, the audit
// log and the owner, never to the customer. Placeholders are written {name} and filled by
// `fillText`, so an owner's override (plain text in the bot's settings) can use them too.

export interface CustomerTexts {
  /** A conversation failed (a tool, the model, a server or the studio itself): the customer is told only this. */
  failure: string;
  /** An AI step used up its tool rounds without an answer. */
  llmFallback: string;
  /** An AI step told to say so found nothing in its knowledge collections for the customer's message. */
  knowledgeUnknown: string;
  /** A WhatsApp message that is not text (an image, a voice note, …). */
  textOnly: string;
  /** Ends every confirmation question, below the calls it shows. Names the yes and no words it accepts. */
  confirmHint: string;
  /** Opens the confirmation of the one write an AI step's model asked for. */
  confirmIntroOne: string;
  /** Opens the confirmation of several writes an AI step's model asked for. */
  confirmIntroMany: string;
  /** An answer a question cannot use; {question} is the question, asked again. */
  retry: string;
  /** A call in a confirmation when it has no readable label: {tool} and {server} are its ids. */
  callHeading: string;
  /** A call in a confirmation without arguments. */
  noDetails: string;
  /** One option of a choice question: {number} and {option}. */
  choiceOption: string;
  /** A new hand-off step's text (the editor writes it in; the owner may change it). */
  handoff: string;
  /** A confirmation question the editor adds before a write step, when it cannot word one from the tool. */
  confirmQuestion: string;
  /** The end step the editor adds on a confirmation's No exit. */
  declined: string;
  /** Said outside opening hours when the owner wrote nothing of their own. */
  away: string;
  /** Plain answers that mean yes (compared without case, accents or a final full stop). */
  yesWords: readonly string[];
  /** Plain answers that mean no. Anything that is neither is no too: only a plain yes confirms. */
  noWords: readonly string[];
}

/** The texts of a catalogue (the word lists aside). */
export type CustomerTextKey = {
  [K in keyof CustomerTexts]: CustomerTexts[K] extends string ? K : never;
}[keyof CustomerTexts];

/** The texts the runtime says, which an owner can word differently per bot (the yes words are extended by `confirmWords` instead). */
export const CUSTOMER_TEXT_KEYS: readonly CustomerTextKey[] = [
  'confirmHint',
  'confirmIntroOne',
  'confirmIntroMany',
  'callHeading',
  'noDetails',
  'retry',
  'choiceOption',
  'failure',
  'llmFallback',
  'knowledgeUnknown',
  'textOnly',
  'away',
];

/** Texts the editor writes into new steps in the flow's language (edited there, so not overridden per bot). */
export const STEP_DEFAULT_KEYS: readonly CustomerTextKey[] = ['handoff', 'confirmQuestion', 'declined'];

/** The placeholders each text may use (the settings check an override against these). */
export const TEXT_PLACEHOLDERS: Readonly<Partial<Record<CustomerTextKey, readonly string[]>>> = {
  retry: ['question'],
  callHeading: ['tool', 'server'],
  choiceOption: ['number', 'option'],
};

export type CustomerTextOverrides = Partial<Record<CustomerTextKey, string>>;

/** Fills {name} placeholders; an unknown one is left as written. */
export function fillText(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
}
