// The service's events (the contract's `apiEvents`), fanned out to every transport that listens:
// the Electron window, each WebSocket of the web host.
import type { ApiEvent, ApiEventPayload } from '../shared/api-contract';

export type StudioEvent = { [E in ApiEvent]: { event: E; payload: ApiEventPayload<E> } }[ApiEvent];
export type StudioEventListener = (event: StudioEvent) => void;

export interface EventHub {
  emit(event: StudioEvent): void;
  /** Returns the unsubscribe function. */
  on(listener: StudioEventListener): () => void;
}

export function createEventHub(log: (message: string, error: unknown) => void = (m, e) => console.error(m, e)): EventHub {
  const listeners = new Set<StudioEventListener>();
  return {
    emit(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          log(`A listener of ${event.event} failed:`, error);
        }
      }
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
