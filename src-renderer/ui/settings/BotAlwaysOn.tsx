// The "Always on" switch of each bot (Settings › Bots): `flowbot serve` runs the bots switched
// on. Reads the switches with the bot list; a change shows at once and is saved through the API.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/api-context';
import { toast } from '../toasts';
import { attempt } from './use-settings';

/** bot id -> switched on; null until loaded (or when this studio has no switch). */
export function useAlwaysOn(botIds: readonly string[] | undefined): { alwaysOn: Record<string, boolean> | null; set(id: string, name: string, on: boolean): Promise<void> } {
  const api = useApi();
  const { t } = useTranslation('serve');
  const [alwaysOn, setAlwaysOn] = useState<Record<string, boolean> | null>(null);
  const key = botIds?.join('\n');
  useEffect(() => {
    let current = true;
    void api.call('serve.bots', {}).then(
      (out) => current && setAlwaysOn(Object.fromEntries(out.bots.map((b) => [b.id, b.alwaysOn]))),
      () => current && setAlwaysOn(null),
    );
    return () => {
      current = false;
    };
  }, [api, key]);
  const set = useCallback(
    async (id: string, name: string, on: boolean) => {
      await attempt(async () => {
        const out = await api.call('serve.setAlwaysOn', { id, alwaysOn: on });
        setAlwaysOn((previous) => ({ ...previous, [out.id]: out.alwaysOn }));
        toast({ message: t(out.alwaysOn ? 'alwaysOn.switchedOn' : 'alwaysOn.switchedOff', { name }), tone: 'info' });
      });
    },
    [api, t],
  );
  return { alwaysOn, set };
}

export function AlwaysOnSwitch({ id, name, on, onChange }: { id: string; name: string; on: boolean; onChange(id: string, name: string, on: boolean): void }) {
  const { t } = useTranslation('serve');
  return (
    <label className="small" title={t('alwaysOn.hint')}>
      <input type="checkbox" role="switch" checked={on} onChange={(e) => onChange(id, name, e.target.checked)} data-testid={`always-on-${id}`} /> {t('alwaysOn.label')}
    </label>
  );
}
