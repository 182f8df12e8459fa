// What the owner in the loop adds to a conversation on the WhatsApp screen: "Waiting for you"
// (listed first by the studio) and, for a chat the owner's phone took over, when the bot answers again.
import { useTranslation } from 'react-i18next';
import type { WaConversation } from '../../../src-main/shared/api/whatsapp';
import { shortDateTime } from '../time';

export function WaitingMark({ conversation }: { conversation: WaConversation }) {
  const { t } = useTranslation('waowner');
  if (conversation.waitingSince === undefined) return null;
  return (
    <span className="chip chip-error" data-testid="wa-waiting" title={t('marks.waitingSince', { time: shortDateTime(conversation.waitingSince) })}>
      {t('marks.waiting')}
    </span>
  );
}

export function TakeoverUntil({ conversation }: { conversation: WaConversation }) {
  const { t } = useTranslation('waowner');
  if (!conversation.takenOver || conversation.takenOverUntil === undefined) return null;
  return (
    <p className="small muted" data-testid="wa-takeover-until">
      {t('marks.backAt', { time: shortDateTime(conversation.takenOverUntil) })}
    </p>
  );
}
