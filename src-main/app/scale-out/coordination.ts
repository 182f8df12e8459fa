// What the composition root needs from the database when several `flowbot serve` instances share
// it (PostgreSQL): a per-conversation order that holds across instances (the HTTP chat channel
// handles a customer's message only inside it) and the fence of each bot's WhatsApp sends. One
// instance on SQLite passes none: the in-process chains order the messages and nothing fences.
export interface ConversationOrder {
  /** Runs `work` after every earlier work for `key` finished, on any instance. */
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

export interface Coordination {
  order: ConversationOrder;
  /** May this instance send for `bot` now? (bot-ownership.ts: the lease token checked against its row). */
  fence(bot: string): { holds(): Promise<boolean> };
}
