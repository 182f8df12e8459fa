// The active bot's MCP servers: add (or import) and edit them, approve what each one runs,
// list their tools with the owner's classes and approvals, and watch their status.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutput } from '../../../src-main/shared/api-contract';
import { useApi } from '../../api/api-context';
import { userMessage } from '../../api/client';
import { Icon } from '../icons';
import { ImportDialog } from './ImportDialog';
import { McpServerCard } from './McpServerCard';
import { ServerDialog } from './ServerDialog';
import { attempt, useWorkspace } from './use-settings';
import { toast } from '../toasts';

type Catalog = ApiOutput<'mcp.catalog'>['servers'];

export function McpPanel() {
  const { t } = useTranslation('settings');
  const api = useApi();
  const { config, error } = useWorkspace();
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [catalogError, setCatalogError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [importing, setImporting] = useState(false);

  const reloadCatalog = useCallback(async () => {
    try {
      setCatalog((await api.call('mcp.catalog', {})).servers);
      setCatalogError(null);
    } catch (e) {
      setCatalogError(userMessage(e));
    }
  }, [api]);

  // The catalogue follows the settings (useWorkspace reloads them on every change).
  useEffect(() => {
    if (config) void reloadCatalog();
  }, [config, reloadCatalog]);

  const servers = config ? Object.entries(config.mcpServers) : [];
  const hasShop = servers.some(([name]) => name === 'crm');
  const addExampleShop = () =>
    attempt(async () => {
      const out = await api.call('mcp.addExampleShop', {});
      toast({ message: t('mcp.exampleShop.added', { name: out.added }), tone: 'success' });
      void reloadCatalog();
    });
  const editingServer = editing && editing !== 'new' ? config?.mcpServers[editing] : undefined;

  return (
    <section className="settings-panel" aria-labelledby="mcp-title" data-testid="mcp-panel">
      <div className="panel-head">
        <div>
          <h2 id="mcp-title">{t('mcp.title')}</h2>
          <p className="muted">{t('mcp.intro')}</p>
        </div>
        <div className="row">
          {!hasShop && (
            <button type="button" className="btn" onClick={() => void addExampleShop()} title={t('mcp.exampleShop.hint')} data-testid="add-example-shop">
              <Icon name="plus" /> {t('mcp.exampleShop.button')}
            </button>
          )}
          <button type="button" className="btn" onClick={() => setImporting(true)} data-testid="import-servers">
            <Icon name="upload" /> {t('mcp.import')}
          </button>
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-testid="add-server">
            <Icon name="plus" /> {t('mcp.add')}
          </button>
        </div>
      </div>
      {(error ?? catalogError) && (
        <div className="callout callout-error" role="alert">
          {error ?? catalogError}
        </div>
      )}
      {config && servers.length === 0 && (
        <div className="empty-state">
          <h2>{t('mcp.empty.title')}</h2>
          <p>{t('mcp.empty.text')}</p>
          <p className="muted">{t('mcp.exampleShop.hint')}</p>
        </div>
      )}
      {servers.map(([name, server]) => (
        <McpServerCard key={name} name={name} server={server} entry={catalog?.find((s) => s.name === name)} onChanged={() => void reloadCatalog()} onEdit={() => setEditing(name)} />
      ))}
      {editing && <ServerDialog {...(editing !== 'new' && editingServer ? { name: editing, server: editingServer } : {})} onClose={() => setEditing(null)} />}
      {importing && <ImportDialog onClose={() => setImporting(false)} />}
    </section>
  );
}
