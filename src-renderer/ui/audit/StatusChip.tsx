// A tool call's status: its word, in its colour (the word alone must be enough).
import type { ToolCallStatus } from '../../../src-main/shared/conversation';
import { useTranslation } from 'react-i18next';
import { statusLook } from './audit-view';

export function StatusChip({ status }: { status: ToolCallStatus }) {
  useTranslation('audit'); // re-render when the language changes
  const look = statusLook(status);
  return (
    <span className={`chip chip-${look.tone} audit-status audit-status-${status}`} title={look.meaning} data-testid="audit-status">
      <span className="audit-status-dot" aria-hidden="true" />
      {look.label}
    </span>
  );
}
