// The sandbox grants sent with mcp.import: the one the owner ticked for each stdio server (see
// core/mcp-sandbox/proposed-grants.ts). Checked here, not by the API schema, so that a refusal
// names the server. A server without one gets the default sandbox: a `sandbox` in the pasted
// text is only a proposal until the owner sends it back.
import { ApiCallError } from '../../shared/api-contract';
import { SandboxGrantSchema, type McpServerConfig, type SandboxGrant } from '../../shared/workspace-config';
import type { ImportedServer } from '../../core/mcp-import';
import { compactGrant, proposeGrant } from '../../core/mcp-sandbox';
import { describeIssues } from '../../core/zod-issues';

export interface SentGrant {
  server: string;
  grant: unknown;
}

const refuse = (message: string) => new ApiCallError('INVALID_INPUT', `mcp.import: ${message} Nothing was imported.`);

/** Each server's grant, compacted (an empty one is left out: the default fingerprint stays). */
export function importGrants(servers: readonly ImportedServer[], sent: readonly SentGrant[]): Map<string, SandboxGrant> {
  const grants = new Map<string, SandboxGrant>();
  for (const { server, grant } of sent) {
    const target = servers.find((s) => s.name === server);
    if (!target) throw refuse(`a sandbox grant is for "${server}", which is not a server of the pasted config.`);
    if ('url' in target.config) throw refuse(`"${server}" is a remote (url) server: it runs elsewhere and has no sandbox to grant.`);
    if (grants.has(server)) throw refuse(`the sandbox grant of "${server}" is sent twice.`);
    const parsed = SandboxGrantSchema.safeParse(grant);
    if (!parsed.success) throw refuse(`the sandbox grant of "${server}" is not valid: ${describeIssues(parsed.error.issues, grant, 'sandbox')}.`);
    const paths = (parsed.data.folders ?? []).map((f) => f.path);
    const twice = paths.find((p, i) => paths.indexOf(p) !== i);
    if (twice !== undefined) throw refuse(`the sandbox grant of "${server}" lists the folder "${twice}" twice.`);
    grants.set(server, compactGrant(parsed.data));
  }
  return grants;
}

/** The server without the `sandbox` of the pasted text (it is shown as the proposal instead). */
export function withoutPastedGrant(server: ImportedServer): ImportedServer {
  if ('url' in server.config || server.config.sandbox === undefined) return server;
  const { sandbox: _proposal, ...config } = server.config;
  return { ...server, config };
}

/** The server with the grant the owner chose (none when it is empty: the default fingerprint stays). */
export function withGrant(config: McpServerConfig, grant: SandboxGrant | undefined): McpServerConfig {
  return grant && !('url' in config) && Object.keys(grant).length ? { ...config, sandbox: grant } : config;
}

/** The preview's proposal fields of one server (none for a remote server). */
export function proposalFields(original: ImportedServer): { proposedGrant?: SandboxGrant; packageRegistry?: string[]; wideFolders?: string[] } {
  const proposal = proposeGrant(original.config);
  if (!proposal) return {};
  const { grant, ...notes } = proposal;
  return { proposedGrant: grant, ...notes };
}
