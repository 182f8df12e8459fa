// The owner approves servers and pins tools in the studio, which keeps them in the data folder's
// flowbot.db. A bot that moves to a shared PostgreSQL (`flowbot serve --database`) takes them
// along: for each of its servers the database has no decision about, the folder's consent and
// pins are copied, once. A decision already in the database (made later in the served studio)
// is never overwritten.
import type { ApprovalsStore } from '../adapters/store/approvals-store';

export interface ApprovalsToSeed {
  bot: string;
  servers: string[];
}

/** Copies what `to` lacks from `from`; returns the servers copied ("bot/server"). */
export async function seedApprovals(from: ApprovalsStore, to: ApprovalsStore, wanted: ApprovalsToSeed[]): Promise<string[]> {
  const copied: string[] = [];
  for (const { bot, servers } of wanted) {
    for (const server of servers) {
      if ((await to.serverApproval(bot, server)) !== undefined) continue;
      const approval = await from.serverApproval(bot, server);
      if (!approval) continue;
      const pins = await from.toolPins(bot, server);
      // Pins first: a consent without its pins would start the server with every tool unapproved.
      for (const at of new Set(pins.map((p) => p.approvedAt))) {
        await to.pinTools(bot, server, pins.filter((p) => p.approvedAt === at).map(({ tool, definitionHash, parts }) => ({ tool, definitionHash, ...(parts ? { parts } : {}) })), at);
      }
      await to.approveServer(bot, server, approval.fingerprint, approval.approvedAt);
      copied.push(`${bot}/${server}`);
    }
  }
  return copied;
}
