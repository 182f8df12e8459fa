// Command-line parsing helpers shared by the commands.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { defaultDataDir } from '../app/data-dir';

/** Wrong command-line usage: exit code 2 with the message and a pointer to --help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

export const HELP = `flowbot — Flowbot Studio on the command line

Usage:
  flowbot validate FLOW... [--config WS] [--live [--data-dir DIR] [--bot NAME]] [--json]
      Check flow files. Exit 0 valid, 1 invalid, 2 unreadable input.
      --live: also start the servers the flows use and check each tool step against what they
      offer now (the tool, its approval, required arguments and their types), as chat does.
  flowbot chat FLOW [--config WS] [--data-dir DIR] [--json] [--conversation ID] [--contact-name NAME]
      Run one conversation: each line on stdin is a customer message; bot messages are printed.
      --conversation ID resumes a stored conversation.
  flowbot test DIR_OR_FILE... [--config WS] [--data-dir DIR] [--database URL] [--json] [--timeout SECONDS] [--live]
      Replay saved conversation test cases (*.test.json; a folder is searched). Each case runs
      its flow (<flow-id>.flow.json next to its <flow-id>.tests/ folder) in a fresh conversation
      and prints PASS or FAIL with what differed; the last line is "N passed, N failed".
      Write tools are dry runs: confirmed, checked by the write guard and compared, never sent
      (an expected "executed" is met by "dry_run"). --live sends them to their servers for real.
      Exit 0 all passed, 1 any failed, 2 unreadable input (a case or flow file, no cases found).
  flowbot test --record FLOW --name NAME [--config WS] [--data-dir DIR] [--loose-tool-values] [--overwrite]
      Run one conversation (each line on stdin is a customer message) and save it as a test
      case: <flow dir>/<flow-id>.tests/<name>.test.json. --loose-tool-values turns replies that
      show a tool's result (a ticket number) into patterns. Never replaces a case without --overwrite.
  flowbot mcp tools --config WS [--server NAME] [--data-dir DIR] [--bot NAME] [--allow-unsandboxed] [--json]
      Start the MCP servers and list their tools: approval status (approved, unapproved,
      changed), the server's suggested class and the effective class, and flags to review.
      Tools the config classifies are approved (pinned) on first sight. Exit 1 if a server failed.
  flowbot mcp approve --config WS --server NAME [--tool TOOL [--hash HASH]]... [--data-dir DIR] [--bot NAME] [--json]
      Approve (re-pin) the definitions of the named tools (default: the tools the config
      classifies), e.g. after the server changed them; prints each definition and its hash.
      --hash (one per --tool, in order; from \`mcp tools\`) pins only the definition you
      reviewed: exit 1, pinning nothing, when the server now lists another one.
  flowbot mcp login SERVER --config WS [--data-dir DIR] [--bot NAME] [--json]
      Sign in to a remote MCP server that asks for it (OAuth in your browser): opens the sign-in
      page (the BROWSER command if set) and prints its address, then waits for the browser to
      come back. The tokens go to the OS keychain; mcp tools, chat and test use them and renew
      them. Exit 1 if the sign-in failed or the server needs none.
  flowbot mcp logout SERVER [--config WS] [--bot NAME] [--json]
      Sign out: revoke the server's tokens at the service (needs --config, which names its
      address) and delete them from the OS keychain.
  flowbot audit verify [--data-dir DIR] [--database URL]
      Check the audit log's hash chain; exit 1 naming the first bad record.
  flowbot audit list [--data-dir DIR] [--database URL] [--json] [--limit N] [FILTERS]
      Print the audit log (every tool call: executed, blocked, declined, error, dry_run), oldest first;
      --limit N: the most recent N.
  flowbot audit export --format jsonl|csv [--out FILE] [--data-dir DIR] [--database URL] [FILTERS]
      Write the matching records, oldest first, to stdout or to FILE (never overwritten): JSONL
      (one full record per line, hashes included) or CSV (quoted per RFC 4180).
      FILTERS: --bot B --conversation ID --flow ID --server S --tool T
               --status executed|blocked|declined|error|dry_run --text WORDS
               --from TIME --to TIME (e.g. 2025-06-03 or 2025-06-03T14:00; --to is exclusive)
      --database URL (or DATABASE_URL): the log in the instances' PostgreSQL, not DIR's flowbot.db
      (test runs its conversations there too).
  flowbot bot export --bot NAME --out FILE [--data-dir DIR]
      Write a bot as a bundle file (never over an existing file): its settings (model, MCP
      servers and tool classes, customer texts), WhatsApp settings, the data dir's flows with
      their test cases, and its tool approvals. Secrets travel by name only, never their values.
  flowbot bot import FILE [--as NEW_ID] [--replace] [--keep-pins] [--data-dir DIR] [--json]
      Add the bundle's bot here. A bot of the same id is never replaced silently: use --as NEW_ID,
      or --replace on purpose. A flow whose id is taken by another flow gets a new id. The MCP
      servers' consents do not travel (approve each command line here); tool approvals travel
      only with --keep-pins. Prints the secrets to set, with the command for each.
      Exit 2 for a damaged, changed or unknown-version bundle (naming the field).
  flowbot knowledge add FILE... [--bot NAME] [--collection C] [--language L] [--config WS] [--data-dir DIR] [--json]
      Add documents to a knowledge collection of the bot (default "documents"): PDF, DOCX,
      Markdown, text, CSV, XLSX, HTML. A changed file is indexed again, an unchanged one skipped;
      a file that cannot be read is reported with the reason (exit 1), the others are kept.
      --paste NAME: add the text on stdin as NAME. --language: the new collection's language
      (words are stemmed for it; default en). --config: embed the passages too when its llm
      names an embeddingModel.
  flowbot knowledge list [--bot NAME] [--data-dir DIR] [--json]
      The collections, their files, status, passages and errors.
  flowbot knowledge remove FILE_NAME... [--bot NAME] [--collection C] [--data-dir DIR] [--json]
      Remove files and their passages (exit 1 if one was not there).
  flowbot knowledge search QUESTION [--bot NAME] [--collection C]... [--limit N] [--config WS] [--data-dir DIR] [--json]
      The passages an AI step would get for QUESTION, best first, with their sources and scores.
  flowbot studio [--port N] [--data-dir DIR]
      The editor in your browser (same as "npm run web"): serves it on 127.0.0.1 only and prints
      the address with its access token. --port 0 (default) picks a free port.
  flowbot web-password [--data-dir DIR] [--generate]
      Set the password that signs in to the studio when "flowbot serve" serves it to other
      machines (docs/remote-access.md). Read from stdin (typed twice without echo on a terminal),
      never from the command line; --generate makes a long random one and prints it once. Only a
      scrypt hash is stored in the data folder; sessions signed in with the old password end.
  flowbot serve --data-dir DIR [--port N] [--host H]
                [--public-host NAME... (--tls-cert F --tls-key F | --behind-proxy [--trusted-proxy IP]...)]
      Run every bot of DIR switched on in Settings › Bots (Always on), without the desktop app:
      MCP servers, model, WhatsApp (linked sessions resume) and the studio to manage them, on
      127.0.0.1; with --public-host over TLS (here, or at a reverse proxy) behind a sign-in
      page (flowbot web-password; docs/remote-access.md). Plain HTTP off loopback is refused. Secrets come
      from DIR/secrets.enc under the master key: the systemd credential "flowbot-master-key" or
      FLOWBOT_MASTER_KEY. Logs JSON lines to stdout; SIGTERM/SIGINT stop it within 10 s (exit 0),
      else exit 1 naming what hung.
  flowbot serve ... --database URL
      One of several instances over one PostgreSQL (or DATABASE_URL), which holds every table
      (conversations, audit log, approvals, WhatsApp, HTTP chat; the folder's approvals are copied
      in on first use); any instance answers the
      HTTP chat (a customer's messages in order across instances); each bot's WhatsApp is held
      by one instance (a lease, taken over within FLOWBOT_LEASE_TTL_MS, default 15000, when its
      holder dies). GET /healthz and /readyz on its port tell a load balancer (no sign-in).
  flowbot serve status --database URL [--json]
      Which instance holds which bot (since when, last heartbeat) and what waits per bot.
  flowbot serve --check --data-dir DIR [--database URL] [--json]
      Check DIR without starting anything: settings, each switched-on bot, its flows, server
      approvals, the master key and the secrets the configs name (and that the database answers).
      Lists every problem; exit 0/1.
  flowbot secrets set NAME --scope SERVER_OR_LLM [--bot NAME]
      Store the value of {"secret": "NAME"} in the OS keychain. The value is read from stdin
      (typed without echo on a terminal), never from the command line, which others can see.
  flowbot secrets delete NAME --scope SERVER_OR_LLM [--bot NAME]
      Remove a secret from the OS keychain (exit 1 if it was not set).
  flowbot bot api-key --bot NAME [--rotate | --revoke]
      The bot's API key for the HTTP chat API (docs/http-chat.md), in the OS keychain.
      --rotate makes a new key and prints it once (any previous key stops working at once);
      --revoke deletes it (exit 1 if there was none). Without either: says whether there is one.
  flowbot secrets check
      Exit 0 if the OS keychain can store secrets, 1 with what to do if it is locked or unavailable.

Options:
  --config WS      workspace config (LLM and MCP servers), see README
  --data-dir DIR   where conversations and the audit log live
                   (default: the app's own data folder, ${defaultDataDir()})
  --bot NAME       the bot whose secrets and approvals to use (default: "default")
  --allow-unsandboxed  (chat, test, validate --live, mcp tools|approve) run stdio MCP servers
                   without the OS sandbox where none can be made (no bubblewrap, Windows, macOS);
                   without it they are refused there
  --json           machine-readable output
  -h, --help       this help
`;

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export const dataDirOption = { 'data-dir': { type: 'string' } } as const;
export const botOption = { bot: { type: 'string' } } as const;
/** Where no OS sandbox can be made for stdio MCP servers, run them anyway (docs/mcp-sandbox.md). */
export const sandboxOption = { 'allow-unsandboxed': { type: 'boolean' } } as const;
export const sandboxOf = (values: { 'allow-unsandboxed'?: string | boolean | undefined }) =>
  values['allow-unsandboxed'] === true ? { sandbox: { allowUnsandboxed: true } } : {};
export const botOf = (values: { bot?: string | boolean | undefined }): string | undefined =>
  typeof values.bot === 'string' ? values.bot : undefined;
export const dataDirOf = (values: { 'data-dir'?: string | boolean | undefined }): string =>
  typeof values['data-dir'] === 'string' ? values['data-dir'] : defaultDataDir();

export const printJson = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`);
};
