// The WhatsApp screen's part of the API contract (spread into apiMethods / apiEvents in
// api-contract.ts). Every method acts on the ACTIVE bot's WhatsApp number: link it (QR code or
// pairing code), choose the flow that answers, pause, read recent conversations, hand a
// conversation to a human and back. Nothing here ever carries Baileys' session keys.
import { z } from 'zod';
import { FlowIdSchema } from '../flow';
import { RunBlockerSchema } from '../run-blocker';
import { method } from './method';
import { whatsappPacingMethods } from './whatsapp-pacing';

/** Same rule as a flow id (kept here: api-contract.ts imports this file). */

/** A WhatsApp chat id as Baileys gives it (`31612345678@s.whatsapp.net`, `...@g.us`, `...@lid`). */
export const WaJidSchema = z.string().min(3).max(200).regex(/^[^\s@]+@[a-z.]+$/, 'a WhatsApp chat id looks like 31612345678@s.whatsapp.net');

/** `failed`: connecting could not go on (keychain, socket, no answer in time); `detail` says why and what to do. */
export const WaConnectionStateSchema = z.enum(['stopped', 'connecting', 'pairing', 'open', 'reconnecting', 'logged_out', 'replaced', 'failed']);
export type WaConnectionState = z.infer<typeof WaConnectionStateSchema>;

export const WaStatusSchema = z.object({
  bot: z.string(),
  state: WaConnectionStateSchema,
  /** What the state means for the owner, when the channel said more (why it closed, what to do). */
  detail: z.string().optional(),
  /** While pairing: the QR code to scan, as a PNG `data:` URL. */
  qrDataUrl: z.string().optional(),
  /** While pairing with a phone number: the 8-character code to type on the phone. */
  pairingCode: z.string().optional(),
  /** A session is stored: connecting resumes it without a new QR code. */
  linked: z.boolean(),
  /** The flow that answers customers; absent: messages are kept but not answered. */
  flowId: z.string().optional(),
  paused: z.boolean(),
  groupsEnabled: z.boolean(),
  /**
   * Why the chosen flow cannot answer now (checked against the servers' current tools before
   * every message, e.g. a tool changed since approval): customers get no answer until fixed.
   */
  flowProblems: z.array(RunBlockerSchema).optional(),
  /** The owner answering from their phone takes the chat over for this long (minutes). */
  ownerTakeoverMinutes: z.number().int(),
  /** Hand-offs are also sent to this WhatsApp number. */
  notifyOwnerNumber: z.string().optional(),
});
export type WaStatus = z.infer<typeof WaStatusSchema>;

export const WaTranscriptEntrySchema = z.object({
  id: z.number().int(),
  role: z.enum(['customer', 'bot']),
  text: z.string(),
  at: z.number(),
  delivered: z.boolean(),
});

export const WaConversationSchema = z.object({
  jid: z.string(),
  /** The name the customer gave in WhatsApp (pushName), when known. */
  name: z.string().optional(),
  /** The digits before the @ of a personal chat. */
  phone: z.string().optional(),
  flowId: z.string().optional(),
  /** The conversation's state in the runtime (active, waiting_confirmation, ended, handoff, failed). */
  status: z.string().optional(),
  /** A human took over: the bot stays silent in this chat until released. */
  takenOver: z.boolean(),
  /** Taken over by the owner answering from their phone: the bot answers again by itself then (ms). */
  takenOverUntil: z.number().optional(),
  /** The customer waits for a human since then (ms): listed first. */
  waitingSince: z.number().optional(),
  updatedAt: z.number(),
  /** The most recent messages, oldest first. */
  transcript: z.array(WaTranscriptEntrySchema),
});
export type WaConversation = z.infer<typeof WaConversationSchema>;

const empty = z.object({}).strict();
const byJid = z.object({ jid: WaJidSchema }).strict();

export const whatsappMethods = {
  /** Where the active bot's WhatsApp stands: connection, QR/pairing code, flow, pause, groups. */
  'whatsapp.status': method(empty, WaStatusSchema),
  /**
   * Connects the active bot (resuming a stored session, or pairing: a QR code arrives as the
   * `whatsapp.status` event). With `phoneNumber` (country code, digits) WhatsApp also gives a
   * pairing code to type on the phone instead of scanning. Already connected: nothing changes.
   */
  'whatsapp.connect': method(
    z
      .object({
        phoneNumber: z
          .string()
          .max(30)
          .regex(/^\+?[0-9 ()-]+$/, 'a phone number is digits with the country code, e.g. +31 6 12345678')
          .refine((p) => p.replace(/[^0-9]/g, '').length >= 7, 'a phone number has at least 7 digits with the country code')
          .optional(),
      })
      .strict(),
    WaStatusSchema,
  ),
  /** Closes the connection; the session stays stored (connect resumes it). */
  'whatsapp.disconnect': method(empty, WaStatusSchema),
  /** Unlinks this device from the WhatsApp account and deletes the session: the next connect pairs anew. */
  'whatsapp.logout': method(empty, WaStatusSchema),
  /** The flow that answers (NOT_FOUND: no such flow; CONFLICT: its file is broken); null: none answers. */
  'whatsapp.setFlow': method(z.object({ flowId: FlowIdSchema.nullable() }).strict(), WaStatusSchema),
  /** Paused: messages are read and kept, not answered. */
  'whatsapp.setPaused': method(z.object({ paused: z.boolean() }).strict(), WaStatusSchema),
  /**
   * The owner in the loop: how long the bot steps back when the owner answers from their phone,
   * and the number hand-offs are sent to (null: none). Refused with INVALID_INPUT saying what is wrong.
   */
  'whatsapp.setOwnerLoop': method(
    z
      .object({
        ownerTakeoverMinutes: z.number().int().min(1, 'the bot steps back for at least 1 minute').max(10_080, 'the bot steps back for at most 10080 minutes (a week)'),
        notifyOwnerNumber: z
          .string()
          .max(30)
          .regex(/^\+?[0-9 ()-]+$/, 'a phone number is digits with the country code, e.g. +31 6 12345678')
          .refine((p) => p.replace(/[^0-9]/g, '').length >= 7, 'a phone number has at least 7 digits with the country code')
          .nullable(),
      })
      .strict(),
    WaStatusSchema,
  ),
  /** Recent customers, waiting for a human first, then most recent first, each with the last messages of their conversation. */
  'whatsapp.conversations': method(
    z
      .object({
        limit: z.number().int().min(1).max(200).default(30),
        messages: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
    z.object({ conversations: z.array(WaConversationSchema) }),
  ),
  /** A human answers this customer from now on: the bot stays silent there (NOT_FOUND: no such customer). */
  'whatsapp.takeOver': method(byJid, WaConversationSchema),
  /** The bot answers this customer again (a conversation a handoff step ended starts afresh). */
  'whatsapp.release': method(byJid, WaConversationSchema),
  ...whatsappPacingMethods,
} as const;

export const whatsappEvents = {
  /** The active or another bot's connection changed, or a new QR / pairing code is to be shown. */
  'whatsapp.status': WaStatusSchema,
  /** A customer message of the bot was handled (answered, kept for a human, ...): conversations changed. */
  'whatsapp.activity': z.object({ bot: z.string() }),
  /** A customer began to wait for a human (the flow handed over, or they wrote in a taken-over chat): a desktop notification. */
  'whatsapp.handoff': z.object({
    bot: z.string(),
    jid: z.string(),
    name: z.string().optional(),
    reason: z.enum(['handoff', 'waiting']),
    /** The customer's last message. */
    text: z.string(),
    /** The notice in the bot's language (what the Electron main process shows as a desktop notification). */
    message: z.string(),
    at: z.number(),
  }),
} as const;
