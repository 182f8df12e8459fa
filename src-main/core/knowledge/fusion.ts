// Ranking arithmetic for hybrid search: cosine similarity of two embeddings and reciprocal
// rank fusion (Cormack et al. 2009), which merges rankings without comparing their scores.

export const RRF_K = 60;

export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Fuses rankings (each a list of ids, best first): score(id) = Σ 1 / (k + rank). Best first. */
export function reciprocalRankFusion<Id>(rankings: readonly (readonly Id[])[], k = RRF_K): { id: Id; score: number }[] {
  const scores = new Map<Id, number>();
  for (const ranking of rankings) {
    ranking.forEach((id, index) => scores.set(id, (scores.get(id) ?? 0) + 1 / (k + index + 1)));
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}
