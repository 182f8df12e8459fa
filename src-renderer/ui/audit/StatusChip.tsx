// A tool call's status: its word, in its colour (the word alone must be enough).
import type { ToolCallStatus } from '../../../src-main/shared/conversation';
import { STATUS_LOOK } from './audit-view';

export function StatusChip({ status }: { status: ToolCallStatus }) {
  const look = STATUS_LOOK[status];
  return (
    <span className={`chip chip-${look.tone} audit-status audit-status-${status}`} title={look.meaning} data-testid="audit-status">
      <span className="audit-status-dot" aria-hidden="true" />
      {look.label}
    </span>
  );
}
