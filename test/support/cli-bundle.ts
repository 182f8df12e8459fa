// The CLI as one esbuild bundle, built once per test worker: a child process that starts from
// it loads in a fraction of the time `bin/flowbot.js` (tsx compiling every module on each
// start) takes. Same code, same process boundary: exit codes, stdio and signals are real.
// bin/flowbot.js itself stays covered by the files that still spawn it (cli-audit, serve, ...).
import { buildSync } from 'esbuild';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

let entry: string | undefined;

/** The bundled CLI's entry file (inside the repository, so node_modules resolves as from src). */
export function cliEntry(): string {
  if (entry) return entry;
  const outdir = resolve('.cache/cli-bundle', String(process.pid));
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
  process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
  return (entry = join(outdir, 'main.js'));
}
