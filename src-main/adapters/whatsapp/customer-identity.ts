// Who a WhatsApp customer is, under Baileys 7's two addresses for one person. Pure.
//
// WhatsApp now addresses many chats by LID (`<opaque>@lid`) instead of the phone-number JID
// (PN, `<digits>@s.whatsapp.net`). One person can write from either form; a message key
// carries the other form when WhatsApp sends it (remoteJidAlt in a personal chat,
// participantAlt in a group), and `lid-mapping.update` events pair them too.
//
// The customer's stable key is the LID when it is known, else the PN. The phone number is kept
// beside it (to show the owner a number rather than an opaque LID). Replies go to the key: WhatsApp
// accepts both forms, and a LID-migrated contact may refuse a PN-addressed send.
import { isHostedLidUser, isHostedPnUser, isLidUser, isPnUser, jidDecode, jidNormalizedUser } from 'baileys';

/** One person's two addresses (each without a device part). */
export interface LidPair {
  lid: string;
  pn: string;
}

export const isLid = (jid: string | undefined): boolean => Boolean(jid && (isLidUser(jid) || isHostedLidUser(jid)));
export const isPn = (jid: string | undefined): boolean => Boolean(jid && (isPnUser(jid) || isHostedPnUser(jid)));

/** A person's address without the device part (`316…:12@s.whatsapp.net` -> `316…@s.whatsapp.net`); '' when it is no JID. */
export const personOf = (jid: string | null | undefined): string => (jid ? jidNormalizedUser(jid) : '');

/** The LID/PN pair two addresses of one person make, when one is a LID and the other a PN. */
export function pairOf(a: string | null | undefined, b: string | null | undefined): LidPair | undefined {
  const x = personOf(a);
  const y = personOf(b);
  if (isLid(x) && isPn(y)) return { lid: x, pn: y };
  if (isPn(x) && isLid(y)) return { lid: y, pn: x };
  return undefined;
}

/** The digits of a phone-number JID (what the owner knows the customer by); undefined for a LID or a group. */
export function phoneOf(jid: string | undefined): string | undefined {
  if (!isPn(jid)) return undefined;
  const user = jidDecode(jid)?.user;
  return user && /^\d+$/.test(user) ? user : undefined;
}
