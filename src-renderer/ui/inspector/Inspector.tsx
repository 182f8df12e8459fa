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
import { KnowledgeField } from './KnowledgeField';
import { ClassChip, ToolArgs, ToolPicker } from './ToolPicker';
import { FlowLanguageField } from './FlowLanguageField';
import { CallLabelFields } from './CallLabelFields';
import { TranslationsSection } from './TranslationsSection';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../problem-message';

/** Code, not words: the same in every language. */
const FLOW_FILE_SUFFIX = '.flow.json';
const EXAMPLE_VARS = { answer: 'order_id', aiInput: '{{last_message}}', toolResult: 'ticket' } as const;

export function Inspector() {
  const { t } = useTranslation('editor');
  const selected = useEditor((s) => {
    const ids: string[] = [];
    for (const n of s.nodes) if (n.selected) ids.push(n.id);
    return ids.join('\u0000');
  });
  const ids = selected ? selected.split('\u0000') : [];
  return (
    <aside className="inspector" aria-label={t('inspector.label')} data-testid="inspector">
      {ids.length === 0 && <FlowForm />}
      {ids.length === 1 && <StepForm key={ids[0]} id={ids[0]!} />}
      {ids.length > 1 && <Many count={ids.length} />}
    </aside>
  );
}

function FlowForm() {
  const { t } = useTranslation('editor');
  const meta = useEditor((s) => s.meta);
  const updateMeta = useEditor((s) => s.updateMeta);
  if (!meta) return null;
  return (
    <div className="inspector-body">
      <h2 className="panel-title">{t('inspector.flow.title')}</h2>
      <CheckedField label={t('inspector.flow.name')} value={meta.name} onCommit={(v) => v && updateMeta({ name: v })} check={() => null} required testId="flow-name" />
      <TextField label={t('inspector.flow.description')} multiline value={meta.description ?? ''} onChange={(v) => updateMeta({ description: v === '' ? undefined : v })} placeholder={t('inspector.flow.descriptionPlaceholder')} testId="flow-description" />
      <FlowLanguageField value={meta.language} onChange={(language) => updateMeta({ language })} />
      <TranslationsSection />
      <div className="tips">
        <div className="section-title">{t('inspector.tips.title')}</div>
        <ul>
          <li>{t('inspector.tips.drag')}</li>
          <li>{t('inspector.tips.click')}</li>
          <li>
            {t('inspector.tips.keys')}
          </li>
        </ul>
        <p className="muted small">
          {t('inspector.flow.savedAs')} <code>{meta.id + FLOW_FILE_SUFFIX}</code>{t('inspector.flow.autosave')}
        </p>
      </div>
    </div>
  );
}

function Many({ count }: { count: number }) {
  const { t } = useTranslation('editor');
  const store = useEditorStore();
  return (
    <div className="inspector-body">
      <h2 className="panel-title">{t('inspector.many.title', { count })}</h2>
      <p className="muted">{t('inspector.many.hint')}</p>
      <div className="row">
        <button type="button" className="btn" onClick={() => store.getState().copySelected()}>
          <Icon name="copy" /> {t('inspector.many.copy')}
        </button>
        <button type="button" className="btn btn-danger-soft" onClick={() => store.getState().deleteSelected()}>
          <Icon name="trash" /> {t('inspector.many.delete')}
        </button>
      </div>
    </div>
  );
}

function StepForm({ id }: { id: string }) {
  const { t, i18n } = useTranslation('editor');
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
              <span className="problem-text">{problemMessage(p, i18n.language)}</span>
              {p.code === FIXABLE && (
                <button type="button" className="btn btn-small btn-fix" onClick={() => store.getState().addConfirmation(id)}>
                  {t('panel.addConfirmation', { ns: 'problems' })}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}

      {step.type !== 'start' && (
        <TextField label={t('inspector.step.cardName')} value={step.label ?? ''} onChange={(v) => update((s) => ({ ...s, label: v === '' ? undefined : v }), 'label')} placeholder={kind.name} testId="field-label" />
      )}

      <KindForm node={node} step={step} update={update} />

      <footer className="inspector-foot">
        <span className="muted small">
          {t('inspector.step.id')} <code>{id}</code>
        </span>
        {step.type !== 'start' && (
          <button type="button" className="btn btn-small btn-danger-soft" onClick={() => store.getState().deleteNodes([id])} data-testid="delete-step">
            <Icon name="trash" /> {t('inspector.step.delete')}
          </button>
        )}
      </footer>
    </div>
  );
}

type Update = (fn: (s: Step) => Step, field?: string) => void;

function KindForm({ node, step, update }: { node: StepNode; step: Step; update: Update }) {
  const { t } = useTranslation('editor');
  const id = node.id;
  switch (step.type) {
    case 'start':
      return <p className="muted">{t('inspector.start.hint')}</p>;
    case 'message':
      return (
        <TemplateField
          nodeId={id}
          label={t('inspector.message.label')}
          required
          multiline
          rows={4}
          value={step.data.text}
          onChange={(text) => update(patchStep('message', (s) => ({ ...s, data: { ...s.data, text } })), 'text')}
          placeholder={t('inspector.message.placeholder', { skipInterpolation: true })}
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
const ANSWER_HINTS: readonly Answer['kind'][] = ['choice', 'date', 'phone', 'email']; // inspector.answerHints.<kind>

function AskForm({ id, step, update }: { id: string; step: StepOf<'ask'>; update: Update }) {
  const { t } = useTranslation('editor');
  const d = step.data;
  const set = (patch: Partial<StepOf<'ask'>['data']>, field: string) => update(patchStep('ask', (s) => ({ ...s, data: { ...s.data, ...patch } })), field);
  const setAnswer = (kind: Answer['kind']) => {
    const answer: Answer = kind === 'choice' ? { kind, options: d.answer.kind === 'choice' ? d.answer.options : [t('inspector.ask.defaultYes'), t('inspector.ask.defaultNo')] } : { kind };
    set({ answer }, 'answer');
  };
  const options = d.answer.kind === 'choice' ? d.answer.options : [];
  const setOptions = (next: string[], field: string) => set({ answer: { kind: 'choice', options: next } }, field);
  return (
    <>
      <TemplateField nodeId={id} label={t('inspector.ask.question')} required multiline value={d.question} onChange={(question) => set({ question }, 'question')} placeholder={t('inspector.ask.questionPlaceholder')} testId="field-question" />
      <SelectField label={t('inspector.ask.kind')} value={d.answer.kind} options={ANSWER_KINDS.map((a) => ({ value: a.kind, name: a.name }))} onChange={setAnswer} testId="field-answer-kind" />
      {d.answer.kind === 'confirm' && <p className="hint-box">{t('inspector.ask.confirmHint')}</p>}
      {ANSWER_HINTS.includes(d.answer.kind) && <p className="hint-box">{t(`inspector.answerHints.${d.answer.kind}`)}</p>}
      {d.answer.kind === 'choice' && (
        <div className="field">
          <div className="field-label">{t('inspector.ask.options')}</div>
          <ul className="option-list">
            {options.map((o, i) => (
              <li key={i} className="row">
                <input
                  value={o}
                  aria-label={t('inspector.ask.option', { n: i + 1 })}
                  data-testid={`option-${i}`}
                  onChange={(e) => setOptions(options.map((x, j) => (j === i ? e.target.value : x)), `option-${i}`)}
                />
                <button type="button" className="btn-icon btn-danger" aria-label={t('inspector.ask.removeOption', { option: o })} onClick={() => setOptions(options.filter((_, j) => j !== i), 'options')}>
                  ×
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="btn btn-small" onClick={() => setOptions([...options, t('inspector.ask.option', { n: options.length + 1 })], 'options')} data-testid="add-option">
            {t('inspector.ask.addOption')}
          </button>
          <p className="field-hint">{t('inspector.ask.optionsHint')}</p>
        </div>
      )}
      {d.answer.kind !== 'confirm' && (
        <CheckedField
          label={t('inspector.ask.saveAs')}
          optional
          value={d.saveAs}
          onCommit={(saveAs) => set({ saveAs }, 'saveAs')}
          check={checkVarName}
          placeholder={EXAMPLE_VARS.answer}
          hint={d.saveAs ? t('inspector.ask.saveAsHint', { variable: `{{${d.saveAs}}}` }) : t('inspector.ask.saveAsNone')}
          testId="field-save-as"
        />
      )}
      {d.answer.kind !== 'confirm' && d.answer.kind !== 'text' && (
        <>
          <TemplateField nodeId={id} label={t('inspector.ask.retry')} value={d.retryText ?? ''} onChange={(v) => set({ retryText: v === '' ? undefined : v }, 'retryText')} placeholder={t('inspector.ask.retryPlaceholder')} testId="field-retry" />
          <CheckedField label={t('inspector.ask.maxRetries')} optional value={d.maxRetries?.toString()} onCommit={(v) => set({ maxRetries: v === undefined ? undefined : Number(v) }, 'maxRetries')} check={checkWholeNumber(0, 20)} inputMode="numeric" placeholder="2" testId="field-max-retries" />
        </>
      )}
    </>
  );
}

function LlmForm({ id, step, update }: { id: string; step: StepOf<'llm'>; update: Update }) {
  const { t } = useTranslation('editor');
  const d = step.data;
  const catalog = useCatalog();
  const set = (patch: Partial<StepOf<'llm'>['data']>, field: string) => update(patchStep('llm', (s) => ({ ...s, data: { ...s.data, ...patch } })), field);
  return (
    <>
      <TextField label={t('inspector.llm.instructions')} required multiline rows={5} value={d.instructions} onChange={(instructions) => set({ instructions }, 'instructions')} placeholder={t('inspector.llm.instructionsPlaceholder')} testId="field-instructions" />
      <TemplateField nodeId={id} label={t('inspector.llm.input')} value={d.input ?? ''} onChange={(v) => set({ input: v === '' ? undefined : v }, 'input')} placeholder={EXAMPLE_VARS.aiInput} hint={t('inspector.llm.inputHint')} testId="field-input" />
      <SelectField
        label={t('inspector.llm.output')}
        value={d.output.mode}
        options={[
          { value: 'reply', name: t('inspector.llm.reply') },
          { value: 'save', name: t('inspector.llm.save') },
        ]}
        onChange={(mode) => set({ output: mode === 'reply' ? { mode } : { mode, var: d.output.mode === 'save' ? d.output.var : 'ai_result' } }, 'output')}
        testId="field-output"
      />
      {d.output.mode === 'save' && (
        <CheckedField label={t('inspector.llm.saveAs')} value={d.output.var} onCommit={(v) => v && set({ output: { mode: 'save', var: v } }, 'outputVar')} check={checkVarName} testId="field-output-var" />
      )}
      <div className="field">
        <div className="field-label">{t('inspector.llm.tools')}</div>
        {d.tools.length === 0 && <p className="muted small">{t('inspector.llm.noTools')}</p>}
        <ul className="chosen-tools">
          {d.tools.map((ref, i) => {
            const found = findTool(catalog, ref.server, ref.tool);
            return (
              <li key={`${ref.server}/${ref.tool}`} className="row">
                <span className="tool-name">
                  {ref.tool} <span className="muted small">{t('inspector.llm.onServer', { server: ref.server })}</span>
                </span>
                {found ? <ClassChip tool={found.tool} /> : <span className="chip chip-write">{t('inspector.llm.unclassified')}</span>}
                <button type="button" className="btn-icon btn-danger" aria-label={t('inspector.llm.removeTool', { tool: ref.tool })} onClick={() => set({ tools: d.tools.filter((_, j) => j !== i) }, 'tools')}>
                  ×
                </button>
                {found?.tool.effectiveClass !== 'read' && (
                  <CallLabelFields server={ref.server} tool={ref.tool} labels={ref} onChange={(labels, field) => set({ tools: d.tools.map((x, j) => (j === i ? { ...x, ...labels } : x)) }, `tools${i}:${field}`)} testId={`call-labels-${i}`} />
                )}
              </li>
            );
          })}
        </ul>
        <p className="field-hint">{t('inspector.llm.writeHint')}</p>
      </div>
      <ToolPicker
        label={t('inspector.llm.addTool')}
        value={null}
        testId="llm-tool-picker"
        isPicked={(ref) => d.tools.some((x) => x.server === ref.server && x.tool === ref.tool)}
        onPick={(ref) => {
          if (!d.tools.some((x) => x.server === ref.server && x.tool === ref.tool)) set({ tools: [...d.tools, ref] }, 'tools');
        }}
      />
      <CheckedField label={t('inspector.llm.maxRounds')} optional value={d.maxToolRounds?.toString()} onCommit={(v) => set({ maxToolRounds: v === undefined ? undefined : Number(v) }, 'maxToolRounds')} check={checkWholeNumber(0, 50)} inputMode="numeric" placeholder="4" />
      <KnowledgeField value={d.knowledge} onChange={(knowledge, field) => set({ knowledge }, field)} />
    </>
  );
}

function ToolForm({ id, step, update }: { id: string; step: StepOf<'tool'>; update: Update }) {
  const { t } = useTranslation('editor');
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
          {found ? t('inspector.tool.changesData') : t('inspector.tool.unmarked')}{t('inspector.tool.mustConfirm')}
        </p>
      )}
      {isWrite && !unguarded && (
        <p className="hint-box" data-testid="write-note">
          {t('inspector.tool.guarded')}
        </p>
      )}
      {d.tool !== '' && <ToolArgs nodeId={id} server={d.server} tool={d.tool} args={d.args} onChange={(args, field) => set({ args }, field)} />}
      {d.tool !== '' && isWrite && <CallLabelFields server={d.server} tool={d.tool} labels={d} argNames={Object.keys(d.args)} onChange={(labels, field) => set(labels, field)} />}
      <CheckedField label={t('inspector.tool.saveAs')} optional value={d.saveAs} onCommit={(saveAs) => set({ saveAs }, 'saveAs')} check={checkVarName} placeholder={EXAMPLE_VARS.toolResult} hint={d.saveAs ? t('inspector.tool.saveAsHint', { variable: `{{${d.saveAs}}}`, field: `{{${d.saveAs}.id}}` }) : undefined} testId="field-save-as" />
    </>
  );
}

function ConditionForm({ id, step, update }: { id: string; step: StepOf<'condition'>; update: Update }) {
  const { t } = useTranslation('editor');
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
            <legend>{t('inspector.condition.rule', { n: i + 1 })}</legend>
            <Field label={t('inspector.condition.var')} required>
              <input list={listId} value={r.var} aria-label={t('inspector.condition.varLabel')} onChange={(e) => e.target.value.trim() && setRule({ var: e.target.value.trim() }, 'var')} data-testid={`rule-${i}-var`} />
            </Field>
            <SelectField label={t('inspector.condition.op')} value={r.op} options={CONDITION_OPS.map((o) => ({ value: o.op, name: o.name }))} onChange={(op) => setRule({ op }, 'op')} />
            {r.op !== 'exists' && <TextField label={t('inspector.condition.value')} value={r.value === undefined ? '' : String(r.value)} onChange={(value) => setRule({ value }, 'value')} testId={`rule-${i}-value`} />}
            <CheckedField
              label={t('inspector.condition.handle')}
              value={r.handle}
              onCommit={(h) => h && setRule({ handle: h }, 'handle')}
              check={(h) => (h === 'else' ? t('inspector.condition.elseReserved') : handles(i).includes(h) ? t('inspector.condition.handleTaken') : null)}
              testId={`rule-${i}-handle`}
            />
            {rules.length > 1 && (
              <button type="button" className="btn btn-small btn-danger-soft" onClick={() => setRules(rules.filter((_, j) => j !== i), 'rules')}>
                {t('inspector.condition.remove')}
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
        {t('inspector.condition.add')}
      </button>
      <p className="field-hint">{t('inspector.condition.hint')}</p>
    </>
  );
}

function SetForm({ id, step, update }: { id: string; step: StepOf<'set'>; update: Update }) {
  const { t } = useTranslation('editor');
  const entries = Object.entries(step.data.assign);
  const setAssign = (next: [string, string][], field: string) => update(patchStep('set', (s) => ({ ...s, data: { assign: Object.fromEntries(next) } })), field);
  return (
    <>
      {entries.map(([name, value], i) => (
        <fieldset key={i} className="rule">
          <legend>{t('inspector.set.value', { n: i + 1 })}</legend>
          <CheckedField
            label={t('inspector.set.name')}
            value={name}
            onCommit={(v) => v && setAssign(entries.map((e, j) => (j === i ? [v, e[1]] : e)), `name${i}`)}
            check={(v) => checkVarName(v) ?? (entries.some(([k], j) => j !== i && k === v) ? t('inspector.set.nameTaken') : null)}
            testId={`assign-${i}-name`}
          />
          <TemplateField nodeId={id} label={t('inspector.set.valueLabel')} value={value} onChange={(v) => setAssign(entries.map((e, j) => (j === i ? [e[0], v] : e)), `value${i}`)} testId={`assign-${i}-value`} />
          <button type="button" className="btn btn-small btn-danger-soft" onClick={() => setAssign(entries.filter((_, j) => j !== i), 'assign')}>
            {t('inspector.set.remove')}
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
        {t('inspector.set.add')}
      </button>
    </>
  );
}

function ClosingForm({ id, type, text, update }: { id: string; type: Extract<NodeType, 'handoff' | 'end'>; text: string | undefined; update: Update }) {
  const { t } = useTranslation('editor');
  const onChange = (v: string) => {
    const text = v === '' ? undefined : v;
    update(type === 'end' ? patchStep('end', (s) => ({ ...s, data: { text } })) : patchStep('handoff', (s) => ({ ...s, data: { text } })), 'text');
  };
  return (
    <>
      <TemplateField
        nodeId={id}
        label={type === 'end' ? t('inspector.closing.goodbye') : t('inspector.closing.beforeHandoff')}
        multiline
        value={text ?? ''}
        onChange={onChange}
        placeholder={type === 'end' ? t('inspector.closing.goodbyePlaceholder') : t('inspector.closing.handoffPlaceholder')}
        hint={t('inspector.closing.optional')}
        testId="field-text"
      />
      {type === 'handoff' && <p className="hint-box">{t('inspector.closing.handoffHint')}</p>}
    </>
  );
}
