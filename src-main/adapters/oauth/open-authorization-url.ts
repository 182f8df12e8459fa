// Opens a sign-in page in the owner's browser. Only an https URL (or http on this computer's
// loopback) is opened: a known MCP-client remote code execution came from handing a server's
// `javascript:`/`file:` "authorization URL" to the system opener unchecked. The sign-in service
// passes only the URL it built from the discovered metadata (StartedSignIn.openInBrowser).
//
// Which program opens it: the BROWSER environment variable when set (as xdg-open reads it: a
// ':'-separated list of commands, `%s` replaced by the URL, else the URL added as the last
// argument; the first command that starts wins), else xdg-open (Linux), open (macOS),
// rundll32's URL handler (Windows: `start` would go through cmd.exe, which expands %VAR% and
// treats & specially). No shell ever sees the URL.
import { spawn } from 'node:child_process';
import { SIGN_IN_TEXTS, type SignInWords } from './sign-in-texts';
import { openableUrl } from '../../shared/api/mcp-sign-in';

/** The URL, parsed, if it may be opened (the rule: shared/api/mcp-sign-in.ts openableUrl); otherwise an Error saying why, in plain words. */
export function checkAuthorizationUrl(url: string | URL): URL {
  const parsed = openableUrl(String(url));
  if (!parsed) throw new UnsafeAuthorizationUrlError(String(url));
  return parsed;
}

export class UnsafeAuthorizationUrlError extends Error {
  override name = 'UnsafeAuthorizationUrlError';
  readonly words: SignInWords;
  constructor(readonly url: string) {
    const words = SIGN_IN_TEXTS.badAuthorizationUrl(url.length > 200 ? `${url.slice(0, 200)}…` : url);
    super(words.message);
    this.words = words;
  }
}

export interface OpenerOptions {
  platform?: NodeJS.Platform;
}

/** Starts the browser on the URL, in the environment `env`; resolves once the opener started (it does not wait for the sign-in). */
export async function openAuthorizationUrl(url: string | URL, env: NodeJS.ProcessEnv | Record<string, string | undefined>, options: OpenerOptions = {}): Promise<void> {
  const href = checkAuthorizationUrl(url).href;
  const commands = browserCommands(href, env.BROWSER, options.platform ?? process.platform);
  let lastError: unknown;
  for (const argv of commands) {
    try {
      await start(argv, env);
      return;
    } catch (err) {
      lastError = err;
    }
  }
  const tried = commands.map((c) => c[0]).join(', ');
  throw new Error(SIGN_IN_TEXTS.browserFailed(tried, lastError instanceof Error ? lastError.message : String(lastError)).message, { cause: lastError });
}

/** The command lines to try, in order. */
export function browserCommands(href: string, browser: string | undefined, platform: NodeJS.Platform): string[][] {
  const fromEnv = (browser ?? '')
    .split(':')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      const words = entry.split(/\s+/);
      return words.some((w) => w.includes('%s')) ? words.map((w) => w.replaceAll('%s', href)) : [...words, href];
    });
  if (fromEnv.length > 0) return fromEnv;
  if (platform === 'darwin') return [['open', href]];
  if (platform === 'win32') return [['rundll32', 'url.dll,FileProtocolHandler', href]];
  return [['xdg-open', href]];
}

function start(argv: string[], env: Record<string, string | undefined>): Promise<void> {
  return new Promise((resolve, reject) => {
    const [command, ...args] = argv as [string, ...string[]];
    const child = spawn(command, args, { env, stdio: 'ignore', detached: process.platform !== 'win32', shell: false });
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
