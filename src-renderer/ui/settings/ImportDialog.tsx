// Import MCP servers from another client's config (Claude Desktop, Cursor, VS Code): paste,
// check what will be added, decide for each value that looks like a secret whether it moves
// to the OS keychain (the default) or stays in plain text, then import.
import { useState } from 'react';
import type { ApiOutput } from '../../../src-main/shared/api-contract';
import { useApi } from '../../api/api-context';
import { userMessage } from '../../api/client';
import { Dialog } from '../Dialog';
import { toast } from '../toasts';
import { ImportFolderField, relativePathsIn } from './ImportFolderField';

type Preview = ApiOutput<'mcp.importPreview'>['servers'];
const keyOf = (server: string, name: string) => `${server}\u0000${name}`;

export function ImportDialog({ onClose }: { onClose(): void }) {
  const api = useApi();
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [plain, setPlain] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  /** The folder the pasted paths are relative to, once the owner named it. */
  const [folder, setFolder] = useState<string | undefined>(undefined);

  const check = async (inFolder = folder) => {
    setError(null);
    try {
      setPreview((await api.call('mcp.importPreview', { text, ...(inFolder ? { folder: inFolder } : {}) })).servers);
      setFolder(inFolder);
      setPlain(new Set());
    } catch (e) {
      setPreview(null);
      setError(userMessage(e));
    }
  };

  const run = async () => {
    if (!preview) return;
    const secretFields = preview.flatMap((s) => s.fields.filter((f) => f.looksSecret && !f.reference).map((f) => ({ server: s.name, name: f.name })));
    const keepPlain = secretFields.filter((f) => plain.has(keyOf(f.server, f.name)));
    const moveToKeychain = secretFields.filter((f) => !plain.has(keyOf(f.server, f.name)));
    try {
      const out = await api.call('mcp.import', { text, moveToKeychain, keepPlain, ...(folder ? { folder } : {}) });
      toast({
        message: `Added ${out.added.join(', ')}${out.secretsStored ? `; ${out.secretsStored} secret${out.secretsStored === 1 ? '' : 's'} moved to the keychain` : ''}. Approve each server before it starts.`,
        tone: 'success',
      });
      onClose();
    } catch (e) {
      setError(userMessage(e));
    }
  };

  const clashes = preview?.filter((s) => s.clash) ?? [];

  return (
    <Dialog title="Import MCP servers" onClose={onClose}>
      <div className="form import-form" data-testid="import-dialog">
        <label className="field">
          <span className="field-label">Paste the config of your other MCP client</span>
          <textarea
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setPreview(null);
              setFolder(undefined);
            }}
            rows={8}
            spellCheck={false}
            placeholder={'{ "mcpServers": { "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] } } }'}
            data-testid="import-text"
          />
          <span className="field-hint">Claude Desktop: claude_desktop_config.json · Cursor: .cursor/mcp.json · VS Code: .vscode/mcp.json</span>
        </label>
        {error && (
          <p className="field-error" role="alert" data-testid="import-error">
            {error}
          </p>
        )}
        {preview && (
          <div className="import-preview" data-testid="import-preview">
            <h3>This will be added</h3>
            <ul>
              {preview.map((s) => (
                <li key={s.name} className={s.clash ? 'is-clash' : ''} data-testid={`import-server-${s.name}`}>
                  <strong>{s.name}</strong> <code className="command">{s.command}</code>
                  {s.clash && <p className="field-error">This bot already has a server named “{s.name}”: rename it in the pasted text or remove the existing one.</p>}
                  {s.notes.map((n) => (
                    <p key={n} className="muted small">
                      Note: {n}.
                    </p>
                  ))}
                  {s.fields.filter((f) => f.looksSecret && !f.reference).map((f) => {
                    const k = keyOf(s.name, f.name);
                    return (
                      <fieldset key={f.name} className="secret-choice" data-testid={`import-secret-${s.name}-${f.name}`}>
                        <legend>
                          <code>{f.name}</code> looks like a secret
                        </legend>
                        <label>
                          <input type="radio" checked={!plain.has(k)} onChange={() => setPlain((p) => new Set([...p].filter((x) => x !== k)))} /> Move it to the OS keychain
                        </label>
                        <label>
                          <input type="radio" checked={plain.has(k)} onChange={() => setPlain((p) => new Set([...p, k]))} /> Keep it in plain text in the settings
                        </label>
                      </fieldset>
                    );
                  })}
                </li>
              ))}
            </ul>
            <ImportFolderField preview={preview} onFolder={(f) => void check(f)} />
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          {preview ? (
            <button type="button" className="btn btn-primary" disabled={clashes.length > 0 || relativePathsIn(preview).length > 0} onClick={() => void run()} data-testid="import-run">
              Import {preview.length} server{preview.length === 1 ? '' : 's'}
            </button>
          ) : (
            <button type="button" className="btn btn-primary" disabled={!text.trim()} onClick={() => void check(undefined)} data-testid="import-check">
              Check
            </button>
          )}
        </div>
      </div>
    </Dialog>
  );
}
