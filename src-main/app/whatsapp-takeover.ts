// A human in a customer's WhatsApp conversation: the one implementation of take over and
// release (the service and the studio's screen both use it), and the rules of the owner in the
// loop:
// - Taken over (the screen's Take over, a flow's hand-off step): the bot is silent in that chat
//   until released.
// - The owner answers from their own phone: the bot steps back for `ownerTakeoverMinutes` from
//   that message (each answer extends it); then it answers again by itself. A takeover without
//   an end (above) is never shortened by this.
// - Waiting for a human: since a hand-off, or since the customer wrote while taken over and no
//   human answered yet; an answer from the owner's phone or a release ends it. The owner is told
//   when a wait begins (once per wait), and the screen lists waiting conversations first.
import type { CustomerRow, WhatsAppStore } from '../adapters/whatsapp/whatsapp-store';

/** Conversation states after which the customer's next message starts afresh. */
export const FINISHED_STATES: ReadonlySet<string> = new Set(['ended', 'failed', 'handoff']);

/** Whether a human has this chat at `now` (a timed takeover ends by itself). */
export const isTakenOver = (customer: Pick<CustomerRow, 'takenOver' | 'takenOverUntil'> | undefined, now: number): boolean =>
  customer?.takenOver === true && (customer.takenOverUntil === undefined || now < customer.takenOverUntil);

/** A takeover whose time ran out: the bot answers again (released like the screen's Release). */
export const takeoverExpired = (customer: Pick<CustomerRow, 'takenOver' | 'takenOverUntil'> | undefined, now: number): boolean =>
  customer?.takenOver === true && !isTakenOver(customer, now);

type Store = Pick<WhatsAppStore, 'customer' | 'setTakenOver' | 'setWaiting' | 'clearConversation'>;

/** A human has the chat until released. */
export async function takeOver(store: Store, bot: string, jid: string, at: number): Promise<void> {
  await store.setTakenOver(bot, jid, true, at);
}

/**
 * The owner answered from their phone at `at`: the bot steps back until `at + minutes` (never
 * shortening a takeover that has no end or ends later); nobody waits for a human any more.
 */
export async function ownerAnswered(store: Store, bot: string, jid: string, at: number, minutes: number): Promise<void> {
  const customer = await store.customer(bot, jid);
  const until = at + minutes * 60_000;
  const open = customer?.takenOver === true && customer.takenOverUntil === undefined;
  if (!open) await store.setTakenOver(bot, jid, true, at, Math.max(until, customer?.takenOver ? (customer.takenOverUntil ?? 0) : 0));
  await store.setWaiting(bot, jid, undefined);
}

/** The bot answers again; a conversation that had finished (a hand-off step) is over: the next message starts afresh. */
export async function release(
  store: Store,
  conversationStatus: (conversationId: string) => Promise<string | undefined>,
  bot: string,
  jid: string,
  at: number,
): Promise<void> {
  await store.setTakenOver(bot, jid, false, at);
  const conversationId = (await store.customer(bot, jid))?.conversationId;
  const status = conversationId ? await conversationStatus(conversationId) : undefined;
  if (status && FINISHED_STATES.has(status)) await store.clearConversation(bot, jid, at);
}

/** Waiting conversations first (the longest waiting on top), then the others as they came (most recent first). */
export function waitingFirst<T extends { waitingSince?: number; updatedAt: number }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => {
    if ((a.waitingSince !== undefined) !== (b.waitingSince !== undefined)) return a.waitingSince !== undefined ? -1 : 1;
    if (a.waitingSince !== undefined && b.waitingSince !== undefined && a.waitingSince !== b.waitingSince) return a.waitingSince - b.waitingSince;
    return b.updatedAt - a.updatedAt;
  });
}
