// The CLI's refusal when no sandbox can be made (the studio asks the owner instead: the consent
// line says the server runs without one). English, like the rest of the CLI; the reason's words
// come from shared/consent-texts (sandbox.unavailable.*).
import { formatConsentText, type ConsentText } from '../../shared/consent-texts';

export const SANDBOX_TEXTS = {
  cliRefuses: (server: string, reason: ConsentText) =>
    `MCP server "${server}" cannot be sandboxed here (${formatConsentText(reason, 'en')}). Run it unsandboxed only if you trust it: add --allow-unsandboxed.`,
} as const;
