// Adding documents to a collection: files (read here, sent as base64: the web host has no path)
// or a pasted text; one progress bar per file being indexed, each with Cancel.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KNOWLEDGE_FILE_MAX_BYTES } from '../../../src-main/shared/api/knowledge';
import type { KnowledgeProgress } from '../../../src-main/shared/knowledge';
import { useApi } from '../../api/api-context';
import { userMessage } from '../../api/client';
import { Icon } from '../icons';
import { toast } from '../toasts';

const DEFAULT_COLLECTION = 'documents';

interface Running {
  collection: string;
  name: string;
  progress?: KnowledgeProgress;
}

export function AddDocuments({ collections, onAdded }: { collections: string[]; onAdded: () => Promise<void> }) {
  const { t } = useTranslation('knowledge');
  const api = useApi();
  const [collection, setCollection] = useState(collections[0] ?? DEFAULT_COLLECTION);
  const [pasteTitle, setPasteTitle] = useState('');
  const [pasteText, setPasteText] = useState('');
  const [running, setRunning] = useState<Running[]>([]);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(
    () =>
      api.on('knowledge.progress', ({ collection: c, name, phase, done, total }) =>
        setRunning((list) => list.map((r) => (r.collection === c && r.name === name ? { ...r, progress: { phase, done, total } } : r))),
      ),
    [api],
  );

  const add = async (name: string, content: { base64: string } | { text: string }) => {
    const target = collection.trim() || DEFAULT_COLLECTION;
    setRunning((list) => [...list, { collection: target, name }]);
    try {
      const result = await api.call('knowledge.add', { collection: target, name, ...content });
      if (result.status === 'failed') toast({ message: result.error ?? t('add.failed', { name }), tone: 'error' });
      else if (result.status === 'cancelled') toast({ message: t('add.cancelled', { name }), tone: 'info' });
      else toast({ message: t(result.status === 'unchanged' ? 'add.unchanged' : 'add.indexed', { name, count: result.passages ?? 0 }), tone: 'success' });
    } catch (e) {
      toast({ message: userMessage(e), tone: 'error' });
    } finally {
      setRunning((list) => list.filter((r) => !(r.collection === target && r.name === name)));
      await onAdded();
    }
  };

  const addFiles = async (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      if (file.size > KNOWLEDGE_FILE_MAX_BYTES) toast({ message: t('add.tooBig', { name: file.name, mb: KNOWLEDGE_FILE_MAX_BYTES / 1_000_000 }), tone: 'error' });
      else await add(file.name, { base64: await base64Of(file) });
    }
    if (fileInput.current) fileInput.current.value = '';
  };

  const addPasted = async () => {
    if (!pasteTitle.trim() || !pasteText.trim()) return;
    await add(pasteTitle.trim(), { text: pasteText });
    setPasteTitle('');
    setPasteText('');
  };

  return (
    <section className="knowledge-add" aria-label={t('add.title')}>
      <h2>{t('add.title')}</h2>
      <label className="field">
        <span className="field-label">{t('add.collection')}</span>
        <input value={collection} onChange={(e) => setCollection(e.target.value)} list="knowledge-collection-names" data-testid="knowledge-collection-name" />
        <datalist id="knowledge-collection-names">
          {collections.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <span className="field-hint">{t('add.collectionHint')}</span>
      </label>
      <div className="knowledge-add-row">
        <button type="button" className="btn btn-primary" onClick={() => fileInput.current?.click()} data-testid="knowledge-add-files">
          <Icon name="upload" /> {t('add.files')}
        </button>
        <span className="muted small">{t('add.formats')}</span>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          accept=".pdf,.docx,.md,.markdown,.txt,.csv,.xlsx,.html,.htm"
          onChange={(e) => void addFiles(e.target.files)}
          data-testid="knowledge-file-input"
        />
      </div>
      <details className="knowledge-paste">
        <summary>{t('add.paste')}</summary>
        <label className="field">
          <span className="field-label">{t('add.pasteTitle')}</span>
          <input value={pasteTitle} onChange={(e) => setPasteTitle(e.target.value)} data-testid="knowledge-paste-title" />
        </label>
        <label className="field">
          <span className="field-label">{t('add.pasteText')}</span>
          <textarea rows={6} value={pasteText} onChange={(e) => setPasteText(e.target.value)} data-testid="knowledge-paste-text" />
        </label>
        <button type="button" className="btn" onClick={() => void addPasted()} disabled={!pasteTitle.trim() || !pasteText.trim()} data-testid="knowledge-paste-add">
          {t('add.pasteAdd')}
        </button>
      </details>
      {running.map((r) => {
        const percent = r.progress && r.progress.total > 0 ? Math.round((100 * r.progress.done) / r.progress.total) : 0;
        return (
          <div key={`${r.collection}/${r.name}`} className="knowledge-progress" data-testid="knowledge-progress">
            <span className="small">{t(`phase.${r.progress?.phase ?? 'parsing'}`, { name: r.name })}</span>
            <div className="progress" role="progressbar" aria-label={r.name} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
              <div className="progress-fill" style={{ width: `${percent}%` }} />
            </div>
            <button type="button" className="btn btn-ghost" onClick={() => void api.call('knowledge.cancel', { collection: r.collection, name: r.name })} data-testid="knowledge-cancel">
              {t('common:actions.cancel')}
            </button>
          </div>
        );
      })}
    </section>
  );
}

/** A file's bytes as base64, in slices (String.fromCharCode on a whole file overflows the stack). */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
