// Earlier name of the MCP adapter, kept so existing imports work: prefer mcp-hub.ts.
export {
  createMcpHub as createStdioMcp,
  INHERITED_ENV,
  McpServerError,
  type McpErrorKind,
  type McpHub as StdioMcp,
  type McpHubOptions as StdioMcpOptions,
} from './mcp-hub';
