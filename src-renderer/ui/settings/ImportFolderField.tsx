// Asks the folder a pasted config's relative paths are relative to ("node crm-server/index.js"):
// pasted text has none, and Flowbot never guesses one (DESIGN: nothing resolved against the
// studio's own folder). Once given, the preview shows the command with full paths.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutput } from '../../../src-main/shared/api-contract';

type Preview = ApiOutput<'mcp.importPreview'>['servers'];

/** The servers' relative paths still waiting for a folder. */
export const relativePathsIn = (preview: Preview | null) => preview?.flatMap((s) => s.relativePaths.map((p) => ({ server: s.name, ...p }))) ?? [];

export function ImportFolderField({ preview, onFolder }: { preview: Preview | null; onFolder(folder: string): void }) {
  const { t } = useTranslation('settings');
  const [folder, setFolder] = useState('');
  const paths = relativePathsIn(preview);
  if (paths.length === 0) return null;
  return (
    <fieldset className="import-folder" data-testid="import-folder">
      <legend>{t('importFolder.title')}</legend>
      <p>{t('importFolder.explain')}</p>
      <ul>
        {paths.map((p) => (
          <li key={`${p.server}-${p.where}`}>
            <code>{p.value}</code> <span className="muted small">({p.server}: {p.where})</span>
          </li>
        ))}
      </ul>
      <label className="field">
        <span className="field-label">{t('importFolder.label')}</span>
        <input value={folder} onChange={(e) => setFolder(e.target.value)} placeholder={t('importFolder.placeholder')} spellCheck={false} data-testid="import-folder-input" />
      </label>
      <div className="row">
        <button type="button" className="btn" disabled={!folder.trim()} onClick={() => onFolder(folder.trim())} data-testid="import-folder-apply">
          {t('importFolder.apply')}
        </button>
        <span className="muted small">{t('importFolder.orFullPaths')}</span>
      </div>
    </fieldset>
  );
}
