// The save state in words: "Saving…", "All changes saved", "Not saved: <reason>".
import { useEditor, useSession } from '../editor/editor-context';
import { clockTime } from './time';

export function SaveIndicator() {
  const save = useEditor((s) => s.save);
  const session = useSession();
  let text: string;
  let tone: string;
  switch (save.kind) {
    case 'saved':
      text = 'All changes saved';
      tone = 'ok';
      break;
    case 'pending':
    case 'saving':
      text = 'Saving…';
      tone = 'busy';
      break;
    case 'failed':
    case 'blocked':
      text = `Not saved: ${save.reason}`;
      tone = 'bad';
      break;
  }
  return (
    <div className={`save-state save-${tone}`} role="status" aria-live="polite" data-testid="save-state" data-state={save.kind} title={save.kind === 'saved' && save.at ? `Saved at ${clockTime(save.at)}` : undefined}>
      <span className="save-dot" aria-hidden="true" />
      <span className="save-text">{text}</span>
      {save.kind === 'failed' && (
        <button type="button" className="link" onClick={() => void session.saveNow()}>
          Try again
        </button>
      )}
    </div>
  );
}
