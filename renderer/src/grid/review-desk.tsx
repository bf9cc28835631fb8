import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { CanonicalTransaction } from '../../../core/transactions/schema.ts';
import { openDesk, type Desk } from '../../desk/desk.ts';
import { useDesk } from '../app/desk-context.tsx';
import { useWorkspaceData } from '../app/workspace-data.tsx';
import type { ReviewDesk } from './review-port.ts';
import { exceptionsOfMonth, reviewMonthOf, type ReviewMonth } from './review-month.ts';

/**
 * How the review screens reach the desk database and the month: one desk per workspace and user
 * (opened once per page, kept across screen changes), the workspace's transactions (the desk's
 * stored batches, or the shell's in-memory import while those are not stored yet), and the
 * reconciliation over them. Exceptions the month raises are put on the desk once (idempotent).
 */
export const REVIEW_USER_KEY = 'settledesk.user';
const DEFAULT_USER = 'analyst';

/** Who this desk acts as: the signed-in user saved by the shell, else the local analyst. */
export function reviewUserOf(store: Pick<Storage, 'getItem'>): string {
  const saved = store.getItem(REVIEW_USER_KEY)?.trim() ?? '';
  return /^[A-Za-z0-9._@-]{1,100}$/.test(saved) ? saved : DEFAULT_USER;
}

const opened = new Map<string, Promise<Desk>>();

function deskOf(workspaceId: string, userId: string): Promise<Desk> {
  const name = `settledesk-${workspaceId}-${userId}`.toLowerCase().replace(/[^a-z0-9_-]/g, '-').slice(0, 100);
  let desk = opened.get(name);
  if (desk === undefined) {
    desk = openDesk({ name, userId });
    opened.set(name, desk);
  }
  return desk;
}

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

/** Wraps each review screen: opens (or reuses) the desk and derives the month. */
export function ReviewProvider({ children }: { readonly children: ReactNode }) {
  const { workspace } = useDesk();
  const data = useWorkspaceData();
  const [desk, setDesk] = useState<Desk | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [stored, setStored] = useState<readonly CanonicalTransaction[] | null>(null);

  useEffect(() => {
    let live = true;
    deskOf(workspace.id, reviewUserOf(localStorage))
      .then(async (opened) => {
        if (!live) return;
        setDesk(opened);
        const transactions = await opened.loadTransactions('all');
        if (live) setStored(transactions);
      })
      .catch((failure: Error) => live && setError(failure.message));
    return () => {
      live = false;
    };
  }, [workspace.id]);

  const transactions = stored !== null && stored.length > 0 ? stored : data.status === 'ready' ? data.transactions : null;
  const month = useMemo(() => (transactions === null ? null : reviewMonthOf(transactions)), [transactions]);

  useEffect(() => {
    if (desk === null || month === null) return;
    const raised = exceptionsOfMonth(month, new Date().toISOString());
    if (raised.length > 0) void desk.raiseExceptions(raised).catch((failure: Error) => setError(failure.message));
  }, [desk, month]);

  const session = useMemo<ReviewSession>(
    () => ({ desk, error: error ?? data.error, month, monthStatus: data.status === 'failed' ? 'failed' : month === null ? 'loading' : 'ready' }),
    [desk, error, data.error, data.status, month],
  );
  return <ReviewContext.Provider value={session}>{children}</ReviewContext.Provider>;
}
