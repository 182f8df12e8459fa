// The simulator panel's state for one open flow: whether it is open, the dry-run switch, and the
// recording of the current conversation. Only state transitions here; the API calls are in
// SimulatorProvider.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RunEvent } from '../../../src-main/shared/run-event';
import { newRecording, withCustomerMessage, withEvent, type RecordingStart, type SimulatorRecording } from './sim-recording';

export interface SimulatorState {
  open: boolean;
  /** Off by default; a change starts a fresh conversation in the new mode. */
  dryRun: boolean;
  /** idle: nothing started; starting: a start/restart is on its way; ready: a conversation runs; refused: see `problem`. */
  phase: 'idle' | 'starting' | 'ready' | 'refused';
  /** Why the last start was refused (the app's message, which lists every problem). */
  problem: string | null;
  /** A message that did not reach the app (the conversation goes on). */
  notice: string | null;
  recording: SimulatorRecording | null;

  setOpen(open: boolean): void;
  setDryRun(dryRun: boolean): void;
  starting(): void;
  started(start: RecordingStart): void;
  refused(problem: string): void;
  /** An event of the current conversation (the provider filters by session and conversation). */
  event(event: RunEvent): void;
  customerSent(text: string): void;
  setNotice(notice: string | null): void;
  stopped(): void;
}

export type SimulatorStore = StoreApi<SimulatorState>;

export function createSimulatorStore(): SimulatorStore {
  return createStore<SimulatorState>()((set) => ({
    open: false,
    dryRun: false,
    phase: 'idle',
    problem: null,
    notice: null,
    recording: null,
    setOpen: (open) => set({ open }),
    setDryRun: (dryRun) => set({ dryRun }),
    starting: () => set({ phase: 'starting', problem: null, notice: null }),
    started: (start) => set({ phase: 'ready', recording: newRecording(start), problem: null, notice: null }),
    refused: (problem) => set({ phase: 'refused', problem, recording: null }),
    event: (event) => set((s) => (s.recording ? { recording: withEvent(s.recording, event) } : {})),
    customerSent: (text) => set((s) => (s.recording ? { recording: withCustomerMessage(s.recording, text), notice: null } : {})),
    setNotice: (notice) => set({ notice }),
    stopped: () => set({ phase: 'idle', recording: null, problem: null, notice: null }),
  }));
}
