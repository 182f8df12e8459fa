// Where a JSON text goes wrong, as a line and column people can find in their editor.
// V8's JSON.parse messages differ between Node versions: some say "at position N", newer
// ones add "(line L column C)", and some ("Unexpected token '}', "..." is not valid JSON")
// give no position at all. For those we scan the text ourselves.

export interface JsonErrorLocation {
  line: number;
  column: number;
  /** V8's message without the position and the quoted copy of the input. */
  reason: string;
}

export function locateJsonError(text: string, error: unknown): JsonErrorLocation {
  const raw = error instanceof Error ? error.message : String(error);
  const lineCol = /\(line (\d+) column (\d+)\)/.exec(raw);
  const position = /at position (\d+)/.exec(raw);
  let where: { line: number; column: number };
  if (lineCol) where = { line: Number(lineCol[1]), column: Number(lineCol[2]) };
  else if (position) where = lineColumnAt(text, Number(position[1]));
  else where = lineColumnAt(text, findJsonErrorOffset(text) ?? text.length);
  return { ...where, reason: cleanReason(raw, text) };
}

function cleanReason(message: string, text: string): string {
  if (text.trim() === '') return 'the file is empty';
  const reason = message
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/,\s*(?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON\s*$/s, '')
    .replace(/\s+(?:in JSON\s+)?at position \d+/, '')
    .trim();
  if (/^Unexpected end of JSON input$/.test(reason)) return 'the text ends too early (a closing } or ] or " may be missing)';
  return reason || 'not valid JSON';
}

/** 1-based line and column of a UTF-16 offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const upTo = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lastBreak = upTo.lastIndexOf('\n');
  let line = 1;
  for (let i = 0; i < upTo.length; i++) if (upTo.charCodeAt(i) === 10) line++;
  return { line, column: upTo.length - lastBreak };
}

type State = 'value' | 'key' | 'after';
const WS = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/**
 * Offset of the first character that makes `text` invalid JSON (text.length when it ends
 * too early), or undefined when it is valid. Iterative, so deep nesting cannot overflow.
 */
export function findJsonErrorOffset(text: string): number | undefined {
  const stack: string[] = [];
  let i = 0;
  let state: State = 'value';
  const skipWs = () => {
    while (i < text.length && WS.has(text[i]!)) i++;
  };
  for (;;) {
    skipWs();
    if (state === 'value') {
      const c = text[i];
      if (c === undefined) return i;
      if (c === '{' || c === '[') {
        stack.push(c);
        i++;
        skipWs();
        if (text[i] === (c === '{' ? '}' : ']')) {
          stack.pop();
          i++;
          state = 'after';
        } else state = c === '{' ? 'key' : 'value';
        continue;
      }
      const end = c === '"' ? scanString(text, i) : c === '-' || isDigit(c) ? scanNumber(text, i) : scanLiteral(text, i);
      if (end.error !== undefined) return end.error;
      i = end.next;
      state = 'after';
    } else if (state === 'key') {
      if (text[i] !== '"') return i;
      const end = scanString(text, i);
      if (end.error !== undefined) return end.error;
      i = end.next;
      skipWs();
      if (text[i] !== ':') return i;
      i++;
      state = 'value';
    } else {
      const top = stack[stack.length - 1];
      if (top === undefined) return i < text.length ? i : undefined;
      const c = text[i];
      if (c === ',') {
        i++;
        state = top === '{' ? 'key' : 'value';
      } else if (c === (top === '{' ? '}' : ']')) {
        stack.pop();
        i++;
      } else return i;
    }
  }
}

interface Scan {
  next: number;
  error?: number;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

function scanString(text: string, start: number): Scan {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') return { next: i + 1 };
    if (c.charCodeAt(0) < 0x20) return { next: i, error: i };
    if (c === '\\') {
      const e = text[i + 1];
      if (e === 'u') {
        for (let k = 2; k < 6; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) return { next: i, error: Math.min(i + k, text.length) };
        i += 6;
        continue;
      }
      if (e === undefined) return { next: i, error: text.length };
      if (!ESCAPES.has(e)) return { next: i, error: i + 1 };
      i += 2;
      continue;
    }
    i++;
  }
  return { next: i, error: text.length };
}

function scanNumber(text: string, start: number): Scan {
  let i = start;
  if (text[i] === '-') i++;
  if (text[i] === '0') i++;
  else if (isDigit(text[i])) while (isDigit(text[i])) i++;
  else return { next: i, error: i };
  if (text[i] === '.') {
    i++;
    if (!isDigit(text[i])) return { next: i, error: i };
    while (isDigit(text[i])) i++;
  }
  if (text[i] === 'e' || text[i] === 'E') {
    i++;
    if (text[i] === '+' || text[i] === '-') i++;
    if (!isDigit(text[i])) return { next: i, error: i };
    while (isDigit(text[i])) i++;
  }
  return { next: i };
}

function scanLiteral(text: string, start: number): Scan {
  const word = ['true', 'false', 'null'].find((w) => w[0] === text[start]);
  if (!word) return { next: start, error: start };
  for (let k = 0; k < word.length; k++) if (text[start + k] !== word[k]) return { next: start, error: start + k };
  return { next: start + word.length };
}
