// A message the linked account sent itself (fromMe) in a customer's chat: the bot's own replies
// come back this way too, and so do the owner's answers typed on their phone. This only says
// whether an upserted message is such a candidate; the channel then tells the two apart by the
// outbound store's WhatsApp ids (what the bot sent). Pure.
import { isJidBroadcast, isJidGroup, isJidNewsletter, isJidStatusBroadcast, jidNormalizedUser, normalizeMessageContent, toNumber, type WAMessage } from 'baileys';

export interface OwnMessage {
  jid: string;
  /** WhatsApp's id of the message. */
  id: string;
  /** When it was sent (WhatsApp's timestamp, ms), when it carries one. */
  sentAt?: number;
}

/** Content that is no answer to a customer (receipts, keys, reactions, poll votes). */
const NOT_AN_ANSWER = new Set(['protocolMessage', 'senderKeyDistributionMessage', 'messageContextInfo', 'reactionMessage', 'pollUpdateMessage']);

export function ownMessageOf(message: WAMessage, options: { groupsEnabled: boolean }): OwnMessage | undefined {
  const { key } = message;
  const remote = key.remoteJid ?? undefined;
  if (!key.fromMe || !remote || !key.id) return undefined;
  if (isJidStatusBroadcast(remote) || isJidBroadcast(remote) || isJidNewsletter(remote)) return undefined;
  const group = isJidGroup(remote) === true;
  if (group && !options.groupsEnabled) return undefined;
  const content = normalizeMessageContent(message.message);
  if (!content) return undefined;
  const types = Object.keys(content).filter((t) => content[t as keyof typeof content] != null);
  if (types.length === 0 || types.every((t) => NOT_AN_ANSWER.has(t))) return undefined;
  const seconds = toNumber(message.messageTimestamp);
  return { jid: group ? remote : jidNormalizedUser(remote), id: key.id, ...(Number.isFinite(seconds) && seconds > 0 ? { sentAt: seconds * 1000 } : {}) };
}
