// Asks the folder a pasted config's relative paths are relative to ("node crm-server/index.js"):
// pasted text has none, and Flowbot never guesses one (DESIGN: nothing resolved against the
// studio's own folder). Once given, the preview shows the command with full paths.
import { useState } from 'react';
import type { ApiOutput } from '../../../src-main/shared/api-contract';

type Preview = ApiOutput<'mcp.importPreview'>['servers'];

const TEXTS = {
  title: 'Which folder are these files in?',
  explain: 'The pasted text names files by a relative path, and pasted text does not say which folder they are in:',
  label: 'Folder (full path, usually the folder of the config file you copied it from)',
  placeholder: '/home/me/my-servers',
  apply: 'Use this folder',
  orFullPaths: 'Or write full paths in the pasted text and check again.',
} as const;

/** The servers' relative paths still waiting for a folder. */
export const relativePathsIn = (preview: Preview | null) => preview?.flatMap((s) => s.relativePaths.map((p) => ({ server: s.name, ...p }))) ?? [];

export function ImportFolderField({ preview, onFolder }: { preview: Preview | null; onFolder(folder: string): void }) {
  const [folder, setFolder] = useState('');
  const paths = relativePathsIn(preview);
  if (paths.length === 0) return null;
  return (
    <fieldset className="import-folder" data-testid="import-folder">
      <legend>{TEXTS.title}</legend>
      <p>{TEXTS.explain}</p>
      <ul>
        {paths.map((p) => (
          <li key={`${p.server}-${p.where}`}>
            <code>{p.value}</code> <span className="muted small">({p.server}: {p.where})</span>
          </li>
        ))}
      </ul>
      <label className="field">
        <span className="field-label">{TEXTS.label}</span>
        <input value={folder} onChange={(e) => setFolder(e.target.value)} placeholder={TEXTS.placeholder} spellCheck={false} data-testid="import-folder-input" />
      </label>
      <div className="row">
        <button type="button" className="btn" disabled={!folder.trim()} onClick={() => onFolder(folder.trim())} data-testid="import-folder-apply">
          {TEXTS.apply}
        </button>
        <span className="muted small">{TEXTS.orFullPaths}</span>
      </div>
    </fieldset>
  );
}
