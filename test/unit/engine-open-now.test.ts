// A flow branches on the bot's opening hours: the condition reads the built-in `open_now`,
// decided by core/opening-hours at the time the runner gives the step (the engine has no clock).
import { describe, expect, it } from 'vitest';
import { initialState, step } from '../../src-main/core/engine';
import { validateFlow } from '../../src-main/core/validate';
import { OpeningHoursSchema } from '../../src-main/shared/opening-hours';
import { edge, flow, n, rule } from './flow-builders';

const f = flow(
  [n.start(), n.condition('c', [rule('open_now', 'equals', true, 'open')]), n.message('o', 'We are open.'), n.message('x', 'We are closed.'), n.end('e1'), n.end('e2')],
  [edge('start', 'next', 'c'), edge('c', 'open', 'o'), edge('c', 'else', 'x'), edge('o', 'next', 'e1'), edge('x', 'next', 'e2')],
);
const openingHours = OpeningHoursSchema.parse({ timeZone: 'Europe/Lisbon', weekly: { mon: [{ from: '09:00', to: '17:00' }] } });
const said = (now?: number, hours = openingHours) =>
  step({ flow: f, openingHours: hours, ...(now !== undefined ? { now } : {}) }, initialState(f, 'c1', { id: 'x' }), { type: 'start' }).effects.flatMap((e) => (e.type === 'send' ? [e.text] : []));

describe('open_now', () => {
  it('is true inside the hours and false outside, by the zone (Monday 30 March 2026, Lisbon on summer time)', () => {
    expect(said(Date.parse('2026-03-30T08:30:00Z'))).toEqual(['We are open.']); // 09:30 WEST
    expect(said(Date.parse('2026-03-30T07:30:00Z'))).toEqual(['We are closed.']); // 08:30 WEST
  });
  it('a bot without opening hours is always open', () => {
    expect(step({ flow: f, now: Date.parse('2026-03-29T03:00:00Z') }, initialState(f, 'c1', { id: 'x' }), { type: 'start' }).effects.flatMap((e) => (e.type === 'send' ? [e.text] : []))).toEqual(['We are open.']);
  });
  it('is a built-in: the validator knows it and refuses a step saving into it', () => {
    expect(validateFlow(f).filter((p) => p.code === 'TEMPLATE_UNDEFINED_VAR')).toEqual([]);
    const saving = flow([n.start(), n.ask('q', { saveAs: 'open_now' }), n.end()], [edge('start', 'next', 'q'), edge('q', 'next', 'end')]);
    expect(validateFlow(saving).find((p) => p.code === 'RESERVED_VAR')?.message).toMatch(/whether it is open now/);
  });
});
