// Recent WhatsApp customers and the transcript of the one chosen, with "Take over" (a person
// answers, the bot stays silent there) and "Let the bot answer" (release).
import { useState } from 'react';
import type { WaConversation } from '../../../src-main/shared/api/whatsapp';
import { conversationWords, customerLabel } from './wa-words';

interface Props {
  conversations: WaConversation[] | null;
  onTakeOver: (jid: string) => void;
  onRelease: (jid: string) => void;
}

const time = (at: number) => new Date(at).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });

export function Conversations({ conversations, onTakeOver, onRelease }: Props) {
  const [chosen, setChosen] = useState<string | null>(null);
  if (conversations === null) return <p className="muted">Loading conversations…</p>;
  const current = conversations.find((c) => c.jid === chosen) ?? conversations[0];
  return (
    <section className="wa-card wa-conversations" aria-labelledby="wa-conv-title">
      <h2 id="wa-conv-title">Recent conversations</h2>
      {conversations.length === 0 ? (
        <p className="muted" data-testid="wa-no-conversations">
          No customer has written yet.
        </p>
      ) : (
        <div className="wa-conv-layout">
          <ul className="wa-conv-list" aria-label="Customers">
            {conversations.map((c) => (
              <li key={c.jid}>
                <button
                  type="button"
                  className={`wa-conv-item ${c.jid === current?.jid ? 'is-current' : ''}`}
                  aria-current={c.jid === current?.jid ? 'true' : undefined}
                  onClick={() => setChosen(c.jid)}
                  data-testid="wa-conversation"
                  data-jid={c.jid}
                >
                  <strong>{customerLabel(c)}</strong>
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
                    Let the bot answer again
                  </button>
                ) : (
                  <button type="button" className="btn" onClick={() => onTakeOver(current.jid)} data-testid="wa-take-over">
                    Take over
                  </button>
                )}
              </div>
              {current.takenOver && <p className="small wa-warning">You are answering this customer on your phone: the bot stays silent here.</p>}
              <ol className="wa-transcript" data-testid="wa-transcript">
                {current.transcript.length === 0 && <li className="muted">No messages in this conversation.</li>}
                {current.transcript.map((m) => (
                  <li key={m.id} className={`wa-msg wa-msg-${m.role}`} data-role={m.role}>
                    <span className="wa-msg-text">{m.text}</span>
                    <span className="wa-msg-meta">
                      {m.role === 'bot' ? 'Bot' : 'Customer'} · {time(m.at)}
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
