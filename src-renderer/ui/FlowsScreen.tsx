// The flows list: every flow file with its state, new from a template or blank, open, rename,
// duplicate, delete (with Undo), import and export. Files that are not valid flows are listed
// apart with their problems; they cannot be opened here and are never written to.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutput, FlowSummary } from '../../src-main/shared/api-contract';
import { useApi } from '../api/api-context';
import { userMessage } from '../api/client';
import { Dialog } from './Dialog';
import { Icon } from './icons';
import { problemMessage } from './problem-message';
import { navigate } from './routing';
import { timeAgo } from './time';
import { toast } from './toasts';

type ListOutput = ApiOutput<'flows.list'>;
type Template = ApiOutput<'templates.list'>['templates'][number];

export function FlowsScreen() {
  const { t, i18n } = useTranslation('flows');
  const api = useApi();
  const [list, setList] = useState<ListOutput | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<FlowSummary | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const reload = useCallback(async () => {
    try {
      setList(await api.call('flows.list', {}));
      setError(null);
    } catch (e) {
      setError(userMessage(e));
    }
  }, [api]);

  useEffect(() => {
    void reload();
    return api.on('flows.changed', () => void reload());
  }, [api, reload]);

  useEffect(() => {
    document.title = t('title', { app: t('app.name', { ns: 'common' }) });
  }, [t]);

  const run = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (e) {
      toast({ message: userMessage(e), tone: 'error' });
    }
  };

  const duplicate = (flow: FlowSummary) =>
    run(async () => {
      const copy = await api.call('flows.duplicate', { id: flow.id });
      toast({ message: t('toast.copied', { name: copy.name }), tone: 'success' });
      await reload();
    });

  const remove = (flow: FlowSummary) =>
    run(async () => {
      const { restoreToken } = await api.call('flows.delete', { id: flow.id });
      await reload();
      toast({
        message: t('toast.deleted', { name: flow.name }),
        tone: 'info',
        action: {
          label: t('toast.undo'),
          run: () =>
            void run(async () => {
              const back = await api.call('flows.restore', { restoreToken });
              toast({ message: t('toast.restored', { name: back.name }), tone: 'success' });
              await reload();
            }),
        },
      });
    });

  const removeBroken = (id: string, file: string) =>
    run(async () => {
      const { restoreToken } = await api.call('flows.delete', { id });
      await reload();
      toast({
        message: t('toast.trashed', { file: file.split(/[\\/]/).pop() ?? file }),
        tone: 'info',
        action: {
          label: t('toast.undo'),
          run: () =>
            void run(async () => {
              await api.call('flows.restore', { restoreToken });
              await reload();
            }),
        },
      });
    });

  const exportFlow = (flow: FlowSummary) =>
    run(async () => {
      const { fileName, text } = await api.call('flows.export', { id: flow.id });
      const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });

  const importFile = (file: File) =>
    run(async () => {
      const text = await file.text();
      const flow = await api.call('flows.import', { fileName: file.name, text });
      toast({ message: t('toast.imported', { name: flow.name }), tone: 'success' });
      await reload();
    });

  return (
    <div className="flows-screen">
      <header className="app-bar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            <Icon name="flow" size={18} />
          </span>
          {t('app.name', { ns: 'common' })}
        </div>
        <nav className="app-bar-links" aria-label={t('nav.screens')}>
          <a className="btn btn-ghost" href="#/whatsapp" data-testid="open-whatsapp">
            {t('nav.whatsapp')}
          </a>
          <a className="btn btn-ghost" href="#/knowledge" data-testid="open-knowledge">
            {t('nav.knowledge')}
          </a>
          <a className="btn btn-ghost" href="#/audit" data-testid="open-audit">
            {t('nav.audit')}
          </a>
          <a className="btn btn-ghost" href="#/settings" data-testid="open-settings">
            <Icon name="settings" /> {t('nav.settings')}
          </a>
        </nav>
      </header>

      <main className="flows-main">
        <div className="flows-head">
          <div>
            <h1>{t('heading')}</h1>
            <p className="muted">{t('intro')}</p>
          </div>
          <div className="flows-actions">
            <button type="button" className="btn" onClick={() => fileInput.current?.click()} data-testid="import-flow">
              <Icon name="upload" /> {t('import')}
            </button>
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="new-flow">
              <Icon name="plus" /> {t('new')}
            </button>
            <input
              ref={fileInput}
              type="file"
              accept=".json,application/json"
              hidden
              data-testid="import-input"
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                e.currentTarget.value = '';
                if (file) void importFile(file);
              }}
            />
          </div>
        </div>

        {error && (
          <div className="callout callout-error" role="alert">
            {error}{' '}
            <button type="button" className="link" onClick={() => void reload()}>
              {t('retry')}
            </button>
          </div>
        )}

        {list === null && !error && <p className="muted">{t('loading')}</p>}

        {list && list.flows.length === 0 && (
          <div className="empty-state">
            <h2>{t('empty.title')}</h2>
            <p>{t('empty.text')}</p>
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              <Icon name="plus" /> {t('empty.create')}
            </button>
          </div>
        )}

        {list && list.flows.length > 0 && (
          <ul className="flow-grid" aria-label={t('listLabel')}>
            {list.flows.map((flow) => (
              <FlowCard
                key={flow.id}
                flow={flow}
                onRename={() => setRenaming(flow)}
                onDuplicate={() => void duplicate(flow)}
                onDelete={() => void remove(flow)}
                onExport={() => void exportFlow(flow)}
              />
            ))}
          </ul>
        )}

        {list && list.broken.length > 0 && (
          <section className="broken" aria-labelledby="broken-title" data-testid="broken-flows">
            <h2 id="broken-title">
              <Icon name="alert" /> {t('broken.title')}
            </h2>
            <p className="muted">
              {t('broken.text')}
            </p>
            <ul>
              {list.broken.map((b) => (
                <li key={b.file} className="broken-item" data-testid="broken-flow">
                  <div className="broken-head">
                    <code className="file">{b.file}</code>
                    {b.id !== undefined && (
                      <span className="broken-actions">
                        <a className="btn btn-small" href={`#/flow/${b.id}`}>
                          {t('broken.show')}
                        </a>
                        <button type="button" className="btn btn-small btn-danger-soft" onClick={() => void removeBroken(b.id!, b.file)} aria-label={t('broken.deleteLabel', { file: b.file })}>
                          <Icon name="trash" /> {t('broken.delete')}
                        </button>
                      </span>
                    )}
                  </div>
                  <ul className="broken-problems">
                    {b.problems.map((p, i) => (
                      <li key={i}>{problemMessage(p, i18n.language)}</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          </section>
        )}
      </main>

      {creating && <NewFlowDialog onClose={() => setCreating(false)} />}
      {renaming && (
        <RenameDialog
          flow={renaming}
          onClose={() => setRenaming(null)}
          onDone={() => {
            setRenaming(null);
            void reload();
          }}
        />
      )}
    </div>
  );
}

function FlowCard({ flow, onRename, onDuplicate, onDelete, onExport }: { flow: FlowSummary; onRename(): void; onDuplicate(): void; onDelete(): void; onExport(): void }) {
  const { t } = useTranslation('flows');
  const state =
    flow.errorCount > 0
      ? { tone: 'error', text: t('card.toFix', { count: flow.errorCount }) }
      : flow.warningCount > 0
        ? { tone: 'warning', text: t('card.readyHints', { count: flow.warningCount }) }
        : { tone: 'ok', text: t('card.ready') };
  return (
    <li className="flow-card" data-testid={`flow-card-${flow.id}`} aria-label={flow.name}>
      <a className="flow-card-main" href={`#/flow/${flow.id}`} data-testid={`open-${flow.id}`}>
        <h3>{flow.name}</h3>
        {flow.description && <p className="flow-desc">{flow.description}</p>}
        <div className="flow-meta">
          <span className={`chip chip-${state.tone}`}>{state.text}</span>
          <span className="muted small">{t('card.changed', { ago: timeAgo(flow.updatedAt) })}</span>
        </div>
      </a>
      <div className="flow-card-actions">
        <button type="button" className="btn-icon" onClick={onRename} aria-label={t('card.renameLabel', { name: flow.name })} title={t('card.rename')}>
          <Icon name="edit" />
        </button>
        <button type="button" className="btn-icon" onClick={onDuplicate} aria-label={t('card.duplicateLabel', { name: flow.name })} title={t('card.duplicate')}>
          <Icon name="copy" />
        </button>
        <button type="button" className="btn-icon" onClick={onExport} aria-label={t('card.exportLabel', { name: flow.name })} title={t('card.export')}>
          <Icon name="download" />
        </button>
        <button type="button" className="btn-icon btn-danger" onClick={onDelete} aria-label={t('card.deleteLabel', { name: flow.name })} title={t('card.delete')}>
          <Icon name="trash" />
        </button>
        <span className="file muted small" title={flow.file}>
          {flow.file.split(/[\\/]/).pop()}
        </span>
      </div>
    </li>
  );
}

function NewFlowDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation('flows');
  const api = useApi();
  const [name, setName] = useState('');
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [templateId, setTemplateId] = useState<string>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.call('templates.list', {}).then(
      (out) => setTemplates(out.templates),
      () => setTemplates([]),
    );
  }, [api]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const chosen = templates?.find((tpl) => tpl.id === templateId);
    const finalName = name.trim() || chosen?.name || '';
    if (!finalName) {
      setError(t('create.nameMissing'));
      return;
    }
    setBusy(true);
    try {
      const flow = await api.call('flows.create', { name: finalName, ...(templateId ? { templateId } : {}) });
      onClose();
      navigate({ screen: 'editor', flowId: flow.id });
    } catch (err) {
      setError(userMessage(err));
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('create.title')} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="form">
        <label className="field">
          <span className="field-label">{t('create.name')}</span>
          <input autoFocus value={name} onChange={(e) => setName(e.target.value)} placeholder={t('create.namePlaceholder')} data-testid="new-flow-name" maxLength={120} />
        </label>
        <fieldset className="template-choice">
          <legend className="field-label">{t('create.startFrom')}</legend>
          <label className={`template-option ${templateId === '' ? 'is-chosen' : ''}`}>
            <input type="radio" name="template" checked={templateId === ''} onChange={() => setTemplateId('')} data-testid="template-blank" />
            <strong>{t('create.blank')}</strong>
            <span className="muted small">{t('create.blankHint')}</span>
          </label>
          {templates === null && <p className="muted small">{t('create.loadingExamples')}</p>}
          {templates?.map((tpl) => (
            <label key={tpl.id} className={`template-option ${templateId === tpl.id ? 'is-chosen' : ''}`}>
              <input type="radio" name="template" checked={templateId === tpl.id} onChange={() => setTemplateId(tpl.id)} data-testid={`template-${tpl.id}`} />
              <strong>{tpl.name}</strong>
              {tpl.description && <span className="muted small">{tpl.description}</span>}
            </label>
          ))}
        </fieldset>
        <FormFooter error={error} onCancel={onClose} submit={t('create.submit')} submitTestId="create-flow" disabled={busy} />
      </form>
    </Dialog>
  );
}

/** A dialog form's error line and its Cancel / submit buttons. */
function FormFooter(props: { error: string | null; onCancel(): void; submit: string; submitTestId: string; disabled?: boolean }) {
  const { t } = useTranslation('flows');
  return (
    <>
      {props.error && (
        <p className="field-error" role="alert">
          {props.error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={props.onCancel}>
          {t('cancel')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={props.disabled} data-testid={props.submitTestId}>
          {props.submit}
        </button>
      </div>
    </>
  );
}

function RenameDialog({ flow, onClose, onDone }: { flow: FlowSummary; onClose(): void; onDone(): void }) {
  const { t } = useTranslation('flows');
  const api = useApi();
  const [name, setName] = useState(flow.name);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setError(t('rename.nameMissing'));
      return;
    }
    try {
      await api.call('flows.rename', { id: flow.id, name: name.trim() });
      onDone();
    } catch (err) {
      setError(userMessage(err));
    }
  };
  return (
    <Dialog title={t('rename.title', { name: flow.name })} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="form">
        <label className="field">
          <span className="field-label">{t('rename.name')}</span>
          <input autoFocus value={name} onChange={(e) => setName(e.target.value)} maxLength={120} data-testid="rename-input" />
        </label>
        <FormFooter error={error} onCancel={onClose} submit={t('rename.submit')} submitTestId="rename-save" />
      </form>
    </Dialog>
  );
}
