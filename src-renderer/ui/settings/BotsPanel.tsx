// Bots: create, rename, switch to, delete (never the last one; its secrets go with it).
import { useState, type FormEvent } from 'react';
import type { Bot } from '../../../src-main/shared/api/settings';
import { useApi } from '../../api/api-context';
import { userMessage } from '../../api/client';
import { Dialog } from '../Dialog';
import { Icon } from '../icons';
import { toast } from '../toasts';
import { attempt, useBots } from './use-settings';
import { BotLanguage } from './BotLanguage';

export function BotsPanel() {
  const api = useApi();
  const { bots } = useBots();
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<Bot | null>(null);
  const [deleting, setDeleting] = useState<Bot | null>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    const ok = await attempt(async () => {
      const out = await api.call('bots.create', { name: name.trim(), select: true });
      toast({ message: `Created “${out.bot.name}”. You are now setting it up.`, tone: 'success' });
    });
    if (ok) setName('');
  };

  return (
    <section className="settings-panel" aria-labelledby="bots-title" data-testid="bots-panel">
      <h2 id="bots-title">Bots</h2>
      <p className="muted">
        Each bot has its own model, MCP servers, approvals and secrets. The settings on the other pages are those of the active bot.
      </p>
      <ul className="bot-list">
        {bots?.bots.map((bot) => {
          const active = bot.id === bots.activeBot;
          return (
            <li key={bot.id} className={`bot-item ${active ? 'is-active' : ''}`} data-testid={`bot-${bot.id}`}>
              <div>
                <strong>{bot.name}</strong> {active && <span className="chip chip-ok">Active</span>}
                <div className="muted small">
                  id <code>{bot.id}</code>
                </div>
              </div>
              <div className="row">
                {!active && (
                  <button type="button" className="btn btn-small" onClick={() => void attempt(() => api.call('bots.select', { id: bot.id }))} data-testid={`select-bot-${bot.id}`}>
                    Switch to this bot
                  </button>
                )}
                <button type="button" className="btn-icon" onClick={() => setRenaming(bot)} aria-label={`Rename ${bot.name}`} title="Rename">
                  <Icon name="edit" />
                </button>
                <button
                  type="button"
                  className="btn-icon btn-danger"
                  onClick={() => setDeleting(bot)}
                  disabled={bots.bots.length <= 1}
                  aria-label={`Delete ${bot.name}`}
                  title={bots.bots.length <= 1 ? 'A studio always has one bot' : 'Delete'}
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
          <span className="field-label">New bot</span>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="For example: Shop bot" maxLength={80} data-testid="new-bot-name" />
        </label>
        <button type="submit" className="btn btn-primary" disabled={!name.trim()} data-testid="create-bot">
          <Icon name="plus" /> Create bot
        </button>
      </form>
      <BotLanguage />
      {renaming && <RenameBotDialog bot={renaming} onClose={() => setRenaming(null)} />}
      {deleting && <DeleteBotDialog bot={deleting} onClose={() => setDeleting(null)} />}
    </section>
  );
}

function RenameBotDialog({ bot, onClose }: { bot: Bot; onClose(): void }) {
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
    <Dialog title={`Rename “${bot.name}”`} onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span className="field-label">Name</span>
          <input autoFocus value={name} onChange={(e) => setName(e.target.value)} maxLength={80} data-testid="rename-bot-input" />
          <span className="field-hint">The id ({bot.id}) stays: its secrets and approvals are kept under it.</span>
        </label>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={!name.trim()} data-testid="rename-bot-save">
            Rename
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteBotDialog({ bot, onClose }: { bot: Bot; onClose(): void }) {
  const api = useApi();
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    try {
      const out = await api.call('bots.delete', { id: bot.id });
      toast({ message: `Deleted “${bot.name}” and ${out.secretsDeleted} secret${out.secretsDeleted === 1 ? '' : 's'} of it from the keychain.`, tone: 'info' });
      onClose();
    } catch (err) {
      setError(userMessage(err));
    }
  };
  return (
    <Dialog title={`Delete “${bot.name}”?`} onClose={onClose}>
      <div className="form">
        <p>
          This deletes the bot’s model and MCP server settings, your approvals of its servers and tools, and <strong>every secret of this bot in the OS keychain</strong>. It
          cannot be undone. Flows are shared by all bots and stay.
        </p>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-primary btn-danger-solid" onClick={() => void remove()} data-testid="delete-bot-confirm">
            Delete bot and its secrets
          </button>
        </div>
      </div>
    </Dialog>
  );
}
