// Flow templates: the `*.flow.json` files of a folder (the repo's flows/), read-only. A
// template that does not parse is skipped: the app never offers a broken starting point.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Flow } from '../../shared/flow';
import { parseFlowText } from '../../core/parse-flow';
import { FLOW_FILE_SUFFIX } from './flow-repository';
import { isFlowId } from './flow-ids';

export interface FlowTemplate {
  id: string;
  flow: Flow;
}

export async function readTemplates(dir: string, log: (message: string) => void = () => undefined): Promise<FlowTemplate[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return [];
    throw error;
  }
  const templates: FlowTemplate[] = [];
  for (const name of names.filter((n) => n.endsWith(FLOW_FILE_SUFFIX) && !n.startsWith('.')).sort()) {
    const id = name.slice(0, -FLOW_FILE_SUFFIX.length);
    if (!isFlowId(id)) continue;
    let text: string;
    try {
      text = await readFile(join(dir, name), 'utf8');
    } catch {
      continue;
    }
    const parsed = parseFlowText(text, name);
    if (parsed.flow) templates.push({ id, flow: parsed.flow });
    else log(`The template ${name} is skipped: ${parsed.problems[0]?.message ?? 'not a flow'}`);
  }
  return templates;
}
