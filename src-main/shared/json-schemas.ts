// JSON Schema documents generated from the zod schemas, for "$schema" in flow and config files.
import { z } from 'zod';
import { FlowSchema } from './flow';
import { TestCaseSchema } from './test-case';
import { WorkspaceConfigSchema } from './workspace-config';

export function jsonSchemaFiles(): { path: string; schema: unknown }[] {
  return [
    { path: 'flows/flow.schema.json', schema: document(FlowSchema, 'Flowbot Studio flow (schemaVersion 1)') },
    { path: 'flows/test-case.schema.json', schema: document(TestCaseSchema, 'Flowbot Studio conversation test case (schemaVersion 1)') },
    { path: 'examples/workspace.schema.json', schema: document(WorkspaceConfigSchema, 'Flowbot Studio workspace config') },
  ];
}

function document(schema: z.ZodType, title: string): unknown {
  return { title, ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) };
}
