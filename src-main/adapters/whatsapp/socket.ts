// The part of a Baileys socket the channel uses, and the factory that makes one. Production:
// makeWASocket; tests: a scripted socket with the same shape whose `ev` emits Baileys' real
// event payloads (BaileysEventMap). Nothing else of Baileys' huge socket is relied upon.
import makeWASocket, { Browsers, type AuthenticationState, type BaileysEventEmitter, type WAPresence } from 'baileys';

export interface WaSocket {
  ev: Pick<BaileysEventEmitter, 'on' | 'off'>;
  sendMessage(jid: string, content: { text: string }): Promise<unknown>;
  sendPresenceUpdate(type: WAPresence, toJid?: string): Promise<void>;
  requestPairingCode(phoneNumber: string): Promise<string>;
  logout(msg?: string): Promise<void>;
  end(error: Error | undefined): void | Promise<void>;
}

export type SocketFactory = (auth: AuthenticationState) => WaSocket;

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

export const baileysSocketFactory: SocketFactory = (auth) =>
  makeWASocket({
    auth,
    logger: quietLogger,
    browser: Browsers.appropriate('Flowbot Studio'),
    markOnlineOnConnect: false,
    syncFullHistory: false,
  });
