// Where a workspace config uses keychain secrets: every { "secret": NAME } with the scope it
// is stored under (the server's name, or "llm") and the field that uses it.
import type { ConfigValue, WorkspaceConfig } from '../shared/workspace-config';
import { LLM_SCOPE } from './secret-account';

export interface SecretRef {
  scope: string;
  name: string;
  /** The config path, e.g. "mcpServers.crm.env.CRM_TOKEN". */
  field: string;
}

export function secretRefsOf(config: WorkspaceConfig): SecretRef[] {
  const refs: SecretRef[] = [];
  const add = (value: ConfigValue | undefined, scope: string, field: string) => {
    if (value !== undefined && typeof value !== 'string' && 'secret' in value) refs.push({ scope, name: value.secret, field });
  };
  const addAll = (values: Record<string, ConfigValue> | undefined, scope: string, field: string) => {
    for (const [key, value] of Object.entries(values ?? {})) add(value, scope, `${field}.${key}`);
  };
  if (config.llm) {
    add(config.llm.apiKey, LLM_SCOPE, 'llm.apiKey');
    addAll(config.llm.headers, LLM_SCOPE, 'llm.headers');
  }
  for (const [name, server] of Object.entries(config.mcpServers)) {
    const base = `mcpServers.${name}`;
    if ('url' in server) addAll(server.headers, name, `${base}.headers`);
    else addAll(server.env, name, `${base}.env`);
    add(server.auth?.clientSecret, name, `${base}.auth.clientSecret`);
    add(server.auth?.privateKey, name, `${base}.auth.privateKey`);
    if ('url' in server) add(server.signIn?.clientSecret, name, `${base}.signIn.clientSecret`);
  }
  return refs;
}
