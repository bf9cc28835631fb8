import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { assert } from '../../../core/assert.ts';
import { DEMO_DEFAULTS } from '../../../core/demo/generate.ts';
import type { ImportDoc } from '../../../core/sync/documents.ts';
import type { CanonicalTransaction } from '../../../core/transactions/schema.ts';
import type { Desk } from '../../desk/desk.ts';
import type { StoredBatch } from '../../desk/transactions.ts';
import type { EngineClient } from '../../engine/client.ts';
import type { CsvPreview, DashboardFacts, EngineInput, EngineResult, FileInput, FileOutcome, ImportBatchResult, ImportProgress, ReviewQueryKind } from '../../engine/protocol.ts';
import type { ReviewFacts, RowsBehind } from '../../engine/review.ts';
import type { PreviewRequest } from '../screens/partners/partners-worker-protocol.ts';
import type { Preview } from '../screens/partners/preview.ts';
import type { Statement, StatementLine } from '../../../core/settlement/statement.ts';
import type { RowPage, RowQuery } from '../../engine/row-store.ts';
import type { Workspace } from '../../workspace/workspace.ts';
import { recordOfDoc, recordOfOutcome, type ImportRecord } from './import-records.ts';

/**
 * The open workspace's month as the screens see it: imports with their row accounts and the
 * dashboard's facts (the rows stay in the engine worker). The engine worker computes; the desk
 * database (renderer/desk) keeps imports, transactions and exceptions, so a reload finds them
 * again. Without a desk (it failed to open) the month lives in memory for the session.
 *
 * Imports another desk made reach this one by replication (imports and their batches, each
 * collection pulled on its own): they are added once all their batches are here, a while after
 * the last one arrived, and never stored again. Each import is counted once: by the id it has on
 * the desk, claimed before it is stored (an import made here) or when its rows are added.
 *
 * The engine worker keeps the same rows in its row store (renderer/engine/row-store.ts): imports
 * and the demo month put them there and pack them into the desk's batches in the worker (the
 * main thread stores those texts, a batch per write); batches read back from the desk or
 * replicated are handed to it as their stored text and decoded there. The Transactions grid reads
 * rows from there a block at a time (queryRows), `rowsVersion` says when they changed, and the
 * dashboard's analysis runs there over the same batches. The review screens ask the worker for the
 * month's reconciliation and the rows they show (reviewFacts, rowsById, rowsOfPartner): the month
 * is not held on the main thread.
 */
export interface WorkspaceData {
  readonly status: 'loading' | 'ready' | 'failed';
  readonly error: string | null;
  readonly imports: readonly ImportRecord[];
  readonly facts: DashboardFacts | null;
  /** The import running now, if any. */
  readonly progress: ImportProgress | null;
  /** Bumped each time the engine's row store changes (rows loaded, imported or replicated). */
  readonly rowsVersion: number;
}

export interface WorkspaceActions {
  /** Imports files; CSVs without a profile come back as 'needs-profile' for the wizard. */
  importFiles(files: readonly FileInput[], profiles?: Readonly<Record<string, unknown>>): Promise<ImportBatchResult>;
  previewCsv(file: FileInput, profile: unknown): Promise<CsvPreview>;
  /** A block of the workspace's transactions, filtered and sorted in the engine worker; a newer query of the same view supersedes it. */
  queryRows(view: string, query: RowQuery): Promise<RowPage>;
  /** The month's reconciliation and what the review screens show of it, computed in the engine worker. */
  reviewFacts(): Promise<ReviewFacts>;
  /** The month's rows of these ids, in their order (unknown ids skipped). */
  rowsById(ids: readonly string[]): Promise<CanonicalTransaction[]>;
  /** The Partners screen's preview of an edited agreement, settled over the partner's rows in the engine worker. */
  agreementPreview(request: PreviewRequest): Promise<Preview>;
  /** The rows a statement line counted: how many, and the first `max`. */
  rowsBehind(statement: Statement, line: StatementLine, max: number): Promise<RowsBehind>;
  /** The review screens' paged questions (a grouped exception's rows, ...), answered in the engine worker. */
  askReview<K extends ReviewQueryKind>(kind: K, input: EngineInput<K>): Promise<EngineResult<K>>;
}

const EMPTY: WorkspaceData = { status: 'ready', error: null, imports: [], facts: null, progress: null, rowsVersion: 0 };

/** Stored batches per message to the engine's row store: ~4 MB of text, copied in a few milliseconds on the main thread. */
const BATCHES_PER_MESSAGE = 10;

/** Hands stored batches to the engine, which decodes them into its row store; stops between messages once `isLive` says the workspace closed (the next one's store is emptied first, and nothing of this one may follow). */
async function sendBatches(engine: EngineClient, batches: readonly StoredBatch[], isLive: () => boolean = () => true): Promise<void> {
  for (let start = 0; start < batches.length && isLive(); start += BATCHES_PER_MESSAGE) await engine.call('rows-load', { batches: batches.slice(start, start + BATCHES_PER_MESSAGE) });
}

/** The rows these batches hold. */
function rowsOf(batches: readonly StoredBatch[]): number {
  return batches.reduce((sum, batch) => sum + batch.rowCount, 0);
}

/** The rows the worker kept of each imported file. */
function keptRows(outcomes: readonly Settled[]): number {
  return outcomes.reduce((sum, outcome) => sum + (outcome.status === 'imported' ? (outcome.kept ?? outcome.transactions.length) : 0), 0);
}

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

/** Keeps each imported file on the desk (the batches the worker packed and its row account); returns the records to show. Each import id is claimed in `counted` before it is stored, so the replication watcher never adds it a second time. */
async function keep(desk: Desk | null, outcomes: readonly Settled[], at: string, counted: Set<string>): Promise<ImportRecord[]> {
  const records: ImportRecord[] = [];
  for (const outcome of outcomes) {
    const key = outcome.status === 'imported' && outcome.importId !== undefined ? outcome.importId : crypto.randomUUID();
    counted.add(key);
    if (desk !== null && outcome.status === 'imported') {
      assert(outcome.batches !== undefined, 'the engine packed the imported file (pack)', { file: outcome.name });
      const file = { fileName: outcome.name, sha256: outcome.sha256, sizeBytes: outcome.sizeBytes, format: outcome.format };
      await desk.storePackedImport({ file, rowsRead: outcome.rowsRead, entriesRead: outcome.entriesRead, batches: outcome.batches, rejected: [...outcome.rejected], duplicates: [...outcome.duplicates], conflicts: [...outcome.conflicts] }, { importId: key, importedAt: at });
    }
    records.push(recordOfOutcome(outcome, at, key));
  }
  return records;
}

const DEMO_MONTH = { seed: DEMO_DEFAULTS.seed, month: DEMO_DEFAULTS.month };

/**
 * The dashboard's facts, computed in the engine worker over the month it holds. `raiseOn` puts the
 * exceptions they raise on that desk; null after a pull: the desk that made the import raised
 * them, and they arrive by replication (raised here too, both desks would write the same exception).
 */
async function analyzed(engine: EngineClient, raiseOn: Desk | null, workspace: Workspace, rows: number, now: string): Promise<DashboardFacts | null> {
  if (rows === 0) return null;
  const facts = await engine.call('analyze', { now, demo: workspace.kind === 'demo' ? DEMO_MONTH : null });
  if (raiseOn !== null) await raiseOn.raiseExceptions(facts.exceptions);
  return facts;
}

/**
 * The stored batches of those imports whose batches are all on the desk, by import then chunk.
 * Replication pulls imports and batches separately, so an import may arrive before its batches
 * (or some of them): it waits, rather than be counted short and never again.
 */
async function batchesOfCompleteImports(desk: Desk, imports: readonly ImportDoc[]): Promise<{ readonly complete: ImportDoc[]; readonly waiting: ImportDoc[]; readonly batches: StoredBatch[] }> {
  if (imports.length === 0) return { complete: [], waiting: [], batches: [] };
  const { batches, missing } = await desk.storedBatchesOf(imports);
  const absent = new Set(missing);
  const complete = imports.filter((doc) => doc.batchIds.every((id) => !absent.has(id)));
  const waiting = imports.filter((doc) => !complete.includes(doc));
  const wanted = new Set(complete.map((doc) => doc.id));
  return { complete, waiting, batches: batches.filter((batch) => wanted.has(batch.importId)) };
}

const byNewestThenName = (a: ImportRecord, b: ImportRecord) => b.at.localeCompare(a.at) || a.name.localeCompare(b.name);

/** After the last replicated import arrives, wait this long before reading: a pull brings documents a page at a time. */
const PULL_SETTLE_MS = 400;
/** An import still missing batches is looked at again after 1 s, then 2, 4 ... up to 30 s. */
const WAITING_RETRY_MS = { first: 1_000, max: 30_000 } as const;

interface Loaded {
  readonly data: WorkspaceData;
  /** The import ids whose rows `data` holds. */
  readonly counted: readonly string[];
  /** How many rows they hold. */
  readonly rows: number;
}

/**
 * Loads in flight per desk. React's strict mode runs the load effect twice at once: both would
 * find an empty desk and store the demo month twice (under new import ids), so a settlement run
 * over the stored batches counted every row twice. The second effect shares the first's load.
 */
const loadsInFlight = new WeakMap<Desk, { readonly promise: Promise<Loaded>; sink: (progress: ImportProgress) => void }>();

export function WorkspaceDataProvider({ workspace, engine, desk, children }: { readonly workspace: Workspace; readonly engine: EngineClient; readonly desk: Desk | null; readonly children: ReactNode }) {
  const [data, setData] = useState<WorkspaceData>({ ...EMPTY, status: 'loading' });
  // How many rows the month holds (in the engine worker): no analysis of an empty month.
  const rows = useRef(0);
  const counted = useRef(new Set<string>());
  // Only the newest analysis is shown: an older one finishing later would show fewer rows.
  const analysisSeq = useRef(0);

  const reanalyze = useCallback(
    (raiseOn: Desk | null, at: string, isLive: () => boolean) => {
      const seq = ++analysisSeq.current;
      void analyzed(engine, raiseOn, workspace, rows.current, at)
        .then((facts) => isLive() && seq === analysisSeq.current && setData((d) => ({ ...d, facts })))
        .catch((error: Error) => isLive() && setData((d) => ({ ...d, error: error.message })));
    },
    [engine, workspace],
  );

  useEffect(() => {
    let live = true;
    const now = new Date().toISOString();
    const onProgress = (progress: ImportProgress) => live && setData((d) => ({ ...d, progress }));
    const load = async (): Promise<Loaded> => {
      // The engine outlives a workspace: its row store starts empty for this one.
      await engine.call('rows-reset', {});
      const stored = desk === null ? [] : await desk.listImports();
      if (desk !== null && stored.length > 0) {
        const { complete, batches } = await batchesOfCompleteImports(desk, stored);
        await sendBatches(engine, batches);
        const imports = complete.map(recordOfDoc).sort(byNewestThenName);
        return { data: { ...EMPTY, imports, facts: await analyzed(engine, desk, workspace, rowsOf(batches), now), rowsVersion: 1 }, counted: complete.map((doc) => doc.id), rows: rowsOf(batches) };
      }
      if (workspace.kind !== 'demo') return { data: EMPTY, counted: [], rows: 0 };
      const demo = await engine.call('demo', { ...DEMO_MONTH, now, pack: true }, (progress) => sink(progress));
      const claimed = new Set<string>();
      const imports = await keep(desk, settled(demo.imports), now, claimed);
      if (desk !== null) await desk.raiseExceptions(demo.facts.exceptions);
      // The worker put the demo month's rows in its row store as it built them.
      return { data: { ...EMPTY, imports, facts: demo.facts, rowsVersion: 1 }, counted: [...claimed], rows: keptRows(settled(demo.imports)) };
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
      .then((next) => {
        if (!live) return;
        counted.current = new Set(next.counted);
        rows.current = next.rows;
        setData(next.data);
      })
      .catch((error: Error) => live && setData({ ...EMPTY, status: 'failed', error: error.message }));
    return () => {
      live = false;
    };
  }, [workspace, engine, desk]);

  // Imports replication brings in after the load: added once all their batches are here.
  const ready = data.status === 'ready';
  useEffect(() => {
    if (desk === null || !ready) return undefined;
    let live = true;
    let latest: readonly ImportDoc[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    let retryMs: number = WAITING_RETRY_MS.first;
    let reading = false;
    let again = false;
    const schedule = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => void read(), ms);
    };
    const read = async (): Promise<void> => {
      // One read at a time: two would both find the same import new and add its rows twice.
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        const fresh = latest.filter((doc) => !counted.current.has(doc.id));
        if (fresh.length === 0) return;
        // Nothing else counts these meanwhile: reads are one at a time, and an import made here was claimed before it was stored.
        const { complete, waiting, batches } = await batchesOfCompleteImports(desk, fresh);
        if (!live) return;
        if (complete.length > 0) {
          for (const doc of complete) counted.current.add(doc.id);
          await sendBatches(engine, batches, () => live);
          if (!live) return;
          rows.current += rowsOf(batches);
          const records = complete.map(recordOfDoc);
          setData((d) => ({ ...d, imports: [...records, ...d.imports].sort(byNewestThenName), rowsVersion: d.rowsVersion + 1 }));
          reanalyze(null, new Date().toISOString(), () => live);
        }
        if (waiting.length > 0) {
          schedule(retryMs);
          retryMs = Math.min(retryMs * 2, WAITING_RETRY_MS.max);
        } else retryMs = WAITING_RETRY_MS.first;
      } catch (error) {
        if (live) setData((d) => ({ ...d, error: error instanceof Error ? error.message : String(error) }));
      } finally {
        reading = false;
        if (again && live) {
          again = false;
          schedule(PULL_SETTLE_MS);
        }
      }
    };
    const subscription = desk.imports$.subscribe((docs) => {
      latest = docs;
      if (docs.some((doc) => !counted.current.has(doc.id))) schedule(PULL_SETTLE_MS);
    });
    return () => {
      live = false;
      clearTimeout(timer);
      subscription.unsubscribe();
    };
  }, [desk, ready, reanalyze, engine]);

  const importFiles = useCallback(
    async (files: readonly FileInput[], profiles: Readonly<Record<string, unknown>> = {}) => {
      // The engine's row store holds the workspace's rows: they count as known there, and the worker keeps the new ones and packs them for the desk.
      const result = await engine.call('import', { files: [...files], profiles: { ...profiles }, known: [], pack: true }, (progress) => setData((d) => ({ ...d, progress })));
      const at = new Date().toISOString();
      const outcomes = settled(result);
      const records = await keep(desk, outcomes, at, counted.current);
      rows.current += keptRows(outcomes);
      setData((d) => ({ ...d, imports: [...records, ...d.imports], progress: null, rowsVersion: d.rowsVersion + 1 }));
      reanalyze(desk, at, () => true);
      return result;
    },
    [engine, desk, reanalyze],
  );

  const previewCsv = useCallback((file: FileInput, profile: unknown) => engine.call('csv-preview', { file, profile, rowsMax: 8 }), [engine]);

  const queryRows = useCallback((view: string, query: RowQuery) => engine.call('rows-query', { view, ...query }), [engine]);

  const reviewFacts = useCallback(() => engine.call('review', {}), [engine]);
  const rowsById = useCallback((ids: readonly string[]) => engine.call('rows-by-id', { ids: [...ids] }), [engine]);
  const agreementPreview = useCallback((request: PreviewRequest) => engine.call('agreement-preview', request), [engine]);
  const rowsBehind = useCallback((statement: Statement, line: StatementLine, max: number) => engine.call('rows-behind', { statement, line, max }), [engine]);
  const askReview = useCallback(<K extends ReviewQueryKind>(kind: K, input: EngineInput<K>) => engine.call(kind, input), [engine]);

  const value = useMemo(() => ({ ...data, importFiles, previewCsv, queryRows, reviewFacts, rowsById, rowsBehind, agreementPreview, askReview }), [data, importFiles, previewCsv, queryRows, reviewFacts, rowsById, rowsBehind, agreementPreview, askReview]);
  return <DataContext.Provider value={value}>{children}</DataContext.Provider>;
}
