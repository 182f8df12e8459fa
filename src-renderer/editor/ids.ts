// Ids for new steps and connections: short, readable in the JSON file, never reused in a flow.

/** `prefix-1`, `prefix-2`, … : the first one not taken. */
export function uniqueId(prefix: string, taken: ReadonlySet<string>): string {
  const base = prefix.replace(/[^a-z0-9-]+/gi, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'step';
  for (let i = 1; ; i++) {
    const id = `${base}-${i}`;
    if (!taken.has(id)) return id;
  }
}

/** Connection ids `e1`, `e2`, …: one more than the highest in use. */
export function nextEdgeId(taken: Iterable<string>): string {
  let max = 0;
  for (const id of taken) {
    const m = /^e(\d+)$/.exec(id);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return `e${max + 1}`;
}
