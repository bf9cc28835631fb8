/**
 * What reconcile's live set is made of at its peak (the files read the way `settledesk reconcile`
 * reads them, every leg matched, before the output): a heap snapshot after a full collection,
 * summed by object shape (constructor and first property names) and, for strings, arrays and
 * typed-array stores, by the shape and property that first reference them. The bench files
 * (reconcile-files.ts) at a tenth of reconcile-cli.bench.ts's scale by default: the snapshot of the
 * full scale is some 2 GB. Numbers are V8's self sizes (docs/reconcile-scale.md has a breakdown).
 * Run: node --expose-gc --import tsx bench/reconcile-heap.ts [payouts] [rows]   (default 10000 payouts, top 30 rows)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { bankStatementEnds } from '../cli/bank-statements.ts';
import { loadTransactions, transactionReading } from '../cli/load-transactions.ts';
import { LEDGER_EXPECTED_PAYOUT } from '../core/importers/ledger-csv.ts';
import { parseRules, reconcileCompact } from '../core/reconcile/index.ts';
import { cachedReconcileFiles, reconcileFilesDir } from './reconcile-files.ts';

const PAYOUTS = Number(process.argv[2] ?? 10_000);
const ROWS = Number(process.argv[3] ?? 30);
const SEED = 20260301;
const dir = reconcileFilesDir(PAYOUTS, SEED);

interface Snapshot {
  readonly snapshot: { readonly meta: { readonly node_fields: string[]; readonly node_types: [string[]]; readonly edge_fields: string[]; readonly edge_types: [string[]] } };
  readonly nodes: number[];
  readonly edges: number[];
  readonly strings: string[];
}

/** Self size per shape (objects) and per first referencing shape and property (everything else), largest first. */
function summary(snap: Snapshot): { total: number; rows: [string, { count: number; bytes: number }][] } {
  const { meta } = snap.snapshot;
  const { nodes, edges, strings } = snap;
  const nodeFields = meta.node_fields.length;
  const edgeFields = meta.edge_fields.length;
  const [typeAt, nameAt, sizeAt, edgeCountAt] = ['type', 'name', 'self_size', 'edge_count'].map((field) => meta.node_fields.indexOf(field)) as [number, number, number, number];
  const [edgeTypeAt, edgeNameAt, toAt] = ['type', 'name_or_index', 'to_node'].map((field) => meta.edge_fields.indexOf(field)) as [number, number, number];
  const count = nodes.length / nodeFields;
  const firstEdge = new Uint32Array(count + 1);
  for (let node = 0, edge = 0; node < count; node++) {
    firstEdge[node] = edge;
    edge += (nodes[node * nodeFields + edgeCountAt] as number) * edgeFields;
  }
  firstEdge[count] = edges.length;
  const typeOf = (node: number): string => meta.node_types[0][nodes[node * nodeFields + typeAt] as number] as string;
  const edgeTypeOf = (edge: number): string => meta.edge_types[0][edges[edge + edgeTypeAt] as number] as string;
  const shapes: (string | undefined)[] = new Array<string | undefined>(count);
  for (let node = 0; node < count; node++) {
    if (typeOf(node) !== 'object') continue;
    const names: string[] = [];
    for (let edge = firstEdge[node] as number; edge < (firstEdge[node + 1] as number) && names.length < 6; edge += edgeFields) if (edgeTypeOf(edge) === 'property') names.push(strings[edges[edge + edgeNameAt] as number] as string);
    shapes[node] = `${strings[nodes[node * nodeFields + nameAt] as number]}{${names.join(',')}}`;
  }
  const owners: (string | undefined)[] = new Array<string | undefined>(count);
  for (let node = 0; node < count; node++) {
    if (shapes[node] === undefined) continue;
    for (let edge = firstEdge[node] as number; edge < (firstEdge[node + 1] as number); edge += edgeFields) {
      const to = (edges[edge + toAt] as number) / nodeFields;
      if (shapes[to] !== undefined || owners[to] !== undefined) continue;
      const type = edgeTypeOf(edge);
      owners[to] = `${shapes[node]}.${type === 'element' ? '[i]' : type === 'property' ? strings[edges[edge + edgeNameAt] as number] : `(${type})`}`;
    }
  }
  const totals = new Map<string, { count: number; bytes: number }>();
  let total = 0;
  for (let node = 0; node < count; node++) {
    const bytes = nodes[node * nodeFields + sizeAt] as number;
    total += bytes;
    const key = shapes[node] ?? `${typeOf(node)} via ${owners[node] ?? '(no object)'}`;
    const known = totals.get(key) ?? { count: 0, bytes: 0 };
    totals.set(key, { count: known.count + 1, bytes: known.bytes + bytes });
  }
  return { total, rows: [...totals.entries()].sort((a, b) => b[1].bytes - a[1].bytes) };
}

const input = cachedReconcileFiles(PAYOUTS, SEED);
const reading = { ...transactionReading({}), rawKept: new Set([LEDGER_EXPECTED_PAYOUT]), lean: true };
const bankLoaded = loadTransactions([input.bankDir], reading);
const psp = loadTransactions([input.pspFile], reading).transactions;
const internal = loadTransactions([input.ledgerFile], reading).transactions;
const result = reconcileCompact({ psp, bank: bankLoaded.transactions, bankStatements: bankStatementEnds(bankLoaded.imports), internal }, parseRules({}));
(globalThis as { gc?: () => void }).gc?.();
const file = writeHeapSnapshot(path.join(dir, 'reconcile.heapsnapshot'));
console.log(`${bankLoaded.transactions.length} bank, ${psp.length} PSP, ${internal.length} ledger transactions; ${result.legs.internalPsp?.groupCount ?? 0} internal-psp groups; snapshot ${file}`);
const { total, rows } = summary(JSON.parse(readFileSync(file, 'utf8')) as Snapshot);
console.log(`live heap (self sizes) ${(total / 1e6).toFixed(1)} MB`);
for (const [key, { count, bytes }] of rows.slice(0, ROWS)) console.log(`${(bytes / 1e6).toFixed(2).padStart(8)} MB ${String(count).padStart(9)} x ${String(Math.round(bytes / count)).padStart(6)} B  ${key.slice(0, 140)}`);
