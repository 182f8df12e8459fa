// The client's side of public/early-socket.js: takes the socket it opened (once), checked at run time.
import { z } from 'zod';

/** The key src-renderer/public/early-socket.js stores its socket under (KEY there). */
export const EARLY_SOCKET_KEY = '__flowbotEarlySocket';

const isFunction = (v: unknown): v is () => void => typeof v === 'function';
const EarlySocketSchema = z.object({
  socket: z.custom<WebSocket>(
    (v) => typeof v === 'object' && v !== null && typeof Reflect.get(v, 'readyState') === 'number' && isFunction(Reflect.get(v, 'send')),
    'a WebSocket',
  ),
  buffered: z.array(z.string()),
  prefetch: z.object({ id: z.number().int().negative(), method: z.string(), input: z.unknown() }).optional(),
  adopt: z.custom<() => void>(isFunction, 'a function'),
});

export type EarlySocket = z.infer<typeof EarlySocketSchema>;

/** The early socket, once; undefined in the desktop app, in tests, or when it is not usable. */
export function takeEarlySocket(scope: object = globalThis): EarlySocket | undefined {
  const early: unknown = Reflect.get(scope, EARLY_SOCKET_KEY);
  Reflect.deleteProperty(scope, EARLY_SOCKET_KEY);
  const parsed = EarlySocketSchema.safeParse(early);
  return parsed.success ? parsed.data : undefined;
}
