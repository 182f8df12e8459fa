// The audit log: every tool call the bots made (executed, blocked, declined, error), newest
// first, with filters, one call's details, "Verify" (is the hash chain intact, or which record
// breaks it) and export to JSONL or CSV. Read-only: nothing here changes the log.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { AuditFacets, AuditPage } from '../../../src-main/shared/api/audit';
import { useApi } from '../../api/api-context';
import { userMessage } from '../../api/client';
import { Icon } from '../icons';
import { toast } from '../toasts';
import { AuditDetails } from './AuditDetails';
import { AuditFilters } from './AuditFilters';
import { AuditTable } from './AuditTable';
import { EMPTY_FILTERS, isFiltered, rangeProblem, toApiFilter, type FilterForm } from './audit-view';
import { downloadText } from './download';
import { VerifyResult, type Verification } from './VerifyResult';
import './audit.css';
import { BackToFlows } from '../BackToFlows';

const PAGE_SIZE = 100;
/** Typing in a filter waits this long before asking again. */
const FILTER_DELAY_MS = 250;

export function AuditScreen() {
  const { t, i18n } = useTranslation('audit');
  const api = useApi();
  const [form, setForm] = useState<FilterForm>(EMPTY_FILTERS);
  const filterKey = useDebounced(JSON.stringify(toApiFilter(form)), FILTER_DELAY_MS);
  const filter = useMemo(() => JSON.parse(filterKey) as ReturnType<typeof toApiFilter>, [filterKey]);
  const blocked = rangeProblem(form) !== undefined;

  const [page, setPage] = useState<AuditPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [facets, setFacets] = useState<AuditFacets | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [verification, setVerification] = useState<Verification | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [exporting, setExporting] = useState<'jsonl' | 'csv' | null>(null);
  /** Only the newest request may set the page: filters change faster than answers come. */
  const request = useRef(0);

  useEffect(() => {
    document.title = t('screen.documentTitle');
  }, [t, i18n.language]);

  const load = useCallback(async () => {
    if (blocked) return;
    const mine = ++request.current;
    try {
      const [first, values] = await Promise.all([api.call('audit.list', { ...filter, limit: PAGE_SIZE }), api.call('audit.facets', {})]);
      if (mine !== request.current) return;
      setPage(first);
      setFacets(values);
      setError(null);
    } catch (e) {
      if (mine === request.current) setError(userMessage(e));
    }
  }, [api, filter, blocked]);

  useEffect(() => {
    void load();
  }, [load]);

  const loadMore = async () => {
    if (!page || page.nextBefore === null) return;
    const mine = ++request.current;
    setLoadingMore(true);
    try {
      const next = await api.call('audit.list', { ...filter, limit: PAGE_SIZE, before: page.nextBefore });
      if (mine === request.current) setPage({ ...next, records: [...page.records, ...next.records] });
    } catch (e) {
      toast({ message: userMessage(e), tone: 'error' });
    } finally {
      setLoadingMore(false);
    }
  };

  const verify = async () => {
    setVerifying(true);
    try {
      setVerification(await api.call('audit.verify', {}));
    } catch (e) {
      toast({ message: userMessage(e), tone: 'error' });
    } finally {
      setVerifying(false);
    }
  };

  const exportAs = async (format: 'jsonl' | 'csv') => {
    setExporting(format);
    try {
      // The filters as the form shows them now (the table follows them after a short pause).
      const { fileName, text, count } = await api.call('audit.export', { format, ...toApiFilter(form) });
      downloadText(fileName, text, format === 'csv' ? 'text/csv;charset=utf-8' : 'application/x-ndjson;charset=utf-8');
      toast({ message: t('screen.exported', { count, fileName }), tone: 'success' });
    } catch (e) {
      toast({ message: userMessage(e), tone: 'error' });
    } finally {
      setExporting(null);
    }
  };

  const closeDetails = useCallback(() => setSelected(null), []);
  const brokenSeq = verification && !verification.ok ? verification.seq : null;
  const filtered = isFiltered(form);

  return (
    <div className="audit-screen">
      <header className="app-bar">
        <BackToFlows />
        <h1 className="app-bar-title">{t('screen.title')}</h1>
        <div className="bar-spacer" />
        <button type="button" className="btn" onClick={() => void load()} data-testid="audit-refresh">
          {t('screen.refresh')}
        </button>
        <button type="button" className="btn" onClick={() => void verify()} disabled={verifying} data-testid="audit-verify">
          <Icon name="check" /> {verifying ? t('screen.verifying') : t('screen.verify')}
        </button>
        <button type="button" className="btn" onClick={() => void exportAs('jsonl')} disabled={exporting !== null || blocked} data-testid="export-jsonl">
          <Icon name="download" /> JSONL
        </button>
        <button type="button" className="btn" onClick={() => void exportAs('csv')} disabled={exporting !== null || blocked} data-testid="export-csv">
          <Icon name="download" /> CSV
        </button>
      </header>

      <main className="audit-main">
        <p className="muted audit-intro">
          <Trans t={t} i18nKey="screen.intro" components={{ code: <code /> }} /> {filtered && t('screen.exportsFiltered')}
        </p>

        {verification && <VerifyResult result={verification} onShow={(seq) => setSelected(seq)} onDismiss={() => setVerification(null)} />}

        <AuditFilters form={form} facets={facets} onChange={setForm} />

        {error && (
          <div className="callout callout-error" role="alert" data-testid="audit-error">
            {error}{' '}
            <button type="button" className="link" onClick={() => void load()}>
              {t('common:actions.tryAgain')}
            </button>
          </div>
        )}

        <div className={`audit-body${selected !== null ? ' has-details' : ''}`}>
          <section className="audit-list" aria-label={t('screen.toolCalls')}>
            {page === null && !error && <p className="muted">{t('screen.loading')}</p>}
            {page && page.total === 0 && (
              <div className="empty-state" data-testid="audit-empty">
                {filtered ? (
                  <>
                    <h2>{t('screen.noneMatch')}</h2>
                    <p>{t('screen.noneMatchHint')}</p>
                    <button type="button" className="btn" onClick={() => setForm(EMPTY_FILTERS)}>
                      {t('filters.clear')}
                    </button>
                  </>
                ) : (
                  <>
                    <h2>{t('screen.noneYet')}</h2>
                    <p>{t('screen.noneYetHint')}</p>
                  </>
                )}
              </div>
            )}
            {page && page.total > 0 && (
              <>
                <p className="muted small audit-count" data-testid="audit-count">
                  {page.records.length === page.total
                    ? filtered
                      ? t('screen.countMatch', { count: page.total })
                      : t('screen.count', { count: page.total })
                    : t('screen.showingNewest', { shown: page.records.length, count: page.total })}
                </p>
                <AuditTable records={page.records} selected={selected} broken={brokenSeq} onSelect={setSelected} />
                {page.nextBefore !== null && (
                  <button type="button" className="btn audit-more" onClick={() => void loadMore()} disabled={loadingMore} data-testid="audit-more">
                    {loadingMore ? t('common:loading') : t('screen.showOlder')}
                  </button>
                )}
              </>
            )}
          </section>
          {selected !== null && (
            <AuditDetails
              key={selected}
              seq={selected}
              broken={brokenSeq === selected && verification && !verification.ok ? verification.reason : undefined}
              onClose={closeDetails}
              onFilterConversation={(conversationId) => setForm({ ...EMPTY_FILTERS, conversationId })}
            />
          )}
        </div>
      </main>
    </div>
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
