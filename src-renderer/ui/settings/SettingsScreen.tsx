// The settings: bots (each with its own model, MCP servers and secrets), the active bot's
// model and its MCP servers. The bot switcher in the bar says which bot every panel is about.
import { useEffect } from 'react';
import { useApi } from '../../api/api-context';
import { Icon } from '../icons';
import { hrefOf, type SettingsSection } from '../routing';
import { BotsPanel } from './BotsPanel';
import { KeychainNotice } from './KeychainNotice';
import { LlmPanel } from './LlmPanel';
import { McpPanel } from './McpPanel';
import { attempt, useBots } from './use-settings';
import './settings.css';

const SECTIONS: { id: SettingsSection; label: string; hint: string }[] = [
  { id: 'bots', label: 'Bots', hint: 'Each bot has its own model, tools and secrets' },
  { id: 'llm', label: 'Model', hint: 'Ollama or an OpenAI-compatible server' },
  { id: 'mcp', label: 'MCP servers', hint: 'Tools your flows can use' },
];

export function SettingsScreen({ section }: { section: SettingsSection }) {
  const api = useApi();
  const { bots, error } = useBots();
  const active = bots?.bots.find((b) => b.id === bots.activeBot);

  useEffect(() => {
    document.title = 'Settings · Flowbot Studio';
  }, []);

  return (
    <div className="settings-screen" data-testid="settings">
      <header className="app-bar">
        <a className="btn btn-ghost" href="#/" data-testid="back">
          <Icon name="back" /> All flows
        </a>
        <h1 className="app-bar-title">Settings</h1>
        <label className="bot-switcher app-bar-end">
          <span className="muted small">Bot</span>
          <select
            value={bots?.activeBot ?? ''}
            disabled={!bots}
            data-testid="bot-switcher"
            aria-label="Active bot"
            onChange={(e) => void attempt(() => api.call('bots.select', { id: e.target.value }))}
          >
            {bots?.bots.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </label>
      </header>
      <div className="settings-body">
        <nav className="settings-nav" aria-label="Settings">
          {SECTIONS.map((s) => (
            <a key={s.id} href={hrefOf({ screen: 'settings', section: s.id })} className={`settings-nav-item ${s.id === section ? 'is-current' : ''}`} aria-current={s.id === section ? 'page' : undefined} data-testid={`settings-nav-${s.id}`}>
              <strong>{s.label}</strong>
              <span className="muted small">{s.hint}</span>
            </a>
          ))}
        </nav>
        <main className="settings-main">
          {error && (
            <div className="callout callout-error" role="alert">
              {error}
            </div>
          )}
          <KeychainNotice />
          {section === 'bots' && <BotsPanel />}
          {section !== 'bots' && active && (
            <p className="muted small settings-for">
              Settings of <strong data-testid="settings-bot-name">{active.name}</strong>
            </p>
          )}
          {section === 'llm' && <LlmPanel key={bots?.activeBot} />}
          {section === 'mcp' && <McpPanel key={bots?.activeBot} />}
        </main>
      </div>
    </div>
  );
}
