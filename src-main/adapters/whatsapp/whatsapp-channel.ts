// One bot's WhatsApp connection over a socket factory (Baileys' makeWASocket in production, a
// scripted socket in tests): the connection state machine, the reconnect policy, the durable
// inbound log (dedupe on the message key) and the durable outbound queue.
//
// States: stopped -> connecting -> (pairing: a QR / pairing code is shown) -> open.
// Connecting fails (failed, saying why and what to do) when the session cannot be read (the
// keychain), the socket cannot be made, or WhatsApp does not answer within connectTimeoutMs.
// On close: 515 -> connecting again at once; 401 -> auth cleared, logged_out (pair again);
// 440 -> replaced (stopped; another client has the session); else reconnecting after a
// full-jitter backoff. Replies are queued in SQLite and sent in order while open; a send that
// fails stays queued and is retried (after a reconnect at the latest).
//
// Messages that arrived while the bot was offline come as an 'append' upsert: they are answered
// like live ones, in arrival order, each once (the inbound log's key). A message Baileys could
// not decrypt is left to Baileys' retry (decrypt-failure-policy.ts); a phone that could not
// decrypt one of ours gets it again from the outbound queue (getMessage).
import { toDataURL } from 'qrcode';
import type { BaileysEventMap, CacheStore, proto, WAMessageKey, WAPresence } from 'baileys';
import type { Clock, SecretsPort } from '../../runtime/ports';
import { KeychainUnavailableError } from '../secrets/keychain-error';
import { clearAuthState, openEncryptedAuthState, type EncryptedAuthState } from './encrypted-auth-state';
import { decideOnDecryptFailure, isExpired, type FailureWindow } from './decrypt-failure-policy';
import { classifyInbound, type InboundDecision } from './inbound';
import { IdentityResolver } from './identity-resolver';
import { ownMessageOf, type OwnMessage } from './owner-message';
import { SendPacer, type PacingLimits } from './send-pacer';
import { createRetryCounterCache } from './retry-counter-cache';
import { DEFAULT_BACKOFF, decideOnClose, statusCodeOf, type BackoffOptions } from './reconnect-policy';
import type { SocketFactory, WaSocket } from './socket';
import type { InboundRow, OutboundQuestion, OutboundRow, WhatsAppStore } from './whatsapp-store';

export type ChannelStatus = 'stopped' | 'connecting' | 'pairing' | 'open' | 'reconnecting' | 'logged_out' | 'replaced' | 'failed';

/** Why connecting failed, for the owner: what happened and what to do (the technical cause goes to the log). */
export const CONNECT_FAILED = {
  keychain: 'The keychain that keeps the WhatsApp session key cannot be used (it is locked or not running). Unlock it (log in to the desktop session), then press Connect again.',
  session: (why: string) => `The stored WhatsApp session could not be read (${why}). Press Connect again; if it keeps failing, log out and link the phone again.`,
  socket: (why: string) => `WhatsApp could not be reached (${why}). Check the internet connection, then press Connect again.`,
  timeout: (ms: number) => `WhatsApp did not answer within ${Math.round(ms / 1000)} seconds. Check the internet connection, then press Connect again.`,
};

/**
 * WhatsApp dates messages in whole seconds: a customer message stamped with the second in which
 * a question went out may have been sent before it. So a question counts as delivered at the
 * start of the second after its send acknowledgement.
 */
export const deliveredAtNextSecond = (ms: number): number => (Math.floor(ms / 1000) + 1) * 1000;

export type ChannelEvent =
  | { type: 'status'; status: ChannelStatus; detail?: string }
  | { type: 'qr'; qr: string; dataUrl: string }
  | { type: 'pairing_code'; code: string }
  | { type: 'ignored'; reason: string; jid?: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

export interface WhatsAppChannelDeps {
  bot: string;
  store: WhatsAppStore;
  secrets: SecretsPort;
  socketFactory: SocketFactory;
  clock: Clock;
  /** Read on every message: the owner may switch groups on and off while connected. */
  groupsEnabled: () => boolean;
  /** A new (never seen) customer message, already persisted in wa_inbound. */
  onInbound: (row: InboundRow) => void;
  onEvent?: (event: ChannelEvent) => void;
  backoff?: BackoffOptions;
  /** How long a failed send waits before it is tried again while connected (default 2 s). */
  sendRetryMs?: number;
  /** A confirmation question was sent (WhatsApp acknowledged it) at `at` (ms, rounded up to the next whole second). */
  onQuestionSent?: (sent: OutboundQuestion & { jid: string; at: number }) => void;
  /** How long connecting may take before it fails, saying why (default 60 s): until a QR code, the open connection or a close. */
  connectTimeoutMs?: number;
  /** The owner wrote in a chat from their own phone (a fromMe message the bot did not send). */
  onOwnerMessage?: (message: OwnMessage) => void;
  /** How fast replies may go out (read before every batch: the owner may change it); none: unpaced. */
  pacing?: () => PacingLimits | undefined;
  /**
   * Several `flowbot serve` instances: asked before every send whether this instance still holds
   * the bot's lease (app/scale-out/bot-ownership.ts). No: nothing is sent (the reply stays queued
   * for the holder) and the connection stops.
   */
  fence?: { holds(): Promise<boolean> };
}

const SEND_BATCH = 200;
/** Beyond this many customers with a failure window, the expired windows are forgotten. */
const MAX_FAILURE_WINDOWS = 1_000;

export class WhatsAppChannel {
  private current: ChannelStatus = 'stopped';
  private detail: string | undefined;
  private socket: WaSocket | undefined;
  private auth: EncryptedAuthState | undefined;
  /** Bumped on every new socket: events of an older socket are ignored. */
  private generation = 0;
  private failedAttempts = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private flushAgain = false;
  /** The owner wants a connection (start() until stop()/logout()): checked after every await of a connect. */
  private wanted = false;
  private starting: Promise<void> | undefined;
  private lastQr: { qr: string; dataUrl: string } | undefined;
  /** One for every socket of this channel: a retry count survives a reconnect. */
  private readonly retryCounters: CacheStore;
  private readonly decryptFailures = new Map<string, FailureWindow>();
  /** fromMe messages not yet told apart (the bot's own, or the owner's). */
  private readonly ownChecks = new Set<Promise<void>>();
  private readonly identities: IdentityResolver;
  private pacer: SendPacer | undefined;
  /** Ends the wait for the pace early (stop, logout, close). */
  private wakePaced: (() => void) | undefined;
  /** Inbound messages waiting on an identity lookup: later ones wait behind them (arrival order). */
  private receiving: Promise<void> | undefined;

  constructor(private readonly deps: WhatsAppChannelDeps) {
    this.retryCounters = createRetryCounterCache({ clock: deps.clock });
    this.identities = new IdentityResolver({ bot: deps.bot, store: deps.store, clock: deps.clock });
  }

  get status(): ChannelStatus {
    return this.current;
  }

  snapshot(): { status: ChannelStatus; detail?: string; qr?: { qr: string; dataUrl: string } } {
    return {
      status: this.current,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(this.current === 'pairing' && this.lastQr ? { qr: this.lastQr } : {}),
    };
  }

  /** Connects (pairing first when no session is stored). A no-op while connecting or open. */
  async start(): Promise<void> {
    if (this.socket || this.reconnectTimer) return;
    if (this.starting) return this.starting; // two quick starts make one socket
    this.wanted = true;
    this.failedAttempts = 0;
    this.starting = this.connect().finally(() => (this.starting = undefined));
    return this.starting;
  }

  /** Closes the socket; the session stays stored (start() again resumes it). */
  async stop(): Promise<void> {
    this.wanted = false;
    this.clearTimers();
    await this.starting?.catch(() => undefined);
    await this.dropSocket();
    this.setStatus('stopped');
  }

  /** Unlinks the device (when connected) and forgets the session: the next start() pairs anew. */
  async logout(): Promise<void> {
    this.wanted = false;
    this.clearTimers();
    await this.starting?.catch(() => undefined);
    const sock = this.socket;
    this.generation++; // the close that logout() causes is ours, not a reason to reconnect
    this.socket = undefined;
    if (sock) {
      await sock.logout().catch((err: unknown) => this.log('warn', `logout on WhatsApp failed (the session is forgotten here anyway): ${messageOf(err)}`));
      await Promise.resolve(sock.end(undefined)).catch(() => undefined);
    }
    await this.forgetSession();
    this.setStatus('logged_out', 'Logged out: pair the phone again.');
  }

  /** Asks WhatsApp for an 8-character code to type on the phone instead of scanning the QR. */
  async requestPairingCode(phoneNumber: string): Promise<string> {
    const digits = phoneNumber.replace(/[^0-9]/g, '');
    if (digits.length < 6) throw new Error(`"${phoneNumber}" is not a phone number: give it with the country code, digits only (e.g. 31612345678).`);
    if (!this.socket || (this.current !== 'pairing' && this.current !== 'connecting')) {
      throw new Error(`A pairing code can only be asked for while pairing (the connection is ${this.current}).`);
    }
    const code = await this.socket.requestPairingCode(digits);
    this.emit({ type: 'pairing_code', code });
    return code;
  }

  /** Queues a reply durably and sends what is queued if connected; `question`: reported through onQuestionSent once sent. */
  async enqueue(jid: string, text: string, question?: OutboundQuestion): Promise<number> {
    const id = await this.deps.store.enqueue(this.deps.bot, jid, text, this.deps.clock.now(), question);
    this.flush();
    return id;
  }

  /** The typing indicator; best effort (a lost "composing" is no reason to fail a reply). */
  async presence(jid: string, type: Extract<WAPresence, 'composing' | 'paused'>): Promise<void> {
    if (this.current !== 'open' || !this.socket) return;
    await this.socket.sendPresenceUpdate(type, jid).catch(() => undefined);
  }

  /** Sends the queued replies in order (one customer's strictly in order), at the pace the settings allow. */
  flush(): Promise<void> {
    if (this.flushing) {
      this.flushAgain = true;
      return this.flushing;
    }
    // A store that fails (closed, busy) is logged; the queue stays and is tried on the next flush.
    this.flushing = this.drain()
      .catch((err: unknown) => this.log('error', `sending queued replies failed: ${messageOf(err)}`))
      .finally(() => {
        this.flushing = undefined;
        if (this.flushAgain) {
          this.flushAgain = false;
          void this.flush();
        }
      });
    return this.flushing;
  }

  /** Resolves once nothing is left to send or the connection is not open. */
  async idle(): Promise<void> {
    while (this.flushing || this.receiving) await (this.receiving ?? this.flushing);
  }

  /** Resolves once every fromMe message seen so far was told apart (and the owner's reported). */
  async ownMessagesChecked(): Promise<void> {
    while (this.ownChecks.size > 0) await Promise.all([...this.ownChecks]);
  }

  private async drain(): Promise<void> {
    const { store, bot } = this.deps;
    for (;;) {
      const sock = this.socket;
      if (this.current !== 'open' || !sock) return;
      const rows = await store.pending(bot, SEND_BATCH);
      if (rows.length === 0) return;
      const limits = this.deps.pacing?.();
      const paced = limits ? await this.sendPaced(rows, sock, limits) : { failed: await this.sendAll(rows, sock), waitMs: 0 };
      if (paced.failed) {
        this.log('warn', 'a reply could not be sent; it stays queued and is retried');
        this.retryTimer ??= setTimeout(() => {
          this.retryTimer = undefined;
          void this.flush();
        }, this.deps.sendRetryMs ?? 2_000);
        this.retryTimer.unref?.();
        return;
      }
      if (paced.waitMs > 0) await this.pause(paced.waitMs);
    }
  }

  /**
   * Sends in queue order as fast as the pace allows (send-pacer.ts): a customer whose reply must
   * wait holds back their later ones (never overtaken); others go on. Returns how long to wait
   * for the next one that may go (0: none waits).
   */
  private async sendPaced(rows: OutboundRow[], sock: WaSocket, limits: PacingLimits): Promise<{ failed: boolean; waitMs: number }> {
    const pacer = (this.pacer ??= new SendPacer(limits));
    pacer.setLimits(limits);
    const held = new Set<string>();
    let failed = false;
    let waitMs = Infinity;
    for (const row of rows) {
      if (this.current !== 'open' || this.socket !== sock) return { failed, waitMs: 0 };
      if (held.has(row.jid)) continue;
      const wait = pacer.take(row.jid, this.deps.clock.now());
      if (wait > 0) {
        held.add(row.jid);
        waitMs = Math.min(waitMs, wait);
        continue;
      }
      if (!(await this.sendOne(row, sock))) {
        held.add(row.jid);
        failed = true;
      }
    }
    return { failed, waitMs: waitMs === Infinity ? 0 : waitMs };
  }

  /** Waits `ms` (the pace), or less when the channel stops. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => wake(), ms);
      timer.unref?.();
      const wake = () => {
        clearTimeout(timer);
        if (this.wakePaced === wake) this.wakePaced = undefined;
        resolve();
      };
      this.wakePaced = wake;
    });
  }

  /** Sends one queued reply; false when it failed (it stays queued, counted as an attempt). */
  private async sendOne(row: OutboundRow, sock: WaSocket): Promise<boolean> {
    const { store, fence } = this.deps;
    if (fence && !(await fence.holds().catch(() => false))) {
      this.emit({ type: 'log', level: 'warn', message: 'this instance no longer holds the bot: its connection stops, the reply stays queued for the instance that does' });
      void this.stop();
      return false;
    }
    try {
      const sent = await sock.sendMessage(row.jid, { text: row.text });
      const at = this.deps.clock.now();
      await store.markSent(row.id, at, sent?.key.id ?? undefined);
      if (row.question) this.deps.onQuestionSent?.({ jid: row.jid, ...row.question, at: deliveredAtNextSecond(at) });
      return true;
    } catch (err) {
      await store.markFailed(row.id, messageOf(err));
      return false;
    }
  }

  /** Unpaced: customers in parallel, each one's replies strictly in order. True when one failed. */
  private async sendAll(rows: OutboundRow[], sock: WaSocket): Promise<boolean> {
    const byJid = new Map<string, OutboundRow[]>();
    for (const row of rows) byJid.set(row.jid, [...(byJid.get(row.jid) ?? []), row]);
    let failed = false;
    await Promise.all(
      [...byJid.values()].map(async (list) => {
        for (const row of list) {
          // Stop this customer here: a later reply must never overtake this one.
          if (!(await this.sendOne(row, sock))) {
            failed = true;
            return;
          }
        }
      }),
    );
    return failed;
  }

  private async connect(): Promise<void> {
    if (!this.wanted) return;
    this.setStatus('connecting');
    try {
      this.auth ??= await openEncryptedAuthState(this.deps);
    } catch (error) {
      return this.failConnecting(error instanceof KeychainUnavailableError ? CONNECT_FAILED.keychain : CONNECT_FAILED.session(messageOf(error)), error);
    }
    if (!this.wanted) return; // stopped while the session was being read
    const generation = ++this.generation;
    let sock: WaSocket;
    try {
      sock = this.deps.socketFactory(this.auth.state, {
        getMessage: async (key) => this.sentMessage(key),
        msgRetryCounterCache: this.retryCounters,
      });
    } catch (error) {
      return this.failConnecting(CONNECT_FAILED.socket(messageOf(error)), error);
    }
    this.socket = sock;
    const timeoutMs = this.deps.connectTimeoutMs ?? 60_000;
    this.connectTimer = setTimeout(() => {
      this.connectTimer = undefined;
      if (generation !== this.generation) return;
      void this.dropSocket().then(() => this.failConnecting(CONNECT_FAILED.timeout(timeoutMs)));
    }, timeoutMs);
    this.connectTimer.unref?.();
    const mine = () => generation === this.generation;
    sock.ev.on('connection.update', (update) => {
      if (mine()) void this.onConnectionUpdate(update, generation).catch((err: unknown) => this.log('error', `handling a connection change failed: ${messageOf(err)}`));
    });
    sock.ev.on('creds.update', (update) => {
      if (!mine() || !this.auth) return;
      // Baileys merges the update into creds itself; merging again is harmless and makes a scripted socket behave the same.
      Object.assign(this.auth.state.creds, update);
      this.auth.saveCreds().catch((err: unknown) => this.log('error', `saving the WhatsApp session failed: ${messageOf(err)}`));
    });
    sock.ev.on('messages.upsert', (upsert) => {
      if (mine()) this.onUpsert(upsert, sock);
    });
    // WhatsApp pairs a LID with a phone number (a contact synced, a chat's number shared).
    sock.ev.on('lid-mapping.update', ({ lid, pn }) => {
      if (mine()) void this.learnIdentity(lid, pn);
    });
    sock.ev.on('messaging-history.set', ({ lidPnMappings }) => {
      if (mine()) for (const { lid, pn } of lidPnMappings ?? []) void this.learnIdentity(lid, pn);
    });
  }

  private learnIdentity(lid: string, pn: string): Promise<void> {
    return this.identities.learn(lid, pn).catch((err: unknown) => this.log('error', `recording that ${lid} is ${pn} failed: ${messageOf(err)}`));
  }

  private async onConnectionUpdate(update: BaileysEventMap['connection.update'], generation: number): Promise<void> {
    // WhatsApp answered: connecting did not hang.
    if (update.qr || update.connection === 'open' || update.connection === 'close') this.clearConnectTimer();
    if (update.qr) {
      const dataUrl = await toDataURL(update.qr, { margin: 1, width: 264 });
      if (generation !== this.generation) return;
      this.lastQr = { qr: update.qr, dataUrl };
      this.setStatus('pairing', 'Scan the QR code with WhatsApp on the phone (Linked devices), or use a pairing code.');
      this.emit({ type: 'qr', ...this.lastQr });
    }
    if (update.connection === 'open') {
      this.failedAttempts = 0;
      this.lastQr = undefined;
      this.setStatus('open');
      void this.flush();
    } else if (update.connection === 'close') {
      await this.onClose(statusCodeOf(update.lastDisconnect?.error), messageOf(update.lastDisconnect?.error));
    }
  }

  private async onClose(code: number | undefined, reason: string): Promise<void> {
    const decision = decideOnClose(code, this.failedAttempts, this.deps.backoff ?? DEFAULT_BACKOFF);
    const sock = this.socket;
    this.socket = undefined;
    this.generation++;
    if (sock) await Promise.resolve(sock.end(undefined)).catch(() => undefined);
    switch (decision.kind) {
      case 'restart':
        this.log('info', 'WhatsApp asked for a restart (after pairing): reconnecting now');
        await this.connect();
        return;
      case 'logged_out':
        await this.forgetSession();
        this.setStatus('logged_out', 'WhatsApp logged this device out: pair the phone again.');
        return;
      case 'replaced':
        this.setStatus('replaced', 'Another WhatsApp Web session took over this number: the bot stopped. Close the other session, then start the bot again.');
        return;
      case 'backoff':
        this.failedAttempts++;
        this.setStatus('reconnecting', `Connection closed (${code ?? 'no code'}: ${reason}); trying again in ${Math.round(decision.delayMs / 100) / 10} s`);
        this.reconnectTimer = setTimeout(() => {
          this.reconnectTimer = undefined;
          void this.connect().catch((err: unknown) => this.log('error', `reconnecting failed: ${messageOf(err)}`));
        }, decision.delayMs);
        return;
    }
  }

  /** A reply we sent, as Baileys sent it ({ text } goes out as an extendedTextMessage); undefined when unknown. */
  private async sentMessage(key: WAMessageKey): Promise<proto.IMessage | undefined> {
    if (!key.id) return undefined;
    const row = await this.deps.store.sentMessage(this.deps.bot, key.id);
    return row ? { extendedTextMessage: { text: row.text } } : undefined;
  }

  private onUpsert(upsert: BaileysEventMap['messages.upsert'], sock: WaSocket): void {
    // 'notify': live; 'append': what arrived while we were offline (Baileys marks it so), our own
    // phone's and our sent messages (fromMe: ignored by classifyInbound). History comes elsewhere.
    if (upsert.type !== 'notify' && upsert.type !== 'append') return;
    // A settings file that cannot be read must not lose the messages: groups stay off then.
    let groupsEnabled = false;
    try {
      groupsEnabled = this.deps.groupsEnabled();
    } catch (error) {
      this.log('error', `the WhatsApp settings could not be read (groups stay off): ${error instanceof Error ? error.message : String(error)}`);
    }
    const messages = upsert.messages;
    const work = () => this.receive(messages, groupsEnabled, sock);
    // In arrival order: one batch is recorded (identities looked up, rows stored) before the next.
    const run = this.receiving ? this.receiving.then(work) : work();
    const chained: Promise<void> = run
      .catch((err: unknown) => this.log('error', `receiving messages failed: ${messageOf(err)}`))
      .finally(() => {
        if (this.receiving === chained) this.receiving = undefined;
      });
    this.receiving = chained;
  }

  /** Records and hands on each message, in order (one that waits on an identity lookup holds back the rest). */
  private async receive(messages: BaileysEventMap['messages.upsert']['messages'], groupsEnabled: boolean, sock: WaSocket): Promise<void> {
    for (const message of messages) {
      const own = this.deps.onOwnerMessage ? ownMessageOf(message, { groupsEnabled }) : undefined;
      if (own) {
        // The owner's chat with a customer, under the customer's key (their LID when known).
        const check = this.identities.keyOf(own.jid).then((jid) => this.onOwnMessage({ ...own, jid }));
        this.ownChecks.add(check);
        void check.finally(() => this.ownChecks.delete(check));
      }
      const decision = classifyInbound(message, { groupsEnabled });
      if (decision.kind === 'undecryptable') {
        this.onDecryptFailure(decision.jid, decision.why);
        continue;
      }
      if (decision.kind === 'ignore') {
        this.emit({ type: 'ignored', reason: decision.reason, ...(message.key.remoteJid ? { jid: message.key.remoteJid } : {}) });
        continue;
      }
      const unknown = await this.identities.learnFrom(decision);
      const mapping = sock.signalRepository?.lidMapping;
      if (unknown.length > 0 && mapping) {
        await this.identities.lookUp(unknown, mapping).catch((err: unknown) => this.log('warn', `looking up the other WhatsApp address of ${unknown.join(', ')} failed: ${messageOf(err)}`));
      }
      await this.record(decision);
    }
  }

  /**
   * The bot's own replies come back as fromMe messages too, possibly while their send is still
   * being recorded: decided once the sends in flight are stored (their WhatsApp ids).
   */
  private async onOwnMessage(own: OwnMessage): Promise<void> {
    try {
      // A socket may echo a send from inside sendMessage, before flush() has even recorded that
      // it is flushing: one turn later it has, and idle() waits for the send to be stored.
      await Promise.resolve();
      await this.idle();
      if (await this.deps.store.sentMessage(this.deps.bot, own.id)) return;
      this.deps.onOwnerMessage?.(own);
    } catch (err) {
      this.log('error', `a message from the owner's phone to ${own.jid} could not be taken into account: ${messageOf(err)}`);
    }
  }

  private async record(decision: Extract<InboundDecision, { kind: 'text' | 'unsupported' }>): Promise<void> {
    const row = {
      messageKey: decision.key,
      // The customer's key: their LID when known (one customer whichever address they wrote from).
      jid: await this.identities.keyOf(decision.jid),
      ...(decision.pushName ? { pushName: decision.pushName } : {}),
      kind: decision.kind,
      text: decision.kind === 'text' ? decision.text : `[${decision.what ?? 'unsupported'}]`,
      receivedAt: this.deps.clock.now(),
      ...(decision.sentAt !== undefined ? { sentAt: decision.sentAt } : {}),
      ...(decision.participant ? { participant: await this.identities.keyOf(decision.participant) } : {}),
    };
    // Persisted before anything else happens; a replay (same key) stops here.
    if (!(await this.deps.store.recordInbound(this.deps.bot, row))) return;
    this.deps.onInbound(row);
  }

  /** Logged once per customer per minute, however many come; nothing else happens (Baileys asks the phone again). */
  private onDecryptFailure(jid: string, why: string): void {
    const now = this.deps.clock.now();
    const decision = decideOnDecryptFailure(this.decryptFailures.get(jid), now);
    if (!this.decryptFailures.has(jid) && this.decryptFailures.size >= MAX_FAILURE_WINDOWS) {
      for (const [other, window] of this.decryptFailures) if (isExpired(window, now)) this.decryptFailures.delete(other);
    }
    this.decryptFailures.set(jid, decision.window);
    if (!decision.log) return;
    const left = decision.suppressedBefore > 0 ? ` (${decision.suppressedBefore} more failures from them were not logged)` : '';
    this.log('warn', `a message from ${jid} could not be decrypted (${why}); WhatsApp is asked to have it sent again${left}`);
  }

  /** Connecting cannot go on: the owner reads why and what to do; Connect tries again. */
  private failConnecting(detail: string, cause?: unknown): void {
    this.clearConnectTimer();
    this.wanted = false;
    if (cause !== undefined) this.log('error', `connecting to WhatsApp failed: ${messageOf(cause)}`);
    this.setStatus('failed', detail);
  }

  private clearConnectTimer(): void {
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
  }

  private async forgetSession(): Promise<void> {
    this.auth = undefined;
    this.lastQr = undefined;
    await clearAuthState(this.deps);
  }

  private async dropSocket(): Promise<void> {
    const sock = this.socket;
    this.socket = undefined;
    this.generation++;
    if (sock) await Promise.resolve(sock.end(undefined)).catch(() => undefined);
  }

  private clearTimers(): void {
    this.wakePaced?.();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.reconnectTimer = undefined;
    this.retryTimer = undefined;
    this.clearConnectTimer();
  }

  private setStatus(status: ChannelStatus, detail?: string): void {
    this.current = status;
    this.detail = detail;
    this.emit({ type: 'status', status, ...(detail ? { detail } : {}) });
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.emit({ type: 'log', level, message });
  }

  private emit(event: ChannelEvent): void {
    this.deps.onEvent?.(event);
  }
}

function messageOf(err: unknown): string {
  if (err === undefined) return 'no reason given';
  return err instanceof Error ? err.message : String(err);
}
