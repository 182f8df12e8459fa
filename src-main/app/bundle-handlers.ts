// bots.export / bots.importPreview / bots.import (shared/api/bundles.ts) over app/bot-bundles.ts.
import { ApiCallError } from '../shared/api-contract';
import type { bundlesMethods } from '../shared/api/bundles';
import type { ApiHandlers } from '../api/dispatcher';
import { BundleError, exportBot, importBot, previewImport, type BotBundleDeps } from './bot-bundles';

export type BundleHandlers = Pick<ApiHandlers, keyof typeof bundlesMethods>;

export interface BundleHandlerDeps extends BotBundleDeps {
  activeBot(): string;
  /** After an import: the MCP side follows the settings, the screens reload. */
  imported(bot: string, flowIds: string[]): Promise<void>;
}

export function createBundleHandlers(deps: BundleHandlerDeps): BundleHandlers {
  return {
    'bots.export': ({ id }) => mapped(() => exportBot(deps, id ?? deps.activeBot())),
    'bots.importPreview': ({ text, as }) => mapped(() => previewImport(deps, text, as !== undefined ? { as } : {})),
    'bots.import': ({ text, as, replace, keepToolPins, select }) =>
      mapped(async () => {
        const result = await importBot(deps, text, { ...(as !== undefined ? { as } : {}), replace: replace === true, keepToolPins });
        if (select) deps.settings.setActiveBot(result.bot.id);
        await deps.imported(result.bot.id, result.flows.filter((f) => f.outcome !== 'same').map((f) => f.importAs));
        return { ...result, activeBot: deps.settings.activeBot() };
      }),
  };
}

async function mapped<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BundleError) throw new ApiCallError(error.reason === 'invalid' ? 'INVALID_INPUT' : 'CONFLICT', error.message);
    throw error;
  }
}
