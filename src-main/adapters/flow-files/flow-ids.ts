// Flow ids are file names (`<id>.flow.json`): derived from the flow's name, lowercase letters,
// digits and dashes, and made unique within the flows folder by a numeric suffix.
import { slugFromName } from '../../core/slug';

export const FLOW_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
export const MAX_FLOW_ID_LENGTH = 60;

export const isFlowId = (value: string): boolean => FLOW_ID_PATTERN.test(value) && value.length <= 200;

/** "Order help: Größe & Preis" -> "order-help-grosse-preis"; "" or "订单" -> "flow". */
export const flowIdFromName = (name: string): string => slugFromName(name, { maxLength: MAX_FLOW_ID_LENGTH, fallback: 'flow' });

/** base, base-2, base-3, ... (each at most MAX_FLOW_ID_LENGTH characters). */
export function* idCandidates(base: string): Generator<string> {
  yield base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    yield `${base.slice(0, MAX_FLOW_ID_LENGTH - suffix.length).replace(/-+$/, '')}${suffix}`;
  }
}
