// Turns V8's JSON.parse error ("... at position 42" or "(line 3 column 5)") into
// "line 3, column 5: <what is wrong>" so owners can find the broken spot.
export function jsonPosition(text: string, error: Error): string {
  const what = error.message.replace(/\s*(in JSON )?at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
  const lineCol = /\(line (\d+) column (\d+)\)/.exec(error.message);
  if (lineCol) return `line ${lineCol[1]}, column ${lineCol[2]}: ${what}`;
  const pos = /at position (\d+)/.exec(error.message);
  const offset = pos ? Number(pos[1]) : /Unexpected end/.test(error.message) ? text.length : undefined;
  if (offset === undefined) return what;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}: ${what}`;
}
