// App settings in `<dataDir>/settings.json`, through `conf` (what electron-store uses
// underneath; it runs on plain Node, so the Electron app, the web host and the CLI share one
// file). Per bot: `{ "bots": { "<bot>": { "workspace": WorkspaceConfig } } }`. Secrets are
// never stored here: the config holds only {secret}/{env} references. Every read is parsed
// with the schema; a value that does not parse is reported with the file and the field.
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import { WorkspaceConfigSchema, type WorkspaceConfig } from '../../shared/workspace-config';
import { describeIssue, flattenUnionIssues, formatPath } from '../../core/zod-issues';

export const SETTINGS_CONFIG_NAME = 'settings';

/** The stored settings cannot be used (not JSON, or a field of the wrong kind). */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

export interface SettingsStore {
  readonly file: string;
  /** The bot's workspace config; the empty config (no LLM, no servers) when none is stored yet. */
  workspace(bot: string): WorkspaceConfig;
  saveWorkspace(bot: string, config: WorkspaceConfig): void;
}

const BOT_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function createSettingsStore(options: { dataDir: string }): SettingsStore {
  const open = (): Conf => {
    try {
      // Opened per call: conf reads the file on every access anyway, and a file that another
      // process (the CLI, the app) broke must fail only this call, not the whole service.
      return new Conf({ cwd: options.dataDir, configName: SETTINGS_CONFIG_NAME, accessPropertiesByDotNotation: false, clearInvalidConfig: false });
    } catch (error) {
      throw new SettingsError(`The settings file ${settingsFile(options.dataDir)} cannot be read: ${(error as Error).message}`);
    }
  };
  const file = settingsFile(options.dataDir);

  const botsOf = (conf: Conf): Record<string, unknown> => {
    let bots: unknown;
    try {
      bots = conf.get('bots');
    } catch (error) {
      throw new SettingsError(`The settings file ${file} cannot be read: ${(error as Error).message}`);
    }
    if (bots === undefined) return {};
    if (!isRecord(bots)) throw new SettingsError(`The settings file ${file} has problems: bots: expected an object ({ ... })`);
    return bots;
  };

  return {
    file,
    workspace(bot) {
      checkBot(bot);
      const entry = botsOf(open())[bot];
      if (entry === undefined) return WorkspaceConfigSchema.parse({});
      const stored = isRecord(entry) ? entry.workspace : entry;
      if (stored === undefined) return WorkspaceConfigSchema.parse({});
      const parsed = WorkspaceConfigSchema.safeParse(stored);
      if (!parsed.success) {
        const root = formatPath(['bots', bot, 'workspace']);
        const details = flattenUnionIssues(parsed.error.issues)
          .slice(0, 5)
          .map((issue) => `${formatPath(issue.path, root)}: ${describeIssue(issue, stored)}`)
          .join('; ');
        throw new SettingsError(`The settings file ${file} has problems: ${details}. Fix the file, or save the settings again to replace them.`);
      }
      return parsed.data;
    },
    saveWorkspace(bot, config) {
      checkBot(bot);
      const workspace = WorkspaceConfigSchema.parse(config);
      let conf: Conf;
      try {
        conf = open();
      } catch {
        // Not JSON at all: keep it next to the new file (nothing is silently lost), start afresh.
        renameSync(file, `${file}.unreadable-${Date.now()}`);
        conf = open();
      }
      let bots: Record<string, unknown>;
      try {
        bots = botsOf(conf);
      } catch {
        bots = {}; // the stored value is unusable; saving replaces it on purpose
      }
      const entry = bots[bot];
      conf.set('bots', { ...bots, [bot]: { ...(isRecord(entry) ? entry : {}), workspace } });
    },
  };
}

export const settingsFile = (dataDir: string): string => join(dataDir, `${SETTINGS_CONFIG_NAME}.json`);

function checkBot(bot: string): void {
  if (!BOT_NAME.test(bot)) throw new SettingsError(`"${bot}" is not a bot name (letters, digits, _ and -)`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
