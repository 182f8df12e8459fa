// Read or write: the owner's classification decides; anything unclassified is a write.
import type { ToolClass, WorkspaceConfig } from '../shared/workspace-config';

export type ToolClassifier = (server: string, tool: string) => ToolClass;

/** The owner's class for a tool, read as an own property ("valueOf" is not a class). */
export function ownerClassOf(classes: Readonly<Record<string, ToolClass>> | undefined, tool: string): ToolClass | undefined {
  return classes && Object.hasOwn(classes, tool) ? classes[tool] : undefined;
}

/** The owner's classes of one server's tools (undefined for a server the config does not have). */
export function ownerClassesOf(config: WorkspaceConfig | undefined, server: string): Readonly<Record<string, ToolClass>> | undefined {
  return config && Object.hasOwn(config.mcpServers, server) ? config.mcpServers[server]!.tools : undefined;
}

export function classifierFromConfig(config: WorkspaceConfig | undefined): ToolClassifier {
  return (server, tool) => ownerClassOf(ownerClassesOf(config, server), tool) ?? 'write';
}
