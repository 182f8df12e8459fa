// The app's own data folder, shared by the desktop app, the web host and the CLI
// (Electron's userData for an app named "flowbot-studio").
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_DIR_NAME = 'flowbot-studio';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_DIR_NAME);
}
