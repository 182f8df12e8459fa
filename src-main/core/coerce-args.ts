// Templates produce text; a tool's input schema may want numbers or booleans. Coercion is
// applied identically when a call is confirmed and when it runs, so the hash matches.
type JsonSchema = { properties?: Record<string, { type?: unknown }> };

export function coerceArgs(args: Record<string, unknown>, inputSchema: unknown): Record<string, unknown> {
  const properties = (inputSchema as JsonSchema | undefined)?.properties ?? {};
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args)) {
    const type = properties[name]?.type;
    out[name] = typeof value === 'string' ? coerce(value, type) : value;
  }
  return out;
}

function coerce(value: string, type: unknown): unknown {
  const t = value.trim();
  if ((type === 'number' || type === 'integer') && t !== '' && Number.isFinite(Number(t))) {
    const n = Number(t);
    return type === 'integer' && !Number.isInteger(n) ? value : n;
  }
  if (type === 'boolean' && (t === 'true' || t === 'false')) return t === 'true';
  return value;
}
