// The connection part of the WhatsApp screen: the state in plain words, the QR code (or the
// pairing code for a phone number), and Connect / Disconnect / Log out.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WaStatus } from '../../../src-main/shared/api/whatsapp';
import { stateWords } from './wa-words';

interface Props {
  status: WaStatus;
  onConnect: (phoneNumber?: string) => Promise<void>;
  onDisconnect: () => Promise<void>;
  onLogout: () => Promise<void>;
}

const RUNNING = new Set(['connecting', 'pairing', 'open', 'reconnecting']);

export function ConnectionCard({ status, onConnect, onDisconnect, onLogout }: Props) {
  const { t } = useTranslation('whatsapp');
  const [busy, setBusy] = useState(false);
  const [phone, setPhone] = useState('');
  const words = stateWords(status);
  const running = RUNNING.has(status.state);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="wa-card" aria-labelledby="wa-connection-title" data-testid="wa-connection">
      <h2 id="wa-connection-title">{t('connection.title')}</h2>
      <p className="wa-state">
        <span className={`chip chip-${words.tone}`} data-testid="wa-state" data-state={status.state}>
          {words.title}
        </span>
      </p>
      <p className="muted" data-testid="wa-hint">{words.hint}</p>
      {status.detail && status.state === 'reconnecting' && <p className="small muted" data-testid="wa-detail">{status.detail}</p>}

      {status.state === 'pairing' && status.qrDataUrl && (
        <img className="wa-qr" src={status.qrDataUrl} alt={t('connection.qrAlt')} data-testid="wa-qr" />
      )}
      {status.pairingCode && (
        <p className="wa-code-line">
          {t('connection.pairingCode')} <strong className="wa-code" data-testid="wa-pairing-code">{status.pairingCode}</strong>
        </p>
      )}
      {status.state === 'pairing' && !status.pairingCode && (
        <form
          className="wa-phone"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => onConnect(phone));
          }}
        >
          <label className="field">
            <span className="field-label">{t('connection.cannotScan')}</span>
            <input value={phone} onChange={(e) => setPhone(e.target.value)} placeholder={t('connection.phoneExample')} inputMode="tel" data-testid="wa-phone" />
          </label>
          <button type="submit" className="btn" disabled={busy || phone.trim() === ''} data-testid="wa-get-code">
            {t('connection.getCode')}
          </button>
        </form>
      )}

      <div className="row wa-actions">
        {!running && (
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void run(() => onConnect())} data-testid="wa-connect">
            {t('connection.connect')}
          </button>
        )}
        {running && (
          <button type="button" className="btn" disabled={busy} onClick={() => void run(onDisconnect)} data-testid="wa-disconnect">
            {t('connection.disconnect')}
          </button>
        )}
        {(status.linked || running) && (
          <button
            type="button"
            className="btn btn-danger-soft"
            disabled={busy}
            onClick={() => {
              if (window.confirm(t('connection.logoutConfirm'))) void run(onLogout);
            }}
            data-testid="wa-logout"
          >
            {t('connection.logout')}
          </button>
        )}
      </div>
    </section>
  );
}
