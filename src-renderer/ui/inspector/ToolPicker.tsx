// Picking a tool from the MCP catalogue (each with its read/write class), or typing the server
// and tool names when the catalogue is empty or the server is not running; and the tool's
// arguments as a form generated from its input schema.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { i18n } from '../../i18n';
import type { ToolRef } from '../../../src-main/shared/flow';
import type { ConsentText } from '../../../src-main/shared/consent-texts';
import { useApi } from '../../api/api-context';
import { userMessage } from '../../api/client';
import { findTool, useCatalog, type CatalogTool } from '../../editor/editor-context';
import { argFields, type ArgField } from '../../../src-main/shared/tool-arg-fields';
import { consentWords } from '../consent-line';
import { Field, TemplateField } from './fields';

/** Examples of names, not words: the same in every language. */
const EXAMPLE_NAMES = { server: 'crm', tool: 'create_ticket' } as const;

export function ClassChip({ tool }: { tool: Pick<CatalogTool, 'effectiveClass' | 'status'> }) {
  const { t } = useTranslation('editor');
  return (
    <>
      {tool.effectiveClass === 'read' ? (
        <span className="chip chip-read" title={t('tools.readTitle')}>
          {t('tools.read')}
        </span>
      ) : (
        <span className="chip chip-write" title={t('tools.writeTitle')}>
          {t('tools.write')}
        </span>
      )}
      {tool.status === 'unapproved' && <span className="chip chip-muted">{t('tools.unapproved')}</span>}
      {tool.status === 'changed' && <span className="chip chip-warning">{t('tools.changed')}</span>}
    </>
  );
}

export function ToolPicker({ value, onPick, label, testId = 'tool-picker', isPicked }: { value: ToolRef | null; onPick(ref: ToolRef): void; label?: string; testId?: string; isPicked?: (ref: ToolRef) => boolean }) {
  const { t } = useTranslation('editor');
  const catalog = useCatalog();
  const empty = catalog.servers.every((s) => s.tools.length === 0 && s.status !== 'consent_required');
  const [typing, setTyping] = useState(false);
  const manual = typing || (catalog.state !== 'loading' && empty);
  const picked = (server: string, tool: string) => (isPicked ? isPicked({ server, tool }) : value?.server === server && value.tool === tool);

  return (
    <div className="tool-picker" data-testid={testId}>
      <div className="field-label">{label ?? t('tools.tool')}</div>
      {catalog.state === 'loading' && <p className="muted small">{t('tools.loading')}</p>}
      {catalog.state === 'failed' && <p className="field-error">{t('tools.failed', { why: catalog.error })}</p>}
      {!manual && (
        <ul className="tool-list" role="listbox" aria-label={t('tools.available')}>
          {catalog.servers.map((server) => (
            <li key={server.name} className="tool-server">
              <div className="tool-server-name">
                {server.name}
                {server.status === 'error' && <span className="field-error small"> · {t('tools.notRunning', { why: server.error ?? t('tools.unknownError') })}</span>}
              </div>
              {server.status === 'consent_required' && <ServerConsent server={server.name} command={server.command} commandText={server.commandText} changed={server.consent === 'changed'} />}
              <ul>
                {server.tools.map((tool) => (
                  <li key={tool.name}>
                    <button
                      type="button"
                      role="option"
                      aria-selected={picked(server.name, tool.name)}
                      className={`tool-option${picked(server.name, tool.name) ? ' is-picked' : ''}`}
                      data-testid={`tool-option-${server.name}-${tool.name}`}
                      onClick={() => onPick({ server: server.name, tool: tool.name })}
                    >
                      <span className="tool-name">{tool.title ?? tool.name}</span>
                      <ClassChip tool={tool} />
                      {tool.flags?.map((f) => (
                        <span key={f.code} className="chip chip-warning" title={f.message}>
                          {t('tools.checkThis')}
                        </span>
                      ))}
                      {tool.description && <span className="tool-desc">{tool.description}</span>}
                    </button>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      {manual && (
        <ManualTool value={value} onPick={onPick} emptyCatalog={empty && catalog.state === 'ready'} />
      )}
      {!empty && (
        <button type="button" className="link small" onClick={() => setTyping(!typing)}>
          {typing ? t('tools.pickInstead') : t('tools.typeInstead')}
        </button>
      )}
    </div>
  );
}

/**
 * A server that has never run (or whose command changed) starts only after the owner approved
 * its exact command line, shown here in full.
 */
function ServerConsent({ server, command, commandText, changed }: { server: string; command: string | undefined; commandText: ConsentText | undefined; changed: boolean }) {
  const { t } = useTranslation('editor');
  const api = useApi();
  const catalog = useCatalog();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="server-consent" data-testid={`consent-${server}`}>
      <p className="small">
        {changed ? t('tools.consentChanged') : t('tools.consentNew')} {t('tools.consentCommand')}
      </p>
      <pre className="command">{command !== undefined ? consentWords(commandText, command) : t('tools.unknownCommand')}</pre>
      {error && <p className="field-error">{error}</p>}
      {command !== undefined && (
        <button
          type="button"
          className="btn btn-small"
          onClick={() =>
            void api.call('mcp.approveServer', { server, command }).then(
              () => catalog.reload(),
              (e: unknown) => setError(userMessage(e)),
            )
          }
        >
          {t('tools.allow')}
        </button>
      )}
    </div>
  );
}

function ManualTool({ value, onPick, emptyCatalog }: { value: ToolRef | null; onPick(ref: ToolRef): void; emptyCatalog: boolean }) {
  const { t } = useTranslation('editor');
  const serverId = useId();
  const toolId = useId();
  const [server, setServer] = useState(value?.server ?? '');
  const [tool, setTool] = useState(value?.tool ?? '');
  // For an LLM step (value null) a tool is added with a button; a tool step follows each key.
  const live = value !== null;
  return (
    <div className="manual-tool">
      {emptyCatalog && <p className="muted small">{t('tools.noneRunning')}</p>}
      <div className="row">
        <Field label={t('tools.server')} htmlFor={serverId}>
          <input
            id={serverId}
            value={server}
            placeholder={EXAMPLE_NAMES.server}
            data-testid="tool-server"
            onChange={(e) => {
              setServer(e.target.value);
              if (live) onPick({ server: e.target.value.trim(), tool: tool.trim() });
            }}
          />
        </Field>
        <Field label={t('tools.tool')} htmlFor={toolId}>
          <input
            id={toolId}
            value={tool}
            placeholder={EXAMPLE_NAMES.tool}
            data-testid="tool-name"
            onChange={(e) => {
              setTool(e.target.value);
              if (live) onPick({ server: server.trim(), tool: e.target.value.trim() });
            }}
          />
        </Field>
      </div>
      {!live && (
        <button type="button" className="btn btn-small" disabled={!server.trim() || !tool.trim()} onClick={() => onPick({ server: server.trim(), tool: tool.trim() })}>
          {t('tools.add')}
        </button>
      )}
    </div>
  );
}

/** The tool's arguments: a field per property of its input schema, then any other arguments. */
export function ToolArgs({ nodeId, server, tool, args, onChange }: { nodeId: string; server: string; tool: string; args: Readonly<Record<string, string>>; onChange(args: Record<string, string>, field: string): void }) {
  const { t } = useTranslation('editor');
  const catalog = useCatalog();
  const found = findTool(catalog, server, tool);
  const fields = found ? argFields(found.tool.inputSchema) : [];
  const known = new Set(fields.map((f) => f.name));
  const others = Object.keys(args).filter((k) => !known.has(k));

  const set = (name: string, value: string) => {
    const next: Record<string, string> = {};
    let placed = false;
    for (const [k, v] of Object.entries(args)) {
      if (k === name) {
        placed = true;
        if (value !== '') next[k] = value;
      } else next[k] = v;
    }
    if (!placed && value !== '') next[name] = value;
    onChange(next, `arg:${name}`);
  };

  return (
    <div className="tool-args" data-testid="tool-args">
      <div className="section-title">{t('args.title')}</div>
      {found && fields.length === 0 && <p className="muted small">{t('args.none')}</p>}
      {fields.map((f) => (
        <ArgInput key={f.name} nodeId={nodeId} field={f} value={args[f.name] ?? ''} onChange={(v) => set(f.name, v)} />
      ))}
      {(others.length > 0 || !found) && (
        <OtherArgs nodeId={nodeId} args={args} names={others} onChange={onChange} title={found ? t('args.other') : t('args.all')} />
      )}
    </div>
  );
}

function ArgInput({ nodeId, field, value, onChange }: { nodeId: string; field: ArgField; value: string; onChange(v: string): void }) {
  const { t } = useTranslation('editor');
  const id = useId();
  const testId = `arg-${field.name}`;
  if (field.kind === 'boolean' || field.kind === 'enum') {
    const options = field.kind === 'boolean' ? [{ value: 'true', name: t('args.yes') }, { value: 'false', name: t('args.no') }] : (field.options ?? []).map((o) => ({ value: o, name: o }));
    const custom = value !== '' && !options.some((o) => o.value === value);
    return (
      <Field label={field.title} required={field.required} hint={field.description} htmlFor={id}>
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
          <option value="">{field.required ? t('args.choose') : t('args.notSet')}</option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.name}
            </option>
          ))}
          {custom && <option value={value}>{value}</option>}
        </select>
      </Field>
    );
  }
  return (
    <TemplateField
      nodeId={nodeId}
      label={field.title}
      required={field.required}
      hint={field.description ?? (field.kind === 'number' ? t('args.numberHint', { skipInterpolation: true }) : undefined)}
      placeholder={field.kind === 'number' ? '0' : field.defaultValue}
      value={value}
      onChange={onChange}
      testId={testId}
    />
  );
}

function OtherArgs({ nodeId, args, names, onChange, title }: { nodeId: string; args: Readonly<Record<string, string>>; names: readonly string[]; onChange(args: Record<string, string>, field: string): void; title: string }) {
  const { t } = useTranslation('editor');
  const [newName, setNewName] = useState('');
  const rename = (from: string, to: string) => {
    const next: Record<string, string> = {};
    for (const [k, v] of Object.entries(args)) next[k === from ? to : k] = v;
    onChange(next, `argname:${from}`);
  };
  const remove = (name: string) => {
    const next = { ...args };
    delete next[name];
    onChange(next, `remove:${name}`);
  };
  const add = () => {
    const name = newName.trim();
    if (!name || Object.hasOwn(args, name)) return;
    onChange({ ...args, [name]: '' }, `add:${name}`);
    setNewName('');
  };
  return (
    <div className="other-args">
      <div className="field-label">{title}</div>
      {names.map((name) => (
        <div key={name} className="arg-row">
          <NameInput value={name} taken={Object.keys(args)} onRename={(to) => rename(name, to)} />
          <TemplateField nodeId={nodeId} label={t('args.valueOf', { name })} value={args[name] ?? ''} onChange={(v) => onChange({ ...args, [name]: v }, `arg:${name}`)} testId={`arg-${name}`} />
          <button type="button" className="btn-icon btn-danger" aria-label={t('args.remove', { name })} onClick={() => remove(name)}>
            ×
          </button>
        </div>
      ))}
      <div className="row">
        <input value={newName} placeholder={t('args.namePlaceholder')} aria-label={t('args.newName')} data-testid="new-arg-name" onChange={(e) => setNewName(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && add()} />
        <button type="button" className="btn btn-small" onClick={add} disabled={!newName.trim() || Object.hasOwn(args, newName.trim())} data-testid="add-arg">
          {t('args.add')}
        </button>
      </div>
    </div>
  );
}

function NameInput({ value, taken, onRename }: { value: string; taken: readonly string[]; onRename(to: string): void }) {
  const [text, setText] = useState(value);
  return (
    <input
      className="arg-name"
      value={text}
      aria-label={i18n.t('args.name', { ns: 'editor' })}
      onChange={(e) => setText(e.target.value)}
      onBlur={() => {
        const t = text.trim();
        if (t && t !== value && !taken.includes(t)) onRename(t);
        else setText(value);
      }}
    />
  );
}
