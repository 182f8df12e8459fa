// The connection states in plain words for the owner (what it means, what to do), from the
// `whatsapp` catalogue in the studio's language.
import type { WaStatus } from '../../../src-main/shared/api/whatsapp';
import { i18n } from '../../i18n';

export interface StateWords {
  title: string;
  hint: string;
  tone: 'ok' | 'warning' | 'error' | 'muted';
}

const t = (key: string) => i18n.t(`whatsapp:${key}`);
const words = (state: string, tone: StateWords['tone']): StateWords => ({ title: t(`state.${state}.title`), hint: t(`state.${state}.hint`), tone });

export function stateWords(status: WaStatus): StateWords {
  switch (status.state) {
    case 'open':
      return status.paused ? words('paused', 'warning') : words('open', 'ok');
    case 'connecting':
      return words('connecting', 'muted');
    case 'pairing':
      return words('pairing', 'warning');
    case 'reconnecting':
      return words('reconnecting', 'warning');
    case 'logged_out':
      return words('logged_out', 'error');
    case 'replaced':
      return words('replaced', 'error');
    case 'failed':
      // The detail is the connection's own (technical) account, when there is one.
      return { ...words('failed', 'error'), ...(status.detail ? { hint: status.detail } : {}) };
    case 'stopped':
      return status.linked ? words('stoppedLinked', 'muted') : words('stoppedUnlinked', 'muted');
  }
}

/** A customer as the owner knows them: their WhatsApp name and number. */
export function customerLabel(c: { name?: string | undefined; phone?: string | undefined; jid: string }): string {
  // A LID (`…@lid`) is an opaque id, not a number: never shown as one.
  const number = c.phone ? `+${c.phone}` : c.jid.endsWith('@lid') ? i18n.t('wadelivery:customer.numberUnknown') : c.jid;
  return c.name ? i18n.t('whatsapp:customerLabel', { name: c.name, number }) : number;
}

const CONVERSATION_STATES = ['active', 'new', 'ended', 'handoff', 'failed'];

export function conversationWords(c: { takenOver: boolean; status?: string | undefined }): string {
  if (c.takenOver) return t('conversation.takenOver');
  return t(`conversation.${c.status !== undefined && CONVERSATION_STATES.includes(c.status) ? c.status : 'none'}`);
}
