// A step's name as the owner sees it on its card: its label, else its kind and id.
import { useMemo } from 'react';
import { useEditor } from '../../editor/editor-context';
import { STEP_KINDS } from '../../editor/step-catalog';

export interface StepNames {
  /** The step's name; `step <id>` for a step the flow does not have (any more). */
  name(nodeId: string): string;
  /** The runtime's reasons name steps by id (`step "ask-2"`): the same text with the steps' names. */
  inText(text: string): string;
}

export function useStepNames(): StepNames {
  const nodes = useEditor((s) => s.nodes);
  return useMemo(() => {
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const known = (id: string): string | undefined => {
      const node = byId.get(id);
      return node && (node.data.step.label?.trim() || `${STEP_KINDS[node.data.step.type].name} (${id})`);
    };
    return { name: (id) => known(id) ?? `step ${id}`, inText: (text) => nameStepsIn(text, known) };
  }, [nodes]);
}

export function useStepName(): (nodeId: string) => string {
  return useStepNames().name;
}

/** Replaces each `step "<id>"` of a known step by `step “<name>”`; unknown ids stay as written. */
export function nameStepsIn(text: string, nameOf: (id: string) => string | undefined): string {
  return text.replace(/step "([^"]*)"/g, (whole, id: string) => {
    const name = nameOf(id);
    return name === undefined ? whole : `step “${name}”`;
  });
}
