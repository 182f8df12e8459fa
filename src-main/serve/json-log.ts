// What `flowbot serve` says, as JSON lines on stdout ({"time","level","msg",...fields}): one
// object per line, for journald, Docker or a log shipper. The rest of the app logs through
// `(message, error?)` callbacks; asLogCallback turns those into lines (an error makes it level
// "error", a "[whatsapp <bot>] " prefix becomes the fields channel and bot).

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface JsonLog {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export function createJsonLog(write: (line: string) => void = (line) => void process.stdout.write(line), clock: () => number = Date.now): JsonLog {
  const line = (level: LogLevel) => (msg: string, fields: LogFields = {}) => {
    // time, level and msg first and never overwritten by a field of the same name.
    write(`${JSON.stringify({ ...{ time: new Date(clock()).toISOString(), level, msg }, ...withoutReserved(fields) }, jsonSafe)}\n`);
  };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

const CHANNEL_PREFIX = /^\[(whatsapp) ([^\]]+)\] /;

/** The app's `(message, error?)` log callback, writing to `log`. */
export function asLogCallback(log: JsonLog): (message: string, error?: unknown) => void {
  return (message, error) => {
    const prefix = CHANNEL_PREFIX.exec(message);
    const fields: LogFields = prefix ? { channel: prefix[1], bot: prefix[2] } : {};
    const msg = prefix ? message.slice(prefix[0].length) : message;
    if (error === undefined) return log.info(msg.trimEnd(), fields);
    log.error(msg.replace(/:\s*$/, ''), { ...fields, error: errorText(error) });
  };
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function withoutReserved(fields: LogFields): LogFields {
  const { time: _time, level: _level, msg: _msg, ...rest } = fields;
  return rest;
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (value instanceof Error) return value.message;
  if (typeof value === 'bigint') return value.toString();
  return value;
}
