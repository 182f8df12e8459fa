// MCP catalog logic (pure): server consent fingerprints, tool pinning, classification, flags.
// See docs/mcp-approvals.md.
export * from './classify';
export * from './definition';
export * from './consent-line';
export * from './fingerprint';
export * from './loader-variables';
export * from './shell-words';
export * from './status';
