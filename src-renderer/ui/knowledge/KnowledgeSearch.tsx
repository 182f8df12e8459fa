// "Try a question": the passages an AI step naming these collections would be given, with their
// scores (fused rank; BM25 and similarity where they found it) and sources.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KnowledgeHit } from '../../../src-main/shared/knowledge';
import { useApi } from '../../api/api-context';
import { userMessage } from '../../api/client';

export function KnowledgeSearch({ collections }: { collections: string[] }) {
  const { t } = useTranslation('knowledge');
  const api = useApi();
  const [query, setQuery] = useState('');
  const [only, setOnly] = useState('');
  const [hits, setHits] = useState<KnowledgeHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const search = async () => {
    if (!query.trim()) return;
    try {
      setHits((await api.call('knowledge.search', { query, ...(only ? { collections: [only] } : {}) })).hits);
      setError(null);
    } catch (e) {
      setError(userMessage(e));
    }
  };

  return (
    <section className="knowledge-search" aria-label={t('search.title')}>
      <h2>{t('search.title')}</h2>
      <form
        className="knowledge-search-form"
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <input value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('search.placeholder')} aria-label={t('search.question')} data-testid="knowledge-query" />
        <select value={only} onChange={(e) => setOnly(e.target.value)} aria-label={t('search.in')}>
          <option value="">{t('search.all')}</option>
          {collections.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <button type="submit" className="btn btn-primary" disabled={!query.trim()} data-testid="knowledge-search">
          {t('search.button')}
        </button>
      </form>
      {error && (
        <div className="callout callout-error" role="alert">
          {error}
        </div>
      )}
      {hits?.length === 0 && <p className="muted" data-testid="knowledge-no-hits">{t('search.nothing')}</p>}
      <ol className="knowledge-hits">
        {hits?.map((hit) => (
          <li key={hit.id} className="knowledge-hit" data-testid="knowledge-hit">
            <div className="knowledge-hit-source small">
              <strong>{[hit.collection, hit.source, hit.heading].filter(Boolean).join(' › ')}</strong>
              {hit.page !== undefined && <> · {t('search.page', { page: hit.page })}</>}
              <span className="muted">
                {' · '}
                {t('search.score', { score: hit.score.toFixed(3) })}
                {hit.bm25 !== undefined && ` · ${t('search.bm25', { value: hit.bm25.toFixed(2) })}`}
                {hit.similarity !== undefined && ` · ${t('search.similarity', { value: hit.similarity.toFixed(2) })}`}
              </span>
            </div>
            <p className="knowledge-hit-text">{hit.text}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}
