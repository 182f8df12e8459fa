// What the bot itself says to customers when the flow cannot (a failure, a model that ran out
// of rounds, a message it cannot read). One place, so the language catalogues (DESIGN §8) can
// replace them together. None of them ever carries an error's detail: that goes to the trace,
// the audit log and the owner, never to the customer.

/** A conversation failed (a tool, the model, a server or the studio itself): the customer is told only this. */
export const FAILURE_REPLY = 'Sorry, something went wrong on our side. Please try again later.';

/** An AI step used up its tool rounds without an answer. */
export const LLM_FALLBACK_REPLY = 'Sorry, I could not finish this. A colleague will help you.';

/** A WhatsApp message that is not text (an image, a voice note, …). */
export const TEXT_ONLY_REPLY = 'Sorry, I can only read text messages. Please write your question in words.';

/** Ends every confirmation question, below the calls it shows. */
export const CONFIRM_HINT = 'Reply YES to confirm or NO to cancel.';

/** Opens the confirmation of the writes an AI step's model asked for. */
export const llmConfirmIntro = (calls: number): string => (calls === 1 ? 'Before I do this, please confirm:' : 'Before I do these, please confirm:');

/** An answer a question cannot use, before the question is asked again (unless the step has its own retry text). */
export const retryReply = (question: string): string => `Sorry, I didn't get that. ${question}`;

/** How a call is named in a confirmation (its arguments follow, one per line, as sent). */
export const CALL_TEXTS = {
  action: (tool: string, server: string): string => `Action: ${tool} (${server})`,
  noDetails: '• (no details)',
};
