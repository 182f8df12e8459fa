// Small statistics and printing helpers for bench/mcp.ts.

/** Linear-interpolated quantile (q in 0..1) of unsorted samples. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = Float64Array.from(xs).sort();
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);
export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export const fmt = (x: number, digits = 2): string =>
  Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : String(x);
export const ms = (x: number, digits = 3): string => `${fmt(x, digits)} ms`;
/** Milliseconds, or microseconds below 0.1 ms. */
export const dur = (x: number): string => (x < 0.1 ? `${fmt(x * 1000, 1)} µs` : ms(x));
export const ratio = (x: number): string => `${fmt(x)} ×`;
/** Rounds for the JSON line. */
export const round = (x: number, digits = 4): number => Number(x.toPrecision(digits));

/** Prints a left-aligned first column and right-aligned other columns. */
export function table(title: string, header: string[], rows: string[][]): void {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   ');
  console.log(`\n${title}`);
  console.log(`  ${line(header)}`);
  console.log(`  ${widths.map((w) => '-'.repeat(w)).join('   ')}`);
  for (const r of rows) console.log(`  ${line(r)}`);
}
