// The save state in words: "Saving…", "All changes saved", "Not saved: <reason>".
import { useTranslation } from 'react-i18next';
import { clearDraft, browserStorage } from '../editor/drafts';
import { useEditor, useEditorStore, useSession } from '../editor/editor-context';
import { clockTime } from './time';

export function SaveIndicator() {
  const { t } = useTranslation();
  const save = useEditor((s) => s.save);
  const session = useSession();
  const store = useEditorStore();
  let text: string;
  let tone: string;
  switch (save.kind) {
    case 'saved':
      text = t('save.saved');
      tone = 'ok';
      break;
    case 'pending':
    case 'saving':
      text = t('save.saving');
      tone = 'busy';
      break;
    case 'failed':
    case 'blocked':
    case 'conflict':
      text = t('save.notSaved', { reason: save.reason });
      tone = 'bad';
      break;
  }
  return (
    <div className={`save-state save-${tone}`} role="status" aria-live="polite" data-testid="save-state" data-state={save.kind} title={save.kind === 'saved' && save.at ? t('save.savedAt', { time: clockTime(save.at) }) : undefined}>
      <span className="save-dot" aria-hidden="true" />
      <span className="save-text">{text}</span>
      {save.kind === 'failed' && (
        <button type="button" className="link" onClick={() => void session.saveNow()}>
          {t('actions.tryAgain')}
        </button>
      )}
      {save.kind === 'conflict' && (
        <>
          <button type="button" className="link" data-testid="keep-mine" onClick={() => void session.overwrite()}>
            {t('save.keepMine')}
          </button>
          <button type="button" className="link" data-testid="load-theirs" onClick={() => {
              const id = store.getState().meta?.id;
              if (id) clearDraft(browserStorage(), id);
              window.location.reload();
            }}
          >
            {t('save.loadTheirs')}
          </button>
        </>
      )}
    </div>
  );
}
