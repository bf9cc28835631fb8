/**
 * Reconciliation benchmark: 100,000 bank lines against 1,000,000 PSP transactions (one core),
 * through the public API in two-way mode (reconcile without an internal ledger = the psp-bank leg).
 * Run: npx tsx bench/reconcile.bench.ts [seed]
 * Data is generated with a seeded PRNG (core/demo/prng.ts), so every run sees the same input:
 * 100,000 payout batches of ~10 lines (sales, a refund now and then, one fee line). Of the bank
 * credits, 50 % name the payout id in their remittance text (reference rule), 35 % carry no
 * reference and equal the batch sum (batch rule), 10 % name the payout id but arrive short
 * (a variance), and 5 % are unrelated lines. Budget: <= 2 s for reconcile() on one core, measured
 * as the main thread's CPU time (wall time where /proc is missing) on warm code, after a warm-up
 * run on a tenth of the size whose cold time is printed too. Exit code 1 when over budget or when
 * the match count is not the generated number of payout credits.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createPrng } from '../core/demo/prng.ts';
import { reconcile } from '../core/reconcile/index.ts';
import type { CanonicalTransaction, TransactionKind } from '../core/transactions/schema.ts';

const BATCHES = 100_000;
const LINES_PER_BATCH = 10;
const BUDGET_MS = 2000;

const SOURCE = { sourceId: 'bench', format: 'bench', fileName: 'bench', line: 1 };

function tx(id: string, kind: TransactionKind, cents: number, date: string, refs: Partial<CanonicalTransaction['references']>, description: string | null, counterparty: string | null): CanonicalTransaction {
  const negative = cents < 0;
  const abs = Math.abs(cents);
  const amount = `${negative ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  return {
    id,
    source: SOURCE,
    kind,
    occurredAt: date,
    bookingDate: date,
    valueDate: date,
    amount,
    currency: 'EUR',
    account: null,
    partnerId: null,
    productId: null,
    channel: null,
    counterparty: { name: counterparty, account: null },
    references: { externalId: refs.externalId ?? null, batchId: refs.batchId ?? null, endToEndId: refs.endToEndId ?? null, bankReference: refs.bankReference ?? null },
    description,
    customerRef: null,
    raw: {},
  };
}

function dateOf(dayIndex: number): string {
  return new Date(Date.UTC(2025, 0, 1) + dayIndex * 86_400_000).toISOString().slice(0, 10);
}

function generate(seed: number, batches: number): { psp: CanonicalTransaction[]; bank: CanonicalTransaction[]; payoutCredits: string[] } {
  const random = createPrng(seed).next;
  const psp: CanonicalTransaction[] = [];
  const bank: CanonicalTransaction[] = [];
  const payoutCredits: string[] = [];
  for (let batch = 0; batch < batches; batch++) {
    const payoutId = `PO-${String(batch).padStart(8, '0')}`;
    const day = Math.floor(random() * 360);
    let net = 0;
    let gross = 0;
    for (let line = 0; line < LINES_PER_BATCH - 1; line++) {
      const refund = random() < 0.05;
      const cents = (refund ? -1 : 1) * (100 + Math.floor(random() * 20_000));
      net += cents;
      if (!refund) gross += cents;
      psp.push(tx(`psp_${batch}_${line}`, refund ? 'refund' : 'sale', cents, dateOf(day - Math.floor(random() * 3)), { externalId: `CH-${batch}-${line}`, batchId: payoutId }, null, null));
    }
    const fee = -Math.floor(gross * 0.029);
    net += fee;
    psp.push(tx(`psp_${batch}_fee`, 'fee', fee, dateOf(day), { externalId: `FEE-${batch}`, batchId: payoutId }, null, null));
    const roll = random();
    const bankDay = dateOf(day + 1 + Math.floor(random() * 2));
    if (roll < 0.95) payoutCredits.push(`bank_${batch}`);
    if (roll < 0.5) bank.push(tx(`bank_${batch}`, 'transfer', net, bankDay, { bankReference: `B${batch}` }, `SEPA CREDIT /REMI/PAYOUT ${payoutId} ACME PAYMENTS`, 'ACME PAYMENTS BV'));
    else if (roll < 0.85) bank.push(tx(`bank_${batch}`, 'transfer', net, bankDay, {}, 'SEPA CREDIT ACME PAYMENTS SETTLEMENT', 'ACME PAYMENTS BV'));
    else if (roll < 0.95) bank.push(tx(`bank_${batch}`, 'transfer', net - 1 - Math.floor(random() * 500), bankDay, {}, `PAYOUT ${payoutId.replace('-', ' ')}`, 'ACME PAYMENTS BV'));
    else bank.push(tx(`bank_${batch}`, 'transfer', 1 + Math.floor(random() * 10_000_000), bankDay, {}, 'UNRELATED INCOMING', 'SOMEONE ELSE'));
  }
  return { psp, bank, payoutCredits };
}

const seed = Number(process.argv[2] ?? 20260301);
// A JSON round trip gives what a parser or a database hands over: flat strings and plain objects
// (strings built by template literals are V8 cons-strings, flattened on first use, inside the timer).
const load = (runSeed: number, batches: number): ReturnType<typeof generate> => JSON.parse(JSON.stringify(generate(runSeed, batches))) as ReturnType<typeof generate>;

/**
 * CPU time of this (main) thread in ms, from Linux's /proc/thread-self/stat (utime + stime, in
 * clock ticks of 10 ms): the "one core" figure, which a loaded shared machine does not inflate
 * the way it inflates wall time. null where /proc is not there.
 */
function mainThreadCpuMs(): number | null {
  try {
    const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    const TICK_MS = 10;
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
}

function timed(data: ReturnType<typeof generate>): { result: ReturnType<typeof reconcile>; wallMs: number; cpuMs: number; threadMs: number | null } {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const threadStarted = mainThreadCpuMs();
  const result = reconcile({ psp: data.psp, bank: data.bank }, { amountTolerance: '0' });
  const wallMs = performance.now() - started;
  const threadEnded = mainThreadCpuMs();
  const cpu = process.cpuUsage(cpuStarted);
  return { result, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, threadMs: threadStarted === null || threadEnded === null ? null : threadEnded - threadStarted };
}

// Warm-up on a tenth of the size (another seed): a desk or server process runs warm code; the
// first, cold run of a fresh process also pays for V8 compiling the hot loops, printed apart.
const warmup = timed(load(seed + 1, BATCHES / 10));
const data = load(seed, BATCHES);
const { result, wallMs, cpuMs, threadMs } = timed(data);
const leg = result.legs.pspBank;
const withVariance = leg.groups.filter((group) => group.variance !== null).length;
console.log(`reconcile: ${data.bank.length} bank lines vs ${data.psp.length} PSP transactions (seed ${seed})`);
console.log(`time: ${wallMs.toFixed(0)} ms wall, ${threadMs ?? '?'} ms CPU of the main thread, ${cpuMs.toFixed(0)} ms CPU of all threads (budget ${BUDGET_MS} ms on one core)`);
console.log(`cold warm-up run (${warmup.result.legs.pspBank.groups.length} groups, a tenth of the size): ${warmup.wallMs.toFixed(0)} ms wall`);
console.log(`groups: ${leg.groups.length} ${JSON.stringify(leg.counts)}; with variance: ${withVariance}`);
console.log(`unmatched: bank ${result.unmatched.bank.length}, psp unsettled ${result.unmatched.pspUnsettled.length}; suggestions: ${leg.suggestions.length}`);
// Every payout credit finds its batch, as a group or, where equal amounts on near dates tie with no
// reference, as a suggestion (a tie is never auto-matched); the unrelated 5 % are never grouped;
// and the budget holds on one core.
const grouped = new Set(leg.groups.flatMap((group) => [...group.leftIds, ...group.rightIds]));
const suggested = new Set(leg.suggestions.flatMap((suggestion) => [...suggestion.leftIds, ...suggestion.rightIds]));
const credits = new Set(data.payoutCredits);
const lost = data.payoutCredits.filter((id) => !grouped.has(id) && !suggested.has(id));
const unrelatedGrouped = data.bank.filter((line) => !credits.has(line.id) && grouped.has(line.id)).length;
const tiedCredits = data.payoutCredits.length - leg.groups.length;
console.log(`payout credits: ${data.payoutCredits.length}, grouped ${leg.groups.length}, left to suggestions as ties ${tiedCredits}, found nowhere ${lost.length}; unrelated lines grouped: ${unrelatedGrouped}`);
const oneCoreMs = threadMs ?? wallMs;
if (lost.length > 0 || unrelatedGrouped > 0 || oneCoreMs > BUDGET_MS) {
  console.error(`FAILED: ${lost.length} payout credits neither grouped nor suggested, ${unrelatedGrouped} unrelated lines grouped; ${oneCoreMs} ms on one core (budget ${BUDGET_MS} ms)`);
  process.exitCode = 1;
}
