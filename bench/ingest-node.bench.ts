// Node's own CPU per 10,000-row JSON batch request (issue 15), stage by stage and without
// PostgreSQL: what the batch route does on node's main thread before and around its COPYs. The
// feed bench (ingest.bench.ts) gives the whole; this one says where node's part goes, so a change
// to one stage can be measured against the tree before it (old tree via git archive, alternated).
// Stages: the body's text and JSON.parse with the column check (readBatchJson), the body's SHA-256
// (Idempotency-Key), amounts against minor units, prepareBatch (COPY text of both COPYs, batch
// document: canonical JSON and content hash), and the UTF-8 encoding pg's client does to send the
// COPY chunks and the document. No target: it reports (the feed bench holds the target).
// Run: npx tsx --expose-gc bench/ingest-node.bench.ts  (INGEST_NODE_ROUNDS, default 7, of 20 bodies)
import { checkBatchAmounts, prepareBatch } from '../server/ingest/batch-import.ts';
import { parseBatchImportBody, readBatchJson } from '../server/ingest/batch-validate.ts';
import { bodySha256 } from '../server/ingest/idempotency.ts';
import { batchPayload } from './support/ingest-payload.ts';

const ROWS_PER_REQUEST = 10_000;
const BODIES = 20;
const ROUNDS = Number(process.env.INGEST_NODE_ROUNDS ?? 7);
const STAGES = ['parse + check', 'sha256', 'amounts', 'prepare', 'encode'] as const;
type Stage = (typeof STAGES)[number];

const bodies = Array.from({ length: BODIES }, (_, chunk) => Buffer.from(batchPayload(chunk, ROWS_PER_REQUEST, 2)));
const gc = (globalThis as { gc?: () => void }).gc;

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

async function request(bytes: Buffer, chunk: number, spent: Record<Stage, number>): Promise<number> {
  let mark = process.cpuUsage();
  const stage = (name: Stage) => {
    spent[name] += cpuMs(mark);
    mark = process.cpuUsage();
  };
  const { value, valid } = readBatchJson(bytes.toString('utf8'));
  if (!valid) throw new Error(`bench body ${chunk} refused`);
  const body = parseBatchImportBody(value, valid);
  stage('parse + check');
  const sha256 = bodySha256(bytes);
  stage('sha256');
  checkBatchAmounts(body);
  stage('amounts');
  const importId = `imp.bench-${chunk}`;
  const prepared = await prepareBatch(body, sha256, bytes.byteLength, importId);
  const text = prepared.classify({ known: new Map(), all: new Set() }).rows.text(importId);
  stage('prepare');
  let bytesSent = 0;
  for (const chunkText of [...text.rows, ...text.ids]) bytesSent += Buffer.from(chunkText, 'utf8').byteLength;
  for (const { json } of prepared.batches) bytesSent += Buffer.from(json, 'utf8').byteLength;
  stage('encode');
  return bytesSent;
}

const perRound: Array<Record<Stage, number>> = [];
let sent = 0;
for (let round = 0; round < ROUNDS; round++) {
  gc?.();
  const spent = Object.fromEntries(STAGES.map((name) => [name, 0])) as Record<Stage, number>;
  for (const [chunk, bytes] of bodies.entries()) sent += await request(bytes, chunk, spent);
  perRound.push(spent);
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
// The first round warms the JIT up; it is left out.
const counted = perRound.slice(1);
const perRequest = (name: Stage) => median(counted.map((spent) => spent[name] / BODIES));
const totals = counted.map((spent) => STAGES.reduce((sum, name) => sum + spent[name], 0) / BODIES);
console.log(`node CPU per 10,000-row request (median of ${counted.length} rounds of ${BODIES}; ${gc === undefined ? 'no --expose-gc' : 'gc between rounds'}; ${(sent / ROUNDS / BODIES / 1e6).toFixed(2)} MB sent per request):`);
for (const name of STAGES) console.log(`  ${name.padEnd(14)} ${perRequest(name).toFixed(1)} ms`);
console.log(`  ${'total'.padEnd(14)} ${median(totals).toFixed(1)} ms (rounds ${totals.map((total) => total.toFixed(1)).join(' ')})`);
