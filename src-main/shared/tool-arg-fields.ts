// A tool's arguments as fields, read from its input JSON Schema: the editor's form and the
// validator's argument check (core/validate/tool-args.ts) share them. Only what an owner
// can fill in plainly: text, numbers, yes/no and fixed choices; anything else is a text field.
// Every value is stored as a template string (the flow format's `args: {name: template}`), so a
// number field may also hold a {{variable}}.

export type ArgFieldKind = 'text' | 'number' | 'boolean' | 'enum';

export interface ArgField {
  readonly name: string;
  readonly title: string;
  readonly kind: ArgFieldKind;
  readonly required: boolean;
  readonly description?: string;
  /** enum: the allowed values, as text. */
  readonly options?: readonly string[];
  readonly defaultValue?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function kindOf(schema: Record<string, unknown>): { kind: ArgFieldKind; options?: string[] } {
  const values = Array.isArray(schema.enum) ? schema.enum : undefined;
  if (values && values.length > 0 && values.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) {
    return { kind: 'enum', options: values.map(String) };
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'number' || type === 'integer') return { kind: 'number' };
  if (type === 'boolean') return { kind: 'boolean' };
  return { kind: 'text' };
}

const titleOf = (name: string): string => {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The fields of an input schema (`{type: "object", properties, required}`), required ones first. */
export function argFields(inputSchema: unknown): ArgField[] {
  if (!isRecord(inputSchema) || !isRecord(inputSchema.properties)) return [];
  const required = new Set(Array.isArray(inputSchema.required) ? inputSchema.required.filter((r): r is string => typeof r === 'string') : []);
  const fields: ArgField[] = [];
  for (const [name, raw] of Object.entries(inputSchema.properties)) {
    const schema = isRecord(raw) ? raw : {};
    const { kind, options } = kindOf(schema);
    const title = typeof schema.title === 'string' && schema.title.trim() ? schema.title.trim() : titleOf(name);
    const description = typeof schema.description === 'string' && schema.description.trim() ? schema.description.trim() : undefined;
    const def = schema.default;
    fields.push({
      name,
      title,
      kind,
      required: required.has(name),
      ...(description !== undefined ? { description } : {}),
      ...(options !== undefined ? { options } : {}),
      ...(['string', 'number', 'boolean'].includes(typeof def) ? { defaultValue: String(def) } : {}),
    });
  }
  return [...fields.filter((f) => f.required), ...fields.filter((f) => !f.required)];
}
