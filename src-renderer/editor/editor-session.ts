// The editor's effects, kept out of the store: autosave through `flows.save` (debounced), live
// validation through `flows.validate` (debounced), and the localStorage draft. It watches the
// store's `revision` and writes the outcome back (save state, problems).
import type { ApiClient } from '../../src-main/shared/api-contract';
import { ApiCallError, userMessage } from '../api/client';
import { i18n } from '../i18n';
import { clearDraft, writeDraft, type DraftStorage } from './drafts';
import type { EditorStore } from './editor-store';
import { checkFlow } from './flow-conversion';

export interface EditorSessionOptions {
  api: ApiClient;
  store: EditorStore;
  storage: DraftStorage | null;
  /** `updatedAt` of the file as loaded: a save refuses to overwrite a file changed since. */
  updatedAt?: number;
  saveDelayMs?: number;
  validateDelayMs?: number;
  draftDelayMs?: number;
  /** After a failed save (connection lost, server busy), try again after this long. */
  retryDelayMs?: number;
  /** Validate right away (default). Off when the problems of the loaded file are already known (flows.get returns them). */
  validateOnStart?: boolean;
}

export interface EditorSession {
  /** Save now (Ctrl+S), skipping the autosave pause. Resolves when done (or refused). */
  saveNow(): Promise<void>;
  /** For window close / hide: keep the draft synchronously, then start saving. */
  flush(): Promise<void>;
  /** Re-check the flow now (e.g. after the settings changed). */
  validateNow(): void;
  /** After a conflict: save this version over the one on disk. */
  overwrite(): Promise<void>;
  /** `updatedAt` of the file as this window last loaded or saved it. */
  baseUpdatedAt(): number | undefined;
  /** The file was reloaded from disk: compare future saves with this version. */
  rebase(updatedAt: number): void;
  dispose(): void;
}

const RETRYABLE = new Set(['DISCONNECTED', 'TIMEOUT', 'INTERNAL']);

export function startEditorSession(options: EditorSessionOptions): EditorSession {
  const { api, store, storage } = options;
  const saveDelay = options.saveDelayMs ?? 800;
  const validateDelay = options.validateDelayMs ?? 350;
  const draftDelay = options.draftDelayMs ?? 250;
  const retryDelay = options.retryDelayMs ?? 4000;

  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  let validateTimer: ReturnType<typeof setTimeout> | null = null;
  let draftTimer: ReturnType<typeof setTimeout> | null = null;
  let saving: Promise<void> | null = null;
  let again = false;
  let validateSeq = 0;
  let disposed = false;
  let base = options.updatedAt;
  let force = false;

  const clear = (t: ReturnType<typeof setTimeout> | null) => {
    if (t) clearTimeout(t);
  };

  const keepDraft = () => {
    clear(draftTimer);
    draftTimer = null;
    const s = store.getState();
    if (s.revision === s.savedRevision) return;
    const flow = s.currentFlow();
    if (flow) writeDraft(storage, flow);
  };

  const save = async (): Promise<void> => {
    if (saving) {
      again = true;
      return saving;
    }
    clear(saveTimer);
    saveTimer = null;
    const s = store.getState();
    if (s.revision === s.savedRevision) {
      if (s.save.kind !== 'saved') s.setSave({ kind: 'saved' });
      return;
    }
    const revision = s.revision;
    const check = checkFlow(s.currentFlow());
    if (!check.ok) {
      keepDraft();
      s.setSave({ kind: 'blocked', reason: check.reasons[0] ?? i18n.t('check.incomplete', { ns: 'editor' }) });
      return;
    }
    s.setSave({ kind: 'saving' });
    saving = (async () => {
      try {
        const expected = force ? undefined : base;
        force = false;
        const out = await api.call('flows.save', { flow: check.flow, ...(expected !== undefined ? { expectedUpdatedAt: expected } : {}) });
        base = out.updatedAt;
        if (disposed) return;
        const now = store.getState();
        if (now.revision === revision) {
          now.setSave({ kind: 'saved', at: Date.now() }, revision);
          now.setProblems(out.problems, revision);
          clearDraft(storage, check.flow.id);
        } else {
          now.setSave({ kind: 'pending' }, revision);
          again = true;
        }
      } catch (error) {
        if (disposed) return;
        keepDraft();
        if (error instanceof ApiCallError && error.code === 'CONFLICT') {
          store.getState().setSave({ kind: 'conflict', reason: userMessage(error) });
          return;
        }
        store.getState().setSave({ kind: 'failed', reason: userMessage(error) });
        if (error instanceof ApiCallError && RETRYABLE.has(error.code)) schedule(retryDelay);
      } finally {
        saving = null;
      }
    })();
    await saving;
    if (again && !disposed) {
      again = false;
      schedule(saveDelay);
    }
  };

  const schedule = (delay: number) => {
    clear(saveTimer);
    saveTimer = setTimeout(() => void save(), delay);
  };

  const validate = () => {
    clear(validateTimer);
    validateTimer = null;
    const s = store.getState();
    const flow = s.currentFlow();
    if (!flow) return;
    const seq = ++validateSeq;
    const revision = s.revision;
    api.call('flows.validate', { flow }).then(
      (out) => {
        if (disposed || seq !== validateSeq) return;
        store.getState().setProblems(out.problems, revision);
      },
      () => {
        /* the save state shows connection trouble; the old list stays */
      },
    );
  };

  const unsubscribe = store.subscribe((s, prev) => {
    if (s.revision === prev.revision || disposed) return;
    // After a conflict, nothing is saved until the owner chooses (keep theirs or reload).
    if (s.revision !== s.savedRevision && s.save.kind !== 'conflict') {
      schedule(saveDelay);
      clear(draftTimer);
      draftTimer = setTimeout(keepDraft, draftDelay);
    }
    clear(validateTimer);
    validateTimer = setTimeout(validate, validateDelay);
  });

  if (options.validateOnStart !== false) validate();

  return {
    saveNow: () => save(),
    flush() {
      keepDraft();
      return save();
    },
    validateNow: validate,
    overwrite() {
      force = true;
      return save();
    },
    baseUpdatedAt: () => base,
    rebase(updatedAt) {
      base = updatedAt;
    },
    dispose() {
      disposed = true;
      unsubscribe();
      clear(saveTimer);
      clear(validateTimer);
      clear(draftTimer);
    },
  };
}
