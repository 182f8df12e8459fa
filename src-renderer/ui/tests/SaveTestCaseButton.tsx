// "Save as test case" for a conversation held in the simulator: asks for a name and saves the
// customer's messages with what the bot said and did (tests.save turns the run into a case with
// exact expectations). A name already taken is never replaced without the owner saying so.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RunEvent } from '../../../src-main/shared/run-event';
import type { ConversationStatus } from '../../../src-main/shared/conversation';
import type { EndStatus } from '../../../src-main/shared/test-case';
import { useApi } from '../../api/api-context';
import { ApiCallError, userMessage } from '../../api/client';
import { Dialog } from '../Dialog';
import { Icon } from '../icons';
import { toast } from '../toasts';
import './tests.css';

export interface SaveTestCaseButtonProps {
  flowId: string;
  /** The customer's messages, in order. */
  messages: string[];
  /** The run's events as they came (with a customer_message event before each turn). */
  events: RunEvent[];
  final: { status: ConversationStatus | EndStatus; vars: Record<string, unknown> };
  /** How the simulator started the conversation; a replay starts the same way. */
  start?: { startAt?: string; vars?: Record<string, unknown>; dryRun?: boolean };
  /** After a save, e.g. to open the Tests panel. */
  onSaved?: (saved: { id: string; name: string }) => void;
}

export function SaveTestCaseButton(props: SaveTestCaseButtonProps) {
  const { t } = useTranslation('tests');
  const [open, setOpen] = useState(false);
  const nothing = !props.events.some((e) => e.type === 'conversation_started');
  return (
    <>
      <button
        type="button"
        className="btn btn-small"
        disabled={nothing}
        title={nothing ? t('save.startFirst') : t('save.keep')}
        onClick={() => setOpen(true)}
        data-testid="save-test-case"
      >
        <Icon name="save" /> {t('save.button')}
      </button>
      {open && <SaveDialog {...props} onClose={() => setOpen(false)} />}
    </>
  );
}

function SaveDialog({ flowId, messages, events, final, start, onSaved, onClose }: SaveTestCaseButtonProps & { onClose(): void }) {
  const { t } = useTranslation('tests');
  const api = useApi();
  const [name, setName] = useState('');
  const [loose, setLoose] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [taken, setTaken] = useState(false);

  const save = async (overwrite: boolean) => {
    const trimmed = name.trim();
    if (!trimmed) {
      setError(t('save.nameMissing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = await api.call('tests.save', {
        flowId,
        name: trimmed,
        run: { messages, events, final, ...start },
        ...(loose ? { looseToolValues: true } : {}),
        ...(overwrite ? { overwrite: true } : {}),
      });
      toast({ message: t('save.saved', { name: trimmed }), tone: 'success' });
      onSaved?.({ id: saved.id, name: trimmed });
      onClose();
    } catch (e) {
      setBusy(false);
      if (e instanceof ApiCallError && e.code === 'CONFLICT') {
        setTaken(true);
        setError(`${userMessage(e)}`);
      } else setError(userMessage(e));
    }
  };

  return (
    <Dialog title={t('save.button')} onClose={onClose}>
      <form
        className="form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void save(false);
        }}
      >
        <label className="field">
          <span className="field-label">{t('save.name')}</span>
          <input
            autoFocus
            value={name}
            maxLength={120}
            onChange={(e) => {
              setName(e.target.value);
              setTaken(false);
            }}
            placeholder={t('save.nameExample')}
            data-testid="test-case-name"
          />
          <span className="field-hint">
            {t('save.messagesHint', { count: messages.length })}
          </span>
        </label>
        <label className="check-field">
          <input type="checkbox" checked={loose} onChange={(e) => setLoose(e.target.checked)} data-testid="test-case-loose" />
          <span>{t('save.loose')}</span>
        </label>
        {error && (
          <p className="field-error" role="alert" data-testid="test-case-save-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('common:actions.cancel')}
          </button>
          {taken ? (
            <button type="button" className="btn btn-danger-soft" disabled={busy} onClick={() => void save(true)} data-testid="test-case-replace">
              {t('save.replace')}
            </button>
          ) : (
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="test-case-save">
              {t('common:actions.save')}
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}
