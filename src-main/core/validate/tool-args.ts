// A tool step's arguments against the tool's input schema (from the live catalogue): a required
// argument left empty, or a fixed value the tool cannot take ("abc" for a number), would only
// fail when the customer has already said yes. Values with {{variables}} are known only then.
import type { NodeOf } from '../../shared/flow';
import type { Problem } from '../../shared/problem';
import { argFields, type ArgField } from '../../shared/tool-arg-fields';
import type { ProblemText } from '../../shared/problem';
import { problemText } from '../../shared/problem-texts';
import { error, nameOf } from './graph';
import { ArgumentCoercionError, coerceArgs } from '../coerce-args';

export function toolArgProblems(node: NodeOf<'tool'>, inputSchema: unknown): Problem[] {
  const { tool, args } = node.data;
  const problems: Problem[] = [];
  for (const field of argFields(inputSchema)) {
    const value = Object.hasOwn(args, field.name) ? args[field.name]! : '';
    const where = { nodeId: node.id, field: `data.args.${field.name}` };
    if (value.trim() === '') {
      if (field.required) {
        problems.push(error('TOOL_ARG_MISSING', where, 'TOOL_ARG_MISSING', { step: nameOf(node), arg: field.title, tool }));
      }
      continue;
    }
    const expected = value.includes('{{') ? undefined : wrongLiteral(field, value, inputSchema);
    if (expected) {
      problems.push(error('TOOL_ARG_WRONG_TYPE', where, 'TOOL_ARG_WRONG_TYPE', { step: nameOf(node), arg: field.title, value: JSON.stringify(value), tool, expected }));
    }
  }
  return problems;
}

/**
 * What the tool needs instead, when a fixed value cannot be what it asks for. Numbers and
 * booleans by the run time's own rule (coerceArgs): what passes here is what will be sent.
 */
function wrongLiteral(field: ArgField, value: string, inputSchema: unknown): ProblemText | undefined {
  switch (field.kind) {
    case 'number':
    case 'boolean':
      try {
        coerceArgs({ [field.name]: value }, inputSchema);
        return undefined;
      } catch (err) {
        if (!(err instanceof ArgumentCoercionError)) throw err;
        return problemText(field.kind === 'number' ? 'expected.number' : 'expected.boolean');
      }
    case 'enum':
      return field.options?.includes(value) ? undefined : problemText('expected.enum', { options: field.options?.join(', ') ?? '' });
    case 'text':
      return undefined;
  }
}
