// The names people know beside the ids an audit record keeps: the bot's name (settings), the
// flow's name and the step's label and kind (the flow as saved now). Looked up when the log is
// read, so the hash-chained records stay as written; an id nobody knows any more keeps no name.
import type { AuditNames } from '../shared/api/audit';
import type { Flow } from '../shared/flow';

export interface AuditNameSource {
  botName(bot: string): string | undefined;
  /** The flow saved under this id, or undefined (deleted, broken, or run from a file elsewhere). */
  flow(flowId: string): Promise<Flow | undefined>;
}

/** Names for the records of one answer: each flow is read once. */
export async function auditNamer(source: AuditNameSource | undefined, records: readonly { bot?: string | undefined; flowId: string }[]) {
  const flows = new Map<string, Flow | undefined>();
  if (source) {
    for (const flowId of new Set(records.map((r) => r.flowId))) flows.set(flowId, await source.flow(flowId).catch(() => undefined));
  }
  return (record: { bot?: string | undefined; flowId: string; nodeId: string }): AuditNames => {
    const bot = record.bot !== undefined ? botName(source, record.bot) : undefined;
    const flow = flows.get(record.flowId);
    const node = flow?.nodes.find((n) => n.id === record.nodeId);
    const label = node?.label?.trim();
    return {
      ...(bot !== undefined ? { bot } : {}),
      ...(flow ? { flow: flow.name } : {}),
      ...(label ? { step: label } : {}),
      ...(node ? { stepType: node.type } : {}),
    };
  };
}

/** id -> name of the bots and flows that occur in the log, for the filters. */
export async function facetNames(source: AuditNameSource | undefined, facets: { bots: string[]; flows: string[] }) {
  const bots: Record<string, string> = {};
  const flows: Record<string, string> = {};
  if (!source) return { bots, flows };
  for (const id of facets.bots) {
    const name = botName(source, id);
    if (name !== undefined) bots[id] = name;
  }
  for (const id of facets.flows) {
    const flow = await source.flow(id).catch(() => undefined);
    if (flow) flows[id] = flow.name;
  }
  return { bots, flows };
}

/** Unreadable settings cost the name, never the log. */
function botName(source: AuditNameSource | undefined, bot: string): string | undefined {
  try {
    return source?.botName(bot);
  } catch {
    return undefined;
  }
}
