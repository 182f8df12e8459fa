// Learns which LID and phone number are one customer (customer-identity.ts) from what WhatsApp
// tells the channel: the alternative address on a message key (remoteJidAlt / participantAlt),
// `lid-mapping.update` events, and, for an address that came alone, Baileys' own mapping store
// (sock.signalRepository.lidMapping: getPNForLID reads what Baileys has seen; getLIDForPN may
// ask WhatsApp). Each lone address is looked up once per channel: a miss is not asked again.
import { isLid, isPn, pairOf, personOf, type LidPair } from './customer-identity';
import type { WhatsAppStore } from './whatsapp-store';

/** The part of Baileys' LIDMappingStore the channel uses. */
export interface LidMappingLookup {
  getLIDForPN(pn: string): Promise<string | null>;
  getPNForLID(lid: string): Promise<string | null>;
}

/** The addresses an inbound message names: the chat's (a personal chat) or the participant's (a group), each with its alternative. */
export interface SenderAddresses {
  jid: string;
  jidAlt?: string;
  participant?: string;
  participantAlt?: string;
}

/** Beyond this many looked-up addresses, the memory of them starts afresh. */
const MAX_ASKED = 10_000;

export class IdentityResolver {
  private readonly asked = new Set<string>();

  constructor(
    private readonly deps: {
      bot: string;
      store: Pick<WhatsAppStore, 'learnIdentity' | 'customerKey' | 'aliasOf'>;
      clock: { now(): number };
      onLearned?: (pair: LidPair) => void;
    },
  ) {}

  /** Records a pair WhatsApp gave (an event, a message key); anything else is ignored. */
  async learn(a: string | null | undefined, b: string | null | undefined): Promise<void> {
    const pair = pairOf(a, b);
    if (!pair) return;
    if (await this.deps.store.learnIdentity(this.deps.bot, pair, this.deps.clock.now())) this.deps.onLearned?.(pair);
  }

  /** Learns what the message's key says; returns the sender addresses whose other form is still unknown. */
  async learnFrom(m: SenderAddresses): Promise<string[]> {
    const sender = m.participant !== undefined ? { address: m.participant, alt: m.participantAlt } : { address: m.jid, alt: m.jidAlt };
    await this.learn(sender.address, sender.alt);
    return (await this.known(sender.address)) || this.asked.has(sender.address) ? [] : [sender.address];
  }

  /** Asks Baileys' mapping store for the other form of each address (once each); what it knows is learned. */
  async lookUp(addresses: string[], mapping: LidMappingLookup): Promise<void> {
    for (const address of addresses) {
      if (this.asked.size >= MAX_ASKED) this.asked.clear();
      this.asked.add(address);
      const other = isLid(address) ? await mapping.getPNForLID(address) : await mapping.getLIDForPN(address);
      if (other) await this.learn(address, personOf(other));
    }
  }

  /** The key the address is kept under (its LID when known). */
  async keyOf(address: string): Promise<string> {
    return this.deps.store.customerKey(this.deps.bot, address);
  }

  private async known(address: string): Promise<boolean> {
    if (isLid(address)) return (await this.deps.store.aliasOf(this.deps.bot, address)) !== undefined;
    if (isPn(address)) return (await this.deps.store.customerKey(this.deps.bot, address)) !== address;
    return true; // a group, a broadcast: no other form
  }
}
