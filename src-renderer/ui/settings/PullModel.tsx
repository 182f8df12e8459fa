// Pulling a model into Ollama with a progress bar (Ollama's own status words, bytes of each
// layer), cancellable. Progress arrives as `llm.pullProgress` events for our pullId.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { LlmTarget, PullProgress } from '../../../src-main/shared/api/settings';
import { useApi } from '../../api/api-context';
import { formatNumber } from '../time';
import { toast } from '../toasts';
import { attempt } from './use-settings';

export function PullModel({ llm, onPulled }: { llm: LlmTarget; onPulled(model: string): void }) {
  const { t } = useTranslation('settings');
  const api = useApi();
  const [model, setModel] = useState('');
  const [pullId, setPullId] = useState<string | null>(null);
  const [events, setEvents] = useState<PullProgress[]>([]);

  // Subscribed before the call: the first event can arrive before the call's answer.
  useEffect(() => api.on('llm.pullProgress', (p) => setEvents((all) => [...all.slice(-2000), p])), [api]);

  const mine = useMemo(() => (pullId ? events.filter((e) => e.pullId === pullId) : []), [events, pullId]);
  const last = mine.at(-1);
  const percent = useMemo(() => overallPercent(mine), [mine]);
  const running = pullId !== null && (last === undefined || last.state === 'running');

  // Once per pull: the end is announced and the model chosen.
  const announced = useRef<string | null>(null);
  useEffect(() => {
    if (!last || last.state !== 'done' || announced.current === last.pullId) return;
    announced.current = last.pullId;
    toast({ message: t('pull.ready', { model: last.model }), tone: 'success' });
    onPulled(last.model);
  }, [last, onPulled, t]);

  const start = () =>
    attempt(async () => {
      setEvents([]);
      const out = await api.call('llm.pull', { model: model.trim(), llm });
      setPullId(out.pullId);
    });

  return (
    <div className="pull-model" data-testid="pull-model">
      <h3>{t('pull.title')}</h3>
      <p className="muted small">{t('pull.intro')}</p>
      <div className="row">
        <input value={model} onChange={(e) => setModel(e.target.value)} placeholder={t('pull.placeholder')} aria-label={t('pull.label')} data-testid="pull-name" disabled={running} />
        {running ? (
          <button type="button" className="btn" onClick={() => pullId && void attempt(() => api.call('llm.pullCancel', { pullId }))} data-testid="pull-cancel">
            {t('common:actions.cancel')}
          </button>
        ) : (
          <button type="button" className="btn btn-primary" disabled={!model.trim()} onClick={() => void start()} data-testid="pull-start">
            {t('pull.start')}
          </button>
        )}
      </div>
      {pullId && (
        <div className={`pull-progress pull-${last?.state ?? 'running'}`} data-testid="pull-progress" data-state={last?.state ?? 'running'}>
          <div className="progress" role="progressbar" aria-label={t('pull.pulling', { model: last?.model ?? model })} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} data-testid="pull-bar">
            <div className="progress-fill" style={{ width: `${percent}%` }} />
          </div>
          <span className="small" data-testid="pull-status">
            {describe(t, last, percent)}
          </span>
        </div>
      )}
    </div>
  );
}

/** Bytes done over bytes known, across the layers seen so far (the last line of each layer counts). */
function overallPercent(events: PullProgress[]): number {
  if (events.at(-1)?.state === 'done') return 100;
  const layers = new Map<string, { completed: number; total: number }>();
  for (const e of events) if (e.digest && e.total) layers.set(e.digest, { completed: e.completed ?? 0, total: e.total });
  let done = 0;
  let total = 0;
  for (const l of layers.values()) {
    done += l.completed;
    total += l.total;
  }
  return total ? Math.min(100, Math.floor((done / total) * 100)) : 0;
}

function describe(t: TFunction<'settings'>, last: PullProgress | undefined, percent: number): string {
  if (!last) return t('pull.starting');
  if (last.state === 'done') return t('pull.done', { model: last.model });
  if (last.state === 'cancelled') return t('pull.cancelled');
  if (last.state === 'failed') return last.error ?? t('pull.failed');
  // Ollama's own status words ("pulling manifest"), which it gives in English only.
  return last.total ? t('pull.status', { status: last.status, percent: formatNumber(percent / 100, { style: 'percent' }) }) : last.status;
}
