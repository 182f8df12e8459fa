// "Save as test case" for a conversation held in the simulator: asks for a name and saves the
// customer's messages with what the bot said and did (tests.save turns the run into a case with
// exact expectations). A name already taken is never replaced without the owner saying so.
import { useState, type FormEvent } from 'react';
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
  const [open, setOpen] = useState(false);
  const nothing = !props.events.some((e) => e.type === 'conversation_started');
  return (
    <>
      <button
        type="button"
        className="btn btn-small"
        disabled={nothing}
        title={nothing ? 'Start a conversation first' : 'Keep this conversation as a test case'}
        onClick={() => setOpen(true)}
        data-testid="save-test-case"
      >
        <Icon name="save" /> Save as test case
      </button>
      {open && <SaveDialog {...props} onClose={() => setOpen(false)} />}
    </>
  );
}

function SaveDialog({ flowId, messages, events, final, start, onSaved, onClose }: SaveTestCaseButtonProps & { onClose(): void }) {
  const api = useApi();
  const [name, setName] = useState('');
  const [loose, setLoose] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [taken, setTaken] = useState(false);

  const save = async (overwrite: boolean) => {
    const trimmed = name.trim();
    if (!trimmed) {
      setError('Give the test case a name, for example “Customer confirms the ticket”.');
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
      toast({ message: `Saved the test case “${trimmed}”.`, tone: 'success' });
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
    <Dialog title="Save as test case" onClose={onClose}>
      <form
        className="form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void save(false);
        }}
      >
        <label className="field">
          <span className="field-label">Name</span>
          <input
            autoFocus
            value={name}
            maxLength={120}
            onChange={(e) => {
              setName(e.target.value);
              setTaken(false);
            }}
            placeholder="For example: Customer confirms the ticket"
            data-testid="test-case-name"
          />
          <span className="field-hint">
            {messages.length === 1 ? '1 customer message' : `${messages.length} customer messages`}; the bot must answer them the same way each time the test runs.
          </span>
        </label>
        <label className="check-field">
          <input type="checkbox" checked={loose} onChange={(e) => setLoose(e.target.checked)} data-testid="test-case-loose" />
          <span>Let values that come from tools change (ticket numbers, dates): the rest of those replies must still match.</span>
        </label>
        {error && (
          <p className="field-error" role="alert" data-testid="test-case-save-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          {taken ? (
            <button type="button" className="btn btn-danger-soft" disabled={busy} onClick={() => void save(true)} data-testid="test-case-replace">
              Replace it
            </button>
          ) : (
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="test-case-save">
              Save
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}
