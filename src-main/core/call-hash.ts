// The identity of a tool call a customer confirms: server, tool, exact arguments and the
// tool's definition at that moment. A write runs only against a confirmation of this hash.
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

export interface CallIdentity {
  server: string;
  tool: string;
  args: Record<string, unknown>;
  /** The tool's definition as listed by the server (name, description, schemas, annotations). */
  definition: unknown;
}

export function callHash(call: CallIdentity): string {
  return createHash('sha256')
    .update(canonicalJson({ server: call.server, tool: call.tool, args: call.args, definition: call.definition }))
    .digest('hex');
}
