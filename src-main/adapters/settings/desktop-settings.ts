// The desktop app's settings (shared/api/desktop.ts) in settings.json under "desktop", through
// `conf` like the rest of the file. Parsed on every read; a damaged value reads as the defaults
// (they are safe: background on, no login item) and is replaced by the next save.
import Conf from 'conf';
import { DEFAULT_DESKTOP_SETTINGS, DesktopSettingsSchema, type DesktopSettings } from '../../shared/api/desktop';
import { SETTINGS_CONFIG_NAME } from './settings-store';

export interface DesktopSettingsStore {
  get(): DesktopSettings;
  update(change: Partial<DesktopSettings>): DesktopSettings;
}

export function createDesktopSettingsStore(options: { dataDir: string }): DesktopSettingsStore {
  const open = () => new Conf({ cwd: options.dataDir, configName: SETTINGS_CONFIG_NAME, accessPropertiesByDotNotation: false, clearInvalidConfig: false });
  const read = (conf: Conf): DesktopSettings => {
    const parsed = DesktopSettingsSchema.partial().safeParse(conf.get('desktop') ?? {});
    return { ...DEFAULT_DESKTOP_SETTINGS, ...(parsed.success ? parsed.data : {}) };
  };
  return {
    get: () => read(open()),
    update(change) {
      const conf = open();
      const next = DesktopSettingsSchema.parse({ ...read(conf), ...change });
      conf.set('desktop', next);
      return next;
    },
  };
}
