// AI steps need the bot's language model: known only with the bot's settings (config).
import type { Flow } from '../../shared/flow';
import type { Problem } from '../../shared/problem';
import { quoted, warning, type ValidateOptions } from './graph';

export function modelProblems(flow: Flow, { config }: ValidateOptions): Problem[] {
  if (!config || config.llm) return [];
  return flow.nodes
    .filter((node) => node.type === 'llm')
    .map((node) =>
      warning('LLM_NO_MODEL', { nodeId: node.id }, `This bot has no language model yet, so the AI step ${quoted(node)} cannot answer: choose one in Settings → Model (in a workspace config file: add "llm").`),
    );
}
