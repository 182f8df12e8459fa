// The one error for "the OS keychain cannot be used": it says which (locked or unavailable),
// what to do about it, and that Flowbot never falls back to storing secrets on disk.

export type KeychainProblem = 'locked' | 'unavailable';

export const KEYCHAIN_HELP =
  'On Linux Flowbot needs a running, unlocked Secret Service (gnome-keyring or KWallet) on the session D-Bus: ' +
  'log in to a desktop session and unlock the login keyring, or in a headless session run Flowbot inside ' +
  '"dbus-run-session" with "gnome-keyring-daemon --unlock --components=secrets" started (the password on its stdin). ' +
  'On macOS the login Keychain is used, on Windows the Credential Manager. ' +
  'Flowbot never falls back to storing secrets on disk; where no keychain exists (CI), use {"env": "NAME"} in the config instead of {"secret": "NAME"}. ' +
  'Check with: flowbot secrets check';

export class KeychainUnavailableError extends Error {
  override readonly name = 'KeychainUnavailableError';

  constructor(
    readonly problem: KeychainProblem,
    /** What the keychain (or keytar) said, for the owner; never a secret value. */
    readonly detail: string,
    options?: { cause?: unknown; context?: string },
  ) {
    const what = problem === 'locked' ? 'is locked' : 'is unavailable';
    const said = detail ? ` (${detail})` : '';
    const context = options?.context ? `${options.context}: ` : '';
    super(`${context}The OS keychain ${what}, so Flowbot cannot read or store secrets${said}. ${KEYCHAIN_HELP}`, options);
  }

  /** The same problem, with what needed the keychain in front (e.g. the config field). */
  withContext(context: string): KeychainUnavailableError {
    return new KeychainUnavailableError(this.problem, this.detail, { cause: this, context });
  }
}
