import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { DEMO_DEFAULTS } from '../../../core/demo/generate.ts';
import type { CanonicalTransaction } from '../../../core/transactions/schema.ts';
import type { Desk } from '../../desk/desk.ts';
import type { EngineClient } from '../../engine/client.ts';
import type { CsvPreview, DashboardFacts, FileInput, FileOutcome, ImportBatchResult, ImportProgress } from '../../engine/protocol.ts';
import type { Workspace } from '../../workspace/workspace.ts';
import { recordOfDoc, recordOfOutcome, type ImportRecord } from './import-records.ts';

/**
 * The open workspace's month as the screens see it: imports with their row accounts, the
 * transactions they brought, and the dashboard's facts. The engine worker computes; the desk
 * database (renderer/desk) keeps imports, transactions and exceptions, so a reload finds them
 * again. Without a desk (it failed to open) the month lives in memory for the session.
 */
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

type Settled = Exclude<FileOutcome, { readonly status: 'needs-profile' }>;

function settled(result: ImportBatchResult): Settled[] {
  return result.files.filter((outcome): outcome is Settled => outcome.status !== 'needs-profile');
}

/** Keeps each imported file on the desk (batches of its transactions and its row account); returns the records to show. */
async function keep(desk: Desk | null, outcomes: readonly Settled[], at: string): Promise<ImportRecord[]> {
  const records: ImportRecord[] = [];
  for (const outcome of outcomes) {
    const key = crypto.randomUUID();
    if (desk !== null && outcome.status === 'imported') {
      const file = { fileName: outcome.name, sha256: outcome.sha256, sizeBytes: outcome.sizeBytes, format: outcome.format };
      await desk.storeImport({ file, rowsRead: outcome.rowsRead, entriesRead: outcome.entriesRead, transactions: [...outcome.transactions], rejected: [...outcome.rejected], duplicates: [...outcome.duplicates], conflicts: [...outcome.conflicts] }, { importId: key, importedAt: at });
    }
    records.push(recordOfOutcome(outcome, at, key));
  }
  return records;
}

const DEMO_MONTH = { seed: DEMO_DEFAULTS.seed, month: DEMO_DEFAULTS.month };

async function analyzed(engine: EngineClient, desk: Desk | null, workspace: Workspace, transactions: readonly CanonicalTransaction[], now: string): Promise<DashboardFacts | null> {
  if (transactions.length === 0) return null;
  const facts = await engine.call('analyze', { transactions: [...transactions], now, demo: workspace.kind === 'demo' ? DEMO_MONTH : null });
  if (desk !== null) await desk.raiseExceptions(facts.exceptions);
  return facts;
}

/**
 * Loads in flight per desk. React's strict mode runs the load effect twice at once: both would
 * find an empty desk and store the demo month twice (under new import ids), so a settlement run
 * over the stored batches counted every row twice. The second effect shares the first's load.
 */
const loadsInFlight = new WeakMap<Desk, { readonly promise: Promise<WorkspaceData>; sink: (progress: ImportProgress) => void }>();

export function WorkspaceDataProvider({ workspace, engine, desk, children }: { readonly workspace: Workspace; readonly engine: EngineClient; readonly desk: Desk | null; readonly children: ReactNode }) {
  const [data, setData] = useState<WorkspaceData>({ ...EMPTY, status: 'loading' });
  const transactions = useRef<readonly CanonicalTransaction[]>([]);
  transactions.current = data.transactions;

  useEffect(() => {
    let live = true;
    const now = new Date().toISOString();
    const onProgress = (progress: ImportProgress) => live && setData((d) => ({ ...d, progress }));
    const load = async (): Promise<WorkspaceData> => {
      const stored = desk === null ? [] : await desk.listImports();
      if (desk !== null && stored.length > 0) {
        const loaded = await desk.loadTransactions('all');
        const imports = stored.map(recordOfDoc).sort((a, b) => b.at.localeCompare(a.at) || a.name.localeCompare(b.name));
        return { ...EMPTY, imports, transactions: loaded, facts: await analyzed(engine, desk, workspace, loaded, now) };
      }
      if (workspace.kind !== 'demo') return EMPTY;
      const demo = await engine.call('demo', { ...DEMO_MONTH, now }, (progress) => sink(progress));
      const imports = await keep(desk, settled(demo.imports), now);
      if (desk !== null) await desk.raiseExceptions(demo.facts.exceptions);
      const all = settled(demo.imports).flatMap((outcome) => (outcome.status === 'imported' ? [...outcome.transactions] : []));
      return { ...EMPTY, imports, transactions: all, facts: demo.facts };
    };
    let sink = onProgress;
    const shared = desk === null ? undefined : loadsInFlight.get(desk);
    if (shared !== undefined) shared.sink = onProgress;
    const entry = shared ?? { promise: load(), sink: onProgress };
    sink = (progress) => entry.sink(progress);
    if (desk !== null && shared === undefined) {
      loadsInFlight.set(desk, entry);
      void entry.promise.catch(() => undefined).finally(() => loadsInFlight.delete(desk));
    }
    entry.promise
      .then((next) => live && setData(next))
      .catch((error: Error) => live && setData({ ...EMPTY, status: 'failed', error: error.message }));
    return () => {
      live = false;
    };
  }, [workspace, engine, desk]);

  const importFiles = useCallback(
    async (files: readonly FileInput[], profiles: Readonly<Record<string, unknown>> = {}) => {
      const known = transactions.current.map((tx) => ({ id: tx.id, line: tx.source.line, sourceId: tx.source.sourceId, amount: tx.amount, currency: tx.currency, bookingDate: tx.bookingDate, valueDate: tx.valueDate }));
      const result = await engine.call('import', { files: [...files], profiles: { ...profiles }, known }, (progress) => setData((d) => ({ ...d, progress })));
      const at = new Date().toISOString();
      const outcomes = settled(result);
      const records = await keep(desk, outcomes, at);
      const all = [...transactions.current, ...outcomes.flatMap((outcome) => (outcome.status === 'imported' ? [...outcome.transactions] : []))];
      setData((d) => ({ ...d, imports: [...records, ...d.imports], transactions: all, progress: null }));
      void analyzed(engine, desk, workspace, all, at).then((facts) => setData((d) => ({ ...d, facts })));
      return result;
    },
    [engine, desk, workspace],
  );

  const previewCsv = useCallback((file: FileInput, profile: unknown) => engine.call('csv-preview', { file, profile, rowsMax: 8 }), [engine]);

  const value = useMemo(() => ({ ...data, importFiles, previewCsv }), [data, importFiles, previewCsv]);
  return <DataContext.Provider value={value}>{children}</DataContext.Provider>;
}
