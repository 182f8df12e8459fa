// The running bots, as the channels see them. A channel (WhatsApp, the HTTP chat API) needs a
// bot's workspace (its runner, store and config: servers, model, approvals) and the flow that
// answers its customers; who opens and closes them is the front end's business: the studio
// (desktop app, loopback web host) for the bot being edited, `flowbot serve` for every bot the
// owner switched on. One seam, so a channel never builds a workspace of its own.
import type { Flow } from '../shared/flow';
import type { Workspace } from './workspace';

/** The channels a bot answers on. */
export type ChannelName = 'whatsapp' | 'http';

export interface AnsweringFlow {
  flow: Flow;
  /** The flow's file (for the audit log and the trace). */
  source: string;
}

export interface BotRuntime {
  readonly bot: string;
  readonly workspace: Pick<Workspace, 'runner' | 'store' | 'config'>;
  /**
   * The flow that answers this bot's customers on `channel`, loaded and checked against the live
   * tools; undefined when the owner chose none. Throws with the reason when the chosen flow
   * cannot answer (missing, broken, invalid): the channel keeps the message unanswered.
   */
  answeringFlow(channel: ChannelName): Promise<AnsweringFlow | undefined>;
}

export interface BotRuntimes {
  /** The bot, opened on first use; undefined when there is no such bot or it is not running here. */
  get(bot: string): Promise<BotRuntime | undefined>;
  /** The bots running here now. */
  list(): string[];
  close(): Promise<void>;
}
