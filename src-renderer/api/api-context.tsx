// The API client for the whole page, through React context.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { ConnectionState, StudioClient } from './client';

const ApiContext = createContext<StudioClient | null>(null);

export function ApiProvider({ client, children }: { client: StudioClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): StudioClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi outside <ApiProvider>');
  return client;
}

export function useConnection(): ConnectionState {
  const client = useApi();
  const [state, setState] = useState(client.connection());
  useEffect(() => {
    setState(client.connection());
    return client.onConnection(setState);
  }, [client]);
  return state;
}
