// App settings in `<dataDir>/settings.json`, through `conf` (what electron-store uses
// underneath; it runs on plain Node, so the Electron app, the web host and the CLI share one
// file). Per bot: `{ "bots": { "<bot>": { "name": "Shop bot", "workspace": WorkspaceConfig } },
// "activeBot": "<bot>" }`. Secrets are never stored here: the config holds only {secret}/{env}
// references. Every read is parsed with the schema; a value that does not parse is reported
// with the file and the field.
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import { WorkspaceConfigSchema, type WorkspaceConfig } from '../../shared/workspace-config';
import { describeIssue, flattenUnionIssues, formatPath } from '../../core/zod-issues';
import { slugFromName } from '../../core/slug';

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
  /** Every bot, in creation order; the default bot when none is stored yet (there is always one). */
  bots(): BotInfo[];
  /** The bot the studio acts on: the stored choice when it still exists, else the first bot (the default bot when the file cannot be read). */
  activeBot(): string;
  setActiveBot(bot: string): void;
  /** A new bot with an id derived from the name (made unique), its workspace empty; `id`: exactly that id, refused when taken. */
  createBot(name: string, options?: { id?: string }): BotInfo;
  renameBot(bot: string, name: string): BotInfo;
  /** Removes the bot's entry (settings only: the caller deals with secrets and approvals). Refuses the last bot. */
  deleteBot(bot: string): void;
}

export interface BotInfo {
  /** Stable: secrets, approvals and conversations are keyed by it. */
  id: string;
  /** What people see; the id when none was given. */
  name: string;
}

/** The bot that exists before anyone created one (the CLI's default bot too). */
export const FIRST_BOT_ID = 'default';
const FIRST_BOT_NAME = 'My bot';

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

  /** Opens the file for a write; a file that is not JSON at all is kept aside, never lost. */
  const openForWrite = (): Conf => {
    try {
      return open();
    } catch {
      renameSync(file, `${file}.unreadable-${Date.now()}`);
      return open();
    }
  };

  const entries = (): [string, Record<string, unknown>][] => {
    const bots = botsOf(open());
    const list = Object.entries(bots)
      .filter(([id]) => BOT_NAME.test(id))
      .map(([id, entry]): [string, Record<string, unknown>] => [id, isRecord(entry) ? entry : {}]);
    return list.length ? list : [[FIRST_BOT_ID, { name: FIRST_BOT_NAME }]];
  };
  const infoOf = (id: string, entry: Record<string, unknown>): BotInfo => ({
    id,
    name: typeof entry.name === 'string' && entry.name.trim() ? entry.name : id === FIRST_BOT_ID ? FIRST_BOT_NAME : id,
  });
  const requireBot = (bot: string): [string, Record<string, unknown>] => {
    checkBot(bot);
    const found = entries().find(([id]) => id === bot);
    if (!found) throw new SettingsError(`There is no bot "${bot}".`);
    return found;
  };
  const writeBots = (conf: Conf, bots: Record<string, unknown>) => conf.set('bots', bots);
  /** The stored bots for a write; the implicit first bot becomes a real entry once another is added. */
  const storedBots = (conf: Conf): Record<string, unknown> => {
    let bots: Record<string, unknown>;
    try {
      bots = botsOf(conf);
    } catch {
      bots = {};
    }
    return Object.keys(bots).length ? bots : { [FIRST_BOT_ID]: { name: FIRST_BOT_NAME } };
  };

  return {
    file,
    bots: () => entries().map(([id, entry]) => infoOf(id, entry)),
    activeBot() {
      let ids: string[];
      let chosen: unknown;
      try {
        ids = entries().map(([id]) => id);
        chosen = open().get('activeBot');
      } catch (error) {
        // An unreadable file: the default bot, whose reads then report the file's problem.
        if (error instanceof SettingsError) return FIRST_BOT_ID;
        throw error;
      }
      return typeof chosen === 'string' && ids.includes(chosen) ? chosen : ids[0]!;
    },
    setActiveBot(bot) {
      requireBot(bot);
      openForWrite().set('activeBot', bot);
    },
    createBot(name, options = {}) {
      const clean = cleanName(name);
      if (options.id !== undefined) checkBot(options.id);
      const conf = openForWrite();
      const bots = storedBots(conf);
      if (options.id !== undefined && Object.hasOwn(bots, options.id)) throw new SettingsError(`There is a bot "${options.id}" already.`);
      const base = options.id ?? botIdFromName(clean);
      let id = base;
      for (let n = 2; Object.hasOwn(bots, id); n++) id = `${base.slice(0, 60)}-${n}`;
      writeBots(conf, { ...bots, [id]: { name: clean, createdAt: Date.now() } });
      return { id, name: clean };
    },
    renameBot(bot, name) {
      const [, entry] = requireBot(bot);
      const clean = cleanName(name);
      const conf = openForWrite();
      writeBots(conf, { ...storedBots(conf), [bot]: { ...entry, name: clean } });
      return { id: bot, name: clean };
    },
    deleteBot(bot) {
      requireBot(bot);
      const conf = openForWrite();
      const bots = storedBots(conf);
      if (Object.keys(bots).length <= 1) throw new SettingsError('A studio needs at least one bot: create another bot before deleting this one.');
      const { [bot]: _removed, ...rest } = bots;
      writeBots(conf, rest);
      if (conf.get('activeBot') === bot) conf.set('activeBot', Object.keys(rest)[0]!);
    },
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
      const conf = openForWrite();
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

/** "Shop bot (NL)" -> "shop-bot-nl"; "" or "商店" -> "bot". */
export const botIdFromName = (name: string): string => slugFromName(name, { maxLength: 56, fallback: 'bot' });

function cleanName(name: string): string {
  const clean = name.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
  if (!clean) throw new SettingsError('A bot needs a name.');
  if (clean.length > 80) throw new SettingsError('A bot name can have at most 80 characters.');
  return clean;
}

function checkBot(bot: string): void {
  if (!BOT_NAME.test(bot)) throw new SettingsError(`"${bot}" is not a bot name (letters, digits, _ and -)`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
