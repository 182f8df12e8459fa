// The card of one step on the canvas: icon and friendly kind, its title, a one-line summary,
// a badge with its problem count, and its exits as labelled handles along the bottom.
import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import { memo, useEffect, useRef } from 'react';
import { useEditor } from '../editor/editor-context';
import type { StepNode } from '../editor/flow-conversion';
import { exitsOf, STEP_KINDS, summaryOf } from '../editor/step-catalog';
import { StepIcon } from './icons';

const MIN_WIDTH = 200;
const estimateExitsWidth = (labels: readonly string[]) => labels.reduce((w, l) => w + Math.max(18, l.length * 6.6 + 16) + 6, 16);

/**
 * Shortens text to what fits a line of `px` pixels at about `charPx` per character. Cards cut
 * their text here rather than with CSS ellipsis: `overflow: hidden` on every line would add a
 * clip to each of a thousand cards, which Chromium pays for on every frame of a drag.
 */
function fit(text: string, px: number, charPx: number): string {
  const max = Math.max(4, Math.floor(px / charPx));
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

function StepCardView({ id, data, selected }: NodeProps<StepNode>) {
  const step = data.step;
  const kind = STEP_KINDS[step.type];
  const exits = exitsOf(step);
  const errors = useEditor((s) => s.problemCounts[id]?.errors ?? 0);
  const warnings = useEditor((s) => s.problemCounts[id]?.warnings ?? 0);
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

  const title = step.label?.trim() || kind.name;
  const problems = errors + warnings;
  const summary = `${step.label?.trim() ? `${kind.name} · ` : ''}${summaryOf(step)}`;
  const kindPart = step.label?.trim() ? kind.name.length + 3 : 0;
  const shownSummary = fit(summary, width - 22, 6.3);
  return (
    <div
      className={`step-card tone-${kind.tone}${labelled ? ' has-exit-labels' : ''}${selected ? ' is-selected' : ''}${errors ? ' has-errors' : warnings ? ' has-warnings' : ''}`}
      style={{ width }}
      data-testid={`step-${id}`}
      data-step-type={step.type}
      aria-label={`${kind.name}: ${title}`}
    >
      {step.type !== 'start' && <Handle type="target" position={Position.Top} className="step-in" data-testid={`in-${id}`} aria-label={`Into ${title}`} />}
      <div className="step-head">
        <span className="step-icon">
          <StepIcon type={step.type} size={15} />
        </span>
        <span className="step-title">{fit(title, width - 48 - (problems > 0 ? 24 : 0), 7.6)}</span>
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
      </div>
      <div className="step-summary" title={summary}>
        {kindPart > 0 && <span className="step-kind">{shownSummary.slice(0, kindPart)}</span>}
        {shownSummary.slice(kindPart)}
      </div>
      {exits.length > 0 && (
        <div className={`step-exits${labelled ? '' : ' is-single'}`}>
          {exits.map((h) => (
            <div key={h.id} className={`step-exit exit-${h.tone}`}>
              {h.label && <span className="exit-label">{h.label}</span>}
              <Handle type="source" position={Position.Bottom} id={h.id} className={`step-out out-${h.tone}`} data-testid={`out-${id}-${h.id}`} aria-label={h.label ? `${title}: ${h.label}` : `From ${title}`} />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

export const StepCard = memo(StepCardView);
