// Which upserted WhatsApp messages the bot answers, and what they say. Pure.
import { isJidBroadcast, isJidGroup, isJidNewsletter, isJidStatusBroadcast, jidNormalizedUser, normalizeMessageContent, proto, toNumber, type WAMessage } from 'baileys';

export type InboundDecision =
  | { kind: 'ignore'; reason: 'own' | 'group' | 'status' | 'broadcast' | 'no-content' | 'protocol' }
  /** Baileys could not decrypt it ("Bad MAC", ...): it asks the phone again; the retry comes with the same key. */
  | { kind: 'undecryptable'; jid: string; why: string }
  | {
      kind: 'text' | 'unsupported';
      key: string;
      jid: string;
      text: string;
      pushName?: string;
      what?: string;
      /** WhatsApp's messageTimestamp (whole seconds) in ms; absent when the message carries none. */
      sentAt?: number;
      /** In a group: the participant who wrote it. */
      participant?: string;
      /** The other address of the chat (remoteJidAlt) or of the participant (participantAlt): a LID for a PN, or the reverse. */
      jidAlt?: string;
      participantAlt?: string;
    };

/** Message content types that carry no customer words (receipts, key distribution, edits' shells). */
const PROTOCOL_TYPES = new Set(['protocolMessage', 'senderKeyDistributionMessage', 'messageContextInfo', 'reactionMessage', 'pollUpdateMessage']);

export function classifyInbound(message: WAMessage, options: { groupsEnabled: boolean }): InboundDecision {
  const key = message.key;
  const remote = key.remoteJid ?? undefined;
  if (key.fromMe) return { kind: 'ignore', reason: 'own' };
  if (!remote || !key.id) return { kind: 'ignore', reason: 'no-content' };
  if (isJidStatusBroadcast(remote)) return { kind: 'ignore', reason: 'status' };
  if (isJidBroadcast(remote) || isJidNewsletter(remote)) return { kind: 'ignore', reason: 'broadcast' };
  const group = isJidGroup(remote) === true;
  if (group && !options.groupsEnabled) return { kind: 'ignore', reason: 'group' };
  const jid = group ? remote : jidNormalizedUser(remote);
  // Not recorded (the key stays unseen): the message sent again must not be taken for a replay.
  if (message.messageStubType === proto.WebMessageInfo.StubType.CIPHERTEXT) {
    return { kind: 'undecryptable', jid, why: message.messageStubParameters?.[0] ?? 'no reason given' };
  }
  // Disappearing, view-once and edited messages wrap the real content: unwrap it first.
  const content = normalizeMessageContent(message.message);
  if (!content) return { kind: 'ignore', reason: 'no-content' };
  const types = Object.keys(content).filter((t) => content[t as keyof typeof content] != null);
  if (types.length > 0 && types.every((t) => PROTOCOL_TYPES.has(t))) return { kind: 'ignore', reason: 'protocol' };
  // A participant in a group has its own key space: the key names the chat, the sender and the id.
  const dedupeKey = `${remote}|${key.participant ?? ''}|${key.id}`;
  const pushName = message.pushName ?? undefined;
  const text = content.conversation ?? content.extendedTextMessage?.text ?? undefined;
  const seconds = toNumber(message.messageTimestamp);
  const base = {
    key: dedupeKey,
    jid,
    ...(pushName ? { pushName } : {}),
    ...(Number.isFinite(seconds) && seconds > 0 ? { sentAt: seconds * 1000 } : {}),
    ...(group && key.participant ? { participant: jidNormalizedUser(key.participant) } : {}),
    ...(!group && key.remoteJidAlt ? { jidAlt: jidNormalizedUser(key.remoteJidAlt) } : {}),
    ...(group && key.participantAlt ? { participantAlt: jidNormalizedUser(key.participantAlt) } : {}),
  };
  if (typeof text === 'string' && text.trim() !== '') return { kind: 'text', ...base, text };
  return { kind: 'unsupported', ...base, text: '', what: types.filter((t) => !PROTOCOL_TYPES.has(t)).join(',') || 'unknown' };
}
