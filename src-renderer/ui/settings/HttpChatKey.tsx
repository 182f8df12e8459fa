// The active bot's HTTP chat: its API key (made, rotated, revoked; shown once, right after it
// is made, never again), and the public web chat page switch. docs/http-chat.md tells the rest.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HttpChatStatus } from '../../../src-main/shared/api/http-chat';
import { useApi } from '../../api/api-context';
import { toast } from '../toasts';
import { attempt, useBots } from './use-settings';

export function HttpChatKey() {
  const { t } = useTranslation('chat');
  const api = useApi();
  const { bots } = useBots();
  const activeBot = bots?.activeBot;
  const [status, setStatus] = useState<HttpChatStatus | null>(null);
  const [shownKey, setShownKey] = useState<string | null>(null);
  const ids = useId();

  useEffect(() => {
    setShownKey(null);
    if (!activeBot) return;
    let live = true;
    void attempt(async () => {
      const next = await api.call('httpChat.status', {});
      if (live) setStatus(next);
    });
    return () => {
      live = false;
    };
  }, [api, activeBot]);
  if (!status) return null;

  const rotate = () =>
    attempt(async () => {
      const out = await api.call('httpChat.rotateKey', {});
      setStatus(out.status);
      setShownKey(out.apiKey);
    });
  const revoke = () =>
    attempt(async () => {
      setStatus(await api.call('httpChat.revokeKey', {}));
      setShownKey(null);
      toast({ message: t('revoked'), tone: 'info' });
    });
  const setWidget = (widget: boolean) => attempt(async () => setStatus(await api.call('httpChat.update', { widget })));

  return (
    <section className="settings-subpanel" aria-labelledby={`${ids}-title`} data-testid="http-chat">
      <h3 id={`${ids}-title`}>{t('title')}</h3>
      <p className="muted">{t('intro')}</p>
      <p className="muted small">
        {status.answeringFlowId ? t('answeringFlow', { flow: status.answeringFlowId }) : t('noFlow')}
      </p>
      <p data-testid="http-chat-key-state">{status.hasKey ? t('hasKey') : t('noKey')}</p>
      {shownKey && (
        <div className="field" data-testid="http-chat-new-key">
          <span className="field-label">{t('newKey')}</span>
          <input readOnly value={shownKey} onFocus={(e) => e.target.select()} aria-describedby={`${ids}-once`} />
          <span className="field-hint" id={`${ids}-once`}>
            {t('showOnce')}
          </span>
        </div>
      )}
      <div className="row">
        <button type="button" className="btn" onClick={() => void rotate()} data-testid="http-chat-rotate">
          {status.hasKey ? t('rotate') : t('create')}
        </button>
        {status.hasKey && (
          <button type="button" className="btn btn-danger" onClick={() => void revoke()} data-testid="http-chat-revoke">
            {t('revoke')}
          </button>
        )}
      </div>
      <label className="field checkbox">
        <input type="checkbox" checked={status.widget} onChange={(e) => void setWidget(e.target.checked)} data-testid="http-chat-widget" />
        <span>{t('widget', { path: `/chat/${status.bot}` })}</span>
      </label>
    </section>
  );
}
