// The outcome of "Verify": the chain is intact (with the count), or exactly which record breaks it and why.
import type { ApiOutput } from '../../../src-main/shared/api-contract';
import { Icon } from '../icons';
import { keyedWords } from './audit-view';

export type Verification = ApiOutput<'audit.verify'>;

interface Props {
  result: Verification;
  /** Opens the bad record's details (when it still exists). */
  onShow(seq: number): void;
  onDismiss(): void;
}

export function VerifyResult({ result, onShow, onDismiss }: Props) {
  if (result.ok) {
    return (
      <div className="callout audit-verify audit-verify-ok" role="status" data-testid="verify-result" data-ok="true">
        <Icon name="check" />
        <div>
          <strong>Intact ({plural(result.count, 'record')})</strong>
          <p className="small">Every record is exactly as it was written: none was changed, removed or inserted.</p>
          {result.count > 0 && (
            <p className="small" data-testid="verify-keyed">
              {keyedWords(result)}
            </p>
          )}
        </div>
        <button type="button" className="btn-icon" onClick={onDismiss} aria-label="Dismiss">
          <Icon name="close" />
        </button>
      </div>
    );
  }
  return (
    <div className="callout callout-error audit-verify" role="alert" data-testid="verify-result" data-ok="false" data-seq={result.seq}>
      <Icon name="alert" />
      <div>
        <strong>Broken at record {result.seq}</strong>
        <p className="small" data-testid="verify-reason">
          {result.reason}
        </p>
        <p className="small">
          The log was changed outside Flowbot. {checkedOut(result.seq)}The check stops at the first bad
          record, so the ones after it were not checked. Keep a copy of the data folder as it is before changing anything.
        </p>
      </div>
      <button type="button" className="btn btn-small" onClick={() => onShow(result.seq)} data-testid="verify-show">
        Show record {result.seq}
      </button>
      <button type="button" className="btn-icon" onClick={onDismiss} aria-label="Dismiss">
        <Icon name="close" />
      </button>
    </div>
  );
}

/** What verify vouches for: the records before the first bad one. */
function checkedOut(badSeq: number): string {
  if (badSeq <= 1) return '';
  return badSeq === 2 ? 'Record 1 checks out. ' : `Records 1 to ${badSeq - 1} check out. `;
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
