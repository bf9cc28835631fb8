import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { CanonicalTransaction } from '../../../core/transactions/schema.ts';
import type { Statement, StatementLine } from '../../../core/settlement/statement.ts';
import type { ReviewFacts, RowsBehind } from '../../engine/review.ts';
import type { PreviewRequest } from '../screens/partners/partners-worker-protocol.ts';
import type { Preview } from '../screens/partners/preview.ts';
import { useDesk } from '../app/desk-context.tsx';
import { useWorkspaceData, type WorkspaceActions } from '../app/workspace-data.tsx';
import type { ReviewDesk } from './review-port.ts';
import { useHandMatched, type HandMatchedSet } from '../screens/reconciliation/hand-matched.ts';

/**
 * The month as the review screens see it: its PSP <-> bank reconciliation and the facts they show,
 * computed in the engine worker (with the dashboard's analysis, one computation), and the rows
 * they show asked of the worker (by id, behind a statement line) or settled there (the agreement preview). The month itself stays in the worker.
 */
export interface ReviewMonth extends ReviewFacts {
  rowsById(ids: readonly string[]): Promise<CanonicalTransaction[]>;
  agreementPreview(request: PreviewRequest): Promise<Preview>;
  rowsBehind(statement: Statement, line: StatementLine, max: number): Promise<RowsBehind>;
  /** Paged questions about the month (a grouped exception's rows, ...). */
  askReview: WorkspaceActions['askReview'];
  /** The ids the desk says were matched by hand, as the worker has them (it leaves them out of the unmatched items and a group's rows); a new version after each change. */
  readonly handMatched: HandMatchedSet;
}

/**
 * How the review screens reach the desk database and the month: the shell's desk (one per
 * workspace, opened by the shell) and the month's review from the engine worker, asked again each
 * time the workspace's rows change. The exceptions reconciliation raises are put on the desk by the
 * workspace's analysis (workspace-data.tsx), not here.
 */
export interface ReviewSession {
  readonly desk: ReviewDesk | null;
  readonly error: string | null;
  readonly month: ReviewMonth | null;
  readonly monthStatus: 'loading' | 'ready' | 'failed';
}

const ReviewContext = createContext<ReviewSession | null>(null);

export function useReview(): ReviewSession {
  const session = useContext(ReviewContext);
  if (session === null) throw new Error('useReview() outside <ReviewProvider>');
  return session;
}

/** Wraps each review screen: the shell's desk and the month's review from the engine worker. */
export function ReviewProvider({ children }: { readonly children: ReactNode }) {
  const { desk, deskError } = useDesk();
  const data = useWorkspaceData();
  const { status, rowsVersion, reviewFacts, rowsById, rowsBehind, agreementPreview, askReview } = data;
  const [error, setError] = useState<string | null>(null);
  const [facts, setFacts] = useState<ReviewFacts | null>(null);
  // The desk's one hand-matched set, told to the worker before the screens ask (useHandMatched: once for every screen).
  const { set: handMatched, error: handMatchedError } = useHandMatched(desk);

  useEffect(() => {
    if (status !== 'ready') return undefined;
    let live = true;
    void reviewFacts().then(
      (next) => live && setFacts(next),
      (failure: Error) => live && setError(failure.message),
    );
    return () => {
      live = false;
    };
  }, [status, rowsVersion, reviewFacts]);

  const month = useMemo<ReviewMonth | null>(
    () => (facts === null || handMatched === null ? null : { ...facts, rowsById, rowsBehind, agreementPreview, askReview, handMatched }),
    [facts, rowsById, rowsBehind, agreementPreview, askReview, handMatched],
  );
  const session = useMemo<ReviewSession>(
    () => ({ desk, error: error ?? handMatchedError ?? deskError ?? data.error, month, monthStatus: status === 'failed' ? 'failed' : month === null ? 'loading' : 'ready' }),
    [desk, error, handMatchedError, deskError, data.error, status, month],
  );
  return <ReviewContext.Provider value={session}>{children}</ReviewContext.Provider>;
}
