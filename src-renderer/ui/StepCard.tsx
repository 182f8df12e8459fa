// The card of one step on the canvas: icon and title, a one-line summary (with the friendly
// kind), a badge with its problem count, and its exits as labelled handles along the bottom.
// Kept to a few elements, no clips or transforms of its own, and no store subscription or
// effect (everything comes in through the node's data; the Canvas re-measures handles when a
// step's exits change): a flow may have a thousand of these on screen, and every element,
// clip, transform and subscription is paid for on every frame.
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { createContext, memo, useContext } from 'react';
import type { StepNode } from '../editor/flow-conversion';
import { exitsOf, STEP_KINDS, summaryOf } from '../editor/step-catalog';
import { i18n } from '../i18n';

const MIN_WIDTH = 200;
const EXIT_INSET = 8;
/** About how wide an exit's name chip is (10.5 px bold text, padding and border). */
const labelWidth = (label: string): number => Math.round(label.length * 6.4 + 16);
const slotWidth = (label: string): number => Math.max(18, labelWidth(label)) + 8;
const estimateExitsWidth = (labels: readonly string[]) => labels.reduce((w, l) => w + slotWidth(l), 2 * EXIT_INSET);

/** Where each exit sits along the bottom: every exit gets room for its name, spread over the width. */
function exitOffsets(labels: readonly string[], width: number): number[] {
  const slots = labels.map(slotWidth);
  const scale = (width - 2 * EXIT_INSET) / slots.reduce((a, b) => a + b, 0);
  let at = EXIT_INSET;
  return slots.map((w) => {
    const centre = at + (w * scale) / 2;
    at += w * scale;
    return Math.round(centre);
  });
}

/** Shortens text to what fits `px` pixels at about `charPx` per character (no CSS ellipsis: it needs a clip per line). */
export function fit(text: string, px: number, charPx: number): string {
  const max = Math.max(4, Math.floor(px / charPx));
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

/**
 * True when the canvas is zoomed out too far to read the cards (see OVERVIEW_ZOOM in Canvas):
 * the cards then leave out their summary and exit names (same size, nothing moves).
 */
export const OverviewContext = createContext(false);

function StepCardView({ id, data, selected }: NodeProps<StepNode>) {
  const overview = useContext(OverviewContext);
  const step = data.step;
  const kind = STEP_KINDS[step.type];
  const exits = exitsOf(step);
  const errors = data.errors ?? 0;
  const warnings = data.warnings ?? 0;
  const labelled = exits.some((h) => h.label !== '');
  const width = Math.max(MIN_WIDTH, labelled ? estimateExitsWidth(exits.map((h) => h.label)) : 0);

  const label = step.label?.trim();
  const title = label || kind.name;
  const problems = errors + warnings;
  const summary = `${label ? `${kind.name} · ` : ''}${summaryOf(step)}`;
  const only = exits.length === 1 && !labelled ? exits[0] : undefined;
  const offsets = only ? [] : exitOffsets(exits.map((h) => h.label), width);
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
          title={[...(errors ? [t('card.errors', { count: errors })] : []), ...(warnings ? [t('card.hints', { count: warnings })] : [])].join(', ')}
          aria-label={t('card.problems', { count: problems })}
        >
          {problems}
        </span>
      )}
      <div className="step-summary">{overview ? '\u00a0' : fit(summary, width - 22, 6.3)}</div>
      {only && <Handle type="source" position={Position.Bottom} id={only.id} className="step-out out-next" data-testid={`out-${id}-${only.id}`} />}
      {!only &&
        exits.map((h, i) => (
          // The exit's name rides on its handle (no wrapper per exit): spread evenly along the bottom.
          <Handle
            key={h.id}
            type="source"
            position={Position.Bottom}
            id={h.id}
            className={`step-out out-${h.tone}`}
            style={{ left: offsets[i] }}
            data-testid={`out-${id}-${h.id}`}
          >
            {h.label && !overview && (
              <span className="exit-label" style={{ width: labelWidth(h.label), marginLeft: -Math.round(labelWidth(h.label) / 2) }}>
                {h.label}
              </span>
            )}
          </Handle>
        ))}
    </div>
  );
}

export const StepCard = memo(StepCardView);

// Not useTranslation: a thousand cards would each listen for language changes; the canvas is
// not on screen while the language is picked (Settings), so the cards read the words as drawn.
const t = (key: string, params?: Record<string, unknown>): string => i18n.t(key, { ns: 'editor', ...params });
