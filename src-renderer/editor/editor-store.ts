// The editor's state: the flow being edited (as React Flow nodes and edges), undo/redo history,
// clipboard, validation problems and the save state. A vanilla zustand store (testable without
// React); components read it with `useEditor(selector)`.
//
// Content changes go through `change()`, which records an undo snapshot (coalescing bursts such
// as typing in one field) and bumps `revision`; autosave and validation watch `revision`.
// Selection and measured sizes are not content: they change no revision and record no history.
import { applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange } from '@xyflow/react';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Flow, FlowEdge, FlowNode, NodeType } from '../../src-main/shared/flow';
import type { Problem } from '../../src-main/shared/problem';
import { confirmationFix } from './confirm-fix';
import {
  flowToGraph,
  fromStepEdge,
  fromStepNode,
  graphToFlow,
  toStepEdge,
  toStepNode,
  type FlowMeta,
  type StepEdge,
  type StepNode,
} from './flow-conversion';
import { nextEdgeId, uniqueId } from './ids';
import { defaultStep, exitsOf, type Step } from './step-catalog';

export interface Snapshot {
  readonly meta: FlowMeta;
  readonly nodes: StepNode[];
  readonly edges: StepEdge[];
}

export type SaveState =
  | { kind: 'saved'; at?: number }
  /** Changed; the autosave will run after a short pause. */
  | { kind: 'pending' }
  | { kind: 'saving' }
  /** The save was tried and failed (the server or the connection said no). */
  | { kind: 'failed'; reason: string }
  /** Not tried: the flow breaks a rule of the file format (e.g. a tool step with no tool yet). */
  | { kind: 'blocked'; reason: string }
  /** Refused: the file changed on disk (another window, a text editor) since it was loaded. */
  | { kind: 'conflict'; reason: string };

export interface ProblemCount {
  errors: number;
  warnings: number;
}

export interface EditorData {
  meta: FlowMeta | null;
  nodes: StepNode[];
  edges: StepEdge[];
  past: Snapshot[];
  future: Snapshot[];
  /** Bumped on every content change (not on selection or measuring). */
  revision: number;
  /** The revision the file on disk holds. */
  savedRevision: number;
  save: SaveState;
  problems: Problem[];
  /** Problems per step. The cards get theirs through their node's data (see setProblems). */
  problemCounts: Record<string, ProblemCount>;
  /** The revision the problems were computed for (-1: none yet). */
  problemsRevision: number;
  clipboard: { nodes: FlowNode[]; edges: FlowEdge[]; pastes: number } | null;
  /** A request to the canvas to bring these steps into view; `seq` changes per request. */
  focus: { ids: string[]; seq: number } | null;
  /** Steps whose exits changed: React Flow must measure their handles again (`seq` per request). */
  remeasure: { ids: string[]; seq: number } | null;
  /** A node or edge drag is in progress (its snapshot was recorded at the start). */
  dragging: boolean;
  dragStartRevision: number;
  coalesce: { key: string; at: number } | null;
}

export interface EditorActions {
  /** Starts editing a flow: fresh history, everything saved. */
  load(flow: Flow): void;
  /** Replaces the content with an unsaved draft (undo goes back to what was loaded). */
  restoreDraft(flow: Flow): void;
  onNodesChange(changes: NodeChange<StepNode>[]): void;
  onEdgesChange(changes: EdgeChange<StepEdge>[]): void;
  beginDrag(): void;
  endDrag(): void;
  connect(connection: Connection): boolean;
  addStep(type: NodeType, position: { x: number; y: number }): string;
  /** Edits one step; `field` coalesces keystrokes in the same field into one undo step. */
  updateStep(id: string, update: (step: Step) => Step, field?: string): void;
  /** Changes the flow's own fields (not its id or format version); `undefined` removes one. */
  updateMeta(patch: Partial<Omit<FlowMeta, 'id' | 'schemaVersion' | '$schema'>>): void;
  deleteSelected(): number;
  deleteNodes(ids: readonly string[]): void;
  copySelected(): number;
  paste(): number;
  selectOnly(nodeIds: readonly string[], edgeIds?: readonly string[]): void;
  focusOn(nodeIds: readonly string[]): void;
  undo(): void;
  redo(): void;
  /** The WRITE_TOOL_UNGUARDED fix; returns the new question's id. */
  addConfirmation(toolId: string): string | undefined;
  setProblems(problems: Problem[], revision: number): void;
  setSave(save: SaveState, savedRevision?: number): void;
  /** The flow as it would be saved now. */
  currentFlow(): Flow | null;
}

export type EditorState = EditorData & EditorActions;
export type EditorStore = StoreApi<EditorState>;

export interface EditorStoreOptions {
  historyLimit?: number;
  /** Keystrokes in one field within this many ms make one undo step. */
  coalesceMs?: number;
  now?: () => number;
}

const initialData = (): EditorData => ({
  meta: null,
  nodes: [],
  edges: [],
  past: [],
  future: [],
  revision: 0,
  savedRevision: 0,
  save: { kind: 'saved' },
  problems: [],
  problemCounts: {},
  problemsRevision: -1,
  clipboard: null,
  focus: null,
  remeasure: null,
  dragging: false,
  dragStartRevision: -1,
  coalesce: null,
});

/** Pasted copies land down and to the right, clear of the originals (cards are ~60 px tall). */
const PASTE_OFFSET = { x: 40, y: 80 };

/** The save state after a change: waiting for the autosave, unless a conflict awaits a decision. */
const pendingSave = (save: SaveState): SaveState => (save.kind === 'conflict' ? save : { kind: 'pending' });

/** Same step type and, for a question, the same kind of answer: exits in the same places mean the same. */
const sameKind = (a: Step, b: Step): boolean =>
  a.type === 'ask' && b.type === 'ask' ? a.data.answer.kind === b.data.answer.kind : a.type === b.type;

export function createEditorStore(options: EditorStoreOptions = {}): EditorStore {
  const historyLimit = options.historyLimit ?? 100;
  const coalesceMs = options.coalesceMs ?? 1200;
  const now = options.now ?? Date.now;

  return createStore<EditorState>()((set, get) => {
    const snapshot = (s: EditorData): Snapshot | null => (s.meta ? { meta: s.meta, nodes: s.nodes, edges: s.edges } : null);

    /** History fields for a content change: records the state before it unless coalesced. */
    const recorded = (s: EditorData, key: string | undefined): Pick<EditorData, 'past' | 'future' | 'coalesce'> => {
      const at = now();
      if (key !== undefined && s.coalesce && s.coalesce.key === key && at - s.coalesce.at < coalesceMs) {
        return { past: s.past, future: [], coalesce: { key, at } };
      }
      const snap = snapshot(s);
      const past = snap ? [...s.past, snap].slice(-historyLimit) : s.past;
      return { past, future: [], coalesce: key !== undefined ? { key, at } : null };
    };

    /** Applies a content change (with history) and bumps the revision. */
    const change = (patch: (s: EditorState) => Partial<EditorData>, key?: string, record = true): void => {
      set((s) => {
        const next = patch(s);
        return { ...(record ? recorded(s, key) : {}), ...next, revision: s.revision + 1, save: pendingSave(s.save) };
      });
    };

    const selectedNodeIds = (s: EditorData) => new Set(s.nodes.filter((n) => n.selected).map((n) => n.id));

    return {
      ...initialData(),

      load(flow) {
        const graph = flowToGraph(flow);
        set({ ...initialData(), meta: graph.meta, nodes: graph.nodes, edges: graph.edges, save: { kind: 'saved' } });
      },

      restoreDraft(flow) {
        const graph = flowToGraph(flow);
        change(() => ({ meta: graph.meta, nodes: graph.nodes, edges: graph.edges }));
      },

      onNodesChange(changes) {
        const s = get();
        let content = false;
        let removes = false;
        let nudge = false;
        for (const c of changes) {
          if (c.type === 'remove' || c.type === 'add' || c.type === 'replace') {
            content = true;
            if (c.type === 'remove') removes = true;
          } else if (c.type === 'position' && c.dragging !== true && c.position) {
            content = true;
            if (!s.dragging) nudge = true;
          }
        }
        // The start step cannot be removed (a flow has exactly one).
        const startIds = new Set(s.nodes.filter((n) => n.type === 'start').map((n) => n.id));
        const kept = removes ? changes.filter((c) => !(c.type === 'remove' && startIds.has(c.id))) : changes;
        if (!content) {
          set({ nodes: applyNodeChanges(kept, s.nodes) });
          return;
        }
        const removed = new Set(kept.filter((c) => c.type === 'remove').map((c) => c.id));
        // A drag recorded its snapshot when it began; a keyboard nudge records one per burst.
        const record = removes || !s.dragging;
        change(
          (st) => ({
            nodes: applyNodeChanges(kept, st.nodes),
            edges: removed.size ? st.edges.filter((e) => !removed.has(e.source) && !removed.has(e.target)) : st.edges,
          }),
          nudge && !removes ? 'nudge' : undefined,
          record,
        );
      },

      onEdgesChange(changes) {
        const s = get();
        const content = changes.some((c) => c.type !== 'select');
        if (!content) {
          set({ edges: applyEdgeChanges(changes, s.edges) });
          return;
        }
        change((st) => ({ edges: applyEdgeChanges(changes, st.edges) }));
      },

      beginDrag() {
        set((s) => ({ ...recorded(s, undefined), dragging: true, dragStartRevision: s.revision }));
      },

      endDrag() {
        // A drag that moved nothing leaves no undo step behind.
        set((s) => (s.revision === s.dragStartRevision ? { dragging: false, past: s.past.slice(0, -1) } : { dragging: false }));
      },

      connect(connection) {
        const s = get();
        const { source, target } = connection;
        const handle = connection.sourceHandle ?? 'next';
        const targetNode = s.nodes.find((n) => n.id === target);
        if (!targetNode || targetNode.type === 'start' || source === target) return false;
        const existing = s.edges.find((e) => e.source === source && (e.sourceHandle ?? 'next') === handle);
        if (existing && existing.target === target) return false;
        change((st) => {
          // One connection per exit: a new one replaces the old.
          const edges = st.edges.filter((e) => !(e.source === source && (e.sourceHandle ?? 'next') === handle));
          const id = nextEdgeId(st.edges.map((e) => e.id));
          return { edges: [...edges, { id, source, sourceHandle: handle, target }] };
        });
        return true;
      },

      addStep(type, position) {
        const s = get();
        const id = uniqueId(type, new Set(s.nodes.map((n) => n.id)));
        const node: StepNode = { id, type, position, data: { step: defaultStep(type) }, selected: true };
        change((st) => ({
          nodes: [...st.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node],
          edges: st.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
        }));
        return id;
      },

      updateStep(id, update, field) {
        const s = get();
        const node = s.nodes.find((n) => n.id === id);
        if (!node) return;
        const before = node.data.step;
        const after = update(before);
        if (after === before) return;
        const oldExits = exitsOf(before).map((h) => h.id);
        const newExits = exitsOf(after).map((h) => h.id);
        const sameExits = oldExits.length === newExits.length && oldExits.every((h, i) => h === newExits[i]);
        change(
          (st) => {
            let edges = st.edges;
            if (!sameExits) {
              // Renamed exits (an option or a rule's exit name) keep their connections; exits that
              // no longer exist lose theirs. Only within the same kind of step: a confirmation turned
              // into a text question must not reconnect its Yes to Answer and its No to Not understood.
              const renamed = new Map<string, string>();
              if (oldExits.length === newExits.length && sameKind(before, after)) oldExits.forEach((h, i) => renamed.set(h, newExits[i]!));
              const valid = new Set(newExits);
              edges = st.edges.flatMap((e) => {
                if (e.source !== id) return [e];
                const handle = e.sourceHandle ?? 'next';
                const to = renamed.get(handle) ?? handle;
                if (!valid.has(to)) return [];
                return [to === handle ? e : { ...e, sourceHandle: to }];
              });
            }
            return {
              nodes: st.nodes.map((n) => (n.id === id ? { ...n, data: { ...n.data, step: after } } : n)),
              edges,
              ...(sameExits ? {} : { remeasure: { ids: [id], seq: (st.remeasure?.seq ?? 0) + 1 } }),
            };
          },
          field !== undefined ? `${id}:${field}` : undefined,
        );
      },

      updateMeta(patch) {
        const key = Object.keys(patch).join(',');
        change((st) => (st.meta ? { meta: { ...st.meta, ...patch } } : {}), `meta:${key}`);
      },

      deleteSelected() {
        const s = get();
        const nodeIds = s.nodes.filter((n) => n.selected && n.type !== 'start').map((n) => n.id);
        const edgeIds = new Set(s.edges.filter((e) => e.selected).map((e) => e.id));
        if (nodeIds.length === 0 && edgeIds.size === 0) return 0;
        const gone = new Set(nodeIds);
        change((st) => ({
          nodes: st.nodes.filter((n) => !gone.has(n.id)),
          edges: st.edges.filter((e) => !edgeIds.has(e.id) && !gone.has(e.source) && !gone.has(e.target)),
        }));
        return nodeIds.length + edgeIds.size;
      },

      deleteNodes(ids) {
        const gone = new Set(ids.filter((id) => get().nodes.find((n) => n.id === id)?.type !== 'start'));
        if (gone.size === 0) return;
        change((st) => ({
          nodes: st.nodes.filter((n) => !gone.has(n.id)),
          edges: st.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target)),
        }));
      },

      copySelected() {
        const s = get();
        const ids = selectedNodeIds(s);
        const nodes = s.nodes.filter((n) => ids.has(n.id) && n.type !== 'start').map(fromStepNode);
        if (nodes.length === 0) return 0;
        const kept = new Set(nodes.map((n) => n.id));
        const edges = s.edges.filter((e) => kept.has(e.source) && kept.has(e.target)).map(fromStepEdge);
        set({ clipboard: { nodes, edges, pastes: 0 } });
        return nodes.length;
      },

      paste() {
        const s = get();
        const clip = s.clipboard;
        if (!clip || clip.nodes.length === 0) return 0;
        const taken = new Set(s.nodes.map((n) => n.id));
        const idMap = new Map<string, string>();
        const times = clip.pastes + 1;
        const pasted: StepNode[] = clip.nodes.map((n) => {
          const id = uniqueId(n.type, taken);
          taken.add(id);
          idMap.set(n.id, id);
          return { ...toStepNode({ ...n, id, position: { x: n.position.x + PASTE_OFFSET.x * times, y: n.position.y + PASTE_OFFSET.y * times } }), selected: true };
        });
        const edgeIds = s.edges.map((e) => e.id);
        const pastedEdges: StepEdge[] = clip.edges.map((e) => {
          const id = nextEdgeId(edgeIds);
          edgeIds.push(id);
          return toStepEdge({ ...e, id, source: idMap.get(e.source)!, target: idMap.get(e.target)! });
        });
        change((st) => ({
          nodes: [...st.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...pasted],
          edges: [...st.edges.map((e) => (e.selected ? { ...e, selected: false } : e)), ...pastedEdges],
          clipboard: { ...clip, pastes: clip.pastes + 1 },
        }));
        return pasted.length;
      },

      selectOnly(nodeIds, edgeIds = []) {
        const nodeSet = new Set(nodeIds);
        const edgeSet = new Set(edgeIds);
        set((s) => ({
          nodes: s.nodes.map((n) => (Boolean(n.selected) === nodeSet.has(n.id) ? n : { ...n, selected: nodeSet.has(n.id) })),
          edges: s.edges.map((e) => (Boolean(e.selected) === edgeSet.has(e.id) ? e : { ...e, selected: edgeSet.has(e.id) })),
        }));
      },

      focusOn(nodeIds) {
        set((s) => ({ focus: { ids: [...nodeIds], seq: (s.focus?.seq ?? 0) + 1 } }));
      },

      undo() {
        const s = get();
        const prev = s.past[s.past.length - 1];
        const current = snapshot(s);
        if (!prev || !current) return;
        set({
          ...prev,
          past: s.past.slice(0, -1),
          future: [current, ...s.future].slice(0, historyLimit),
          revision: s.revision + 1,
          save: pendingSave(s.save),
          coalesce: null,
        });
      },

      redo() {
        const s = get();
        const next = s.future[0];
        const current = snapshot(s);
        if (!next || !current) return;
        set({
          ...next,
          past: [...s.past, current].slice(-historyLimit),
          future: s.future.slice(1),
          revision: s.revision + 1,
          save: pendingSave(s.save),
          coalesce: null,
        });
      },

      addConfirmation(toolId) {
        const s = get();
        const flow = s.meta ? graphToFlow(s.meta, s.nodes, s.edges) : null;
        if (!flow) return undefined;
        const fix = confirmationFix(flow.nodes, flow.edges, toolId);
        if (!fix) return undefined;
        change((st) => ({
          nodes: [
            ...st.nodes.map((n) => {
              const to = fix.move[n.id];
              const moved = to ? { ...n, position: to } : n;
              return moved.selected ? { ...moved, selected: false } : moved;
            }),
            ...fix.add.map((n) => ({ ...toStepNode(n), selected: n.id === fix.askId })),
          ],
          edges: [...st.edges.map((e) => (fix.retarget[e.id] ? { ...e, target: fix.retarget[e.id]! } : e)), ...fix.connect.map(toStepEdge)],
        }));
        return fix.askId;
      },

      setProblems(problems, revision) {
        const counts: Record<string, ProblemCount> = {};
        for (const p of problems) {
          if (p.nodeId === undefined) continue;
          const c = (counts[p.nodeId] ??= { errors: 0, warnings: 0 });
          if (p.severity === 'error') c.errors++;
          else c.warnings++;
        }
        // Each card shows its count from its node's data (no subscription per card): only the
        // nodes whose count changed get a new object, so only their cards render again.
        set((s) => ({
          problems,
          problemCounts: counts,
          problemsRevision: revision,
          nodes: s.nodes.map((n) => {
            const c = counts[n.id];
            const errors = c?.errors ?? 0;
            const warnings = c?.warnings ?? 0;
            return (n.data.errors ?? 0) === errors && (n.data.warnings ?? 0) === warnings ? n : { ...n, data: { ...n.data, errors, warnings } };
          }),
        }));
      },

      setSave(save, savedRevision) {
        set(savedRevision !== undefined ? { save, savedRevision } : { save });
      },

      currentFlow() {
        const s = get();
        return s.meta ? graphToFlow(s.meta, s.nodes, s.edges) : null;
      },
    };
  });
}

/** Selected steps, for the inspector. */
export const selectedNodes = (s: EditorData): StepNode[] => s.nodes.filter((n) => n.selected);
export const isDirty = (s: EditorData): boolean => s.revision !== s.savedRevision;
