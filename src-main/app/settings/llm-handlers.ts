// llm.*: the model list for the dropdown, "Test connection", and pulling a model into Ollama
// with progress events. The settings may be unsaved (the form's values); {secret} values are
// read from the active bot's keychain, exactly as a conversation would.
import { randomUUID } from 'node:crypto';
import { ApiCallError } from '../../shared/api-contract';
import type { LlmTarget, PullProgress } from '../../shared/api/settings';
import { LlmError, type LlmModelInfo } from '../../shared/llm-message';
import type { LlmConfig } from '../../shared/workspace-config';
import type { ApiHandlers } from '../../api/dispatcher';
import type { LlmPort, LlmPullProgress } from '../../runtime/ports';
import { createRedactor, type Redactor } from '../../core/redact';
import { KeychainUnavailableError } from '../../adapters/secrets/keychain-error';
import { InputError } from '../input-error';
import { createValueResolver } from '../resolve-value';
import { createLlm, DEFAULT_BOT } from '../workspace';
import { readWorkspace, saveWorkspace, type SettingsAreaDeps } from './deps';

type LlmHandlers = Pick<ApiHandlers, 'llm.models' | 'llm.test' | 'llm.save' | 'llm.pull' | 'llm.pullCancel'>;

const LIST_TIMEOUT_MS = 15_000;
/** Saving only asks whether the server answers: it must not keep the owner waiting long. */
const SAVE_CHECK_TIMEOUT_MS = 5_000;
/** At most one progress event per pull this often (Ollama sends a line per received chunk); state changes always go out. */
const PROGRESS_EVERY_MS = 100;

export function createLlmHandlers(deps: SettingsAreaDeps): LlmHandlers {
  const pulls = new Map<string, AbortController>();

  const targetOf = (given: LlmTarget | undefined): LlmTarget => {
    const llm = given ?? readWorkspace(deps).llm;
    if (!llm) throw new ApiCallError('CONFLICT', 'No model provider is set up yet: choose Ollama or an OpenAI-compatible server first.');
    return llm;
  };
  const where = (llm: LlmTarget) =>
    llm.provider === 'openai' ? `the OpenAI-compatible server at ${llm.baseUrl ?? llm.host ?? 'https://api.openai.com/v1'}` : `Ollama at ${llm.host ?? 'http://127.0.0.1:11434'}`;

  const clientFor = (llm: LlmTarget, model = llm.model) => llmClientFor(deps, llm, model);

  const listModels = async (llm: LlmTarget, timeoutMs = LIST_TIMEOUT_MS): Promise<LlmModelInfo[]> => {
    const { client, redactor } = clientFor(llm);
    try {
      return await client.listModels({ timeoutMs });
    } catch (error) {
      throw new ApiCallError('CONFLICT', redactor.redact(explainedLlmError(error)));
    }
  };

  return {
    'llm.models': async ({ llm }) => ({ models: await listModels(targetOf(llm)) }),

    'llm.test': async ({ llm: given }) => {
      const llm = targetOf(given);
      let models: LlmModelInfo[];
      try {
        models = await listModels(llm);
      } catch (error) {
        return { ok: false, message: (error as Error).message };
      }
      const names = models.map((m) => m.name);
      const count = `${models.length} model${models.length === 1 ? '' : 's'} available`;
      if (llm.model && !names.includes(llm.model)) {
        const hint = llm.provider === 'ollama' ? 'Pull it below, or pick' : 'Pick';
        return {
          ok: false,
          models,
          message: `Connected to ${where(llm)} (${count}), but the model "${llm.model}" is not there. ${hint} one of: ${names.slice(0, 8).join(', ') || 'none'}.`,
        };
      }
      return { ok: true, models, message: `Connected to ${where(llm)}: ${count}${llm.model ? `, including "${llm.model}"` : ''}.` };
    },

    'llm.save': async ({ llm }) => {
      const bot = deps.activeBot();
      saveWorkspace(deps, { ...readWorkspace(deps, bot), llm }, bot);
      const savedAt = Date.now();
      let names: string[];
      try {
        names = (await listModels(llm, SAVE_CHECK_TIMEOUT_MS)).map((m) => m.name);
      } catch (error) {
        return { savedAt, warning: `Saved. ${(error as Error).message} The bot will use "${llm.model}" once the server runs and has it.` };
      }
      if (!names.includes(llm.model)) {
        const hint = llm.provider === 'ollama' ? ' Pull it below, or pick one it has.' : '';
        return { savedAt, warning: `Saved, but ${where(llm)} does not have the model "${llm.model}" yet.${hint}` };
      }
      return { savedAt };
    },

    'llm.pull': async ({ model, llm: given }) => {
      const llm = targetOf(given);
      if (llm.provider !== 'ollama') {
        throw new ApiCallError('CONFLICT', 'Pulling models is for Ollama; an OpenAI-compatible server manages its own models.');
      }
      const { client, redactor } = clientFor(llm, model);
      if (!client.pull) throw new ApiCallError('CONFLICT', 'This model client cannot pull models.');
      const pullId = randomUUID();
      const abort = new AbortController();
      pulls.set(pullId, abort);
      const emit = (progress: Omit<PullProgress, 'pullId' | 'model'>) =>
        deps.events.emit({ event: 'llm.pullProgress', payload: { pullId, model, ...progress } });
      const progress = throttled((p: LlmPullProgress) => emit({ state: 'running', ...p }), PROGRESS_EVERY_MS);
      emit({ state: 'running', status: 'starting' });
      void client
        .pull(model, { signal: abort.signal, onProgress: progress.push })
        .then(
          () => {
            progress.flush();
            emit({ state: 'done', status: 'success' });
          },
          (error: unknown) => {
            progress.flush();
            if (abort.signal.aborted) emit({ state: 'cancelled', status: 'cancelled' });
            else emit({ state: 'failed', status: 'failed', error: redactor.redact(explainedLlmError(error)) });
          },
        )
        .finally(() => pulls.delete(pullId));
      return { pullId };
    },

    'llm.pullCancel': async ({ pullId }) => {
      const pull = pulls.get(pullId);
      pull?.abort();
      return { cancelled: pull !== undefined };
    },
  };
}

/** The active bot's model client for `llm`, and the redactor that knows the values it resolved (masked in every message). */
export function llmClientFor(deps: Pick<SettingsAreaDeps, 'activeBot' | 'secrets'>, llm: LlmTarget, model = llm.model): { client: LlmPort; redactor: Redactor } {
  const bot = deps.activeBot();
  const redactor = createRedactor();
  const resolveValue = createValueResolver({ bot, secrets: deps.secrets, env: process.env, redactor, defaultBot: DEFAULT_BOT });
  // Listing models needs no model; the adapters use it only in messages.
  const config: LlmConfig = { ...llm, model: model ?? '(none chosen)' };
  return { client: createLlm(config, resolveValue, bot), redactor };
}

/**
 * Passes on a new status at once and the same status at most every `ms` (the latest one wins:
 * a trailing call sends it when the interval is over, and `flush` before the end).
 */
function throttled<T extends { status: string }>(send: (value: T) => void, ms: number): { push(value: T): void; flush(): void } {
  let lastAt = 0;
  let lastStatus: string | undefined;
  let waiting: T | undefined;
  let timer: NodeJS.Timeout | undefined;
  const sendNow = (value: T) => {
    clearTimeout(timer);
    timer = undefined;
    waiting = undefined;
    lastAt = Date.now();
    lastStatus = value.status;
    send(value);
  };
  return {
    push(value) {
      const wait = lastAt + ms - Date.now();
      if (value.status !== lastStatus) {
        if (waiting) sendNow(waiting); // the last line of the previous step (a layer's 100 %)
        return sendNow(value);
      }
      if (wait <= 0) return sendNow(value);
      waiting = value;
      timer ??= setTimeout(() => waiting && sendNow(waiting), wait);
    },
    flush() {
      if (waiting) sendNow(waiting);
      clearTimeout(timer);
    },
  };
}

/** Words for the owner from what the model client threw (the adapters' errors already say what to do). */
export function explainedLlmError(error: unknown): string {
  if (error instanceof LlmError || error instanceof KeychainUnavailableError || error instanceof InputError) return error.message;
  return `The model server could not be used: ${error instanceof Error ? error.message : String(error)}`;
}
