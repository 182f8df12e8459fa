// Templates produce text; a tool's input schema may want numbers or booleans. A text becomes a
// number or a boolean only when it is written exactly as that value is written back ("1000",
// "-2.5", "true"): what the customer is shown and what the server receives then read the same.
// Any other text for such an argument ("0x3E8", "1e3", " 7", "007", "+1", "1.", "1.50", "yes")
// is refused with an error naming the argument, never converted. Applied before the call is
// shown (the runner prepares the calls a question confirms) and again when it runs, so the
// confirmation's hash matches.
type JsonSchema = { properties?: Record<string, { type?: unknown }> };

export class ArgumentCoercionError extends Error {
  override readonly name = 'ArgumentCoercionError';
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(message);
  }
}

/** The arguments as they will be sent; throws ArgumentCoercionError for a text that does not read as the value it would become. */
export function coerceArgs(args: Record<string, unknown>, inputSchema: unknown): Record<string, unknown> {
  const properties = (inputSchema as JsonSchema | undefined)?.properties ?? {};
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [name, value] of Object.entries(args)) {
    const type = Object.hasOwn(properties, name) ? properties[name]?.type : undefined;
    out[name] = typeof value === 'string' ? coerce(name, value, type) : value;
  }
  return { ...out };
}

function coerce(name: string, value: string, type: unknown): unknown {
  if (type === 'number' || type === 'integer') {
    const n = Number(value);
    // String(n) === value: only the number's own spelling passes (no hex, exponent, spaces, leading zeros, "+", trailing dot or zeros, "-0", lost digits).
    if (value !== '' && Number.isFinite(n) && String(n) === value && (type === 'number' || Number.isInteger(n))) return n;
    throw new ArgumentCoercionError(
      name,
      `the argument "${name}" must be ${type === 'integer' ? 'a whole number' : 'a number'} written in plain digits (like 1000${type === 'number' ? ' or 2.5' : ''}), ` +
        `but it is ${JSON.stringify(value)}: it is not sent, so that what the customer is shown is exactly what the server receives`,
    );
  }
  if (type === 'boolean') {
    if (value === 'true' || value === 'false') return value === 'true';
    throw new ArgumentCoercionError(
      name,
      `the argument "${name}" must be true or false, but it is ${JSON.stringify(value)}: it is not sent, so that what the customer is shown is exactly what the server receives`,
    );
  }
  return value;
}
