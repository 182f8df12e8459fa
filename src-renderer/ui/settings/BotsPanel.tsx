// Bots: create, rename, switch to, delete (never the last one; its secrets go with it).
import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { Bot } from '../../../src-main/shared/api/settings';
import { useApi } from '../../api/api-context';
import { userMessage } from '../../api/client';
import { Dialog } from '../Dialog';
import { Icon } from '../icons';
import { toast } from '../toasts';
import { attempt, useBots } from './use-settings';
import { BotLanguage } from './BotLanguage';
import { BotOpeningHours } from './BotOpeningHours';
import { ExportBotButton, ImportBotButton } from './BotBundles';
import { AlwaysOnSwitch, useAlwaysOn } from './BotAlwaysOn';
import { HttpChatKey } from './HttpChatKey';
import { WhatsAppPacing } from './WhatsAppPacing';

export function BotsPanel() {
  const { t } = useTranslation('settings');
  const api = useApi();
  const { bots } = useBots();
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<Bot | null>(null);
  const [deleting, setDeleting] = useState<Bot | null>(null);
  const serve = useAlwaysOn(bots?.bots.map((b) => b.id));

  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    const ok = await attempt(async () => {
      const out = await api.call('bots.create', { name: name.trim(), select: true });
      toast({ message: t('bots.created', { name: out.bot.name }), tone: 'success' });
    });
    if (ok) setName('');
  };

  return (
    <section className="settings-panel" aria-labelledby="bots-title" data-testid="bots-panel">
      <h2 id="bots-title">{t('bots.title')}</h2>
      <p className="muted">{t('bots.intro')}</p>
      <ul className="bot-list">
        {bots?.bots.map((bot) => {
          const active = bot.id === bots.activeBot;
          return (
            <li key={bot.id} className={`bot-item ${active ? 'is-active' : ''}`} data-testid={`bot-${bot.id}`}>
              <div>
                <strong>{bot.name}</strong> {active && <span className="chip chip-ok">{t('bots.active')}</span>}
                <div className="muted small">
                  {t('bots.id')} <code>{bot.id}</code>
                </div>
                {serve.alwaysOn && <AlwaysOnSwitch id={bot.id} name={bot.name} on={serve.alwaysOn[bot.id] ?? false} onChange={(id, botName, on) => void serve.set(id, botName, on)} />}
              </div>
              <div className="row">
                {!active && (
                  <button type="button" className="btn btn-small" onClick={() => void attempt(() => api.call('bots.select', { id: bot.id }))} data-testid={`select-bot-${bot.id}`}>
                    {t('bots.switchTo')}
                  </button>
                )}
                <ExportBotButton bot={bot} />
                <button type="button" className="btn-icon" onClick={() => setRenaming(bot)} aria-label={t('bots.renameNamed', { name: bot.name })} title={t('common:actions.rename')}>
                  <Icon name="edit" />
                </button>
                <button
                  type="button"
                  className="btn-icon btn-danger"
                  onClick={() => setDeleting(bot)}
                  disabled={bots.bots.length <= 1}
                  aria-label={t('bots.deleteNamed', { name: bot.name })}
                  title={bots.bots.length <= 1 ? t('bots.lastBot') : t('common:actions.delete')}
                >
                  <Icon name="trash" />
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      <form className="inline-form" onSubmit={(e) => void create(e)}>
        <label className="field grow">
          <span className="field-label">{t('bots.newBot')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder={t('bots.newBotExample')} maxLength={80} data-testid="new-bot-name" />
        </label>
        <button type="submit" className="btn btn-primary" disabled={!name.trim()} data-testid="create-bot">
          <Icon name="plus" /> {t('bots.create')}
        </button>
        <ImportBotButton />
      </form>
      <BotLanguage />
      <BotOpeningHours />
      <HttpChatKey />
      <WhatsAppPacing />
      {renaming && <RenameBotDialog bot={renaming} onClose={() => setRenaming(null)} />}
      {deleting && <DeleteBotDialog bot={deleting} onClose={() => setDeleting(null)} />}
    </section>
  );
}

function RenameBotDialog({ bot, onClose }: { bot: Bot; onClose(): void }) {
  const { t } = useTranslation('settings');
  const api = useApi();
  const [name, setName] = useState(bot.name);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.call('bots.rename', { id: bot.id, name: name.trim() });
      onClose();
    } catch (err) {
      setError(userMessage(err));
    }
  };
  return (
    <Dialog title={t('bots.renameTitle', { name: bot.name })} onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span className="field-label">{t('bots.name')}</span>
          <input autoFocus value={name} onChange={(e) => setName(e.target.value)} maxLength={80} data-testid="rename-bot-input" />
          <span className="field-hint">{t('bots.idStays', { id: bot.id })}</span>
        </label>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('common:actions.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={!name.trim()} data-testid="rename-bot-save">
            {t('common:actions.rename')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteBotDialog({ bot, onClose }: { bot: Bot; onClose(): void }) {
  const { t } = useTranslation('settings');
  const api = useApi();
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    try {
      const out = await api.call('bots.delete', { id: bot.id });
      toast({ message: t('bots.deleted', { name: bot.name, count: out.secretsDeleted }), tone: 'info' });
      onClose();
    } catch (err) {
      setError(userMessage(err));
    }
  };
  return (
    <Dialog title={t('bots.deleteTitle', { name: bot.name })} onClose={onClose}>
      <div className="form">
        <p>
          <Trans t={t} i18nKey="bots.deleteExplain" components={{ strong: <strong /> }} />
        </p>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('common:actions.cancel')}
          </button>
          <button type="button" className="btn btn-primary btn-danger-solid" onClick={() => void remove()} data-testid="delete-bot-confirm">
            {t('bots.deleteConfirm')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
