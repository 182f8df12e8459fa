// desktop.settings / desktop.saveSettings (shared/api/desktop.ts): the owner's choice of running
// in the background and starting at login; a change is announced so the desktop app applies it.
import type { desktopMethods } from '../shared/api/desktop';
import type { ApiHandlers } from '../api/dispatcher';
import type { DesktopSettingsStore } from '../adapters/settings/desktop-settings';
import type { EventHub } from './event-hub';

export type DesktopHandlers = Pick<ApiHandlers, keyof typeof desktopMethods>;

export function createDesktopHandlers(deps: { store: DesktopSettingsStore; events: EventHub }): DesktopHandlers {
  return {
    'desktop.settings': () => deps.store.get(),
    'desktop.saveSettings': (change) => {
      const next = deps.store.update(change);
      deps.events.emit({ event: 'desktop.settingsChanged', payload: next });
      return next;
    },
  };
}
