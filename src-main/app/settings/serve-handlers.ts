// serve.*: the "Always on" switch of each bot (shared/api/serve.ts), read by `flowbot serve`.
import { ApiCallError } from '../../shared/api-contract';
import type { ApiHandlers } from '../../api/dispatcher';
import type { SettingsStore } from '../../adapters/settings/settings-store';
import type { ServeSettingsStore } from '../../adapters/settings/serve-settings';

type ServeHandlers = Pick<ApiHandlers, 'serve.bots' | 'serve.setAlwaysOn'>;

export function createServeHandlers(deps: { settings: Pick<SettingsStore, 'bots'>; serve?: ServeSettingsStore }): ServeHandlers {
  const store = (): ServeSettingsStore => {
    if (!deps.serve) throw new ApiCallError('CONFLICT', 'The Always on switch is not available in this studio.');
    return deps.serve;
  };
  return {
    'serve.bots': () => ({ bots: deps.settings.bots().map((b) => ({ id: b.id, alwaysOn: store().get(b.id).alwaysOn })) }),
    'serve.setAlwaysOn': ({ id, alwaysOn }) => {
      if (!deps.settings.bots().some((b) => b.id === id)) throw new ApiCallError('NOT_FOUND', `There is no bot "${id}".`);
      return { id, alwaysOn: store().update(id, { alwaysOn }).alwaysOn };
    },
  };
}
