// Words from a server or a config as the owner reads them: hidden characters escaped, and shell
// words quoted where a POSIX shell would need it (the consent line, tool definitions).
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;
// Control characters, and characters that render as nothing or reorder text (bidi, tags).
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb]|\udb40[\udc00-\udfff]/g;

/** Text from a server or a config, safe to print: control and invisible characters escaped. */
export function escapeHidden(text: string): string {
  return text.replace(HIDDEN, (ch) => [...ch].map((c) => `\\u{${c.codePointAt(0)!.toString(16)}}`).join(''));
}

/** A word as a POSIX shell would need it: bare when safe, else single-quoted; hidden characters escaped. */
export function shellWord(word: string): string {
  if (word.length > 0 && PLAIN_WORD.test(word)) return word;
  return `'${escapeHidden(word).replace(/'/g, `'\\''`)}'`;
}
