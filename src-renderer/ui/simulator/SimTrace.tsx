// What the bot did and why, step by step: steps entered, model requests with their streamed text
// and response, tool calls with arguments and results, confirmations asked and answered,
// blocked calls with the reason, and dry-run calls (what would have been called).
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useEditorStore } from '../../editor/editor-context';
import { traceOf, type TraceEntry } from './sim-recording';
import { showArgs, showValue } from './show-value';
import { useSimulator } from './SimulatorProvider';
import { useStepNames, type StepNames } from './use-step-name';

type ToolEntry = Extract<TraceEntry, { kind: 'tool' }>;

const TOOL_STATUS: Record<ToolEntry['event']['status'], { title: string; tone: string }> = {
  executed: { title: 'Tool call', tone: 'ok' },
  declined: { title: 'Not called: the customer said no', tone: 'muted' },
  blocked: { title: 'Blocked', tone: 'bad' },
  error: { title: 'Tool call failed', tone: 'bad' },
  dry_run: { title: 'Dry run: would have called', tone: 'dry' },
};

const DISPOSITION: Record<Extract<TraceEntry, { kind: 'proposed' }>['disposition'], string> = {
  read: 'reads data, so it runs',
  write: 'changes data, so the customer is asked first',
  unknown_tool: 'refused: this step does not offer that tool',
  invalid_arguments: 'refused: the arguments do not fit the tool',
  duplicate: 'refused: the same call twice in one turn',
  over_limit: 'refused: the step used up its tool rounds',
};

const WAITING = { input: 'waits for the customer', tool: 'calls a tool', llm: 'asks the AI' } as const;
const FINISHED = { ended: 'the conversation ended', handoff: 'a person takes over', failed: 'the conversation failed', new: '', active: '' } as const;

export function SimTrace() {
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

  if (entries.length === 0) return <p className="sim-empty">Nothing has happened yet.</p>;
  return (
    <ol className="trace" ref={list} data-testid="sim-trace">
      {entries.map((entry) => (
        <TraceItem key={entry.key} entry={entry} names={names} focus={focus} />
      ))}
    </ol>
  );
}

function TraceItem({ entry, names, focus }: { entry: TraceEntry; names: StepNames; focus: (id: string) => void }) {
  const link = (id: string | null) =>
    id ? (
      <button type="button" className="link trace-link" onClick={() => focus(id)} title="Show this step on the canvas">
        “{names.name(id)}”
      </button>
    ) : (
      <span>the start</span>
    );

  switch (entry.kind) {
    case 'started':
      return (
        <Item kind="started" tone="muted" title={<>Conversation started{entry.startAt ? <> at {link(entry.startAt)}</> : ''}</>}>
          {entry.dryRun && <p className="trace-note">Dry run: write tools are not executed.</p>}
        </Item>
      );
    case 'step':
      return (
        <Item kind="step" tone="step" title={<><span aria-hidden="true">→ </span>{link(entry.nodeId)}</>}>
          <p className="trace-note">{entry.awaiting ? WAITING[entry.awaiting] : FINISHED[entry.status]}</p>
        </Item>
      );
    case 'llm':
      return (
        <Item kind="llm" tone="ai" title={<>AI request{entry.round > 0 ? ` (round ${entry.round + 1})` : ''} at {link(entry.nodeId)}</>}>
          <p className="trace-note">
            {entry.messages} message{entry.messages === 1 ? '' : 's'}
            {entry.tools.length ? ` · tools offered: ${entry.tools.join(', ')}` : ' · no tools'}
          </p>
          <div className="trace-label">{entry.response ? 'Response' : 'Streaming…'}</div>
          <pre className="trace-pre" data-testid="trace-llm-text">{entry.response ? entry.response.text || '(no text)' : entry.streamed || '…'}</pre>
          {entry.response && entry.response.toolCalls.length > 0 && (
            <>
              <div className="trace-label">Tool calls asked for</div>
              <pre className="trace-pre">{entry.response.toolCalls.map((c) => `${c.name}(${showValue(c.rawArguments ?? c.arguments, 0)})`).join('\n')}</pre>
            </>
          )}
        </Item>
      );
    case 'proposed':
      return (
        <Item kind="proposed" tone={entry.disposition === 'read' ? 'ai' : entry.disposition === 'write' ? 'ask' : 'bad'} title={<>The AI asks for {entry.name}</>}>
          <p className="trace-note">{DISPOSITION[entry.disposition]}</p>
          <pre className="trace-pre">{showValue(entry.arguments)}</pre>
        </Item>
      );
    case 'confirmation':
      return (
        <Item
          kind="confirmation"
          tone="ask"
          title={<>Asked the customer to confirm {entry.server} · {entry.tool}</>}
          badge={entry.answer === 'yes' ? 'Customer said yes' : entry.answer === 'no' ? 'Customer said no' : 'Waiting for the answer'}
          data={{ answer: entry.answer ?? 'waiting' }}
        >
          <p className="trace-note">at {link(entry.nodeId)}</p>
          <pre className="trace-pre">{showValue(entry.args)}</pre>
        </Item>
      );
    case 'tool': {
      const e = entry.event;
      const look = TOOL_STATUS[e.status];
      return (
        <Item kind="tool" tone={look.tone} title={<>{look.title} {e.server} · {e.tool}</>} badge={e.status.replace('_', ' ')} data={{ status: e.status }}>
          <p className="trace-note">
            at {link(e.nodeId)}
            {e.status === 'executed' || e.status === 'error' ? ` · ${e.durationMs} ms` : ''}
          </p>
          <div className="trace-label">Arguments</div>
          <pre className="trace-pre" title={showArgs(e.args)}>{showValue(e.args)}</pre>
          {e.reason && <p className={`trace-reason tone-text-${look.tone}`}>{names.inText(e.reason)}</p>}
          {e.result !== undefined && e.status !== 'dry_run' && (
            <>
              <div className="trace-label">Result</div>
              <pre className="trace-pre">{showValue(e.result)}</pre>
            </>
          )}
        </Item>
      );
    }
    case 'end':
      return (
        <Item kind="end" tone={entry.status === 'failed' ? 'bad' : 'muted'} title={entry.status === 'ended' ? 'Conversation ended' : entry.status === 'handoff' ? 'Handed over to a person' : 'Conversation failed'}>
          {entry.reason && <p className="trace-note">{names.inText(entry.reason)}</p>}
        </Item>
      );
    case 'error':
      return (
        <Item kind="error" tone="bad" title="Error">
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
