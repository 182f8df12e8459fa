// The editor store and the MCP tool catalogue, for the components of one open flow.
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ApiOutput } from '../../src-main/shared/api-contract';
import type { NodeType } from '../../src-main/shared/flow';
import type { EditorSession } from './editor-session';
import type { EditorState, EditorStore } from './editor-store';
import type { Step, StepOf } from './step-catalog';

const StoreContext = createContext<EditorStore | null>(null);
const SessionContext = createContext<EditorSession | null>(null);

export type CatalogServer = ApiOutput<'mcp.catalog'>['servers'][number];
export type CatalogTool = CatalogServer['tools'][number];
export interface Catalog {
  servers: CatalogServer[];
  state: 'loading' | 'ready' | 'failed';
  error?: string;
  reload(): void;
}
const CatalogContext = createContext<Catalog>({ servers: [], state: 'loading', reload: () => {} });

export function EditorProvider({ store, session, catalog, children }: { store: EditorStore; session: EditorSession; catalog: Catalog; children: ReactNode }) {
  return (
    <StoreContext.Provider value={store}>
      <SessionContext.Provider value={session}>
        <CatalogContext.Provider value={catalog}>{children}</CatalogContext.Provider>
      </SessionContext.Provider>
    </StoreContext.Provider>
  );
}

export function useEditorStore(): EditorStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useEditorStore outside <EditorProvider>');
  return store;
}

export function useEditor<T>(selector: (state: EditorState) => T): T {
  return useStore(useEditorStore(), selector);
}

export function useSession(): EditorSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside <EditorProvider>');
  return session;
}

export const useCatalog = (): Catalog => useContext(CatalogContext);

/** Finds a tool in the catalogue. */
export function findTool(catalog: Catalog, server: string, tool: string): { server: CatalogServer; tool: CatalogTool } | undefined {
  const s = catalog.servers.find((x) => x.name === server);
  const t = s?.tools.find((x) => x.name === tool);
  return s && t ? { server: s, tool: t } : undefined;
}

const isType = <T extends NodeType>(step: Step, type: T): step is StepOf<T> => step.type === type;

/** An update of one kind of step, for `updateStep`: other kinds pass through unchanged. */
export function patchStep<T extends NodeType>(type: T, patch: (step: StepOf<T>) => StepOf<T>): (step: Step) => Step {
  return (step) => (isType(step, type) ? patch(step) : step);
}
