// Names of built-in object members (valueOf, constructor, toString, __proto__) as tool or
// variable names (issue 12 item 10): data is looked up as own properties only, so a tool
// the owner never classified stays a write, and a variable no step saved stays unset.
import { describe, expect, it } from 'vitest';
import { validateFlow } from '../../src-main/core/validate';
import { classifierFromConfig } from '../../src-main/core/tool-policy';
import { ruleHolds } from '../../src-main/core/conditions';
import { renderArgument, renderTemplate } from '../../src-main/core/template';
import { step, initialState } from '../../src-main/core/engine';
import { config, edge, flow, line, n } from './flow-builders';

const BUILT_IN_NAMES = ['valueOf', 'constructor', 'toString', '__proto__', 'hasOwnProperty'];

describe('built-in member names as tool names', () => {
  it('an unclassified tool named like a built-in member is a write: the static guard reports it', () => {
    for (const tool of BUILT_IN_NAMES) {
      const cfg = config({ crm: { get_order: 'read' } });
      expect(classifierFromConfig(cfg)('crm', tool), tool).toBe('write');
      const f = flow([n.start(), n.tool('t', { server: 'crm', tool }), n.end()], line('start', 't', 'end'));
      const problems = validateFlow(f, { config: cfg, catalog: { crm: [{ name: tool, status: 'approved' }] } });
      expect(problems.map((p) => p.code), tool).toContain('WRITE_TOOL_UNGUARDED');
    }
  });

  it('a server named like a built-in member is not configured', () => {
    const cfg = config({ crm: { get_order: 'read' } });
    expect(classifierFromConfig(cfg)('constructor', 'name')).toBe('write');
    const f = flow([n.start(), n.tool('t', { server: 'constructor', tool: 'name' }), n.end()], line('start', 't', 'end'));
    expect(validateFlow(f, { config: cfg }).map((p) => p.code)).toContain('TOOL_UNKNOWN_SERVER');
  });
});

describe('built-in member names as variable names', () => {
  it('a variable no step saved renders as nothing, never as a member of Object.prototype', () => {
    for (const name of BUILT_IN_NAMES.filter((x) => x !== '__proto__')) {
      expect(renderTemplate(`[{{${name}}}]`, {}), name).toBe('[]');
      expect(renderArgument(`{{${name}}}`, { order: { id: 'A1' } }), name).toBe('');
      expect(renderArgument(`{{order.${name}}}`, { order: { id: 'A1' } }), name).toBe('');
      expect(ruleHolds({ var: name, op: 'exists', handle: 'yes' }, {}), name).toBe(false);
    }
    expect(renderArgument('{{order.__proto__}}', { order: { id: 'A1' } })).toBe('');
  });

  it('a step may save into a variable named like a built-in member, as an ordinary own variable', () => {
    for (const name of BUILT_IN_NAMES) {
      const f = flow(
        [n.start(), n.ask('q', { question: 'Which?', saveAs: name }), n.message('m', `You said {{${name}}}`), n.end()],
        [edge('start', 'next', 'q'), edge('q', 'next', 'm'), edge('m', 'next', 'end')],
      );
      const first = step({ flow: f }, initialState(f, 'c1', { id: 'x' }), { type: 'start' }).state;
      const out = step({ flow: f }, first, { type: 'user_message', text: 'blue' });
      expect(Object.hasOwn(out.state.vars, name), name).toBe(true);
      expect(Object.getPrototypeOf(out.state.vars), name).toBe(Object.prototype);
      expect(JSON.stringify(out.effects), name).toContain('You said blue');
    }
  });
});
