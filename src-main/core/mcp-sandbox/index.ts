// MCP server sandbox rules (pure). See docs/mcp-sandbox.md.
export * from './policy';
export * from './grant-words';
export * from './sandbox-texts';
export * from './denial';
export * from './proposed-grants';
