// Read or write: the owner's classification decides; anything unclassified is a write.
import type { ToolClass, WorkspaceConfig } from '../shared/workspace-config';

export type ToolClassifier = (server: string, tool: string) => ToolClass;

export function classifierFromConfig(config: WorkspaceConfig | undefined): ToolClassifier {
  return (server, tool) => config?.mcpServers[server]?.tools?.[tool] ?? 'write';
}
