// The settings: bots (each with its own model, MCP servers and secrets), the active bot's
// model and its MCP servers. The bot switcher in the bar says which bot every panel is about.
import { useEffect } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { useApi } from '../../api/api-context';
import { hrefOf, type SettingsSection } from '../routing';
import { BotsPanel } from './BotsPanel';
import { DesktopBackground } from './DesktopBackground';
import { KeychainNotice } from './KeychainNotice';
import { LanguagePicker } from './LanguagePicker';
import { LlmPanel } from './LlmPanel';
import { McpPanel } from './McpPanel';
import { attempt, useBots } from './use-settings';
import './settings.css';
import { BackToFlows } from '../BackToFlows';

const SECTIONS: readonly SettingsSection[] = ['bots', 'llm', 'mcp'];

export function SettingsScreen({ section }: { section: SettingsSection }) {
  const { t, i18n } = useTranslation('settings');
  const api = useApi();
  const { bots, error } = useBots();
  const active = bots?.bots.find((b) => b.id === bots.activeBot);

  useEffect(() => {
    document.title = t('screen.documentTitle');
  }, [t, i18n.language]);

  return (
    <div className="settings-screen" data-testid="settings">
      <header className="app-bar">
        <BackToFlows />
        <h1 className="app-bar-title">{t('screen.title')}</h1>
        <label className="bot-switcher app-bar-end">
          <span className="muted small">{t('screen.bot')}</span>
          <select
            value={bots?.activeBot ?? ''}
            disabled={!bots}
            data-testid="bot-switcher"
            aria-label={t('screen.activeBot')}
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
        <nav className="settings-nav" aria-label={t('screen.title')}>
          {SECTIONS.map((id) => (
            <a key={id} href={hrefOf({ screen: 'settings', section: id })} className={`settings-nav-item ${id === section ? 'is-current' : ''}`} aria-current={id === section ? 'page' : undefined} data-testid={`settings-nav-${id}`}>
              <strong>{t(`sections.${id}.label`)}</strong>
              <span className="muted small">{t(`sections.${id}.hint`)}</span>
            </a>
          ))}
          <LanguagePicker />
          <DesktopBackground />
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
              <Trans t={t} i18nKey="screen.settingsOf" values={{ name: active.name }} components={{ name: <strong data-testid="settings-bot-name" /> }} />
            </p>
          )}
          {section === 'llm' && <LlmPanel key={bots?.activeBot} />}
          {section === 'mcp' && <McpPanel key={bots?.activeBot} />}
        </main>
      </div>
    </div>
  );
}
