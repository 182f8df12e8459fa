// MCP catalog logic (pure): server consent fingerprints, tool pinning, classification, flags.
// See docs/mcp-approvals.md.
export * from './classify';
export * from './definition';
export * from './fingerprint';
export * from './status';
