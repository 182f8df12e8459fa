// The last part of what a server printed on stderr, kept for the owner to read (status) and
// quoted in errors. Bounded: a server that logs in a tight loop costs at most `limit`
// characters. Text is stored raw and redacted when read, so a secret split across two chunks
// is still masked; trimming cuts at a line break, so no secret is left half-cut at the start.

export const DEFAULT_STDERR_LIMIT = 64 * 1024;

export class StderrBuffer {
  private text = '';
  /** Characters ever appended, so a mark stays meaningful after trimming. */
  private total = 0;

  constructor(private readonly limit = DEFAULT_STDERR_LIMIT) {}

  append(chunk: string): void {
    if (!chunk) return;
    this.total += chunk.length;
    this.text += chunk;
    if (this.text.length > this.limit) {
      let cut = this.text.length - this.limit;
      const lineEnd = this.text.indexOf('\n', cut);
      // Cut after a line break when one is near enough; a huge single line is cut as is.
      if (lineEnd !== -1 && lineEnd - cut < this.limit / 4) cut = lineEnd + 1;
      this.text = this.text.slice(cut);
    }
  }

  /** A position to read from later: `since(mark)` is what was appended after it. */
  mark(): number {
    return this.total;
  }

  /** What was appended after `mark` and is still kept (all of it when mark is omitted). */
  since(mark = 0): string {
    const start = this.text.length - (this.total - mark);
    return start <= 0 ? this.text : this.text.slice(start);
  }

  /** The last `max` characters after `mark`, redacted before cutting, trimmed, with "…" when cut. */
  tail(max: number, mark = 0, redact: (text: string) => string = (t) => t): string {
    const text = redact(this.since(mark)).trim();
    return text.length > max ? `…${text.slice(-max)}` : text;
  }
}
