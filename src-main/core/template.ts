// Templates: "Hello {{contact.name}}, order {{order.id}} is {{order.status}}".
// A placeholder is a dotted path into the variables; nothing else is evaluated.

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}\}$/;

/** Variables (full dotted paths) a template refers to, in order of appearance. */
export function templatePaths(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** The root variable of a path: "order.status" -> "order". */
export const rootOf = (path: string): string => path.split('.')[0]!;

/** Text that looks like a placeholder but is not one ("{{ 1+1 }}", "{{name"), for warnings. */
export function malformedPlaceholders(template: string): string[] {
  const rest = template.replace(PLACEHOLDER, '');
  return [...rest.matchAll(/\{\{[^}]*\}?\}?/g)].map((m) => m[0]);
}

export function lookupPath(scope: Record<string, unknown>, path: string): unknown {
  let value: unknown = scope;
  for (const part of path.split('.')) {
    // Own properties only: "constructor" or "__proto__" is a variable nobody set, not a built-in member.
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Sets a variable as an own property: a name like "__proto__" is data, never the object's prototype. */
export function setVar(vars: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(vars, name, { value, writable: true, enumerable: true, configurable: true });
}

export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function renderTemplate(template: string, scope: Record<string, unknown>): string {
  return template.replace(PLACEHOLDER, (_, path: string) => formatValue(lookupPath(scope, path)));
}

/**
 * Renders a tool argument. A template that is exactly one placeholder keeps the value's
 * type (a number stays a number, an object stays an object); anything else is text.
 */
export function renderArgument(template: string, scope: Record<string, unknown>): unknown {
  const whole = WHOLE.exec(template);
  if (whole) {
    const value = lookupPath(scope, whole[1]!);
    return value === undefined || value === null ? '' : value;
  }
  return renderTemplate(template, scope);
}
