// The simulated conversation as a WhatsApp thread: the customer (you) on the right in green, the
// bot on the left, a typing indicator while it works, and the box to write the next message.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useEditor } from '../../editor/editor-context';
import type { ChatLine } from './sim-recording';
import { useSimulator, useSimulatorControls } from './SimulatorProvider';

const NO_LINES: ChatLine[] = [];

// The chat shows what the customer would see: why a conversation failed is in the trace, never here.
const FINISHED_KEYS = { ended: 'chat.ended', handoff: 'chat.handedOver', failed: 'chat.failed' } as const;

export function SimChat() {
  const { t } = useTranslation('simulator');
  const controls = useSimulatorControls();
  const name = useEditor((s) => s.meta?.name ?? '') || t('chat.bot');
  const phase = useSimulator((s) => s.phase);
  const chat = useSimulator((s) => s.recording?.chat ?? NO_LINES);
  const awaiting = useSimulator((s) => s.recording?.awaiting ?? null);
  const status = useSimulator((s) => s.recording?.status ?? 'new');
  const finished = useSimulator((s) => s.recording?.finished ?? false);
  const notice = useSimulator((s) => s.notice);
  const [text, setText] = useState('');
  const thread = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement>(null);

  const working = phase === 'starting' || (phase === 'ready' && !finished && (awaiting === 'tool' || awaiting === 'llm' || status === 'new'));
  const canWrite = phase === 'ready' && !finished;

  useEffect(() => {
    const el = thread.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [chat.length, working, finished]);
  useEffect(() => {
    if (canWrite) input.current?.focus();
  }, [canWrite]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const message = text;
    if (message.trim() === '' || !canWrite) return;
    setText('');
    void controls.send(message);
  };

  return (
    <section className="wa" aria-label={t('chat.label')}>
      <div className="wa-head">
        <span className="wa-avatar" aria-hidden="true">
          {name.trim().charAt(0).toUpperCase()}
        </span>
        <span className="wa-who">
          <strong>{name}</strong>
          <span className="wa-presence" data-testid="sim-presence">
            {t(phase === 'starting' ? 'chat.connecting' : phase !== 'ready' ? 'chat.notStarted' : working ? 'chat.typing' : finished ? 'chat.offline' : 'chat.online')}
          </span>
        </span>
      </div>
      <div className="wa-thread" ref={thread} data-testid="sim-chat" role="log" aria-live="polite">
        <div className="wa-day">{t('chat.day')}</div>
        {chat.map((line) =>
          line.role === 'note' ? (
            <div key={line.seq} className="wa-system wa-note" data-testid="chat-note">
              {line.text}
            </div>
          ) : (
            <div key={line.seq} className={`wa-row wa-row-${line.role}`}>
              <div className={`wa-bubble wa-${line.role}`} data-testid={`chat-${line.role}`}>
                {line.text}
              </div>
            </div>
          ),
        )}
        {working && (
          <div className="wa-row wa-row-bot">
            <div className="wa-bubble wa-bot wa-typing" data-testid="sim-typing" aria-label={t('chat.botTyping')}>
              <span />
              <span />
              <span />
            </div>
          </div>
        )}
        {finished && (
          <div className="wa-system" data-testid="sim-finished">
            {t(FINISHED_KEYS[status as keyof typeof FINISHED_KEYS] ?? 'chat.ended')} {t('chat.restartToTry')}
          </div>
        )}
      </div>
      {notice && (
        <div className="wa-notice" role="alert" data-testid="sim-notice">
          {notice}
        </div>
      )}
      <form className="wa-compose" onSubmit={submit}>
        <input
          ref={input}
          className="wa-input"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={
            t(canWrite ? 'chat.write' : phase === 'refused' ? 'chat.fixFirst' : finished ? 'chat.restartToWrite' : 'chat.waiting')
          }
          aria-label={t('chat.inputLabel')}
          maxLength={4096}
          disabled={!canWrite}
          data-testid="sim-input"
        />
        <button type="submit" className="wa-send" disabled={!canWrite || text.trim() === ''} aria-label={t('chat.send')} data-testid="sim-send">
          <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M3 20.5 21 12 3 3.5l2.5 7L15 12l-9.5 1.5z" fill="currentColor" />
          </svg>
        </button>
      </form>
    </section>
  );
}
