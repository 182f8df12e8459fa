// translations.draft: the active bot's model drafts the texts a language still lacks
// (core/translation-prompt.ts says what it is asked and how the answer is read). The drafts go
// back to the editor for the owner to review one by one; nothing is saved here.
import { ApiCallError } from '../shared/api-contract';
import type { translationsMethods } from '../shared/api/translations';
import type { ApiHandlers } from '../api/dispatcher';
import { draftMessages, readDrafts } from '../core/translation-prompt';
import { explainedLlmError, llmClientFor } from './settings/llm-handlers';
import { readWorkspace, type SettingsAreaDeps } from './settings/deps';

/** A batch of texts is one model call; a slow local model may take a while. */
const DRAFT_TIMEOUT_MS = 120_000;

export function createTranslationHandlers(deps: SettingsAreaDeps): Pick<ApiHandlers, keyof typeof translationsMethods> {
  return {
    'translations.draft': async ({ from, to, texts }) => {
      if (from.toLowerCase() === to.toLowerCase()) throw new ApiCallError('INVALID_INPUT', `translations.draft: the texts are already in "${to}"; choose another language to translate into.`);
      const llm = readWorkspace(deps).llm;
      if (!llm) throw new ApiCallError('CONFLICT', 'This bot has no model yet: set one up in Settings → Model to draft translations.');
      const { client, redactor } = llmClientFor(deps, llm);
      let reply: string;
      try {
        reply = (await client.chat({ messages: draftMessages(from, to, texts) }, { timeoutMs: DRAFT_TIMEOUT_MS })).text;
      } catch (error) {
        throw new ApiCallError('CONFLICT', redactor.redact(explainedLlmError(error)));
      }
      return readDrafts(reply, texts);
    },
  };
}
