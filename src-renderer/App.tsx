// Placeholder page until the editor arrives: what the app is, and the CLI commands that do the
// work meanwhile. Static content only; nothing here talks to the main process yet.

declare global {
  interface Window {
    /** Exposed by the preload (src-main/electron/preload.ts); absent in a plain browser. */
    readonly flowbot?: { readonly version: string };
  }
}

interface CliCommand {
  readonly command: string;
  readonly purpose: string;
}

const COMMANDS: readonly CliCommand[] = [
  {
    command: 'flowbot validate flows/order-status.flow.json --config examples/workspace.json',
    purpose: 'Check a flow, including the write guard: every write tool must follow a confirmation.',
  },
  {
    command: 'flowbot chat flows/order-status.flow.json --config examples/workspace.json',
    purpose: 'Talk to the bot in the terminal: each line you type is a customer message.',
  },
  {
    command: 'flowbot audit list',
    purpose: 'Show every tool call the bot made or was refused: executed, blocked, declined, error.',
  },
  {
    command: 'flowbot audit verify',
    purpose: "Check that the audit log's hash chain is intact.",
  },
];

export function App() {
  const version = window.flowbot?.version;
  return (
    <main className="page">
      <header className="page-header">
        <h1>Flowbot Studio</h1>
        {version !== undefined && <span className="version">version {version}</span>}
      </header>

      <section className="notice" aria-labelledby="notice-title">
        <h2 id="notice-title">The flow editor arrives in a later release</h2>
        <p>
          Drawing flows, the simulator and the settings will appear in this window. Until then, the{' '}
          <code>flowbot</code> command does the same work, and it shares its data folder with this app:
          conversations, approvals and the audit log are the same in both.
        </p>
      </section>

      <section aria-labelledby="cli-title">
        <h2 id="cli-title">Use the command line meanwhile</h2>
        <ul className="commands">
          {COMMANDS.map(({ command, purpose }) => (
            <li key={command}>
              <pre>
                <code>{command}</code>
              </pre>
              <p>{purpose}</p>
            </li>
          ))}
        </ul>
        <p className="hint">
          Run <code>flowbot --help</code> for every option. Example flows are in the <code>flows/</code> folder.
        </p>
      </section>
    </main>
  );
}
