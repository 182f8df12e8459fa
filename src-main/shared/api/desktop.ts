// The desktop app's own settings (issue 16, item 7): keep the bots answering in the background
// when the window is closed, and start at login. Kept in settings.json for the whole data dir;
// only the desktop app acts on them (app/background-policy.ts, electron/tray.ts).
import { z } from 'zod';
import { method } from './method';

export const DesktopSettingsSchema = z.object({
  /** Closing the window while a bot runs hides it: the bots keep answering (tray icon: Open / Quit). */
  runInBackground: z.boolean(),
  /** The app starts at login, in the background. */
  openAtLogin: z.boolean(),
});
export type DesktopSettings = z.infer<typeof DesktopSettingsSchema>;

/** Before the owner chose: the bots keep answering with the window closed; no login item. */
export const DEFAULT_DESKTOP_SETTINGS: DesktopSettings = { runInBackground: true, openAtLogin: false };

export const desktopMethods = {
  'desktop.settings': method(z.object({}).strict(), DesktopSettingsSchema),
  /** Saves the fields given; the desktop app applies them at once (login item, tray icon). */
  'desktop.saveSettings': method(DesktopSettingsSchema.partial().strict(), DesktopSettingsSchema),
} as const;

export const desktopEvents = {
  'desktop.settingsChanged': DesktopSettingsSchema,
} as const;
