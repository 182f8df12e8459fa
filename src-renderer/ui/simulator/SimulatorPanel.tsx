// The simulator panel beside the canvas: the chat, where it starts, and below it the trace and
// the variables. While it is open it takes the inspector's place; the toolbar button toggles it.
import { useState, type ReactNode } from 'react';
import { Icon } from '../icons';
import { SimChat } from './SimChat';
import { SimTrace } from './SimTrace';
import { SimVariables } from './SimVariables';
import { StartBar } from './StartFromStep';
import { useSimulator, useSimulatorControls } from './SimulatorProvider';
import './simulator.css';

export { useSimulatorRecording } from './SimulatorProvider';
export type { SimulatorRecording } from './sim-recording';

/**
 * The simulator when it is open, else `fallback` (the inspector). `actions`: extra buttons shown
 * beside the trace tabs (e.g. "Save as test case", which reads useSimulatorRecording()).
 */
export function SimulatorSlot({ fallback, actions }: { fallback: ReactNode; actions?: ReactNode }) {
  const open = useSimulator((s) => s.open);
  return open ? <SimulatorPanel actions={actions} /> : <>{fallback}</>;
}

/** The toolbar button that opens and closes the simulator. */
export function SimulatorToggle() {
  const controls = useSimulatorControls();
  const open = useSimulator((s) => s.open);
  return (
    <button
      type="button"
      className={`btn btn-small${open ? ' btn-primary' : ''}`}
      aria-pressed={open}
      onClick={() => controls.toggle()}
      title={open ? 'Close the simulator' : 'Talk to this flow as a customer would'}
      data-testid="sim-toggle"
    >
      <ChatIcon /> {open ? 'Close simulator' : 'Simulate'}
    </button>
  );
}

export function SimulatorPanel({ actions }: { actions?: ReactNode }) {
  const controls = useSimulatorControls();
  const dryRun = useSimulator((s) => s.dryRun);
  const phase = useSimulator((s) => s.phase);
  const problem = useSimulator((s) => s.problem);
  const [tab, setTab] = useState<'trace' | 'vars'>('trace');

  return (
    <aside className={`simulator${dryRun ? ' is-dry-run' : ''}`} data-testid="simulator" aria-label="Simulator">
      <header className="sim-head">
        <h2 className="sim-title">Simulator</h2>
        <label className="sim-switch" title="Write tools are not executed; the trace shows what would have been called">
          <input type="checkbox" role="switch" checked={dryRun} onChange={(e) => void controls.setDryRun(e.target.checked)} data-testid="sim-dry-run" />
          <span className="sim-switch-track" aria-hidden="true" />
          Dry run
        </label>
        <button type="button" className="btn btn-small" onClick={() => void controls.restart()} disabled={phase === 'starting'} data-testid="sim-restart" title="A fresh conversation with the same start, on the flow as saved now">
          <Icon name="undo" /> Restart
        </button>
        <button type="button" className="btn-icon" onClick={() => controls.toggle(false)} aria-label="Close the simulator" data-testid="sim-close">
          <Icon name="close" />
        </button>
      </header>
      {dryRun && (
        <div className="sim-dry-banner" role="status" data-testid="sim-dry-run-banner">
          <strong>Dry run is on.</strong> Write tools are not executed: the trace shows exactly what would have been called. Read tools still run.
        </div>
      )}
      <StartBar />
      {phase === 'refused' && problem && (
        <div className="callout callout-error sim-problem" role="alert" data-testid="sim-problem">
          <p className="sim-problem-text">{problem}</p>
          <button type="button" className="btn btn-small" onClick={() => void controls.start(controls.choice())} data-testid="sim-try-again">
            Try again
          </button>
        </div>
      )}
      <SimChat />
      <section className="sim-details">
        <div className="sim-tabs" role="tablist">
          <button type="button" role="tab" aria-selected={tab === 'trace'} className={`sim-tab${tab === 'trace' ? ' is-active' : ''}`} onClick={() => setTab('trace')} data-testid="sim-tab-trace">
            Trace
          </button>
          <button type="button" role="tab" aria-selected={tab === 'vars'} className={`sim-tab${tab === 'vars' ? ' is-active' : ''}`} onClick={() => setTab('vars')} data-testid="sim-tab-vars">
            Variables
          </button>
          {actions && <div className="sim-actions">{actions}</div>}
        </div>
        <div className="sim-tab-body" role="tabpanel">
          {tab === 'trace' ? <SimTrace /> : <SimVariables />}
        </div>
      </section>
    </aside>
  );
}

function ChatIcon() {
  return (
    <svg className="icon" width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d="M4 19.5 5.3 15A8 8 0 1 1 9 18.7z" />
    </svg>
  );
}
