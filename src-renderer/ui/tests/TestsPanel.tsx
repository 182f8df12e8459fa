// The flow's conversation test cases, beside the canvas: run them all or one by one, see which
// passed, and for a failed one exactly what differed (turn, expectation, expected vs got).
// Cases run one per call, so each turns green or red as soon as it finished.
// Write tools are dry runs (confirmed, guarded and compared, never sent) unless the owner turns
// on "Live" for this panel: a case file scripts its own "yes", so it must never write by itself.
import { useCallback, useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { ApiOutput } from '../../../src-main/shared/api-contract';
import type { TestCaseResult } from '../../../src-main/shared/test-case';
import { useApi } from '../../api/api-context';
import { userMessage } from '../../api/client';
import { refusalText } from '../../i18n/run-blocker-text';
import { Dialog } from '../Dialog';
import { Icon } from '../icons';
import { formatNumber } from '../time';
import { toast } from '../toasts';
import './tests.css';

type Listing = ApiOutput<'tests.list'>;
type CaseEntry = Listing['cases'][number];
type CaseState = { kind: 'running' } | { kind: 'done'; result: TestCaseResult };

export interface TestsPanelProps {
  flowId: string;
  /** Called before a run, e.g. to save the flow being edited: cases run against the saved flow. */
  beforeRun?: () => Promise<void>;
  onClose?: () => void;
}

export function TestsPanel({ flowId, beforeRun, onClose }: TestsPanelProps) {
  const { t } = useTranslation('tests');
  const api = useApi();
  const [listing, setListing] = useState<Listing | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [states, setStates] = useState<Record<string, CaseState>>({});
  const [running, setRunning] = useState(false);
  const [live, setLive] = useState(false);
  const [deleting, setDeleting] = useState<CaseEntry | null>(null);

  const load = useCallback(() => {
    api.call('tests.list', { flowId }).then(
      (out) => {
        setListing(out);
        setLoadError(null);
      },
      (e: unknown) => setLoadError(userMessage(e)),
    );
  }, [api, flowId]);

  useEffect(() => {
    load();
    return api.on('tests.changed', (payload) => {
      if (payload.flowId === flowId) load();
    });
  }, [api, flowId, load]);

  const runCases = async (entries: CaseEntry[]) => {
    if (running || entries.length === 0) return;
    setRunning(true);
    try {
      await beforeRun?.();
      for (const entry of entries) {
        setStates((s) => ({ ...s, [entry.id]: { kind: 'running' } }));
        try {
          const out = await api.call('tests.run', { flowId, names: [entry.id], ...(live ? { live: true } : {}) });
          const result = out.results[0];
          if (result) setStates((s) => ({ ...s, [entry.id]: { kind: 'done', result } }));
        } catch (e) {
          const result: TestCaseResult = { name: entry.name, flowId, passed: false, error: userMessage(e), results: [], diff: '', durationMs: 0 };
          setStates((s) => ({ ...s, [entry.id]: { kind: 'done', result } }));
        }
      }
    } catch (e) {
      toast({ message: t('panel.notSavedBeforeRun', { reason: userMessage(e) }), tone: 'error' });
    } finally {
      setRunning(false);
    }
  };

  const cases = listing?.cases ?? [];
  const done = cases.flatMap((c) => {
    const state = states[c.id];
    return state?.kind === 'done' ? [state.result] : [];
  });
  const passedCount = done.filter((r) => r.passed).length;

  return (
    <aside className="tests-panel" aria-labelledby="tests-title" data-testid="tests-panel">
      <header className="tests-head">
        <h2 id="tests-title" className="panel-title">
          {t('panel.title')}
        </h2>
        <div className="bar-spacer" />
        <label className="tests-live" title={t('panel.liveTitle')}>
          <input type="checkbox" role="switch" checked={live} disabled={running} onChange={(e) => setLive(e.target.checked)} data-testid="tests-live" />
          {t('panel.live')}
        </label>
        <button type="button" className="btn btn-primary btn-small" disabled={running || cases.length === 0} onClick={() => void runCases(cases)} data-testid="tests-run-all">
          {running ? t('panel.running') : t('panel.runAll')}
        </button>
        {onClose && (
          <button type="button" className="btn-icon" onClick={onClose} aria-label={t('panel.close')} data-testid="tests-close">
            <Icon name="close" />
          </button>
        )}
      </header>
      <div className="tests-body">
        {live ? (
          <p className="callout callout-error tests-live-banner" role="alert" data-testid="tests-live-banner">
            {t('panel.liveBanner')}
          </p>
        ) : (
          <p className="panel-hint" data-testid="tests-dry-hint">
            {t('panel.dryHint')}
          </p>
        )}
        {loadError && (
          <p className="callout callout-error" role="alert">
            {loadError}
          </p>
        )}
        {listing === null && !loadError && <p className="panel-hint">{t('panel.loading')}</p>}
        {listing !== null && cases.length === 0 && listing.broken.length === 0 && (
          <p className="panel-hint" data-testid="tests-empty">
            {t('panel.empty')}
          </p>
        )}
        {done.length > 0 && (
          <p className={`tests-summary ${passedCount === done.length ? 'is-passed' : 'is-failed'}`} data-testid="tests-summary" role="status">
            {t('panel.summary', { passed: passedCount, failed: done.length - passedCount })}
          </p>
        )}
        <ul className="tests-list">
          {cases.map((entry) => (
            <CaseItem key={entry.id} entry={entry} state={states[entry.id]} disabled={running} onRun={() => void runCases([entry])} onDelete={() => setDeleting(entry)} />
          ))}
        </ul>
        {listing !== null && listing.broken.length > 0 && (
          <section className="tests-broken" data-testid="tests-broken">
            <h3 className="section-title">{t('panel.broken')}</h3>
            <ul>
              {listing.broken.map((b) => (
                <li key={b.id}>
                  <code>{b.file}</code>
                  <ul>
                    {b.problems.map((p, i) => (
                      <li key={i} className="small">
                        {p.message}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
      {deleting && (
        <DeleteDialog
          entry={deleting}
          onClose={() => setDeleting(null)}
          onDelete={async () => {
            await api.call('tests.delete', { flowId, name: deleting.id });
            setStates(({ [deleting.id]: _gone, ...rest }) => rest);
            setDeleting(null);
            toast({ message: t('panel.deleted', { name: deleting.name }), tone: 'info' });
          }}
        />
      )}
    </aside>
  );
}

function CaseItem({ entry, state, disabled, onRun, onDelete }: { entry: CaseEntry; state: CaseState | undefined; disabled: boolean; onRun(): void; onDelete(): void }) {
  const { t } = useTranslation('tests');
  const status = state === undefined ? 'not-run' : state.kind === 'running' ? 'running' : state.result.passed ? 'passed' : 'failed';
  const label = t(`case.status.${status}`);
  const result = state?.kind === 'done' ? state.result : undefined;
  const turns = entry.testCase.turns.length;
  return (
    <li className={`test-case test-${status}`} data-testid={`test-case-${entry.id}`} data-status={status}>
      <div className="test-case-head">
        <span className={`test-badge badge-${status}`} data-testid={`test-status-${entry.id}`}>
          {status === 'passed' && <Icon name="check" />}
          {status === 'failed' && <Icon name="alert" />}
          {label}
        </span>
        <span className="test-name" title={entry.file}>
          {entry.name}
        </span>
        <button type="button" className="btn btn-small" disabled={disabled} onClick={onRun} data-testid={`test-run-${entry.id}`}>
          {t('case.run')}
        </button>
        <button type="button" className="btn-icon btn-danger" disabled={disabled} onClick={onDelete} aria-label={t('case.delete', { name: entry.name })} data-testid={`test-delete-${entry.id}`}>
          <Icon name="trash" />
        </button>
      </div>
      <p className="muted small test-meta">
        {t('case.messages', { count: turns })}
        {result &&
          ` · ${result.durationMs < 1000 ? t('case.ms', { value: formatNumber(Math.round(result.durationMs)) }) : t('case.s', { value: formatNumber(result.durationMs / 1000, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) })}`}
      </p>
      {result && !result.passed && (
        <div className="test-failure" data-testid={`test-failure-${entry.id}`}>
          {result.error && <p className="test-error">{refusalText(result.error, result.errorText, result.blockers)}</p>}
          {result.diff && (
            <pre className="test-diff" data-testid={`test-diff-${entry.id}`}>
              {result.diff}
            </pre>
          )}
        </div>
      )}
    </li>
  );
}

function DeleteDialog({ entry, onClose, onDelete }: { entry: CaseEntry; onClose(): void; onDelete(): Promise<void> }) {
  const { t } = useTranslation('tests');
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog title={t('delete.title')} onClose={onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          onDelete().catch((err: unknown) => setError(userMessage(err)));
        }}
      >
        <p>
          <Trans t={t} i18nKey="delete.explain" values={{ name: entry.name, file: entry.file }} components={{ file: <code /> }} />
        </p>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('common:actions.cancel')}
          </button>
          <button type="submit" className="btn btn-danger-soft" data-testid="test-delete-confirm">
            {t('common:actions.delete')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
