// The simulator panel beside the canvas: the chat, where it starts, and below it the trace and
// the variables. While it is open it takes the inspector's place; the toolbar button toggles it.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../icons';
import { SimChat } from './SimChat';
import { SimTrace } from './SimTrace';
import { SimVariables } from './SimVariables';
import { StartBar } from './StartFromStep';
import { useSimulator, useSimulatorControls } from './SimulatorProvider';
import './simulator.css';

export function SimulatorPanel({ actions }: { actions?: ReactNode }) {
  const { t } = useTranslation('simulator');
  const controls = useSimulatorControls();
  const dryRun = useSimulator((s) => s.dryRun);
  const phase = useSimulator((s) => s.phase);
  const problem = useSimulator((s) => s.problem);
  const [tab, setTab] = useState<'trace' | 'vars'>('trace');

  return (
    <aside className={`simulator${dryRun ? ' is-dry-run' : ''}`} data-testid="simulator" aria-label={t('panel.title')}>
      <header className="sim-head">
        <h2 className="sim-title">{t('panel.title')}</h2>
        <label className="sim-switch" title={t('panel.dryRunTitle')}>
          <input type="checkbox" role="switch" checked={dryRun} onChange={(e) => void controls.setDryRun(e.target.checked)} data-testid="sim-dry-run" />
          <span className="sim-switch-track" aria-hidden="true" />
          {t('panel.dryRun')}
        </label>
        <button type="button" className="btn btn-small" onClick={() => void controls.restart()} disabled={phase === 'starting'} data-testid="sim-restart" title={t('panel.restartTitle')}>
          <Icon name="undo" /> {t('panel.restart')}
        </button>
        <button type="button" className="btn-icon" onClick={() => controls.toggle(false)} aria-label={t('panel.close')} data-testid="sim-close">
          <Icon name="close" />
        </button>
      </header>
      {dryRun && (
        <div className="sim-dry-banner" role="status" data-testid="sim-dry-run-banner">
          <strong>{t('panel.dryRunOn')}</strong> {t('panel.dryRunText')}
        </div>
      )}
      <StartBar />
      {phase === 'refused' && problem && (
        <div className="callout callout-error sim-problem" role="alert" data-testid="sim-problem">
          <p className="sim-problem-text">{problem}</p>
          <button type="button" className="btn btn-small" onClick={() => void controls.start(controls.choice())} data-testid="sim-try-again">
            {t('panel.tryAgain')}
          </button>
        </div>
      )}
      <SimChat />
      <section className="sim-details">
        <div className="sim-tabs" role="tablist">
          <button type="button" role="tab" aria-selected={tab === 'trace'} className={`sim-tab${tab === 'trace' ? ' is-active' : ''}`} onClick={() => setTab('trace')} data-testid="sim-tab-trace">
            {t('panel.trace')}
          </button>
          <button type="button" role="tab" aria-selected={tab === 'vars'} className={`sim-tab${tab === 'vars' ? ' is-active' : ''}`} onClick={() => setTab('vars')} data-testid="sim-tab-vars">
            {t('panel.variables')}
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
