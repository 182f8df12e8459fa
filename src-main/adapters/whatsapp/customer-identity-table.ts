// The WhatsApp store's table of customer identities (see customer-identity.ts): which LID and
// which phone-number JID are one person, per bot. Learning a pair moves what was kept under the
// phone number (the customer row, replies not yet sent) to the LID in one transaction, so one
// person never has two conversations, nor a confirmation left behind under the other address.
import type { SqliteDatabase } from '../store/sqlite-driver';
import { isPn, personOf, type LidPair } from './customer-identity';

export const IDENTITY_SCHEMA = `
CREATE TABLE IF NOT EXISTS wa_identities (
  bot TEXT NOT NULL,
  lid TEXT NOT NULL,
  pn TEXT NOT NULL,
  learned_at INTEGER NOT NULL,
  PRIMARY KEY (bot, lid),
  UNIQUE (bot, pn)
);
`;

export interface IdentityTable {
  /** The key a customer is kept under: their LID when known, else the address as given. */
  keyOf(bot: string, jid: string): string;
  /** The phone-number JID of a LID, when known. */
  pnOf(bot: string, lid: string): string | undefined;
  /** Records that `pair` is one person; what was kept under the PN moves to the LID. False: known already. */
  learn(bot: string, pair: LidPair, at: number): boolean;
}

export interface CustomerKeyRow {
  jid: string;
  name: string | null;
  taken_over: number;
  taken_over_until: number | null;
  waiting_since: number | null;
  updated_at: number;
}

export function createIdentityTable(db: SqliteDatabase): IdentityTable {
  const s = {
    lidOf: db.prepare<[string, string], { lid: string }>('SELECT lid FROM wa_identities WHERE bot = ? AND pn = ?'),
    pnOf: db.prepare<[string, string], { pn: string }>('SELECT pn FROM wa_identities WHERE bot = ? AND lid = ?'),
    forgetOther: db.prepare('DELETE FROM wa_identities WHERE bot = ? AND (pn = ? OR lid = ?)'),
    insert: db.prepare('INSERT INTO wa_identities (bot, lid, pn, learned_at) VALUES (?, ?, ?, ?)'),
    customer: db.prepare<[string, string], CustomerKeyRow>('SELECT jid, name, taken_over, taken_over_until, waiting_since, updated_at FROM wa_customers WHERE bot = ? AND jid = ?'),
    rekeyCustomer: db.prepare('UPDATE wa_customers SET jid = ? WHERE bot = ? AND jid = ?'),
    deleteCustomer: db.prepare('DELETE FROM wa_customers WHERE bot = ? AND jid = ?'),
    // A takeover without an end (NULL until) outlasts one with an end; the earlier wait is kept.
    keepBoth: db.prepare(
      `UPDATE wa_customers SET name = COALESCE(name, @name), taken_over = MAX(taken_over, @taken),
         taken_over_until = CASE
           WHEN @taken = 0 THEN taken_over_until
           WHEN taken_over = 0 THEN @until
           WHEN taken_over_until IS NULL OR @until IS NULL THEN NULL
           ELSE MAX(taken_over_until, @until) END,
         waiting_since = COALESCE(MIN(waiting_since, @waiting), waiting_since, @waiting)
       WHERE bot = @bot AND jid = @jid`,
    ),
    rekeyPending: db.prepare('UPDATE wa_outbound SET jid = ? WHERE bot = ? AND jid = ? AND sent_at IS NULL'),
  };

  const merge = (bot: string, { lid, pn }: LidPair): void => {
    const byPn = s.customer.get(bot, pn);
    if (byPn) {
      const byLid = s.customer.get(bot, lid);
      if (!byLid) s.rekeyCustomer.run(lid, bot, pn);
      else {
        // Both forms wrote before they were known to be one person: the conversation touched last
        // goes on (the other was left by the customer); the name, a human's takeover and a wait for one are kept.
        const [kept, dropped] = byPn.updated_at > byLid.updated_at ? [byPn, byLid] : [byLid, byPn];
        s.deleteCustomer.run(bot, dropped.jid);
        if (kept === byPn) s.rekeyCustomer.run(lid, bot, pn);
        s.keepBoth.run({ name: dropped.name, taken: dropped.taken_over, until: dropped.taken_over_until, waiting: dropped.waiting_since, bot, jid: lid });
      }
    }
    // Replies not yet sent go to the address WhatsApp expects now.
    s.rekeyPending.run(lid, bot, pn);
  };

  const learn = db.transaction((bot: string, pair: LidPair, at: number): boolean => {
    if (s.lidOf.get(bot, pair.pn)?.lid === pair.lid) return false;
    s.forgetOther.run(bot, pair.pn, pair.lid);
    s.insert.run(bot, pair.lid, pair.pn, at);
    merge(bot, pair);
    return true;
  });

  return {
    keyOf(bot, jid) {
      if (!isPn(jid)) return jid;
      const person = personOf(jid);
      return s.lidOf.get(bot, person)?.lid ?? jid;
    },
    pnOf: (bot, lid) => s.pnOf.get(bot, lid)?.pn,
    learn: (bot, pair, at) => learn.immediate(bot, pair, at),
  };
}
