// AI steps need the bot's language model: known only with the bot's settings (config).
import type { Flow } from '../../shared/flow';
import type { Problem } from '../../shared/problem';
import { quoted, warning, type ValidateOptions } from './graph';

/** What the owner does about it, in the app and with a config file (the checker and the runner say it). */
export const NO_MODEL_ADVICE = 'choose one in Settings → Model (in a workspace config file: add "llm")';

export function modelProblems(flow: Flow, { config }: ValidateOptions): Problem[] {
  if (!config || config.llm) return [];
  return flow.nodes
    .filter((node) => node.type === 'llm')
    .map((node) =>
      warning('LLM_NO_MODEL', { nodeId: node.id }, `This bot has no language model yet, so the AI step ${quoted(node)} cannot answer: ${NO_MODEL_ADVICE}.`),
    );
}
