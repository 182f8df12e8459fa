// The Knowledge screen's API handlers (shared/api/knowledge.ts) over the active bot's knowledge
// base, the same one its AI steps search (the workspace's: with its embedder, when the model
// provider has one). One indexing per file at a time; knowledge.cancel aborts it.
import { ApiCallError } from '../shared/api-contract';
import type { knowledgeMethods } from '../shared/api/knowledge';
import type { KnowledgeProgress } from '../shared/knowledge';
import type { ApiHandlers } from '../api/dispatcher';
import type { KnowledgeBase } from '../adapters/knowledge/knowledge-base';
import type { EventHub } from './event-hub';

export type KnowledgeHandlers = Pick<ApiHandlers, keyof typeof knowledgeMethods>;

export interface KnowledgeHandlerDeps {
  /** The active bot and its knowledge base (the workspace's). */
  knowledge(): Promise<{ bot: string; base: KnowledgeBase }>;
  events: EventHub;
}

export function createKnowledgeHandlers(deps: KnowledgeHandlerDeps): KnowledgeHandlers {
  const running = new Map<string, AbortController>();
  const keyOf = (bot: string, collection: string, name: string) => JSON.stringify([bot, collection, name]);
  const changed = (bot: string) => deps.events.emit({ event: 'knowledge.changed', payload: { bot } });

  return {
    'knowledge.list': async () => {
      const { bot, base } = await deps.knowledge();
      return { bot, collections: base.list(bot) };
    },

    'knowledge.add': async ({ collection, name, base64, text, language }) => {
      const { bot, base } = await deps.knowledge();
      const key = keyOf(bot, collection, name);
      if (running.has(key)) throw refusal('CONFLICT', 'busy', { name, collection }, `"${name}" is being indexed in "${collection}" already: wait for it or cancel it.`);
      const controller = new AbortController();
      running.set(key, controller);
      const options = {
        signal: controller.signal,
        onProgress: (progress: KnowledgeProgress) =>
          deps.events.emit({ event: 'knowledge.progress', payload: { bot, collection, name, ...progress } }),
      };
      const input = { collection, name, ...(language ? { language } : {}) };
      try {
        const result =
          text !== undefined
            ? await base.addText(bot, { ...input, text }, options)
            : await base.addFile(bot, { ...input, bytes: Buffer.from(base64!, 'base64') }, options);
        changed(bot);
        return result.status === 'failed' ? { status: 'failed' as const, error: result.error } : { status: result.status, passages: result.passages };
      } catch (error) {
        if (controller.signal.aborted) return { status: 'cancelled' as const };
        throw error;
      } finally {
        running.delete(key);
      }
    },

    'knowledge.cancel': async ({ collection, name }) => {
      const { bot } = await deps.knowledge();
      const controller = running.get(keyOf(bot, collection, name));
      controller?.abort(new Error('cancelled by the owner'));
      return { cancelled: controller !== undefined };
    },

    'knowledge.remove': async ({ collection, name }) => {
      const { bot, base } = await deps.knowledge();
      const removed = name === undefined ? base.removeCollection(bot, collection) : base.removeFile(bot, collection, name);
      if (!removed) throw name === undefined ? noCollection(collection) : refusal('NOT_FOUND', 'noFile', { name, collection }, `There is no file "${name}" in "${collection}".`);
      changed(bot);
      return { removed: true as const };
    },

    'knowledge.search': async ({ query, collections, limit }) => {
      const { bot, base } = await deps.knowledge();
      const names = collections ?? base.list(bot).map((c) => c.name);
      if (names.length === 0) return { hits: [] };
      const unknown = collections?.find((c) => !base.list(bot).some((known) => known.name === c));
      if (unknown !== undefined) throw noCollection(unknown);
      return { hits: await base.search(bot, { collections: names, query, ...(limit ? { limit } : {}) }) };
    },
  };
}

/** Where there is no workspace (the studio without MCP): the screen says why. */
export function knowledgeUnavailable(): KnowledgeHandlers {
  const refuse = async (): Promise<never> => {
    throw refusal('CONFLICT', 'unavailable', {}, 'The knowledge collections are not available here.');
  };
  return { 'knowledge.list': refuse, 'knowledge.add': refuse, 'knowledge.cancel': refuse, 'knowledge.remove': refuse, 'knowledge.search': refuse };
}

/** A refusal in English with its catalogue key (common:ownerTexts.knowledge.<key>) for the studio's language. */
function refusal(code: 'CONFLICT' | 'NOT_FOUND', key: string, params: Record<string, string>, english: string): ApiCallError {
  return new ApiCallError(code, english, { key: `knowledge.${key}`, params });
}

const noCollection = (collection: string) => refusal('NOT_FOUND', 'noCollection', { collection }, `There is no collection "${collection}".`);
