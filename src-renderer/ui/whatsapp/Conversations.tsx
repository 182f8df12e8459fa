// Recent WhatsApp customers and the transcript of the one chosen, with "Take over" (a person
// answers, the bot stays silent there) and "Let the bot answer" (release).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WaConversation } from '../../../src-main/shared/api/whatsapp';
import { shortDateTime as time } from '../time';
import { conversationWords, customerLabel } from './wa-words';
import { TakeoverUntil, WaitingMark } from './ConversationMarks';

interface Props {
  conversations: WaConversation[] | null;
  onTakeOver: (jid: string) => void;
  onRelease: (jid: string) => void;
}

export function Conversations({ conversations, onTakeOver, onRelease }: Props) {
  const { t } = useTranslation('whatsapp');
  const [chosen, setChosen] = useState<string | null>(null);
  if (conversations === null) return <p className="muted">{t('conversations.loading')}</p>;
  const current = conversations.find((c) => c.jid === chosen) ?? conversations[0];
  return (
    <section className="wa-card wa-conversations" aria-labelledby="wa-conv-title">
      <h2 id="wa-conv-title">{t('conversations.title')}</h2>
      {conversations.length === 0 ? (
        <p className="muted" data-testid="wa-no-conversations">
          {t('conversations.none')}
        </p>
      ) : (
        <div className="wa-conv-layout">
          <ul className="wa-conv-list" aria-label={t('conversations.customers')}>
            {conversations.map((c) => (
              <li key={c.jid}>
                <button
                  type="button"
                  className={`wa-conv-item ${c.jid === current?.jid ? 'is-current' : ''}`}
                  aria-current={c.jid === current?.jid ? 'true' : undefined}
                  onClick={() => setChosen(c.jid)}
                  data-testid="wa-conversation"
                  data-jid={c.jid}
                  data-waiting={c.waitingSince !== undefined ? 'true' : undefined}
                >
                  <strong>{customerLabel(c)}</strong>
                  <WaitingMark conversation={c} />
                  <span className={`chip ${c.takenOver ? 'chip-warning' : 'chip-muted'}`}>{conversationWords(c)}</span>
                  <span className="small muted">{time(c.updatedAt)}</span>
                </button>
              </li>
            ))}
          </ul>
          {current && (
            <div className="wa-transcript-pane" data-testid="wa-transcript-pane">
              <div className="row wa-transcript-head">
                <strong>{customerLabel(current)}</strong>
                <div className="bar-spacer" />
                {current.takenOver ? (
                  <button type="button" className="btn" onClick={() => onRelease(current.jid)} data-testid="wa-release">
                    {t('conversations.release')}
                  </button>
                ) : (
                  <button type="button" className="btn" onClick={() => onTakeOver(current.jid)} data-testid="wa-take-over">
                    {t('conversations.takeOver')}
                  </button>
                )}
              </div>
              {current.takenOver && <p className="small wa-warning">{t('conversations.takenOverHint')}</p>}
              <TakeoverUntil conversation={current} />
              <ol className="wa-transcript" data-testid="wa-transcript">
                {current.transcript.length === 0 && <li className="muted">{t('conversations.noMessages')}</li>}
                {current.transcript.map((m) => (
                  <li key={m.id} className={`wa-msg wa-msg-${m.role}`} data-role={m.role}>
                    <span className="wa-msg-text">{m.text}</span>
                    <span className="wa-msg-meta">
                      {m.role === 'bot' ? t('conversations.bot') : t('conversations.customer')} · {time(m.at)}
                    </span>
                  </li>
                ))}
              </ol>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
