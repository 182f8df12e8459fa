// What the bot did and why, step by step: steps entered, model requests with their streamed text
// and response, tool calls with arguments and results, confirmations asked and answered,
// blocked calls with the reason, and dry-run calls (what would have been called).
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useEditorStore } from '../../editor/editor-context';
import { traceOf, type TraceEntry } from './sim-recording';
import { showArgs, showValue } from './show-value';
import { formatNumber } from '../time';
import { useSimulator } from './SimulatorProvider';
import { useStepNames, type StepNames } from './use-step-name';

type ToolEntry = Extract<TraceEntry, { kind: 'tool' }>;

// Words in the `simulator` catalogue: trace.tool.<status>, trace.disposition.<disposition>,
// trace.waiting.<awaiting>, trace.finished.<status>.
const TOOL_TONE: Record<ToolEntry['event']['status'], string> = { executed: 'ok', declined: 'muted', blocked: 'bad', error: 'bad', dry_run: 'dry' };

export function SimTrace() {
  const { t } = useTranslation('simulator');
  const events = useSimulator((s) => s.recording?.events);
  const startAt = useSimulator((s) => s.recording?.startAt);
  const dryRun = useSimulator((s) => s.recording?.dryRun ?? false);
  const entries = useMemo(() => (events ? traceOf({ events, dryRun, ...(startAt !== undefined ? { startAt } : {}) }) : []), [events, startAt, dryRun]);
  const names = useStepNames();
  const store = useEditorStore();
  const focus = (id: string) => store.getState().focusOn([id]);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [events]);

  if (entries.length === 0) return <p className="sim-empty">{t('trace.empty')}</p>;
  return (
    <ol className="trace" ref={list} data-testid="sim-trace">
      {entries.map((entry) => (
        <TraceItem key={entry.key} entry={entry} names={names} focus={focus} />
      ))}
    </ol>
  );
}

function TraceItem({ entry, names, focus }: { entry: TraceEntry; names: StepNames; focus: (id: string) => void }) {
  const { t } = useTranslation('simulator');
  const link = (id: string | null) =>
    id ? (
      <button type="button" className="link trace-link" onClick={() => focus(id)} title={t('trace.showStep')}>
        “{names.name(id)}”
      </button>
    ) : (
      <span>{t('trace.theStart')}</span>
    );

  switch (entry.kind) {
    case 'started':
      return (
        <Item kind="started" tone="muted" title={<>{t('trace.started')}{entry.startAt ? <> {t('trace.at')} {link(entry.startAt)}</> : ''}</>}>
          {entry.dryRun && <p className="trace-note">{t('trace.dryRun')}</p>}
        </Item>
      );
    case 'step':
      return (
        <Item kind="step" tone="step" title={<><span aria-hidden="true">→ </span>{link(entry.nodeId)}</>}>
          <p className="trace-note">{entry.awaiting ? t(`trace.waiting.${entry.awaiting}`) : entry.status === 'new' || entry.status === 'active' ? '' : t(`trace.finished.${entry.status}`)}</p>
        </Item>
      );
    case 'llm':
      return (
        <Item kind="llm" tone="ai" title={<>{t('trace.aiRequest')}{entry.round > 0 ? ` ${t('trace.round', { round: entry.round + 1 })}` : ''} {t('trace.at')} {link(entry.nodeId)}</>}>
          <p className="trace-note">
            {t('trace.messages', { count: entry.messages })}
            {' · '}
            {entry.tools.length ? t('trace.toolsOffered', { tools: entry.tools.join(', ') }) : t('trace.noTools')}
          </p>
          <div className="trace-label">{entry.response ? t('trace.response') : t('trace.streaming')}</div>
          <pre className="trace-pre" data-testid="trace-llm-text">{entry.response ? entry.response.text || t('trace.noText') : entry.streamed || '…'}</pre>
          {entry.response && entry.response.toolCalls.length > 0 && (
            <>
              <div className="trace-label">{t('trace.toolCalls')}</div>
              <pre className="trace-pre">{entry.response.toolCalls.map((c) => `${c.name}(${showValue(c.rawArguments ?? c.arguments, 0)})`).join('\n')}</pre>
            </>
          )}
        </Item>
      );
    case 'proposed':
      return (
        <Item kind="proposed" tone={entry.disposition === 'read' ? 'ai' : entry.disposition === 'write' ? 'ask' : 'bad'} title={<>{t('trace.aiAsksFor', { name: entry.name })}</>}>
          <p className="trace-note">{t(`trace.disposition.${entry.disposition}`)}</p>
          <pre className="trace-pre">{showValue(entry.arguments)}</pre>
        </Item>
      );
    case 'knowledge':
      return (
        <Item kind="knowledge" tone="ai" title={<>{t('trace.knowledge')} {t('trace.at')} {link(entry.nodeId)}</>} badge={t('trace.passages', { count: entry.passages.length })}>
          <p className="trace-note">“{entry.query}”</p>
          {entry.passages.length === 0 && <p className="trace-note">{t('trace.nothingFound')}</p>}
          {entry.passages.map((p) => (
            <div key={p.id} data-testid="trace-passage">
              <div className="trace-label">
                {[p.collection, p.source, p.heading].filter(Boolean).join(' › ')}
                {p.page !== undefined ? ` · ${t('trace.page', { page: p.page })}` : ''} · {t('trace.score', { score: p.score.toFixed(3) })}
              </div>
              <pre className="trace-pre">{p.text}</pre>
            </div>
          ))}
        </Item>
      );
    case 'confirmation':
      return (
        <Item
          kind="confirmation"
          tone="ask"
          title={<>{t('trace.askedToConfirm', { server: entry.server, tool: entry.tool })}</>}
          badge={entry.answer === 'yes' ? t('trace.saidYes') : entry.answer === 'no' ? t('trace.saidNo') : t('trace.waitingAnswer')}
          data={{ answer: entry.answer ?? 'waiting' }}
        >
          <p className="trace-note">{t('trace.at')} {link(entry.nodeId)}</p>
          <pre className="trace-pre">{showValue(entry.args)}</pre>
        </Item>
      );
    case 'tool': {
      const e = entry.event;
      const tone = TOOL_TONE[e.status];
      return (
        <Item kind="tool" tone={tone} title={<>{t(`trace.tool.${e.status}`)} {e.server} · {e.tool}</>} badge={t(`trace.status.${e.status}`)} data={{ status: e.status }}>
          <p className="trace-note">
            {t('trace.at')} {link(e.nodeId)}
            {e.status === 'executed' || e.status === 'error' ? ` · ${t('trace.duration', { ms: formatNumber(e.durationMs) })}` : ''}
          </p>
          <div className="trace-label">{t('trace.arguments')}</div>
          <pre className="trace-pre" title={showArgs(e.args)}>{showValue(e.args)}</pre>
          {e.reason && <p className={`trace-reason tone-text-${tone}`}>{names.inText(e.reason)}</p>}
          {e.result !== undefined && e.status !== 'dry_run' && (
            <>
              <div className="trace-label">{t('trace.result')}</div>
              <pre className="trace-pre">{showValue(e.result)}</pre>
            </>
          )}
        </Item>
      );
    }
    case 'end':
      return (
        <Item kind="end" tone={entry.status === 'failed' ? 'bad' : 'muted'} title={t(entry.status === 'ended' ? 'trace.ended' : entry.status === 'handoff' ? 'trace.handedOver' : 'trace.failed')}>
          {entry.reason && <p className="trace-note">{names.inText(entry.reason)}</p>}
        </Item>
      );
    case 'error':
      return (
        <Item kind="error" tone="bad" title={t('trace.error')}>
          <p className="trace-reason">{names.inText(entry.message)}</p>
        </Item>
      );
  }
}

function Item({
  kind,
  tone,
  title,
  badge,
  data,
  children,
}: {
  kind: TraceEntry['kind'];
  tone: string;
  title: ReactNode;
  badge?: string;
  data?: Record<string, string>;
  children?: ReactNode;
}) {
  const attributes = Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [`data-${k}`, v]));
  return (
    <li className={`trace-item trace-${tone}`} data-testid="trace-entry" data-kind={kind} {...attributes}>
      <div className="trace-title">
        <span>{title}</span>
        {badge && <span className={`trace-badge trace-badge-${tone}`}>{badge}</span>}
      </div>
      {children}
    </li>
  );
}
