// The connection states in plain words for the owner (what it means, what to do).
import type { WaStatus } from '../../../src-main/shared/api/whatsapp';

export interface StateWords {
  title: string;
  hint: string;
  tone: 'ok' | 'warning' | 'error' | 'muted';
}

export function stateWords(status: WaStatus): StateWords {
  switch (status.state) {
    case 'open':
      return status.paused
        ? { title: 'Connected, paused', hint: 'Messages arrive and are kept, but the bot does not answer until you switch the pause off.', tone: 'warning' }
        : { title: 'Connected', hint: 'The bot answers your customers on WhatsApp.', tone: 'ok' };
    case 'connecting':
      return { title: 'Connecting…', hint: 'Talking to WhatsApp. This takes a few seconds.', tone: 'muted' };
    case 'pairing':
      return {
        title: 'Waiting for your phone',
        hint: 'On your phone open WhatsApp, go to Settings → Linked devices → Link a device, and scan this code.',
        tone: 'warning',
      };
    case 'reconnecting':
      return { title: 'Connection lost, trying again', hint: 'The bot reconnects on its own. Replies are kept and sent once it is back.', tone: 'warning' };
    case 'logged_out':
      return { title: 'Logged out', hint: 'This computer is no longer linked to the WhatsApp number. Press Connect and scan the code again.', tone: 'error' };
    case 'replaced':
      return {
        title: 'Stopped: WhatsApp is open somewhere else',
        hint: 'Another WhatsApp Web session took over this number. Close it, then press Connect.',
        tone: 'error',
      };
    case 'failed':
      return { title: 'Could not connect', hint: status.detail ?? 'Connecting to WhatsApp failed. Press Connect to try again.', tone: 'error' };
    case 'stopped':
      return status.linked
        ? { title: 'Not connected', hint: 'Your phone is linked. Press Connect to let the bot answer again.', tone: 'muted' }
        : { title: 'Not connected', hint: 'Link the bot’s WhatsApp number: press Connect and scan the code with your phone.', tone: 'muted' };
  }
}

/** A customer as the owner knows them: their WhatsApp name and number. */
export function customerLabel(c: { name?: string | undefined; phone?: string | undefined; jid: string }): string {
  const number = c.phone ? `+${c.phone}` : c.jid;
  return c.name ? `${c.name} (${number})` : number;
}

export function conversationWords(c: { takenOver: boolean; status?: string | undefined }): string {
  if (c.takenOver) return 'You are answering';
  switch (c.status) {
    case 'active':
      return 'Bot is answering';
    case 'new':
      return 'Just started';
    case 'ended':
      return 'Finished';
    case 'handoff':
      return 'Asked for a person';
    case 'failed':
      return 'Went wrong';
    default:
      return 'No conversation yet';
  }
}

/** Shown above the reasons when the chosen flow stopped answering (status.flowProblems). */
export const FLOW_BLOCKED_WORDS = {
  title: 'The bot is not answering: the chosen flow cannot run.',
  hint: 'Customers’ messages are kept but get no answer until this is fixed (for a changed tool: review and approve it again in Settings › MCP servers).',
} as const;
