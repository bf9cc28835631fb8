import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { CanonicalTransaction } from '../../../core/transactions/schema.ts';
import { DEMO_DEFAULTS } from '../../../core/demo/generate.ts';
import type { EngineClient } from '../../engine/client.ts';
import type { CsvPreview, DashboardFacts, FileInput, FileOutcome, ImportBatchResult, ImportProgress } from '../../engine/protocol.ts';
import type { Workspace } from '../../workspace/workspace.ts';

/**
 * The open workspace's month as the screens see it: imports with their row accounts, the
 * transactions they brought, and the dashboard's facts, all produced by the engine worker.
 * Kept in memory for this session: the desk database (renderer/desk) is where it will persist.
 */
export interface ImportRecord {
  readonly outcome: Exclude<FileOutcome, { readonly status: 'needs-profile' }>;
  readonly at: string;
}

export interface WorkspaceData {
  readonly status: 'loading' | 'ready' | 'failed';
  readonly error: string | null;
  readonly imports: readonly ImportRecord[];
  readonly transactions: readonly CanonicalTransaction[];
  readonly facts: DashboardFacts | null;
  /** The import running now, if any. */
  readonly progress: ImportProgress | null;
}

export interface WorkspaceActions {
  /** Imports files; CSVs without a profile come back as 'needs-profile' for the wizard. */
  importFiles(files: readonly FileInput[], profiles?: Readonly<Record<string, unknown>>): Promise<ImportBatchResult>;
  previewCsv(file: FileInput, profile: unknown): Promise<CsvPreview>;
}

const EMPTY: WorkspaceData = { status: 'ready', error: null, imports: [], transactions: [], facts: null, progress: null };

const DataContext = createContext<(WorkspaceData & WorkspaceActions) | null>(null);

export function useWorkspaceData(): WorkspaceData & WorkspaceActions {
  const value = useContext(DataContext);
  if (value === null) throw new Error('useWorkspaceData() outside <WorkspaceDataProvider>');
  return value;
}

function recordsOf(result: ImportBatchResult, at: string): ImportRecord[] {
  return result.files.flatMap((outcome) => (outcome.status === 'needs-profile' ? [] : [{ outcome, at }]));
}

function transactionsOf(result: ImportBatchResult): CanonicalTransaction[] {
  return result.files.flatMap((outcome) => (outcome.status === 'imported' ? [...outcome.transactions] : []));
}

export function WorkspaceDataProvider({ workspace, engine, children }: { readonly workspace: Workspace; readonly engine: EngineClient; readonly children: ReactNode }) {
  const [data, setData] = useState<WorkspaceData>(() => (workspace.kind === 'demo' ? { ...EMPTY, status: 'loading' } : EMPTY));
  const transactions = useRef<readonly CanonicalTransaction[]>([]);
  transactions.current = data.transactions;

  useEffect(() => {
    if (workspace.kind !== 'demo') return;
    let live = true;
    const now = new Date().toISOString();
    engine
      .call('demo', { seed: DEMO_DEFAULTS.seed, month: DEMO_DEFAULTS.month, now }, (progress) => live && setData((d) => ({ ...d, progress })))
      .then((demo) => live && setData({ status: 'ready', error: null, imports: recordsOf(demo.imports, now), transactions: transactionsOf(demo.imports), facts: demo.facts, progress: null }))
      .catch((error: Error) => live && setData({ ...EMPTY, status: 'failed', error: error.message }));
    return () => {
      live = false;
    };
  }, [workspace.id, workspace.kind, engine]);

  const importFiles = useCallback(
    async (files: readonly FileInput[], profiles: Readonly<Record<string, unknown>> = {}) => {
      const known = transactions.current.map((tx) => ({ id: tx.id, line: tx.source.line, sourceId: tx.source.sourceId, amount: tx.amount, currency: tx.currency, bookingDate: tx.bookingDate, valueDate: tx.valueDate }));
      const result = await engine.call('import', { files: [...files], profiles: { ...profiles }, known }, (progress) => setData((d) => ({ ...d, progress })));
      const at = new Date().toISOString();
      const all = [...transactions.current, ...transactionsOf(result)];
      setData((d) => ({ ...d, imports: [...recordsOf(result, at), ...d.imports], transactions: all, progress: null }));
      if (all.length > 0) void engine.call('analyze', { transactions: all, now: at }).then((facts) => setData((d) => ({ ...d, facts })));
      return result;
    },
    [engine],
  );

  const previewCsv = useCallback((file: FileInput, profile: unknown) => engine.call('csv-preview', { file, profile, rowsMax: 8 }), [engine]);

  const value = useMemo(() => ({ ...data, importFiles, previewCsv }), [data, importFiles, previewCsv]);
  return <DataContext.Provider value={value}>{children}</DataContext.Provider>;
}
