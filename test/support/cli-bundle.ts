// The CLI as one esbuild bundle, built once per test worker: a child process that starts from
// it loads in a fraction of the time `bin/flowbot.js` (tsx compiling every module on each
// start) takes. Same code, same process boundary: exit codes, stdio and signals are real.
// bin/flowbot.js itself stays covered by the files that still spawn it (cli-audit, serve, ...).
import { buildSync } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

let entry: string | undefined;

/** The bundled CLI's entry file (inside the repository, so node_modules resolves as from src). */
export function cliEntry(): string {
  if (entry) return entry;
  const root = resolve('.cache/cli-bundle');
  removeBundlesOfEndedWorkers(root); // a worker killed by vitest never runs an exit handler
  const outdir = join(root, String(process.pid));
  buildSync({
    entryPoints: [resolve('src-main/cli/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external', // node_modules load as the real CLI loads them
    splitting: true, // keeps each command's modules loading only when it runs
    outdir,
    logLevel: 'warning',
  });
  return (entry = join(outdir, 'main.js'));
}

function removeBundlesOfEndedWorkers(root: string): void {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return; // no bundle yet
  }
  for (const name of names) if (!alive(Number(name))) rmSync(join(root, name), { recursive: true, force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
