// One section of settings.json keyed by bot ("whatsapp", "httpChat", "serve": { "<bot>": {...} }),
// read through `conf` like the bots themselves. Parsed with its schema on every read (the file
// may have been edited by hand), never cast; a problem names the file and the field
// (`whatsapp.shop.pacing.perCustomer`).
import Conf from 'conf';
import type { z } from 'zod';
import { SETTINGS_CONFIG_NAME, SettingsError, settingsFile } from './settings-store';

export interface BotSettingsSection<T> {
  readonly file: string;
  get(bot: string): T;
  /** Merges `change` into the bot's settings. */
  update(bot: string, change: Partial<T>): T;
  /** Stores exactly `settings` (a field left out is cleared). */
  replace(bot: string, settings: T): T;
  /** Every bot that has an entry, in the order stored (may name bots that no longer exist). */
  entries(): [bot: string, settings: T][];
}

export function botSettingsSection<S extends z.ZodType>(dataDir: string, key: string, schema: S): BotSettingsSection<z.infer<S>> {
  type T = z.infer<S>;
  const file = settingsFile(dataDir);
  const open = () => {
    try {
      return new Conf({ cwd: dataDir, configName: SETTINGS_CONFIG_NAME, accessPropertiesByDotNotation: false, clearInvalidConfig: false });
    } catch (error) {
      throw new SettingsError(`The settings file ${file} cannot be read: ${(error as Error).message}`);
    }
  };
  const all = (conf: Conf): Record<string, unknown> => {
    const value = conf.get(key);
    if (value === undefined) return {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SettingsError(`The settings file ${file} has problems: ${key}: expected an object ({ ... })`);
    return value as Record<string, unknown>;
  };
  const parse = (bot: string, value: unknown): T => {
    const parsed = schema.safeParse(value ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SettingsError(`The settings file ${file} has problems: ${key}.${bot}.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
    }
    return parsed.data;
  };
  const store = (bot: string, next: T): T => {
    const conf = open();
    conf.set(key, { ...all(conf), [bot]: next });
    return next;
  };
  return {
    file,
    get: (bot) => parse(bot, all(open())[bot]),
    update: (bot, change) => store(bot, parse(bot, { ...(parse(bot, all(open())[bot]) as object), ...change })),
    replace: (bot, settings) => store(bot, parse(bot, settings)),
    entries: () => Object.entries(all(open())).map(([bot, value]): [string, T] => [bot, parse(bot, value)]),
  };
}
