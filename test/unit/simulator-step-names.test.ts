// The simulator's trace reads the runtime's reasons with the steps' names, not their ids.
import { describe, expect, it } from 'vitest';
import { nameStepsIn } from '../../src-renderer/ui/simulator/use-step-name';

const names: Record<string, string> = { create: 'Create ticket', ai: 'AI step (ai)' };
const nameOf = (id: string) => names[id];

describe('nameStepsIn', () => {
  it('names every known step a reason mentions, and leaves unknown ids as written', () => {
    expect(nameStepsIn('the action at step "create" failed: No customer with id "c999" was found.', nameOf)).toBe(
      'the action at step “Create ticket” failed: No customer with id "c999" was found.',
    );
    expect(nameStepsIn('the AI step "ai" failed: the model returned an empty reply', nameOf)).toBe('the AI step “AI step (ai)” failed: the model returned an empty reply');
    expect(nameStepsIn('step "gone" is not in the flow any more', nameOf)).toBe('step "gone" is not in the flow any more');
  });
});
