// The simulator of one open flow: its state (sim-store), the `sim.*` calls, and the `sim.event`
// stream sorted into the current conversation's recording. Mounted by the editor around the
// canvas and the panel, so the canvas can highlight the active step and anything inside (e.g. a
// "Save as test case" button) can read the recording with useSimulatorRecording().
import { createContext, useContext, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ApiEventPayload } from '../../../src-main/shared/api-contract';
import type { StepNode } from '../../editor/flow-conversion';
import { useApi } from '../../api/api-context';
import { ApiCallError, userMessage } from '../../api/client';
import { useEditorStore, useSession } from '../../editor/editor-context';
import { i18n } from '../../i18n';
import type { SimulatorRecording } from './sim-recording';
import { createSimulatorStore, type SimulatorState, type SimulatorStore } from './sim-store';

type SimPayload = ApiEventPayload<'sim.event'>;

/** Where a conversation begins: the start step, or a chosen step with preset variables. */
export interface StartChoice {
  startAt?: string;
  vars?: Record<string, unknown>;
}

export interface SimulatorControls {
  /** Opens the panel and starts a conversation (closing it stops the conversation). */
  toggle(open?: boolean): void;
  /** A fresh conversation: from the start step unless a step is chosen. Saves pending edits first. */
  start(choice?: StartChoice): Promise<void>;
  /** The same options again, on the flow as saved now. */
  restart(): Promise<void>;
  send(text: string): Promise<void>;
  /** Switches dry run and starts afresh in the new mode (when a conversation runs). */
  setDryRun(on: boolean): Promise<void>;
  /** The start choice of the current (or last refused) conversation. */
  choice(): StartChoice;
}

interface SimulatorContextValue {
  store: SimulatorStore;
  controls: SimulatorControls;
}

const SimulatorContext = createContext<SimulatorContextValue | null>(null);
/** A closed simulator, for components rendered outside a provider (nothing is highlighted). */
const CLOSED = createSimulatorStore();

export function SimulatorProvider({ flowId, children }: { flowId: string; children: ReactNode }) {
  const api = useApi();
  const session = useSession();
  const editorStore = useEditorStore();
  const store = useMemo(() => createSimulatorStore(), []);
  /** Events that came before the start call's answer (its session id is not known yet). */
  const pending = useRef<SimPayload[] | null>(null);
  const attempt = useRef(0);
  const choice = useRef<StartChoice>({});

  const controls = useMemo<SimulatorControls>(() => {
    const matches = (recording: SimulatorRecording | null, p: SimPayload) =>
      recording !== null && p.sessionId === recording.sessionId && (p.event.conversationId === undefined || p.event.conversationId === recording.conversationId);

    const adoptPending = () => {
      const recording = store.getState().recording;
      for (const p of pending.current ?? []) if (matches(recording, p)) store.getState().event(p.event);
      pending.current = null;
    };

    /** The simulator runs the flow as saved: save what is pending first, or say why it cannot be. */
    const ensureSaved = async () => {
      for (let i = 0; i < 3; i++) {
        await session.saveNow();
        const save = editorStore.getState().save;
        if (save.kind === 'saved') return;
        if (save.kind === 'blocked' || save.kind === 'failed' || save.kind === 'conflict') {
          throw new Error(`Your latest changes are not saved (${save.reason}), and the simulator runs the flow as saved. Fix that first, then start again.`);
        }
      }
    };

    const stopCurrent = () => {
      const recording = store.getState().recording;
      if (recording) void api.call('sim.stop', { sessionId: recording.sessionId }).catch(() => undefined);
    };

    const start = async (next: StartChoice = {}) => {
      const mine = ++attempt.current;
      choice.current = next;
      stopCurrent();
      store.getState().starting();
      pending.current = [];
      try {
        await ensureSaved();
        const dryRun = store.getState().dryRun;
        const out = await api.call('sim.start', {
          flowId,
          ...(next.startAt !== undefined ? { startAt: next.startAt } : {}),
          ...(next.vars !== undefined ? { vars: next.vars } : {}),
          ...(dryRun ? { dryRun: true } : {}),
        });
        if (mine !== attempt.current) {
          void api.call('sim.stop', { sessionId: out.sessionId }).catch(() => undefined);
          return;
        }
        store.getState().started({
          flowId,
          ...out,
          ...(next.startAt !== undefined ? { startAt: next.startAt } : {}),
          ...(next.vars !== undefined ? { presetVars: next.vars } : {}),
          dryRun,
        });
        adoptPending();
      } catch (error) {
        if (mine === attempt.current) {
          pending.current = null;
          store.getState().refused(userMessage(error));
        }
      }
    };

    const restart = async () => {
      const recording = store.getState().recording;
      if (!recording) return start(choice.current);
      const mine = ++attempt.current;
      store.getState().starting();
      pending.current = [];
      try {
        await ensureSaved();
        const out = await api.call('sim.restart', { sessionId: recording.sessionId });
        if (mine !== attempt.current) return;
        const { flowId: id, sessionId, startAt, presetVars, dryRun } = recording;
        store.getState().started({
          flowId: id,
          sessionId,
          conversationId: out.conversationId,
          ...(startAt !== undefined ? { startAt } : {}),
          ...(presetVars !== undefined ? { presetVars } : {}),
          dryRun,
        });
        adoptPending();
      } catch (error) {
        if (mine !== attempt.current) return;
        pending.current = null;
        // The app restarted (or the session was dropped): begin a new one with the same choice.
        if (error instanceof ApiCallError && error.code === 'NOT_FOUND') return start(choice.current);
        store.getState().refused(userMessage(error));
      }
    };

    return {
      toggle(open) {
        const s = store.getState();
        const next = open ?? !s.open;
        if (next === s.open) return;
        s.setOpen(next);
        if (next && s.phase === 'idle') void start(choice.current);
        if (!next) {
          attempt.current++;
          stopCurrent();
          store.getState().stopped();
        }
      },
      start,
      restart,
      async send(text) {
        const recording = store.getState().recording;
        if (!recording || recording.finished || store.getState().phase !== 'ready') return;
        store.getState().customerSent(text);
        try {
          await api.call('sim.send', { sessionId: recording.sessionId, text });
        } catch (error) {
          store.getState().setNotice(i18n.t('chat.notDelivered', { ns: 'simulator', why: userMessage(error) }));
        }
      },
      async setDryRun(on) {
        const s = store.getState();
        if (s.dryRun === on) return;
        s.setDryRun(on);
        if (s.open && s.phase !== 'idle') await start(choice.current);
      },
      choice: () => choice.current,
    };
  }, [api, session, editorStore, store, flowId]);

  useEffect(
    () =>
      api.on('sim.event', (p) => {
        const recording = store.getState().recording;
        if (recording && p.sessionId === recording.sessionId && (p.event.conversationId === undefined || p.event.conversationId === recording.conversationId)) {
          store.getState().event(p.event);
        } else if (pending.current && pending.current.length < 5000) {
          pending.current.push(p);
        }
      }),
    [api, store],
  );

  // Leaving the editor ends the conversation.
  useEffect(
    () => () => {
      const recording = store.getState().recording;
      if (recording) void api.call('sim.stop', { sessionId: recording.sessionId }).catch(() => undefined);
    },
    [api, store],
  );

  const value = useMemo(() => ({ store, controls }), [store, controls]);
  return <SimulatorContext.Provider value={value}>{children}</SimulatorContext.Provider>;
}

function useSimulatorContext(): SimulatorContextValue {
  const value = useContext(SimulatorContext);
  if (!value) throw new Error('the simulator is used outside <SimulatorProvider>');
  return value;
}

export function useSimulator<T>(selector: (state: SimulatorState) => T): T {
  return useStore(useSimulatorContext().store, selector);
}

export const useSimulatorControls = (): SimulatorControls => useSimulatorContext().controls;

/**
 * The current simulated conversation (null when none runs): flowId, customerMessages, every
 * RunEvent, status and vars. For a "Save as test case" button mounted inside the editor.
 */
export function useSimulatorRecording(): SimulatorRecording | null {
  return useSimulator((s) => s.recording);
}

/** The nodes with the simulator's active step marked (class `sim-active`) while the panel is open. */
export function useSimHighlight(nodes: StepNode[]): StepNode[] {
  const store = useContext(SimulatorContext)?.store ?? CLOSED;
  const active = useStore(store, (s) => (s.open && s.recording ? s.recording.activeNodeId : null));
  const busy = useStore(store, (s) => s.open && (s.recording?.awaiting === 'tool' || s.recording?.awaiting === 'llm'));
  return useMemo(() => {
    if (active === null) return nodes;
    const mark = busy ? 'sim-active sim-busy' : 'sim-active';
    return nodes.map((n) => (n.id === active ? { ...n, className: n.className ? `${n.className} ${mark}` : mark } : n));
  }, [nodes, active, busy]);
}
