// Signed-in browser sessions of the remote web host: a random id (the cookie's value) that
// expires after `idleMs` without use and after `absoluteMs` in any case, whichever comes first.
// Kept in memory only: a restart signs everyone out (the owner signs in again), and no session
// id ever touches disk. Each session remembers which password it was opened with
// (`credential`), so setting a new password ends the sessions opened with the old one.
import { randomBytes } from 'node:crypto';

export interface SessionPolicy {
  /** Ends a session this long after its last use (a page load, sign-in, an API call). */
  idleMs: number;
  /** Ends a session this long after the sign-in, used or not. */
  absoluteMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = Object.freeze({ idleMs: 2 * 60 * 60_000, absoluteMs: 24 * 60 * 60_000 });

export interface Session {
  readonly id: string;
  readonly credential: string;
  readonly createdAt: number;
  lastUsedAt: number;
}

export interface SessionStore {
  open(credential: string): Session;
  /** The live session of this id (its use noted), or null when unknown, expired or opened with another password. */
  use(id: string | undefined, currentCredential: string | null): Session | null;
  /** Whether the session is still live, without counting as a use (events pushed to a socket). */
  alive(id: string, currentCredential: string | null): boolean;
  end(id: string): void;
  /** The session ids that expired since the last sweep (and forgets them). */
  sweep(currentCredential: string | null): string[];
  readonly size: number;
}

/** Sessions one host keeps at most: the oldest go first (a flood of sign-ins cannot fill memory). */
const MAX_SESSIONS = 1000;

export function createSessionStore(now: () => number, policy: SessionPolicy = DEFAULT_SESSION_POLICY): SessionStore {
  const sessions = new Map<string, Session>();
  const live = (session: Session, credential: string | null, at: number): boolean =>
    credential !== null && session.credential === credential && at - session.lastUsedAt < policy.idleMs && at - session.createdAt < policy.absoluteMs;

  return {
    open(credential) {
      const at = now();
      const session: Session = { id: randomBytes(32).toString('base64url'), credential, createdAt: at, lastUsedAt: at };
      sessions.set(session.id, session);
      while (sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value as string);
      return session;
    },
    use(id, credential) {
      if (id === undefined) return null;
      const session = sessions.get(id);
      if (session === undefined) return null;
      const at = now();
      if (!live(session, credential, at)) {
        sessions.delete(id);
        return null;
      }
      session.lastUsedAt = at;
      return session;
    },
    alive(id, credential) {
      const session = sessions.get(id);
      return session !== undefined && live(session, credential, now());
    },
    end(id) {
      sessions.delete(id);
    },
    sweep(credential) {
      const at = now();
      const ended: string[] = [];
      for (const session of sessions.values()) {
        if (!live(session, credential, at)) {
          sessions.delete(session.id);
          ended.push(session.id);
        }
      }
      return ended;
    },
    get size() {
      return sessions.size;
    },
  };
}
