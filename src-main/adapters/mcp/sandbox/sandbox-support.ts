// Can this machine sandbox a server? Linux with bubblewrap (and socat, ripgrep: what
// @anthropic-ai/sandbox-runtime needs) where bubblewrap can create a user namespace. Asked once
// per process; the answer is shown on the server card and decides whether the owner must
// consent to running servers unsandboxed.
import { spawnSync } from 'node:child_process';
import { consentText, type ConsentText } from '../../../shared/consent-texts';

/** `reason`: catalogue keys (sandbox.unavailable.*), so the consent line and the card say it in the owner's language. */
export type SandboxSupport = { available: true } | { available: false; reason: ConsentText };

let cached: SandboxSupport | undefined;

export function sandboxSupport(): SandboxSupport {
  return (cached ??= probe());
}

function probe(): SandboxSupport {
  if (process.platform !== 'linux') {
    const name = process.platform === 'darwin' ? 'macOS' : process.platform === 'win32' ? 'Windows' : process.platform;
    return { available: false, reason: consentText('sandbox.unavailable.platform', { platform: name }) };
  }
  const missing = ['bwrap', 'socat', 'rg'].filter((tool) => !onPath(tool));
  if (missing.length) {
    const names = missing.map((m) => (m === 'bwrap' ? 'bubblewrap' : m === 'rg' ? 'ripgrep' : m));
    return { available: false, reason: consentText('sandbox.unavailable.missing', { programs: names }) };
  }
  const r = spawnSync('bwrap', ['--unshare-user', '--unshare-net', '--ro-bind', '/', '/', 'true'], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) return { available: false, reason: consentText('sandbox.unavailable.userns', { detail: (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n')[0]! }) };
  return { available: true };
}

function onPath(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

/** For tests: forget the probed answer. */
export function resetSandboxSupport(): void {
  cached = undefined;
}
