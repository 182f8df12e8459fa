// The part of a Baileys socket the channel uses, and the factory that makes one. Production:
// makeWASocket; tests: a scripted socket with the same shape whose `ev` emits Baileys' real
// event payloads (BaileysEventMap). Nothing else of Baileys' huge socket is relied upon.
import type { LidMappingLookup } from './identity-resolver';
import makeWASocket, { Browsers, type AuthenticationState, type BaileysEventEmitter, type CacheStore, type SocketConfig, type WAMessage, type WAPresence } from 'baileys';

export interface WaSocket {
  ev: Pick<BaileysEventEmitter, 'on' | 'off'>;
  /** Resolves to the sent message (its key.id is WhatsApp's id for it). */
  sendMessage(jid: string, content: { text: string }): Promise<WAMessage | undefined>;
  sendPresenceUpdate(type: WAPresence, toJid?: string): Promise<void>;
  requestPairingCode(phoneNumber: string): Promise<string>;
  logout(msg?: string): Promise<void>;
  end(error: Error | undefined): void | Promise<void>;
  /** Baileys' LID <-> phone-number mapping store (identity-resolver.ts); absent: only message keys and events tell. */
  signalRepository?: { lidMapping: LidMappingLookup };
}

/**
 * What the channel gives every socket it makes. getMessage: WhatsApp asks again for a message
 * a phone could not decrypt; Baileys re-sends what this returns (undefined: it cannot).
 * msgRetryCounterCache: how often each message was retried; the channel keeps one for all its
 * sockets so the count survives a reconnect.
 */
export type SocketOptions = Pick<SocketConfig, 'getMessage'> & { msgRetryCounterCache: CacheStore };

export type SocketFactory = (auth: AuthenticationState, options: SocketOptions) => WaSocket;

/** Baileys logs a great deal (pino); the channel reports what matters through its own events. */
const quietLogger = {
  level: 'silent',
  child: () => quietLogger,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export const baileysSocketFactory: SocketFactory = (auth, options) =>
  makeWASocket({
    auth,
    ...options,
    logger: quietLogger,
    browser: Browsers.appropriate('Flowbot Studio'),
    markOnlineOnConnect: false,
    syncFullHistory: false,
  });
