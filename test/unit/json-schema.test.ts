// The JSON Schema files editors point "$schema" at are generated from the zod schemas.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonSchemaFiles } from '../../src-main/shared/json-schemas';

describe('generated JSON Schemas', () => {
  it.each(jsonSchemaFiles().map((f) => [f.path, f.schema] as const))('%s is up to date (npm run schema)', (path, schema) => {
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(schema);
  });
});
