// The simulator's "Save as test case": the conversation held in the simulator (its messages,
// events, end state and how it was started) handed to SaveTestCaseButton.
import { useSimulatorRecording } from '../simulator/SimulatorProvider';
import { SaveTestCaseButton } from './SaveTestCaseButton';

export function SaveAsTestCase({ onSaved }: { onSaved?: () => void }) {
  const recording = useSimulatorRecording();
  if (!recording) return null;
  return (
    <SaveTestCaseButton
      flowId={recording.flowId}
      messages={recording.customerMessages}
      events={recording.events}
      final={{ status: recording.status, vars: recording.vars }}
      start={{
        ...(recording.startAt !== undefined ? { startAt: recording.startAt } : {}),
        ...(recording.presetVars !== undefined ? { vars: recording.presetVars } : {}),
        ...(recording.dryRun ? { dryRun: true } : {}),
      }}
      {...(onSaved ? { onSaved } : {})}
    />
  );
}
