// A WhatsApp customer began to wait for a human (`whatsapp.handoff`): a toast in the studio
// (with "Open" to go to the WhatsApp screen) and, in a browser that allows it, a system
// notification in the studio's language. The desktop app's system notification is shown by the
// Electron main process (it denies the window's own), so the window only toasts there.
import { useEffect } from 'react';
import type { ApiEventPayload } from '../../../src-main/shared/api-contract';
import { useApi } from '../../api/api-context';
import { i18n } from '../../i18n';
import { hrefOf } from '../routing';
import { toast } from '../toasts';

type Notice = ApiEventPayload<'whatsapp.handoff'>;

const t = (key: string, params?: Record<string, unknown>) => i18n.t(`waowner:${key}`, params);

/** What the owner reads: who waits, why, and what they wrote last. */
export function noticeWords(notice: Notice): { title: string; body: string } {
  const who = notice.name ?? /^(\d+)@/.exec(notice.jid)?.[1] ?? notice.jid;
  return { title: t(`notice.${notice.reason}`, { name: who }), body: notice.text };
}

const systemNotifications = (): boolean => typeof Notification !== 'undefined' && Notification.permission === 'granted';

export function useHandoffNotices(): void {
  const api = useApi();
  useEffect(
    () =>
      api.on('whatsapp.handoff', (notice) => {
        const words = noticeWords(notice);
        toast({ message: `${words.title} ${words.body ? `“${words.body}”` : ''}`.trim(), tone: 'info', action: { label: t('notice.open'), run: () => void (window.location.hash = hrefOf({ screen: 'whatsapp' })) } }, 10_000);
        if (systemNotifications()) new Notification(words.title, { body: words.body, tag: `${notice.bot}:${notice.jid}` });
      }),
    [api],
  );
}

/** Asks the browser for system notifications (a button on the WhatsApp screen; the desktop app needs none). */
export async function allowSystemNotifications(): Promise<NotificationPermission | 'unsupported'> {
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.permission === 'default' ? Notification.requestPermission() : Notification.permission;
}
