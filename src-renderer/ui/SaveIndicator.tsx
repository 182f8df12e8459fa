// The save state in words: "Saving…", "All changes saved", "Not saved: <reason>".
import { clearDraft, browserStorage } from '../editor/drafts';
import { useEditor, useEditorStore, useSession } from '../editor/editor-context';
import { clockTime } from './time';

export function SaveIndicator() {
  const save = useEditor((s) => s.save);
  const session = useSession();
  const store = useEditorStore();
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
    case 'conflict':
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
      {save.kind === 'conflict' && (
        <>
          <button type="button" className="link" data-testid="keep-mine" onClick={() => void session.overwrite()}>
            Keep my version
          </button>
          <button type="button" className="link" data-testid="load-theirs" onClick={() => {
              const id = store.getState().meta?.id;
              if (id) clearDraft(browserStorage(), id);
              window.location.reload();
            }}
          >
            Load the other version
          </button>
        </>
      )}
    </div>
  );
}
