// Writes the JSON Schemas that editors can point "$schema" at, generated from the zod
// schemas (the single source). test/unit/json-schema.test.ts fails when they are stale.
import { writeFileSync } from 'node:fs';
import { jsonSchemaFiles } from '../src-main/shared/json-schemas';

for (const { path, schema } of jsonSchemaFiles()) {
  writeFileSync(path, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote ${path}`);
}
