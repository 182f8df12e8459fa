// The colour and icon of each kind of step, defined once. The palette and the inspector draw
// the icon as inline SVG; the cards on the canvas use the same drawing as a CSS background
// (a data: URL, allowed by the CSP's img-src), which keeps each card a handful of elements:
// with a thousand cards on screen every element counts on every frame of a drag.
import type { NodeType } from '../../src-main/shared/flow';

export const STEP_COLORS: Readonly<Record<NodeType, string>> = {
  start: '#1f9d55',
  message: '#2f6fde',
  ask: '#7b4fd6',
  llm: '#c2418f',
  tool: '#e07a1f',
  condition: '#0e8fa3',
  set: '#5b6b80',
  handoff: '#4653c9',
  end: '#b33d4b',
};

const BUBBLE = 'M4 5.5A1.5 1.5 0 0 1 5.5 4h13A1.5 1.5 0 0 1 20 5.5v9a1.5 1.5 0 0 1-1.5 1.5H9l-5 4z';

/** SVG content (24×24, stroked with currentColor; `dot` shapes are filled). Static, ours. */
export const STEP_ICON_SVG: Readonly<Record<NodeType, string>> = {
  start: '<circle cx="12" cy="12" r="9"/><path d="M10 8.5v7l5.5-3.5z" fill="currentColor"/>',
  message: `<path d="${BUBBLE}"/>`,
  ask: `<path d="${BUBBLE}"/><path d="M10 8.2a2 2 0 1 1 2.8 1.8c-.5.3-.8.6-.8 1.2"/><circle cx="12" cy="13.4" r=".4" fill="currentColor"/>`,
  llm: '<path d="M11 3l1.9 5.1L18 10l-5.1 1.9L11 17l-1.9-5.1L4 10l5.1-1.9z"/><path d="M18.5 14.5l.8 2.2 2.2.8-2.2.8-.8 2.2-.8-2.2-2.2-.8 2.2-.8z"/>',
  tool: '<path d="M14.5 5.5a4 4 0 0 0-5.3 5.3L4 16v4h4l5.2-5.2a4 4 0 0 0 5.3-5.3l-2.6 2.6-2.6-.7-.7-2.6z"/>',
  condition: '<path d="M12 3l8 9-8 9-8-9z"/><path d="M10.2 10a1.9 1.9 0 1 1 2.6 1.7c-.5.2-.8.6-.8 1.1"/><circle cx="12" cy="15" r=".4" fill="currentColor"/>',
  set: '<path d="M7 3.5h10a1 1 0 0 1 1 1V21l-6-4-6 4V4.5a1 1 0 0 1 1-1z"/>',
  handoff: '<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20a6.5 6.5 0 0 1 13 0"/><path d="M16 8h5m-2-2 2 2-2 2"/>',
  end: '<path d="M6 21V4"/><path d="M6 4h11l-2.5 4L17 12H6"/>',
};

const svgDocument = (type: NodeType): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="${STEP_COLORS[type]}" stroke-width="1.9" stroke-linecap="round" stroke-linejoin="round" color="${STEP_COLORS[type]}">${STEP_ICON_SVG[type]}</svg>`;

/** CSS for the step colours (`--step-<type>`, `.tone-<type>`) and the cards' icons. */
export function stepLookCss(): string {
  const types = Object.keys(STEP_COLORS) as NodeType[];
  const vars = types.map((t) => `--step-${t}: ${STEP_COLORS[t]};`).join(' ');
  const tones = types.map((t) => `.tone-${t} { --tone: var(--step-${t}); }`);
  // The icon URL is written into each rule, not passed through a custom property: a var() in
  // background-image is re-parsed for every element that uses it.
  const icons = types.map((t) => `.tone-${t} .step-title::before { background-image: url("data:image/svg+xml,${encodeURIComponent(svgDocument(t))}"); }`);
  return [`:root { ${vars} }`, ...tones, ...icons].join('\n');
}

/** Adds the step colours and icons to the page (once). */
export function installStepLook(doc: Document = document): void {
  if (doc.getElementById('flowbot-step-look')) return;
  const style = doc.createElement('style');
  style.id = 'flowbot-step-look';
  style.textContent = stepLookCss();
  doc.head.append(style);
}
