// Deterministic JSON: object keys sorted at every level, so equal values hash equally.
// Every own key is kept, "__proto__" too: the sorted copy has no prototype, so assigning that
// key stores it instead of changing the copy's prototype (two different argument objects must
// never share a call hash). Ordinary objects give the same text as before (stored hashes hold).
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}
