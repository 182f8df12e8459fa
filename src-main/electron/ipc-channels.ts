// IPC channel names shared by the main process (ipc.ts) and the preload. No imports: the
// preload bundle stays small.

/** One ipcMain.handle per contract method: `api:flows.get`, ... */
export const API_CHANNEL_PREFIX = 'api:';
export const apiChannelOf = (method: string): string => `${API_CHANNEL_PREFIX}${method}`;

/** Main -> renderer: `{ event, payload }` of the contract's events. */
export const API_EVENT_CHANNEL = 'api-event';
