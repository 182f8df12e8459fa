// The flow a bot answers its customers with on a channel: read from the flows folder and
// checked like a simulation (against the workspace and what its servers offer now). One place
// for the studio's WhatsApp screen, the WhatsApp service and `flowbot serve`'s bot runtimes.
import type { Flow } from '../shared/flow';
import type { OwnerText } from '../shared/owner-text';
import { refusalHeadline, type RunBlocker } from '../shared/run-blocker';
import type { FlowRepository } from '../adapters/flow-files/flow-repository';
import type { AnsweringFlow, ChannelName } from './bot-runtime-port';
import { runBlockers } from './live-catalog';
import type { Workspace } from './workspace';

/** How a channel is named in the owner's messages. */
export const CHANNEL_WORDS: Record<ChannelName, string> = { whatsapp: 'WhatsApp', http: 'the HTTP chat' };

/** The chosen flow cannot answer now; `problems` says why, one reason each. */
export class FlowCannotAnswerError extends Error {
  override readonly name = 'FlowCannotAnswerError';
  /** The first line as a catalogue key (common:ownerTexts.flowBlocked), for the studio's language. */
  readonly text: OwnerText;
  constructor(
    readonly flowName: string,
    readonly channel: ChannelName,
    readonly problems: RunBlocker[],
  ) {
    super(blockedMessage(`“${flowName}” cannot answer on ${CHANNEL_WORDS[channel]}`, problems));
    this.text = refusalHeadline(channel, flowName, problems);
  }
}

/** "“Support” cannot … until these 2 problems are fixed:" and the reasons, a line each (English). */
export function blockedMessage(cannot: string, problems: readonly RunBlocker[]): string {
  const listed = problems.map((p) => `• ${p.message}`).join('\n');
  return `${cannot} until ${problems.length === 1 ? 'this is fixed' : `these ${problems.length} problems are fixed`}:\n${listed}`;
}

/** Reads the flow file; throws saying what is wrong when it is missing or not a valid flow file. */
export async function loadAnsweringFlow(flows: Pick<FlowRepository, 'read'>, flowId: string, channel: ChannelName): Promise<AnsweringFlow> {
  const entry = await flows.read(flowId);
  const on = CHANNEL_WORDS[channel];
  if (!entry) throw new Error(`the flow "${flowId}" that answers on ${on} does not exist (any more)`);
  if (entry.kind === 'broken') throw new Error(`the flow "${flowId}" that answers on ${on} is not a valid flow file: ${entry.problems[0]?.message ?? 'it does not parse'}`);
  return { flow: entry.flow, source: entry.file };
}

/** Why the flow may not answer now (servers not approved or down, a tool changed since approval, ...); empty: it answers. */
export function answeringBlockers(flow: Flow, workspace: Pick<Workspace, 'config' | 'mcp'>): Promise<RunBlocker[]> {
  return runBlockers(flow, workspace);
}

/** Loads and checks the flow; throws FlowCannotAnswerError (or the load's error) when it cannot answer. */
export async function checkedAnsweringFlow(
  flows: Pick<FlowRepository, 'read'>,
  flowId: string,
  channel: ChannelName,
  workspace: Pick<Workspace, 'config' | 'mcp'>,
): Promise<AnsweringFlow> {
  const loaded = await loadAnsweringFlow(flows, flowId, channel);
  const problems = await answeringBlockers(loaded.flow, workspace);
  if (problems.length > 0) throw new FlowCannotAnswerError(loaded.flow.name, channel, problems);
  return loaded;
}
