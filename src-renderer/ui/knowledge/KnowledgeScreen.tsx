// The active bot's knowledge collections: the documents its AI steps answer from. Add files (or a
// pasted text) to a collection and watch them being indexed (with Cancel), see each file's status,
// passages and the reason a file failed, remove files or collections, and try a question.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KnowledgeCollection } from '../../../src-main/shared/knowledge';
import { useApi } from '../../api/api-context';
import { userMessage } from '../../api/client';
import { Icon } from '../icons';
import { toast } from '../toasts';
import { AddDocuments } from './AddDocuments';
import { KnowledgeSearch } from './KnowledgeSearch';
import './knowledge.css';
import { BackToFlows } from '../BackToFlows';

export function KnowledgeScreen() {
  const { t, i18n } = useTranslation('knowledge');
  const api = useApi();
  const [collections, setCollections] = useState<KnowledgeCollection[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = t('screen.documentTitle');
  }, [t, i18n.language]);

  const load = useCallback(async () => {
    try {
      setCollections((await api.call('knowledge.list', {})).collections);
      setError(null);
    } catch (e) {
      setError(userMessage(e));
    }
  }, [api]);

  useEffect(() => {
    void load();
    const offChanged = api.on('knowledge.changed', () => void load());
    const offBots = api.on('bots.changed', () => void load()); // another bot became the active one
    return () => {
      offChanged();
      offBots();
    };
  }, [api, load]);

  const remove = async (collection: string, name?: string) => {
    try {
      await api.call('knowledge.remove', { collection, ...(name !== undefined ? { name } : {}) });
      toast({ message: name === undefined ? t('screen.collectionRemoved', { collection }) : t('screen.fileRemoved', { name }), tone: 'success' });
    } catch (e) {
      toast({ message: userMessage(e), tone: 'error' });
    }
    await load();
  };

  return (
    <div className="knowledge-screen">
      <header className="app-bar">
        <BackToFlows />
        <h1 className="app-bar-title">{t('screen.title')}</h1>
      </header>
      <main className="knowledge-main">
        <p className="muted knowledge-intro">{t('screen.intro')}</p>
        {error && (
          <div className="callout callout-error" role="alert" data-testid="knowledge-error">
            {error}{' '}
            <button type="button" className="link" onClick={() => void load()}>
              {t('common:actions.tryAgain')}
            </button>
          </div>
        )}
        <AddDocuments collections={collections?.map((c) => c.name) ?? []} onAdded={load} />
        <section className="knowledge-collections" aria-label={t('screen.collections')}>
          {collections === null && !error && <p className="muted">{t('common:loading')}</p>}
          {collections?.length === 0 && <p className="empty-state" data-testid="knowledge-empty">{t('screen.none')}</p>}
          {collections?.map((c) => (
            <div key={c.name} className="knowledge-collection" data-testid="knowledge-collection" data-name={c.name}>
              <div className="knowledge-collection-head">
                <h2>{c.name}</h2>
                <span className="muted small">{t('screen.language', { language: c.language })}</span>
                <div className="bar-spacer" />
                <button type="button" className="btn btn-ghost" onClick={() => void remove(c.name)} data-testid="remove-collection">
                  <Icon name="trash" /> {t('screen.removeCollection')}
                </button>
              </div>
              <table className="knowledge-files">
                <thead>
                  <tr>
                    <th>{t('screen.file')}</th>
                    <th>{t('screen.status')}</th>
                    <th>{t('screen.passages')}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {c.files.map((f) => (
                    <tr key={f.name} data-testid="knowledge-file" data-name={f.name} data-status={f.status}>
                      <td>{f.name}</td>
                      <td>
                        <span className={`chip ${f.status === 'indexed' ? 'chip-ok' : f.status === 'failed' ? 'chip-error' : 'chip-muted'}`}>{t(`status.${f.status}`)}</span>
                        {f.error && <p className="knowledge-file-error small">{f.error}</p>}
                      </td>
                      <td data-testid="knowledge-passages">
                        {f.passages}
                        {f.embedded > 0 && <span className="muted small"> · {t('screen.embedded', { count: f.embedded })}</span>}
                      </td>
                      <td>
                        <button type="button" className="btn btn-ghost" onClick={() => void remove(c.name, f.name)} aria-label={t('screen.removeFile', { name: f.name })}>
                          <Icon name="trash" />
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        </section>
        {collections && collections.length > 0 && <KnowledgeSearch collections={collections.map((c) => c.name)} />}
      </main>
    </div>
  );
}
