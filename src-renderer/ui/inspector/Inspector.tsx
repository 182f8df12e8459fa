// The panel on the right: the selected step's form (one per kind of step), several selected
// steps, or the flow's own name and description when nothing is selected.
import type { Answer, NodeType } from '../../../src-main/shared/flow';
import { patchStep, useEditor, useEditorStore, findTool, useCatalog } from '../../editor/editor-context';
import type { StepNode } from '../../editor/flow-conversion';
import { ANSWER_KINDS, CONDITION_OPS, STEP_KINDS, type Step, type StepOf } from '../../editor/step-catalog';
import { variablesBefore } from '../../editor/variables';
import { Icon, StepIcon } from '../icons';
import { FIXABLE } from '../ProblemsPanel';
import { CheckedField, checkVarName, checkWholeNumber, Field, SelectField, TemplateField, TextField } from './fields';
import { ClassChip, ToolArgs, ToolPicker } from './ToolPicker';
import { FlowLanguageField } from './FlowLanguageField';
import { CallLabelFields } from './CallLabelFields';
import { TranslationsSection } from './TranslationsSection';

export function Inspector() {
  const selected = useEditor((s) => {
    const ids: string[] = [];
    for (const n of s.nodes) if (n.selected) ids.push(n.id);
    return ids.join('\u0000');
  });
  const ids = selected ? selected.split('\u0000') : [];
  return (
    <aside className="inspector" aria-label="Inspector" data-testid="inspector">
      {ids.length === 0 && <FlowForm />}
      {ids.length === 1 && <StepForm key={ids[0]} id={ids[0]!} />}
      {ids.length > 1 && <Many count={ids.length} />}
    </aside>
  );
}

function FlowForm() {
  const meta = useEditor((s) => s.meta);
  const updateMeta = useEditor((s) => s.updateMeta);
  if (!meta) return null;
  return (
    <div className="inspector-body">
      <h2 className="panel-title">About this flow</h2>
      <CheckedField label="Name" value={meta.name} onCommit={(v) => v && updateMeta({ name: v })} check={() => null} required testId="flow-name" />
      <TextField label="Description" multiline value={meta.description ?? ''} onChange={(v) => updateMeta({ description: v === '' ? undefined : v })} placeholder="What this flow is for" testId="flow-description" />
      <FlowLanguageField value={meta.language} onChange={(language) => updateMeta({ language })} />
      <TranslationsSection />
      <div className="tips">
        <div className="section-title">Tips</div>
        <ul>
          <li>Drag steps from the left onto the canvas, then drag from an exit (the dots at the bottom of a step) to the top of the next step.</li>
          <li>Click a step to fill it in here.</li>
          <li>
            <kbd>Delete</kbd> removes the selection, <kbd>Ctrl</kbd>+<kbd>Z</kbd> undoes, <kbd>Ctrl</kbd>+<kbd>C</kbd> / <kbd>V</kbd> copy and paste, <kbd>Ctrl</kbd>+<kbd>S</kbd> saves right away. Shift-drag selects several steps.
          </li>
        </ul>
        <p className="muted small">
          Saved as <code>{meta.id}.flow.json</code>; every change is saved automatically.
        </p>
      </div>
    </div>
  );
}

function Many({ count }: { count: number }) {
  const store = useEditorStore();
  return (
    <div className="inspector-body">
      <h2 className="panel-title">{count} steps selected</h2>
      <p className="muted">Drag them together, copy them (Ctrl+C) or delete them.</p>
      <div className="row">
        <button type="button" className="btn" onClick={() => store.getState().copySelected()}>
          <Icon name="copy" /> Copy
        </button>
        <button type="button" className="btn btn-danger-soft" onClick={() => store.getState().deleteSelected()}>
          <Icon name="trash" /> Delete
        </button>
      </div>
    </div>
  );
}

function StepForm({ id }: { id: string }) {
  const store = useEditorStore();
  const node = useEditor((s) => s.nodes.find((n) => n.id === id));
  const problems = useEditor((s) => s.problems);
  if (!node) return null;
  const step = node.data.step;
  const kind = STEP_KINDS[step.type];
  const update = (fn: (s: Step) => Step, field?: string) => store.getState().updateStep(id, fn, field);
  const mine = problems.filter((p) => p.nodeId === id);

  return (
    <div className={`inspector-body tone-${kind.tone}`} data-testid={`inspector-${id}`}>
      <header className="inspector-head">
        <span className="inspector-icon">
          <StepIcon type={step.type} size={18} />
        </span>
        <div>
          <h2 className="inspector-kind">{kind.name}</h2>
          <p className="muted small">{kind.help}</p>
        </div>
      </header>

      {mine.length > 0 && (
        <ul className="inspector-problems">
          {mine.map((p, i) => (
            <li key={i} className={`problem problem-${p.severity}`}>
              <span className="problem-icon">{p.severity === 'error' ? <Icon name="alert" /> : <Icon name="warning" />}</span>
              <span className="problem-text">{p.message}</span>
              {p.code === FIXABLE && (
                <button type="button" className="btn btn-small btn-fix" onClick={() => store.getState().addConfirmation(id)}>
                  Add a confirmation question
                </button>
              )}
            </li>
          ))}
        </ul>
      )}

      {step.type !== 'start' && (
        <TextField label="Name on the card" value={step.label ?? ''} onChange={(v) => update((s) => ({ ...s, label: v === '' ? undefined : v }), 'label')} placeholder={kind.name} testId="field-label" />
      )}

      <KindForm node={node} step={step} update={update} />

      <footer className="inspector-foot">
        <span className="muted small">
          Step id: <code>{id}</code>
        </span>
        {step.type !== 'start' && (
          <button type="button" className="btn btn-small btn-danger-soft" onClick={() => store.getState().deleteNodes([id])} data-testid="delete-step">
            <Icon name="trash" /> Delete step
          </button>
        )}
      </footer>
    </div>
  );
}

type Update = (fn: (s: Step) => Step, field?: string) => void;

function KindForm({ node, step, update }: { node: StepNode; step: Step; update: Update }) {
  const id = node.id;
  switch (step.type) {
    case 'start':
      return <p className="muted">Every conversation starts here, when a customer writes for the first time. Connect it to the first message or question.</p>;
    case 'message':
      return (
        <TemplateField
          nodeId={id}
          label="Message"
          required
          multiline
          rows={4}
          value={step.data.text}
          onChange={(text) => update(patchStep('message', (s) => ({ ...s, data: { ...s.data, text } })), 'text')}
          placeholder="Hi {{contact.name}}! Thanks for your message."
          testId="field-text"
        />
      );
    case 'ask':
      return <AskForm id={id} step={step} update={update} />;
    case 'llm':
      return <LlmForm id={id} step={step} update={update} />;
    case 'tool':
      return <ToolForm id={id} step={step} update={update} />;
    case 'condition':
      return <ConditionForm id={id} step={step} update={update} />;
    case 'set':
      return <SetForm id={id} step={step} update={update} />;
    case 'handoff':
    case 'end':
      return <ClosingForm id={id} type={step.type} text={step.data.text} update={update} />;
  }
}

/** How each typed kind of answer is read (core/answers.ts), for the owner. */
const ANSWER_HINTS: Partial<Record<Answer['kind'], string>> = {
  choice: 'The customer may answer with an option’s number, its text (capitals and accents do not matter), or the start of it.',
  date: 'Understands “24/12”, “24/12/2026”, “tomorrow”, “amanhã”, “saturday”, “sábado”… (day first). Saved as year-month-day, e.g. 2026-12-24.',
  phone: 'Saved as digits only (8 to 15), with a + in front for an international number.',
  email: 'One email address, e.g. ana@example.com.',
};

function AskForm({ id, step, update }: { id: string; step: StepOf<'ask'>; update: Update }) {
  const d = step.data;
  const set = (patch: Partial<StepOf<'ask'>['data']>, field: string) => update(patchStep('ask', (s) => ({ ...s, data: { ...s.data, ...patch } })), field);
  const setAnswer = (kind: Answer['kind']) => {
    const answer: Answer = kind === 'choice' ? { kind, options: d.answer.kind === 'choice' ? d.answer.options : ['Yes', 'No'] } : { kind };
    set({ answer }, 'answer');
  };
  const options = d.answer.kind === 'choice' ? d.answer.options : [];
  const setOptions = (next: string[], field: string) => set({ answer: { kind: 'choice', options: next } }, field);
  return (
    <>
      <TemplateField nodeId={id} label="Question" required multiline value={d.question} onChange={(question) => set({ question }, 'question')} placeholder="What is your order number?" testId="field-question" />
      <SelectField label="What kind of answer?" value={d.answer.kind} options={ANSWER_KINDS.map((a) => ({ value: a.kind, name: a.name }))} onChange={setAnswer} testId="field-answer-kind" />
      {d.answer.kind === 'confirm' && <p className="hint-box">Only a clear yes (“yes”, “ok”, “confirm”…) takes the Yes exit; any other reply takes No.</p>}
      {ANSWER_HINTS[d.answer.kind] && <p className="hint-box">{ANSWER_HINTS[d.answer.kind]}</p>}
      {d.answer.kind === 'choice' && (
        <div className="field">
          <div className="field-label">Options</div>
          <ul className="option-list">
            {options.map((o, i) => (
              <li key={i} className="row">
                <input
                  value={o}
                  aria-label={`Option ${i + 1}`}
                  data-testid={`option-${i}`}
                  onChange={(e) => setOptions(options.map((x, j) => (j === i ? e.target.value : x)), `option-${i}`)}
                />
                <button type="button" className="btn-icon btn-danger" aria-label={`Remove option ${o}`} onClick={() => setOptions(options.filter((_, j) => j !== i), 'options')}>
                  ×
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="btn btn-small" onClick={() => setOptions([...options, `Option ${options.length + 1}`], 'options')} data-testid="add-option">
            Add option
          </button>
          <p className="field-hint">Each option gets its own exit on the card. “Any” is used for an option without a connection.</p>
        </div>
      )}
      {d.answer.kind !== 'confirm' && (
        <CheckedField
          label="Save the answer as"
          optional
          value={d.saveAs}
          onCommit={(saveAs) => set({ saveAs }, 'saveAs')}
          check={checkVarName}
          placeholder="order_id"
          hint={d.saveAs ? `Later steps can use it as {{${d.saveAs}}}.` : 'Give it a name to use the answer in later steps.'}
          testId="field-save-as"
        />
      )}
      {d.answer.kind !== 'confirm' && d.answer.kind !== 'text' && (
        <>
          <TemplateField nodeId={id} label="If the answer is not understood, say" value={d.retryText ?? ''} onChange={(v) => set({ retryText: v === '' ? undefined : v }, 'retryText')} placeholder="Sorry, I did not get that. Please pick one of the options." testId="field-retry" />
          <CheckedField label="Ask again at most (times)" optional value={d.maxRetries?.toString()} onCommit={(v) => set({ maxRetries: v === undefined ? undefined : Number(v) }, 'maxRetries')} check={checkWholeNumber(0, 20)} inputMode="numeric" placeholder="2" testId="field-max-retries" />
        </>
      )}
    </>
  );
}

function LlmForm({ id, step, update }: { id: string; step: StepOf<'llm'>; update: Update }) {
  const d = step.data;
  const catalog = useCatalog();
  const set = (patch: Partial<StepOf<'llm'>['data']>, field: string) => update(patchStep('llm', (s) => ({ ...s, data: { ...s.data, ...patch } })), field);
  return (
    <>
      <TextField label="Instructions for the AI" required multiline rows={5} value={d.instructions} onChange={(instructions) => set({ instructions }, 'instructions')} placeholder="You answer questions about our shop in one or two friendly sentences." testId="field-instructions" />
      <TemplateField nodeId={id} label="What the AI reads" value={d.input ?? ''} onChange={(v) => set({ input: v === '' ? undefined : v }, 'input')} placeholder="{{last_message}}" hint="Leave empty to give it the customer's last message." testId="field-input" />
      <SelectField
        label="What to do with the result"
        value={d.output.mode}
        options={[
          { value: 'reply', name: 'Send it to the customer' },
          { value: 'save', name: 'Save it for later steps' },
        ]}
        onChange={(mode) => set({ output: mode === 'reply' ? { mode } : { mode, var: d.output.mode === 'save' ? d.output.var : 'ai_result' } }, 'output')}
        testId="field-output"
      />
      {d.output.mode === 'save' && (
        <CheckedField label="Save it as" value={d.output.var} onCommit={(v) => v && set({ output: { mode: 'save', var: v } }, 'outputVar')} check={checkVarName} testId="field-output-var" />
      )}
      <div className="field">
        <div className="field-label">Tools the AI may use</div>
        {d.tools.length === 0 && <p className="muted small">None. The AI only talks.</p>}
        <ul className="chosen-tools">
          {d.tools.map((t, i) => {
            const found = findTool(catalog, t.server, t.tool);
            return (
              <li key={`${t.server}/${t.tool}`} className="row">
                <span className="tool-name">
                  {t.tool} <span className="muted small">on {t.server}</span>
                </span>
                {found ? <ClassChip tool={found.tool} /> : <span className="chip chip-write">Changes data (not classified)</span>}
                <button type="button" className="btn-icon btn-danger" aria-label={`Remove ${t.tool}`} onClick={() => set({ tools: d.tools.filter((_, j) => j !== i) }, 'tools')}>
                  ×
                </button>
                {found?.tool.effectiveClass !== 'read' && (
                  <CallLabelFields server={t.server} tool={t.tool} labels={t} onChange={(labels, field) => set({ tools: d.tools.map((x, j) => (j === i ? { ...x, ...labels } : x)) }, `tools${i}:${field}`)} testId={`call-labels-${i}`} />
                )}
              </li>
            );
          })}
        </ul>
        <p className="field-hint">A tool that changes data only runs after the customer confirms that exact call.</p>
      </div>
      <ToolPicker
        label="Add a tool"
        value={null}
        testId="llm-tool-picker"
        isPicked={(ref) => d.tools.some((t) => t.server === ref.server && t.tool === ref.tool)}
        onPick={(ref) => {
          if (!d.tools.some((t) => t.server === ref.server && t.tool === ref.tool)) set({ tools: [...d.tools, ref] }, 'tools');
        }}
      />
      <CheckedField label="Most tool rounds per reply" optional value={d.maxToolRounds?.toString()} onCommit={(v) => set({ maxToolRounds: v === undefined ? undefined : Number(v) }, 'maxToolRounds')} check={checkWholeNumber(0, 50)} inputMode="numeric" placeholder="4" />
    </>
  );
}

function ToolForm({ id, step, update }: { id: string; step: StepOf<'tool'>; update: Update }) {
  const d = step.data;
  const catalog = useCatalog();
  const found = findTool(catalog, d.server, d.tool);
  const set = (patch: Partial<StepOf<'tool'>['data']>, field: string) => update(patchStep('tool', (s) => ({ ...s, data: { ...s.data, ...patch } })), field);
  const isWrite = found ? found.tool.effectiveClass === 'write' : d.tool !== '';
  const unguarded = useEditor((s) => s.problems.some((p) => p.nodeId === id && p.code === FIXABLE));
  return (
    <>
      <ToolPicker value={{ server: d.server, tool: d.tool }} onPick={(ref) => set({ server: ref.server, tool: ref.tool }, 'tool')} />
      {isWrite && unguarded && (
        <p className="hint-box hint-write" data-testid="write-note">
          {found ? 'This tool changes data' : 'Tools not marked as read-only in the settings count as changing data'}: the customer must confirm before it runs. Put a Yes/No question right before this step.
        </p>
      )}
      {isWrite && !unguarded && (
        <p className="hint-box" data-testid="write-note">
          This tool changes data. It runs only after the customer says yes to the question before it, for exactly these values.
        </p>
      )}
      {d.tool !== '' && <ToolArgs nodeId={id} server={d.server} tool={d.tool} args={d.args} onChange={(args, field) => set({ args }, field)} />}
      {d.tool !== '' && isWrite && <CallLabelFields server={d.server} tool={d.tool} labels={d} argNames={Object.keys(d.args)} onChange={(labels, field) => set(labels, field)} />}
      <CheckedField label="Save the result as" optional value={d.saveAs} onCommit={(saveAs) => set({ saveAs }, 'saveAs')} check={checkVarName} placeholder="ticket" hint={d.saveAs ? `Later steps can use {{${d.saveAs}}} (and its fields, like {{${d.saveAs}.id}}).` : undefined} testId="field-save-as" />
    </>
  );
}

function ConditionForm({ id, step, update }: { id: string; step: StepOf<'condition'>; update: Update }) {
  const rules = step.data.rules;
  const store = useEditorStore();
  const setRules = (next: StepOf<'condition'>['data']['rules'], field: string) => update(patchStep('condition', (s) => ({ ...s, data: { rules: next } })), field);
  const vars = (() => {
    const s = store.getState();
    return variablesBefore(id, s.nodes, s.edges);
  })();
  const listId = `vars-${id}`;
  const handles = (except: number) => rules.filter((_, j) => j !== except).map((r) => r.handle);
  return (
    <>
      <datalist id={listId}>
        {vars.map((v) => (
          <option key={v.name} value={v.name} />
        ))}
      </datalist>
      {rules.map((r, i) => {
        const setRule = (patch: Partial<(typeof rules)[number]>, field: string) => setRules(rules.map((x, j) => (j === i ? { ...x, ...patch } : x)), `rule${i}:${field}`);
        return (
          <fieldset key={i} className="rule" data-testid={`rule-${i}`}>
            <legend>Rule {i + 1}</legend>
            <Field label="Check the variable" required>
              <input list={listId} value={r.var} aria-label="Variable" onChange={(e) => e.target.value.trim() && setRule({ var: e.target.value.trim() }, 'var')} data-testid={`rule-${i}-var`} />
            </Field>
            <SelectField label="Is it…" value={r.op} options={CONDITION_OPS.map((o) => ({ value: o.op, name: o.name }))} onChange={(op) => setRule({ op }, 'op')} />
            {r.op !== 'exists' && <TextField label="Value" value={r.value === undefined ? '' : String(r.value)} onChange={(value) => setRule({ value }, 'value')} testId={`rule-${i}-value`} />}
            <CheckedField
              label="Exit name on the card"
              value={r.handle}
              onCommit={(h) => h && setRule({ handle: h }, 'handle')}
              check={(t) => (t === 'else' ? '“else” is the Otherwise exit.' : handles(i).includes(t) ? 'Another rule uses this exit name.' : null)}
              testId={`rule-${i}-handle`}
            />
            {rules.length > 1 && (
              <button type="button" className="btn btn-small btn-danger-soft" onClick={() => setRules(rules.filter((_, j) => j !== i), 'rules')}>
                Remove this rule
              </button>
            )}
          </fieldset>
        );
      })}
      <button
        type="button"
        className="btn btn-small"
        onClick={() => {
          let n = rules.length + 1;
          while (rules.some((r) => r.handle === `rule ${n}`)) n++;
          setRules([...rules, { var: 'last_message', op: 'contains', value: '', handle: `rule ${n}` }], 'rules');
        }}
      >
        Add rule
      </button>
      <p className="field-hint">Rules are checked from the top; the first that holds decides. If none holds, the flow goes on through “Otherwise”.</p>
    </>
  );
}

function SetForm({ id, step, update }: { id: string; step: StepOf<'set'>; update: Update }) {
  const entries = Object.entries(step.data.assign);
  const setAssign = (next: [string, string][], field: string) => update(patchStep('set', (s) => ({ ...s, data: { assign: Object.fromEntries(next) } })), field);
  return (
    <>
      {entries.map(([name, value], i) => (
        <fieldset key={i} className="rule">
          <legend>Value {i + 1}</legend>
          <CheckedField
            label="Name"
            value={name}
            onCommit={(v) => v && setAssign(entries.map((e, j) => (j === i ? [v, e[1]] : e)), `name${i}`)}
            check={(t) => checkVarName(t) ?? (entries.some(([k], j) => j !== i && k === t) ? 'Another value has this name.' : null)}
            testId={`assign-${i}-name`}
          />
          <TemplateField nodeId={id} label="Value" value={value} onChange={(v) => setAssign(entries.map((e, j) => (j === i ? [e[0], v] : e)), `value${i}`)} testId={`assign-${i}-value`} />
          <button type="button" className="btn btn-small btn-danger-soft" onClick={() => setAssign(entries.filter((_, j) => j !== i), 'assign')}>
            Remove
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        className="btn btn-small"
        data-testid="add-assign"
        onClick={() => {
          let n = entries.length + 1;
          while (entries.some(([k]) => k === `value_${n}`)) n++;
          setAssign([...entries, [`value_${n}`, '']], 'assign');
        }}
      >
        Add a value
      </button>
    </>
  );
}

function ClosingForm({ id, type, text, update }: { id: string; type: Extract<NodeType, 'handoff' | 'end'>; text: string | undefined; update: Update }) {
  const onChange = (v: string) => {
    const t = v === '' ? undefined : v;
    update(type === 'end' ? patchStep('end', (s) => ({ ...s, data: { text: t } })) : patchStep('handoff', (s) => ({ ...s, data: { text: t } })), 'text');
  };
  return (
    <>
      <TemplateField
        nodeId={id}
        label={type === 'end' ? 'Goodbye message' : 'Message before a person takes over'}
        multiline
        value={text ?? ''}
        onChange={onChange}
        placeholder={type === 'end' ? 'Thanks for writing! Have a nice day.' : 'One moment please, a colleague will take over.'}
        hint="Optional."
        testId="field-text"
      />
      {type === 'handoff' && <p className="hint-box">After this step the bot stops replying in this conversation, so a colleague can answer in WhatsApp.</p>}
    </>
  );
}
