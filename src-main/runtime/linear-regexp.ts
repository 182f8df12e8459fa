// JSON Schemas of MCP tools come from the servers (untrusted), and the arguments they are
// checked against come from the model (untrusted): a `pattern` like "^(a+)+$" run by the
// backtracking engine on "aaaa…a!" takes exponential time and freezes the process (ReDoS).
// Every such schema is compiled with V8's linear-time regex engine (flag "l"): matching
// takes time linear in the input, whatever the pattern. Chosen over a native RE2 addon (it
// would have to be built for Electron's ABI too) and over a worker with a time limit (an
// async check, a thread per call, and a bound that is a guess); see docs/mcp-approvals.md.
// A pattern the linear engine cannot run (backreferences, lookarounds) is refused: the
// schema cannot be checked, so calls with it are refused, never checked the slow way.
import { setFlagsFromString } from 'node:v8';
import { Ajv, type Options } from 'ajv';

setFlagsFromString('--enable-experimental-regexp-engine');

/** Whether this V8's linear engine runs patterns in Unicode mode ("u"); Node 20's does not. */
const UNICODE_LINEAR = (() => {
  try {
    new RegExp('a', 'lu');
    return true;
  } catch {
    return false;
  }
})();

/** Pattern syntax whose meaning needs Unicode mode: \p{…}, \u{…}, characters beyond the BMP. */
const NEEDS_UNICODE = /\\[pP]\{|\\u\{|[\ud800-\udfff]/;

/** ajv's `code.regExp`: the same pattern, in the linear-time engine, or a clear error. */
export function linearRegExp(pattern: string, flags: string): RegExp {
  const unicode = flags.includes('u');
  if (unicode && !UNICODE_LINEAR && NEEDS_UNICODE.test(pattern)) {
    throw new Error(`the pattern ${JSON.stringify(pattern)} needs Unicode mode, which this runtime cannot check in linear time`);
  }
  const rest = flags.replace(/[ul]/g, '');
  try {
    return new RegExp(pattern, `${rest}${unicode && UNICODE_LINEAR ? 'u' : ''}l`);
  } catch (error) {
    throw new Error(
      `the pattern ${JSON.stringify(pattern)} cannot be checked in linear time (${(error as Error).message}); backreferences and lookarounds are not supported in tool schemas`,
    );
  }
}
linearRegExp.code = 'linearRegExp';

/** An ajv whose patterns (pattern, patternProperties, propertyNames) run in linear time. */
export function createLinearAjv(options: Options = {}): Ajv {
  return new Ajv({ ...options, code: { ...options.code, regExp: linearRegExp } });
}
