// Data the settings panels share: the bots with the active one, the active bot's workspace
// config, and a runner that turns failures into a toast. Each reloads on the API's events.
import { useCallback, useEffect, useState } from 'react';
import type { ApiOutput } from '../../../src-main/shared/api-contract';
import type { WorkspaceConfig } from '../../../src-main/shared/workspace-config';
import { useApi } from '../../api/api-context';
import { userMessage } from '../../api/client';
import { toast } from '../toasts';

export type BotsState = ApiOutput<'bots.list'>;

export function useBots(): { bots: BotsState | null; error: string | null; reload(): Promise<void> } {
  const api = useApi();
  const [bots, setBots] = useState<BotsState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setBots(await api.call('bots.list', {}));
      setError(null);
    } catch (e) {
      setError(userMessage(e));
    }
  }, [api]);
  useEffect(() => {
    void reload();
    return api.on('bots.changed', () => void reload());
  }, [api, reload]);
  return { bots, error, reload };
}

/** The active bot's workspace config; reloads when the bot or its settings change. */
export function useWorkspace(): { config: WorkspaceConfig | null; error: string | null; reload(): Promise<void> } {
  const api = useApi();
  const [config, setConfig] = useState<WorkspaceConfig | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setConfig((await api.call('settings.get', {})).config);
      setError(null);
    } catch (e) {
      setError(userMessage(e));
    }
  }, [api]);
  useEffect(() => {
    void reload();
    const offBots = api.on('bots.changed', () => void reload());
    const offSettings = api.on('settings.changed', () => void reload());
    return () => {
      offBots();
      offSettings();
    };
  }, [api, reload]);
  return { config, error, reload };
}

/** Runs an action; a failure becomes an error toast (the message says what to do). Returns whether it worked. */
export async function attempt(work: () => Promise<unknown>): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (e) {
    toast({ message: userMessage(e), tone: 'error' }, 8000);
    return false;
  }
}
