// The active bot's WhatsApp: whether it is connected (in plain words), the QR code or pairing
// code to link the phone, which flow answers, a pause switch, and the recent conversations with
// their transcripts, where the owner can take a conversation over and hand it back to the bot.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutput } from '../../../src-main/shared/api-contract';
import type { WaConversation, WaStatus } from '../../../src-main/shared/api/whatsapp';
import { useApi } from '../../api/api-context';
import { userMessage } from '../../api/client';
import { runBlockerText } from '../../i18n/run-blocker-text';
import { Icon } from '../icons';
import { useBots } from '../settings/use-settings';
import { toast } from '../toasts';
import { ConnectionCard } from './ConnectionCard';
import { Conversations } from './Conversations';
import { OwnerLoopCard } from './OwnerLoopCard';
import './whatsapp.css';
import { BackToFlows } from '../BackToFlows';

type FlowChoice = ApiOutput<'flows.list'>['flows'][number];

export function WhatsAppScreen() {
  const { t, i18n } = useTranslation('whatsapp');
  const api = useApi();
  const [status, setStatus] = useState<WaStatus | null>(null);
  const { bots } = useBots();
  const botName = status ? (bots?.bots.find((b) => b.id === status.bot)?.name ?? status.bot) : undefined;
  const [flows, setFlows] = useState<FlowChoice[]>([]);
  const [conversations, setConversations] = useState<WaConversation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loading = useRef<Promise<void> | null>(null);
  const again = useRef(false);

  useEffect(() => {
    document.title = t('screen.documentTitle');
  }, [t, i18n.language]);

  /** One load at a time; activity meanwhile asks for one more afterwards. */
  const loadConversations = useCallback(() => {
    if (loading.current) {
      again.current = true;
      return;
    }
    loading.current = api
      .call('whatsapp.conversations', {})
      .then((out) => setConversations(out.conversations))
      .catch((e: unknown) => {
        toast({ message: userMessage(e), tone: 'error' });
      })
      .finally(() => {
        loading.current = null;
        if (again.current) {
          again.current = false;
          loadConversations();
        }
      });
  }, [api]);

  useEffect(() => {
    let bot: string | undefined;
    const offStatus = api.on('whatsapp.status', (payload) => {
      if (bot === undefined || payload.bot === bot) setStatus(payload);
    });
    const offActivity = api.on('whatsapp.activity', (payload) => {
      if (bot === undefined || payload.bot === bot) loadConversations();
    });
    const offHandoff = api.on('whatsapp.handoff', (payload) => {
      if (bot === undefined || payload.bot === bot) loadConversations();
    });
    Promise.all([api.call('whatsapp.status', {}), api.call('flows.list', {})])
      .then(([s, list]) => {
        bot = s.bot;
        setStatus(s);
        setFlows(list.flows);
      })
      .catch((e: unknown) => setError(userMessage(e)));
    loadConversations();
    return () => {
      offStatus();
      offActivity();
      offHandoff();
    };
  }, [api, loadConversations]);

  /** Runs a call that returns the new status; failures become a toast. */
  const act = async (run: () => Promise<WaStatus>): Promise<void> => {
    try {
      setStatus(await run());
    } catch (e) {
      toast({ message: userMessage(e), tone: 'error' });
    }
  };

  const setTaken = async (jid: string, takeOver: boolean) => {
    try {
      const updated = await api.call(takeOver ? 'whatsapp.takeOver' : 'whatsapp.release', { jid });
      setConversations((list) => list?.map((c) => (c.jid === jid ? updated : c)) ?? list);
      toast({ message: takeOver ? t('screen.tookOver') : t('screen.released'), tone: 'success' });
    } catch (e) {
      toast({ message: userMessage(e), tone: 'error' });
    }
  };

  return (
    <div className="wa-screen">
      <header className="app-bar">
        <BackToFlows />
        <h1 className="app-bar-title" data-testid="wa-title" title={status ? t('screen.botId', { id: status.bot }) : undefined}>
          {botName ? t('screen.titleOf', { bot: botName }) : t('screen.title')}
        </h1>
        <div className="bar-spacer" />
        <button type="button" className="btn" onClick={loadConversations} data-testid="wa-refresh">
          <Icon name="refresh" /> {t('screen.refresh')}
        </button>
      </header>
      <main className="wa-main">
        {error && <div className="callout callout-error">{error}</div>}
        {status && (
          <div className="wa-top">
            <ConnectionCard
              status={status}
              onConnect={(phoneNumber) => act(() => api.call('whatsapp.connect', phoneNumber ? { phoneNumber } : {}))}
              onDisconnect={() => act(() => api.call('whatsapp.disconnect', {}))}
              onLogout={() => act(() => api.call('whatsapp.logout', {}))}
            />
            <section className="wa-card" aria-labelledby="wa-answer-title">
              <h2 id="wa-answer-title">{t('answer.title')}</h2>
              <label className="field">
                <span className="field-label">{t('answer.flow')}</span>
                <select
                  value={status.flowId ?? ''}
                  onChange={(e) => void act(() => api.call('whatsapp.setFlow', { flowId: e.target.value === '' ? null : e.target.value }))}
                  data-testid="wa-flow"
                >
                  <option value="">{t('answer.noFlow')}</option>
                  {flows.map((f) => (
                    <option key={f.id} value={f.id}>
                      {f.name}
                    </option>
                  ))}
                  {status.flowId && !flows.some((f) => f.id === status.flowId) && <option value={status.flowId}>{t('answer.missing', { id: status.flowId })}</option>}
                </select>
              </label>
              <label className="wa-switch">
                <input
                  type="checkbox"
                  role="switch"
                  checked={status.paused}
                  onChange={(e) => {
                    const paused = e.target.checked;
                    // Shown at once; the answer (or a failure) then sets what is really stored.
                    setStatus({ ...status, paused });
                    void act(() => api.call('whatsapp.setPaused', { paused })).then(() => api.call('whatsapp.status', {}).then(setStatus, () => undefined));
                  }}
                  data-testid="wa-paused"
                />
                <span>
                  <strong>{t('answer.pause')}</strong>
                  <span className="muted small"> {t('answer.pauseHint')}</span>
                </span>
              </label>
              {!status.flowId && <p className="wa-warning small">{t('answer.noFlowWarning')}</p>}
              {status.flowProblems && status.flowProblems.length > 0 && (
                <div className="callout callout-error small" role="alert" data-testid="wa-flow-problems">
                  <strong>{t('answer.blockedTitle')}</strong> {t('answer.blockedHint')}
                  <ul>
                    {status.flowProblems.map((problem) => (
                      <li key={problem.message}>{runBlockerText(problem)}</li>
                    ))}
                  </ul>
                </div>
              )}
            </section>
            <OwnerLoopCard
              status={status}
              onSave={async (change) => {
                try {
                  setStatus(await api.call('whatsapp.setOwnerLoop', change));
                  toast({ message: t('waowner:loop.saved'), tone: 'success' });
                } catch (e) {
                  toast({ message: userMessage(e), tone: 'error' });
                }
              }}
            />
          </div>
        )}
        <Conversations conversations={conversations} onTakeOver={(jid) => void setTaken(jid, true)} onRelease={(jid) => void setTaken(jid, false)} />
      </main>
    </div>
  );
}
