// flowbot studio [--port N] [--data-dir DIR]: the loopback web host (same as `npm run web`).
// Prints the URL with its access token and serves until Ctrl+C.
import { startWebHost } from '../../web/web-host';
import { EXIT, UsageError, dataDirOf, dataDirOption, parse } from '../usage';

export async function studioCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...dataDirOption, port: { type: 'string' } }, false);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '0') || port > 65535) {
    throw new UsageError(`--port needs a whole number from 0 to 65535 (0 picks a free one), not "${values.port}"`);
  }
  const dataDir = dataDirOf(values);
  const host = await startWebHost({ dataDir, port });
  process.stdout.write(
    `Flowbot Studio is running at\n\n    ${host.url}\n\n` +
      `Open that address in a browser on this machine (it includes the access token; keep it private).\n` +
      `Data folder: ${dataDir}\nPress Ctrl+C to stop.\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await host.close();
  process.stderr.write('Flowbot Studio stopped.\n');
  return EXIT.ok;
}
