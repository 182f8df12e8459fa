// bots.*: each bot has its own LLM, MCP servers, approvals and keychain secrets; the studio
// acts on the active one. Deleting a bot removes its secrets from the keychain and its
// approvals, so a later bot of the same id starts clean.
import { ApiCallError } from '../../shared/api-contract';
import type { ApiHandlers } from '../../api/dispatcher';
import { secretAccountPrefix } from '../../core/secret-account';
import type { SettingsAreaDeps } from './deps';
import { withKeychain } from './deps';

type BotHandlers = Pick<ApiHandlers, 'bots.list' | 'bots.create' | 'bots.rename' | 'bots.delete' | 'bots.select'>;

export function createBotHandlers(deps: SettingsAreaDeps): BotHandlers {
  const { settings, events } = deps;
  const exists = (id: string) => settings.bots().some((b) => b.id === id);
  const requireBot = (id: string) => {
    if (!exists(id)) throw new ApiCallError('NOT_FOUND', `There is no bot "${id}". Bots: ${settings.bots().map((b) => b.id).join(', ')}.`);
  };
  /** The MCP side follows the new active bot at once (the previous bot's servers stop). */
  const switched = async () => {
    await deps.mcp?.sync?.();
    events.emit({ event: 'bots.changed', payload: { activeBot: settings.activeBot() } });
  };

  return {
    'bots.list': () => ({ bots: settings.bots(), activeBot: settings.activeBot() }),

    'bots.create': async ({ name, select }) => {
      const bot = settings.createBot(name);
      if (select) settings.setActiveBot(bot.id);
      await switched();
      return { bot, activeBot: settings.activeBot() };
    },

    'bots.rename': async ({ id, name }) => {
      requireBot(id);
      const bot = settings.renameBot(id, name);
      events.emit({ event: 'bots.changed', payload: { activeBot: settings.activeBot() } });
      return { bot };
    },

    'bots.delete': async ({ id }) => {
      requireBot(id);
      if (settings.bots().length <= 1) {
        throw new ApiCallError('CONFLICT', 'This is the only bot: create another bot before deleting this one (a studio always has one).');
      }
      // Secrets first: if the keychain cannot be used, nothing is deleted (no secret is orphaned).
      const accounts = await withKeychain(() => deps.secrets.accounts(secretAccountPrefix(id)), `The bot "${id}" was not deleted`);
      let deleted = 0;
      for (const account of accounts) if (await withKeychain(() => deps.secrets.delete(account))) deleted++;
      await deps.forgetApprovals?.(id);
      settings.deleteBot(id);
      await switched();
      return { deleted: id, activeBot: settings.activeBot(), secretsDeleted: deleted };
    },

    'bots.select': async ({ id }) => {
      requireBot(id);
      settings.setActiveBot(id);
      await switched();
      return { activeBot: settings.activeBot() };
    },
  };
}
