// AI steps need the bot's language model: known only with the bot's settings (config).
import type { Flow } from '../../shared/flow';
import type { Problem } from '../../shared/problem';
import { en, problemText } from '../../shared/problem-texts';
import { nameOf, warning, type ValidateOptions } from './graph';

/** What the owner does about it, in the app and with a config file (the checker and the runner say it). */
export const NO_MODEL_ADVICE = en['advice.no_model'];

export function modelProblems(flow: Flow, { config }: ValidateOptions): Problem[] {
  if (!config || config.llm) return [];
  return flow.nodes
    .filter((node) => node.type === 'llm')
    .map((node) =>
      warning('LLM_NO_MODEL', { nodeId: node.id }, 'LLM_NO_MODEL', { step: nameOf(node), advice: problemText('advice.no_model') }),
    );
}
