// The simulator's place in the editor: the toolbar button, and the panel in the inspector's
// place while it is open. The panel itself loads the first time it opens.
import { lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSimulator, useSimulatorControls } from './SimulatorProvider';

const SimulatorPanel = lazy(() => import('./SimulatorPanel').then((m) => ({ default: m.SimulatorPanel })));

/**
 * The simulator when it is open, else `fallback` (the inspector). `actions`: extra buttons shown
 * beside the trace tabs (e.g. "Save as test case", which reads useSimulatorRecording()).
 */
export function SimulatorSlot({ fallback, actions }: { fallback: ReactNode; actions?: ReactNode }) {
  const open = useSimulator((s) => s.open);
  if (!open) return <>{fallback}</>;
  return (
    <Suspense fallback={<aside className="simulator" aria-busy="true" />}>
      <SimulatorPanel actions={actions} />
    </Suspense>
  );
}

/** The toolbar button that opens and closes the simulator. */
export function SimulatorToggle() {
  const { t } = useTranslation('simulator');
  const controls = useSimulatorControls();
  const open = useSimulator((s) => s.open);
  return (
    <button
      type="button"
      className={`btn btn-small${open ? ' btn-primary' : ''}`}
      aria-pressed={open}
      onClick={() => controls.toggle()}
      title={open ? t('panel.close') : t('toggle.title')}
      data-testid="sim-toggle"
    >
      <ChatIcon /> {open ? t('toggle.close') : t('toggle.open')}
    </button>
  );
}

function ChatIcon() {
  return (
    <svg className="icon" width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d="M4 19.5 5.3 15A8 8 0 1 1 9 18.7z" />
    </svg>
  );
}
