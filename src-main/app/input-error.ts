/** Input the user gave us that cannot be used (missing file, broken JSON, bad config). */
export class InputError extends Error {
  override readonly name = 'InputError';
}
