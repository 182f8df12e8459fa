// --database URL (or DATABASE_URL): the commands that read or write the runtime's tables (audit,
// test, serve) use the shared PostgreSQL instead of the data folder's flowbot.db.
import { DatabaseUrlError } from '../adapters/postgres/open-pool';
import { openStorage, type Storage } from '../app/storage';
import { UsageError, dataDirOf } from './usage';

export const databaseOption = { database: { type: 'string' } } as const;

type Values = { 'data-dir'?: string | boolean | undefined; database?: string | boolean | undefined };

/** The database URL the command line or the environment names, if any. */
export function databaseUrlOf(values: Values, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return typeof values.database === 'string' ? values.database : env.DATABASE_URL || undefined;
}

/** The storage the command uses; a URL that is not postgres:// is a usage error. */
export async function storageOf(values: Values, application: string): Promise<Storage> {
  const url = databaseUrlOf(values);
  try {
    return await openStorage(url ? { kind: 'postgres', url } : { kind: 'sqlite', dataDir: dataDirOf(values) }, application);
  } catch (error) {
    if (error instanceof DatabaseUrlError) throw new UsageError(error.message);
    throw error;
  }
}
