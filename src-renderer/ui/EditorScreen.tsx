// One flow open for editing: loads it (or shows why it cannot be opened), offers an unsaved
// draft left from last time, and wires the store, autosave, validation, keyboard shortcuts and
// the flush on close.
import { ReactFlowProvider } from '@xyflow/react';
import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutput } from '../../src-main/shared/api-contract';
import type { Flow } from '../../src-main/shared/flow';
import { useApi } from '../api/api-context';
import { userMessage } from '../api/client';
import { browserStorage, clearDraft, readDraft, sameFlow, type Draft } from '../editor/drafts';
import { EditorProvider, useEditor, useEditorStore, useSession, type Catalog, type CatalogServer } from '../editor/editor-context';
import { startEditorSession, type EditorSession } from '../editor/editor-session';
import { createEditorStore, isDirty, type EditorStore } from '../editor/editor-store';
import { flowToGraph, graphToFlow } from '../editor/flow-conversion';
import { Canvas } from './Canvas';
import { Icon } from './icons';
import { Inspector } from './inspector/Inspector';
import { Palette } from './Palette';
import { ProblemsPanel } from './ProblemsPanel';
import { navigate } from './routing';
import { SaveIndicator } from './SaveIndicator';
import { SaveAsTestCase } from './tests/SaveAsTestCase';
import { SimulatorProvider } from './simulator/SimulatorProvider';
import { SimulatorSlot, SimulatorToggle } from './simulator/SimulatorSlot';
import { clockTime, timeAgo } from './time';
import { i18n } from '../i18n';
import { problemMessage } from './problem-message';
import { toast } from './toasts';
import { BackToFlows } from './BackToFlows';

type Doc = ApiOutput<'flows.get'>;

/** Loads when first opened: a large flow opens with less code. */
const TestsPanel = lazy(() => import('./tests/TestsPanel').then((m) => ({ default: m.TestsPanel })));

export function EditorScreen({ flowId }: { flowId: string }) {
  const { t } = useTranslation('editor');
  const api = useApi();
  const [doc, setDoc] = useState<Doc | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.call('flows.get', { id: flowId }).then(
      (d) => live && setDoc(d),
      (e: unknown) => live && setError(userMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api, flowId]);

  if (error) {
    return (
      <Shell title={t('screen.notOpened')}>
        <div className="callout callout-error" role="alert" data-testid="editor-error">
          {error}
        </div>
      </Shell>
    );
  }
  if (!doc) {
    return (
      <Shell title={t('screen.opening')}>
        <p className="muted center">{t('screen.openingFlow')}</p>
      </Shell>
    );
  }
  if (!doc.ok) return <BrokenFlow file={doc.file} problems={doc.problems} text={doc.text} />;
  return <Editor flow={doc.flow} updatedAt={doc.updatedAt} problems={doc.problems} />;
}

function Shell({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="editor-shell">
      <header className="app-bar">
        <BackToFlows />
        <h1 className="app-bar-title">{title}</h1>
      </header>
      <main className="shell-main">{children}</main>
    </div>
  );
}

function BrokenFlow({ file, problems, text }: { file: string; problems: Doc['problems']; text: string }) {
  const { t, i18n } = useTranslation('editor');
  useEffect(() => {
    document.title = t('screen.brokenTitle', { app: t('app.name', { ns: 'common' }) });
  }, [t]);
  return (
    <Shell title={t('screen.broken')}>
      <section className="broken-view" data-testid="broken-view">
        <div className="callout callout-error" role="alert">
          <strong>
            <code>{file}</code> {t('screen.brokenWhy')}
          </strong>{' '}
          {t('screen.brokenAdvice')}
        </div>
        <h2>{t('screen.problems')}</h2>
        <ul className="broken-problems">
          {problems.map((p, i) => (
            <li key={i} data-testid="broken-problem">
              {problemMessage(p, i18n.language)}
            </li>
          ))}
        </ul>
        <details>
          <summary>{t('screen.showFile')}</summary>
          <pre className="file-text">{text}</pre>
        </details>
      </section>
    </Shell>
  );
}

const normalise = (flow: Flow): Flow => {
  const g = flowToGraph(flow);
  return graphToFlow(g.meta, g.nodes, g.edges);
};

/** Runs `work` when the browser is idle (at the latest after 1 s). */
function whenIdle(work: () => void): { cancel(): void } {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(work, { timeout: 1000 });
    return { cancel: () => cancelIdleCallback(handle) };
  }
  const handle = setTimeout(work, 0);
  return { cancel: () => clearTimeout(handle) };
}

function useCatalogState(): Catalog {
  const api = useApi();
  const [servers, setServers] = useState<CatalogServer[]>([]);
  const [state, setState] = useState<Catalog['state']>('loading');
  const [error, setError] = useState<string | undefined>();
  const [seq, setSeq] = useState(0);
  useEffect(() => {
    let live = true;
    setState('loading');
    // Only the inspector needs the catalogue, and listing it may start MCP servers: ask once the
    // canvas has rendered, so a large flow is not drawn while a server process boots.
    const idle = whenIdle(() =>
    api.call('mcp.catalog', {}).then(
      (out) => {
        if (!live) return;
        setServers(out.servers);
        setState('ready');
      },
      (e: unknown) => {
        if (!live) return;
        setError(userMessage(e));
        setState('failed');
      },
    ));
    return () => {
      live = false;
      idle.cancel();
    };
  }, [api, seq]);
  return useMemo(() => ({ servers, state, ...(error !== undefined ? { error } : {}), reload: () => setSeq((n) => n + 1) }), [servers, state, error]);
}

function Editor({ flow, updatedAt, problems }: { flow: Flow; updatedAt: number; problems: Doc['problems'] }) {
  const { t } = useTranslation('editor');
  const api = useApi();
  const storage = useMemo(() => browserStorage(), []);
  const store = useMemo<EditorStore>(() => {
    const s = createEditorStore();
    s.getState().load(flow);
    // flows.get already validated the file: show its problems now, no second round trip.
    s.getState().setProblems(problems, 0);
    return s;
  }, [flow, problems]);
  const [session, setSession] = useState<EditorSession | null>(null);
  const [testsOpen, setTestsOpen] = useState(false);
  const catalog = useCatalogState();
  const [draft, setDraft] = useState<Draft | null>(() => {
    const d = readDraft(storage, flow.id);
    if (!d) return null;
    if (sameFlow(normalise(d.flow), normalise(flow))) {
      clearDraft(storage, flow.id);
      return null;
    }
    return d;
  });

  useEffect(() => {
    const session = startEditorSession({ api, store, storage, updatedAt, validateOnStart: false });
    setSession(session);
    // Changed outside this window (a text editor, git, another window): follow it while there
    // is nothing unsaved here; with unsaved changes the next save reports the conflict instead.
    const offChanged = api.on('flows.changed', ({ id }) => {
      if (id !== flow.id) return;
      const s = store.getState();
      if (isDirty(s) || s.save.kind !== 'saved') return;
      api.call('flows.get', { id }).then(
        (doc) => {
          const now = store.getState();
          if (!doc.ok || doc.updatedAt === session.baseUpdatedAt() || isDirty(now) || now.save.kind !== 'saved') return;
          now.load(doc.flow);
          session.rebase(doc.updatedAt);
          toast({ message: i18n.t('screen.changedOutside', { ns: 'editor' }), tone: 'info' }); // not `t`: a new language must not restart the session
        },
        () => {},
      );
    });
    // Whatever happens to the window, keep the work: the draft synchronously, then a save.
    const onHide = () => {
      if (document.visibilityState === 'hidden') void session.flush();
    };
    const onUnload = () => {
      if (isDirty(store.getState())) void session.flush();
    };
    document.addEventListener('visibilitychange', onHide);
    window.addEventListener('pagehide', onUnload);
    window.addEventListener('beforeunload', onUnload);
    return () => {
      document.removeEventListener('visibilitychange', onHide);
      window.removeEventListener('pagehide', onUnload);
      window.removeEventListener('beforeunload', onUnload);
      offChanged();
      void session.flush().finally(() => session.dispose());
    };
  }, [api, store, storage, updatedAt, flow.id]);

  useEffect(() => {
    const title = (name: string | undefined) => t('screen.title', { name: name ?? t('screen.untitled'), app: t('app.name', { ns: 'common' }) });
    document.title = title(store.getState().meta?.name);
    return store.subscribe((s, prev) => {
      if (s.meta?.name !== prev.meta?.name) document.title = title(s.meta?.name);
    });
  }, [store, t]);

  useShortcuts(store, session);

  if (!session) return null;
  return (
    <EditorProvider store={store} session={session} catalog={catalog}>
      <SimulatorProvider flowId={flow.id}>
        <ReactFlowProvider>
          <div className="editor" data-testid="editor">
            <EditorBar testsOpen={testsOpen} onToggleTests={() => setTestsOpen((open) => !open)} />
            {draft && (
              <div className="draft-banner" role="alert" data-testid="draft-banner">
                <span>
                  <strong>{t('draft.title')}</strong> {t('draft.when', { ago: timeAgo(draft.savedAt), time: clockTime(draft.savedAt) })}
                </span>
                <button
                  type="button"
                  className="btn btn-primary btn-small"
                  data-testid="restore-draft"
                  onClick={() => {
                    store.getState().restoreDraft(draft.flow);
                    setDraft(null);
                    toast({ message: t('draft.restored'), tone: 'success' });
                  }}
                >
                  {t('draft.restore')}
                </button>
                <button
                  type="button"
                  className="btn btn-small"
                  data-testid="discard-draft"
                  onClick={() => {
                    clearDraft(storage, flow.id);
                    setDraft(null);
                  }}
                >
                  {t('draft.discard')}
                </button>
              </div>
            )}
            <div className={`editor-body${testsOpen ? ' with-tests' : ''}`}>
              <aside className="side-left">
                <Palette />
                <ProblemsPanel />
              </aside>
              <Canvas />
              <SimulatorSlot fallback={<Inspector />} actions={<SaveAsTestCase onSaved={() => setTestsOpen(true)} />} />
              {testsOpen && (
                <Suspense fallback={<aside className="tests-panel" aria-busy="true" />}>
                  <TestsPanel flowId={flow.id} beforeRun={() => session.flush()} onClose={() => setTestsOpen(false)} />
                </Suspense>
              )}
            </div>
          </div>
        </ReactFlowProvider>
      </SimulatorProvider>
    </EditorProvider>
  );
}

function EditorBar({ testsOpen, onToggleTests }: { testsOpen: boolean; onToggleTests(): void }) {
  const { t } = useTranslation('editor');
  const store = useEditorStore();
  const session = useSession();
  const name = useEditor((s) => s.meta?.name ?? '');
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const mod = navigator.platform.toLowerCase().includes('mac') ? '⌘' : 'Ctrl+';
  return (
    <header className="app-bar editor-bar">
      <button
        type="button"
        className="btn btn-ghost"
        data-testid="back"
        onClick={() => {
          void session.flush();
          navigate({ screen: 'flows' });
        }}
      >
        <Icon name="back" /> {t('nav.allFlows', { ns: 'common' })}
      </button>
      <h1 className="app-bar-title" data-testid="flow-title">
        {name}
      </h1>
      <SaveIndicator />
      <div className="bar-spacer" />
      <div className="bar-group" role="group" aria-label={t('bar.history')}>
        <button type="button" className="btn-icon" onClick={() => store.getState().undo()} disabled={!canUndo} aria-label={t('bar.undo')} title={t('bar.undoKey', { key: `${mod}Z` })} data-testid="undo">
          <Icon name="undo" />
        </button>
        <button type="button" className="btn-icon" onClick={() => store.getState().redo()} disabled={!canRedo} aria-label={t('bar.redo')} title={t('bar.redoKey', { key: `${mod}Shift+Z` })} data-testid="redo">
          <Icon name="redo" />
        </button>
      </div>
      <button type="button" className={`btn btn-small${testsOpen ? ' is-active' : ''}`} aria-pressed={testsOpen} onClick={onToggleTests} title={t('bar.testsTitle')} data-testid="toggle-tests">
        <Icon name="check" /> {t('bar.tests')}
      </button>
      <button type="button" className="btn btn-small" onClick={() => void session.saveNow()} title={t('bar.saveKey', { key: `${mod}S` })} data-testid="save-now">
        <Icon name="save" /> {t('bar.save')}
      </button>
      <SimulatorToggle />
    </header>
  );
}

const isEditable = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

function useShortcuts(store: EditorStore, session: EditorSession | null) {
  const { t } = useTranslation('editor');
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 's') {
        e.preventDefault();
        void session?.saveNow();
        return;
      }
      if (isEditable(e.target) || document.querySelector('dialog[open]')) return;
      const s = store.getState();
      if (mod && key === 'z') {
        e.preventDefault();
        if (e.shiftKey) s.redo();
        else s.undo();
      } else if (mod && key === 'y') {
        e.preventDefault();
        s.redo();
      } else if (mod && key === 'c') {
        if (s.copySelected() > 0) e.preventDefault();
      } else if (mod && key === 'v') {
        if (s.paste() > 0) e.preventDefault();
      } else if (mod && key === 'a') {
        e.preventDefault();
        s.selectOnly(s.nodes.map((n) => n.id));
      } else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) {
        const removed = s.deleteSelected();
        if (removed > 0) {
          e.preventDefault();
          toast({ message: t('deleted', { count: removed }), tone: 'info', action: { label: t('bar.undo'), run: () => store.getState().undo() } });
        }
      } else if (e.key === 'Escape') {
        s.selectOnly([]);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, session, t]);
}
