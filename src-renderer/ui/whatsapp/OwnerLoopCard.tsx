// The owner in the loop, on the WhatsApp screen: how long the bot steps back when the owner
// answers a customer from their own phone, the number hand-offs are also sent to, and (in a
// browser) permission for system notifications.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WaStatus } from '../../../src-main/shared/api/whatsapp';
import { allowSystemNotifications } from './handoff-notices';

interface Props {
  status: WaStatus;
  onSave: (change: { ownerTakeoverMinutes: number; notifyOwnerNumber: string | null }) => Promise<void>;
}

export function OwnerLoopCard({ status, onSave }: Props) {
  const { t } = useTranslation('waowner');
  const ids = useId();
  const [minutes, setMinutes] = useState(String(status.ownerTakeoverMinutes));
  const [number, setNumber] = useState(status.notifyOwnerNumber ?? '');
  const [permission, setPermission] = useState<string>(typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);
  useEffect(() => {
    setMinutes(String(status.ownerTakeoverMinutes));
    setNumber(status.notifyOwnerNumber ?? '');
  }, [status.ownerTakeoverMinutes, status.notifyOwnerNumber]);

  const save = () => void onSave({ ownerTakeoverMinutes: Number(minutes), notifyOwnerNumber: number.trim() === '' ? null : number.trim() });

  return (
    <section className="wa-card" aria-labelledby={`${ids}-title`} data-testid="wa-owner-loop">
      <h2 id={`${ids}-title`}>{t('loop.title')}</h2>
      <p className="muted small">{t('loop.intro')}</p>
      <label className="field">
        <span className="field-label">{t('loop.minutes')}</span>
        <input type="number" min={1} max={10080} value={minutes} onChange={(e) => setMinutes(e.target.value)} data-testid="wa-takeover-minutes" />
      </label>
      <label className="field">
        <span className="field-label">{t('loop.number')}</span>
        <input value={number} onChange={(e) => setNumber(e.target.value)} placeholder={t('loop.numberExample')} data-testid="wa-notify-number" />
        <span className="muted small">{t('loop.numberHint')}</span>
      </label>
      <div className="row">
        <button type="button" className="btn btn-primary" onClick={save} data-testid="wa-owner-loop-save">
          {t('loop.save')}
        </button>
        {permission === 'default' && (
          <button type="button" className="btn" onClick={() => void allowSystemNotifications().then(setPermission)} data-testid="wa-allow-notifications">
            {t('loop.allowNotifications')}
          </button>
        )}
      </div>
    </section>
  );
}
