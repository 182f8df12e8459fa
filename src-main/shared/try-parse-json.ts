/** JSON.parse that answers undefined for text that is not JSON (the caller then says what is wrong). */
export function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
