// A replayed case is a scripted customer: its "yes" must confirm only the calls it recorded.
// When the bot (after a flow change) asks to confirm a different call, the replay must stop
// before answering, so a test run never writes anything the case did not expect.
import type { ToolCallExpectation } from '../../shared/test-case';
import { canonicalJson } from '../canonical-json';
import { containsValue, describeExpectedCall } from './match';

export interface AskedCall {
  server: string;
  tool: string;
  args: Record<string, unknown>;
}

/**
 * The first asked call the turn's expectations do not cover (same server and tool, arguments
 * given and matching, an outcome that means it ran), with a sentence saying so; undefined when
 * every asked call is expected.
 */
export function unexpectedConfirmation(asked: readonly AskedCall[], expected: readonly ToolCallExpectation[] | undefined): string | undefined {
  for (const call of asked) {
    const covered = (expected ?? []).some(
      (want) =>
        want.server === call.server &&
        want.tool === call.tool &&
        want.args !== undefined &&
        (want.argsMatch === 'subset' ? containsValue(call.args, want.args) : canonicalJson(call.args) === canonicalJson(want.args)) &&
        (want.status === undefined || want.status === 'executed' || want.status === 'dry_run'),
    );
    if (!covered) {
      const wanted = (expected ?? []).filter((w) => w.server === call.server && w.tool === call.tool).map(describeExpectedCall);
      return `the bot asked to confirm ${call.server}.${call.tool} with the arguments ${canonicalJson(call.args)}, which this case does not expect${
        wanted.length > 0 ? ` (it expects ${wanted.join('; ')})` : ''
      }. The replay stopped before answering, so nothing was written.`;
    }
  }
  return undefined;
}
