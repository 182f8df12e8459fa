// Masks known secret values in text and JSON before anything is logged, audited, emitted
// or stored. Pure: the composition root adds every secret/env value it resolves.
//
// A secret is also masked in the forms it commonly travels in: URL-encoded
// (encodeURIComponent, and with "+" for spaces), JSON-escaped, and base64 / base64url (also
// when it sits inside a longer base64 text, e.g. a Basic auth header, at any byte alignment).
//
// Values shorter than MIN_SECRET_LENGTH (4) characters are NOT masked: replacing every "ab"
// or "1" in every log line would mangle the log and reveal nothing an attacker couldn't guess.
// Such a value is a weak secret anyway.

export const REDACTED = '[secret]';
export const MIN_SECRET_LENGTH = 4;
/** base64 fragments shorter than this (a secret inside base64 at an odd alignment) are skipped: too likely in ordinary text. */
const MIN_BASE64_FRAGMENT = 6;

export interface Redactor {
  /** Remembers a secret value; later redact/redactValue calls mask it. Short values are ignored. */
  add(secret: string): void;
  /** The text with every known secret (and its encoded forms) replaced by "[secret]". */
  redact(text: string): string;
  /**
   * A deep copy of a JSON-like value with every string (object keys included) redacted.
   * Numbers, booleans and null are kept; a value with nothing to mask is returned as is.
   */
  redactValue<T>(value: T): T;
  /** How many distinct secrets are known (diagnostics and tests). */
  readonly size: number;
}

export function createRedactor(): Redactor {
  const secrets = new Set<string>();
  let pattern: RegExp | undefined;

  function rebuild(): void {
    const forms = new Set<string>();
    for (const secret of secrets) for (const form of encodedForms(secret)) forms.add(form);
    // Longest first, so a secret that contains another is masked whole.
    const sorted = [...forms].sort((a, b) => b.length - a.length);
    pattern = sorted.length ? new RegExp(sorted.map(escapeRegExp).join('|'), 'g') : undefined;
  }

  function redact(text: string): string {
    if (!pattern || text.length < MIN_SECRET_LENGTH) return text;
    return text.replace(pattern, REDACTED);
  }

  function redactValue<T>(value: T): T {
    return deep(value, redact) as T;
  }

  return {
    add(secret: string) {
      if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH || secrets.has(secret)) return;
      secrets.add(secret);
      rebuild();
    },
    redact,
    redactValue,
    get size() {
      return secrets.size;
    },
  };
}

/** The plain value and the encodings it is likely to appear in. */
export function encodedForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const uri = encodeURIComponent(secret);
  forms.add(uri);
  forms.add(uri.replace(/%20/g, '+'));
  forms.add(uri.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  forms.add(JSON.stringify(secret).slice(1, -1));
  for (const fragment of base64Fragments(Buffer.from(secret, 'utf8'))) {
    forms.add(fragment);
    forms.add(fragment.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/**
 * The base64 characters determined by the secret's bytes alone, for each of the three byte
 * alignments it can have inside a longer base64 text. Alignment 0 also covers the secret
 * encoded on its own (without its padding).
 */
function base64Fragments(bytes: Buffer): string[] {
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const first = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    const fragment = encoded.slice(first, end);
    if (fragment.length >= MIN_BASE64_FRAGMENT) out.push(fragment);
  }
  return out;
}

function deep(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item) => {
      const next = deep(item, redact);
      if (next !== item) changed = true;
      return next;
    });
    return changed ? out : value;
  }
  if (value !== null && typeof value === 'object' && isPlainObject(value)) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const nextKey = redact(key);
      const next = deep(item, redact);
      if (nextKey !== key || next !== item) changed = true;
      // defineProperty: a "__proto__" key stays a plain key.
      Object.defineProperty(out, nextKey, { value: next, enumerable: true, writable: true, configurable: true });
    }
    return changed ? out : value;
  }
  return value;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
