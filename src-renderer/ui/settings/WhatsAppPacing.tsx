// How fast the active bot's WhatsApp replies go out: overall and per customer (the channel's
// send pace, adapters/whatsapp/send-pacer.ts). Saved in the bot's WhatsApp settings; a running
// connection uses the new limits from its next reply on.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PacingSettings } from '../../../src-main/shared/whatsapp-pacing';
import { DEFAULT_PACING } from '../../../src-main/shared/whatsapp-pacing';
import { useApi } from '../../api/api-context';
import { toast } from '../toasts';
import { attempt } from './use-settings';

const FIELDS = ['perMinute', 'burst', 'customerPerMinute', 'customerBurst'] as const;

export function WhatsAppPacing() {
  const { t } = useTranslation('wadelivery');
  const api = useApi();
  const ids = useId();
  const [pacing, setPacing] = useState<PacingSettings | null>(null);

  useEffect(() => {
    let live = true;
    // A studio without WhatsApp shows nothing here.
    api.call('whatsapp.pacing', {}).then(
      (p) => live && setPacing(p),
      () => undefined,
    );
    return () => void (live = false);
  }, [api]);
  if (!pacing) return null;

  const save = () =>
    attempt(async () => {
      setPacing(await api.call('whatsapp.setPacing', pacing));
      toast({ message: t('pacing.saved'), tone: 'success' });
    });

  return (
    <section className="settings-subpanel" aria-labelledby={`${ids}-title`} data-testid="wa-pacing">
      <h3 id={`${ids}-title`}>{t('pacing.title')}</h3>
      <p className="muted">{t('pacing.intro')}</p>
      <label className="field">
        <span>
          <input type="checkbox" checked={pacing.enabled} onChange={(e) => setPacing({ ...pacing, enabled: e.target.checked })} data-testid="wa-pacing-enabled" /> {t('pacing.enabled')}
        </span>
      </label>
      {FIELDS.map((field) => (
        <label className="field" key={field}>
          <span className="field-label">{t(`pacing.${field}`)}</span>
          <input
            type="number"
            min={1}
            step={1}
            value={pacing[field]}
            disabled={!pacing.enabled}
            onChange={(e) => setPacing({ ...pacing, [field]: Number(e.target.value) })}
            data-testid={`wa-pacing-${field}`}
          />
        </label>
      ))}
      <p className="muted small">{t('pacing.defaults', DEFAULT_PACING)}</p>
      <button type="button" className="btn btn-primary" onClick={() => void save()} data-testid="wa-pacing-save">
        {t('pacing.save')}
      </button>
    </section>
  );
}
