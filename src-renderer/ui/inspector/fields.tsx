// Form fields of the inspector. Plain text commits on every keystroke (one undo step per burst);
// fields with rules (variable names, numbers, exit names) keep what is typed locally and commit
// only a valid value, showing why otherwise, so the flow never holds a value the file format
// would refuse.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { i18n } from '../../i18n';
import { useEditorStore } from '../../editor/editor-context';
import { insertPlaceholder, variablesBefore, type KnownVariable } from '../../editor/variables';
import { Icon } from '../icons';

export function Field({ label, hint, error, required, htmlFor, children, testId }: { label: string; hint?: ReactNode; error?: string | null; required?: boolean; htmlFor?: string; children: ReactNode; testId?: string }) {
  const { t } = useTranslation('editor');
  return (
    <div className={`field${error ? ' has-error' : ''}`} data-testid={testId}>
      <label className="field-label" htmlFor={htmlFor}>
        {label}
        {required && (
          <span className="required" aria-label={t('fields.requiredLabel')} title={t('fields.required')}>
            {' '}
            *
          </span>
        )}
      </label>
      {children}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : hint ? (
        <p className="field-hint">{hint}</p>
      ) : null}
    </div>
  );
}

export function TextField({ label, value, onChange, placeholder, hint, required, testId, multiline, rows = 3 }: { label: string; value: string; onChange(v: string): void; placeholder?: string; hint?: ReactNode; required?: boolean; testId?: string; multiline?: boolean; rows?: number }) {
  const id = useId();
  return (
    <Field label={label} hint={hint} required={required} htmlFor={id}>
      {multiline ? (
        <textarea id={id} value={value} rows={rows} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
      ) : (
        <input id={id} value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
      )}
    </Field>
  );
}

/** A text with {{variables}}, and a menu to insert the variables known at this step. */
export function TemplateField({ nodeId, label, value, onChange, placeholder, hint, required, testId, multiline, rows = 3 }: { nodeId: string; label: string; value: string; onChange(v: string): void; placeholder?: string; hint?: ReactNode; required?: boolean; testId?: string; multiline?: boolean; rows?: number }) {
  const { t } = useTranslation('editor');
  const id = useId();
  const store = useEditorStore();
  const input = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [menu, setMenu] = useState<KnownVariable[] | null>(null);
  const caret = useRef<number | null>(null);

  useEffect(() => {
    if (caret.current !== null && input.current) {
      input.current.focus();
      input.current.setSelectionRange(caret.current, caret.current);
      caret.current = null;
    }
  });

  const insert = (name: string) => {
    const el = input.current;
    const next = insertPlaceholder(value, name, el?.selectionStart ?? value.length, el?.selectionEnd ?? value.length);
    caret.current = next.caret;
    setMenu(null);
    onChange(next.text);
  };

  const common = {
    id,
    value,
    placeholder,
    'data-testid': testId,
    onChange: (e: { target: { value: string } }) => onChange(e.target.value),
  };
  return (
    <Field label={label} hint={hint} required={required} htmlFor={id}>
      <div className="template-field">
        {multiline ? <textarea ref={input} rows={rows} {...common} /> : <input ref={input} {...common} />}
        <button
          type="button"
          className="var-button"
          aria-haspopup="menu"
          aria-expanded={menu !== null}
          title={t('fields.insertTitle')}
          data-testid={testId ? `${testId}-vars` : undefined}
          onClick={() => {
            if (menu) return setMenu(null);
            const s = store.getState();
            setMenu(variablesBefore(nodeId, s.nodes, s.edges));
          }}
        >
          <Icon name="braces" size={14} /> {t('fields.insert')}
        </button>
        {menu && (
          <div className="var-menu" role="menu" aria-label={t('fields.varsLabel')}>
            {menu.map((v) => (
              <button key={v.name} type="button" role="menuitem" className="var-item" onClick={() => insert(v.name)} data-testid={`var-${v.name}`}>
                <code>{`{{${v.name}}}`}</code>
                <span className="muted small">{v.from}</span>
              </button>
            ))}
            {menu.length === 0 && <p className="muted small">{t('fields.noVars')}</p>}
          </div>
        )}
      </div>
    </Field>
  );
}

/**
 * An input that commits only valid text. `check` returns null when valid, else the reason.
 * Empty text commits `undefined` when `optional`.
 */
export function CheckedField({ label, value, onCommit, check, optional, placeholder, hint, required, testId, inputMode }: { label: string; value: string | undefined; onCommit(v: string | undefined): void; check(text: string): string | null; optional?: boolean; placeholder?: string; hint?: ReactNode; required?: boolean; testId?: string; inputMode?: 'text' | 'numeric' }) {
  const id = useId();
  const [text, setText] = useState(value ?? '');
  const committed = useRef(value);
  // Follow changes from outside (undo, another field) without clobbering what is being typed.
  useEffect(() => {
    if (value !== committed.current) {
      committed.current = value;
      setText(value ?? '');
    }
  }, [value]);
  const trimmed = text.trim();
  const error = trimmed === '' ? (optional ? null : i18n.t('fields.empty', { ns: 'editor' })) : check(trimmed);
  return (
    <Field label={label} hint={hint} error={error} required={required} htmlFor={id}>
      <input
        id={id}
        value={text}
        placeholder={placeholder}
        inputMode={inputMode}
        aria-invalid={error ? true : undefined}
        data-testid={testId}
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          const t = next.trim();
          const ok = t === '' ? optional : check(t) === null;
          if (ok) {
            const v = t === '' ? undefined : t;
            committed.current = v;
            if (v !== value) onCommit(v);
          }
        }}
      />
    </Field>
  );
}

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = ['contact', 'last_message'];

export function checkVarName(text: string): string | null {
  if (!VAR_NAME.test(text)) return i18n.t('fields.badName', { ns: 'editor' });
  if (RESERVED.includes(text)) return i18n.t('fields.reservedName', { ns: 'editor', name: text });
  return null;
}

export const checkWholeNumber =
  (min: number, max: number) =>
  (text: string): string | null => {
    const n = Number(text);
    return Number.isInteger(n) && n >= min && n <= max ? null : i18n.t('fields.wholeNumber', { ns: 'editor', min, max });
  };

export function SelectField<T extends string>({ label, value, options, onChange, hint, testId }: { label: string; value: T; options: readonly { value: T; name: string }[]; onChange(v: T): void; hint?: ReactNode; testId?: string }) {
  const id = useId();
  return (
    <Field label={label} hint={hint} htmlFor={id}>
      <select
        id={id}
        value={value}
        data-testid={testId}
        onChange={(e) => {
          const picked = options.find((o) => o.value === e.target.value);
          if (picked) onChange(picked.value);
        }}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.name}
          </option>
        ))}
      </select>
    </Field>
  );
}
