// A step's name as the owner sees it on its card: its label, else its kind and id.
import { useMemo } from 'react';
import { useEditor } from '../../editor/editor-context';
import { STEP_KINDS } from '../../editor/step-catalog';

export function useStepName(): (nodeId: string) => string {
  const nodes = useEditor((s) => s.nodes);
  return useMemo(() => {
    const byId = new Map(nodes.map((n) => [n.id, n]));
    return (id) => {
      const node = byId.get(id);
      if (!node) return `step ${id}`;
      return node.data.step.label?.trim() || `${STEP_KINDS[node.data.step.type].name} (${id})`;
    };
  }, [nodes]);
}
