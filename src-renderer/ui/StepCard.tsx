// The card of one step on the canvas: icon and title, a one-line summary (with the friendly
// kind), a badge with its problem count, and its exits as labelled handles along the bottom.
// Kept to a few elements and no clips or transforms of its own: a flow may have a thousand of
// these on screen, and Chromium pays for every element, clip and transform on every frame.
import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import { memo, useEffect, useRef } from 'react';
import { useProblemCount } from '../editor/editor-context';
import type { StepNode } from '../editor/flow-conversion';
import { exitsOf, STEP_KINDS, summaryOf } from '../editor/step-catalog';

const MIN_WIDTH = 200;
const estimateExitsWidth = (labels: readonly string[]) => labels.reduce((w, l) => w + Math.max(18, l.length * 6.6 + 16) + 6, 16);

/** Shortens text to what fits `px` pixels at about `charPx` per character (no CSS ellipsis: it needs a clip per line). */
export function fit(text: string, px: number, charPx: number): string {
  const max = Math.max(4, Math.floor(px / charPx));
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

function StepCardView({ id, data, selected }: NodeProps<StepNode>) {
  const step = data.step;
  const kind = STEP_KINDS[step.type];
  const exits = exitsOf(step);
  const count = useProblemCount(id);
  const errors = count?.errors ?? 0;
  const warnings = count?.warnings ?? 0;
  const labelled = exits.some((h) => h.label !== '');
  const width = Math.max(MIN_WIDTH, labelled ? estimateExitsWidth(exits.map((h) => h.label)) : 0);

  // React Flow measures handle positions once; tell it when this step's exits change.
  const updateInternals = useUpdateNodeInternals();
  const exitsKey = exits.map((h) => h.id).join('\u0000');
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    updateInternals(id);
  }, [exitsKey, id, updateInternals]);

  const label = step.label?.trim();
  const title = label || kind.name;
  const problems = errors + warnings;
  const summary = `${label ? `${kind.name} · ` : ''}${summaryOf(step)}`;
  const only = exits.length === 1 && !labelled ? exits[0] : undefined;
  return (
    <div
      className={`step-card tone-${kind.tone}${labelled ? ' has-exit-labels' : ''}${selected ? ' is-selected' : ''}${errors ? ' has-errors' : warnings ? ' has-warnings' : ''}`}
      style={{ width }}
      data-testid={`step-${id}`}
      aria-label={`${kind.name}: ${title}`}
    >
      {step.type !== 'start' && <Handle type="target" position={Position.Top} className="step-in" data-testid={`in-${id}`} />}
      <div className="step-title">{fit(title, width - 44 - (problems > 0 ? 24 : 0), 7.6)}</div>
      {problems > 0 && (
        <span
          className={`step-badge ${errors ? 'badge-error' : 'badge-warning'}`}
          data-testid={`badge-${id}`}
          title={`${errors ? `${errors} error${errors > 1 ? 's' : ''}` : ''}${errors && warnings ? ', ' : ''}${warnings ? `${warnings} hint${warnings > 1 ? 's' : ''}` : ''}`}
          aria-label={`${problems} problem${problems > 1 ? 's' : ''}`}
        >
          {problems}
        </span>
      )}
      <div className="step-summary">{fit(summary, width - 22, 6.3)}</div>
      {only && <Handle type="source" position={Position.Bottom} id={only.id} className="step-out out-next" data-testid={`out-${id}-${only.id}`} />}
      {!only && exits.length > 0 && (
        <div className="step-exits">
          {exits.map((h) => (
            <div key={h.id} className={`step-exit exit-${h.tone}`}>
              <span className="exit-label">{h.label}</span>
              <Handle type="source" position={Position.Bottom} id={h.id} className={`step-out out-${h.tone}`} data-testid={`out-${id}-${h.id}`} />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

export const StepCard = memo(StepCardView);
