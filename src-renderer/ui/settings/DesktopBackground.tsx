// The desktop app's own settings (only in the desktop app, not in a browser tab): keep the bots
// answering with the window closed (tray / menu-bar icon: Open, Quit), and start at login.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DesktopSettings } from '../../../src-main/shared/api/desktop';
import { useApi } from '../../api/api-context';
import { findBridge } from '../../api/client';
import { attempt } from './use-settings';

export function DesktopBackground() {
  const { t } = useTranslation('background');
  const api = useApi();
  const [settings, setSettings] = useState<DesktopSettings | null>(null);
  const desktop = findBridge() !== undefined;
  useEffect(() => {
    if (desktop) void attempt(async () => setSettings(await api.call('desktop.settings', {})));
  }, [api, desktop]);
  if (!desktop || !settings) return null;
  const save = (change: Partial<DesktopSettings>) => void attempt(async () => setSettings(await api.call('desktop.saveSettings', change)));
  return (
    <fieldset className="desktop-background" data-testid="desktop-background">
      <legend className="muted small">{t('title')}</legend>
      <label className="check small">
        <input type="checkbox" checked={settings.runInBackground} onChange={(e) => save({ runInBackground: e.target.checked })} data-testid="run-in-background" /> {t('runInBackground')}
      </label>
      <label className="check small">
        <input type="checkbox" checked={settings.openAtLogin} onChange={(e) => save({ openAtLogin: e.target.checked })} data-testid="open-at-login" /> {t('openAtLogin')}
      </label>
    </fieldset>
  );
}
