// The failed expectations of a case, for people: which turn, which expectation, expected vs got.
//
//   Turn 2, after the customer wrote "My lamp flickers":
//     reply 1
//       expected: exactly "Please describe the problem in one message."
//       got:      "Please describe your problem."
//       (they differ from character 17: expected "the problem in one mess", got "your problem.")
//   At the end:
//     status
//       expected: ended
//       got:      waiting
import type { ExpectationResult, TestCase } from '../../shared/test-case';

export function formatDiff(testCase: Pick<TestCase, 'turns'>, results: readonly ExpectationResult[]): string {
  const failed = results.filter((r) => !r.ok);
  const lines: string[] = [];
  let heading = '';
  for (const result of failed) {
    const next = headingOf(testCase, result);
    if (next !== heading) {
      heading = next;
      lines.push(heading);
    }
    lines.push(`  ${labelOf(result)}`, `    expected: ${result.expected}`, `    got:      ${result.got}`);
    if (result.note) lines.push(`    (${result.note})`);
  }
  return lines.join('\n');
}

function headingOf(testCase: Pick<TestCase, 'turns'>, result: ExpectationResult): string {
  if (result.place === 'opening') return 'Before the customer wrote anything:';
  if (result.place === 'end') return 'At the end:';
  const turn = result.turn ?? 0;
  const customer = testCase.turns[turn - 1]?.customer;
  return `Turn ${turn}, after the customer wrote ${JSON.stringify(customer ?? '')}:`;
}

function labelOf(result: ExpectationResult): string {
  switch (result.kind) {
    case 'reply':
      return `reply ${result.index ?? ''}`.trim();
    case 'tool_call':
      return `tool call ${result.index ?? ''}`.trim();
    case 'status':
      return 'status';
    case 'var':
      return `variable ${result.var ?? ''}`.trim();
  }
}
