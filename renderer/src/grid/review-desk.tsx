import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useDesk } from '../app/desk-context.tsx';
import { useWorkspaceData } from '../app/workspace-data.tsx';
import type { ReviewDesk } from './review-port.ts';
import { exceptionsOfMonth, reviewMonthOf, type ReviewMonth } from './review-month.ts';

/**
 * How the review screens reach the desk database and the month: the shell's desk (one per
 * workspace, opened by the shell), the workspace's transactions (the shell reads them back from
 * the desk's batches, or keeps what was just imported), and the reconciliation over them.
 * Exceptions the month raises are put on the desk once (their ids are deterministic).
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

/** Wraps each review screen: the shell's desk and the month derived from the workspace's transactions. */
export function ReviewProvider({ children }: { readonly children: ReactNode }) {
  const { desk, deskError } = useDesk();
  const data = useWorkspaceData();
  const [error, setError] = useState<string | null>(null);
  // The shell's workspace data holds the month: read back from the desk's batches, or just imported.
  const transactions = data.status === 'ready' ? data.transactions : null;
  const month = useMemo(() => (transactions === null ? null : reviewMonthOf(transactions)), [transactions]);

  useEffect(() => {
    if (desk === null || month === null) return;
    const raised = exceptionsOfMonth(month, new Date().toISOString());
    if (raised.length > 0) void desk.raiseExceptions(raised).catch((failure: Error) => setError(failure.message));
  }, [desk, month]);

  const session = useMemo<ReviewSession>(
    () => ({ desk, error: error ?? deskError ?? data.error, month, monthStatus: data.status === 'failed' ? 'failed' : month === null ? 'loading' : 'ready' }),
    [desk, error, deskError, data.error, data.status, month],
  );
  return <ReviewContext.Provider value={session}>{children}</ReviewContext.Provider>;
}
