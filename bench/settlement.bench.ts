/**
 * Settlement engine benchmark: 1,000,000 canonical transactions for 1,000 partners, settled on
 * one core by the fast path (integer minor units), then by the per-row decimal.js reference;
 * both must give byte-identical statements (same hashes). Run: npx tsx bench/settlement.bench.ts
 * Budget: the fast run in at most 1.0 s.
 */
import { loadavg } from 'node:os';
import { createPrng } from '../core/demo/prng.ts';
import { fromMinorUnits } from '../core/money/minor.ts';
import type { CanonicalTransaction, TransactionKind } from '../core/transactions/schema.ts';
import { parseAgreements, rateTable, runSettlement, statementHash, type RunInput } from '../core/settlement/index.ts';

const TRANSACTIONS = 1_000_000;
const PARTNERS = 1_000;
const BUDGET_MS = 1_000;
const SEED = 20260131;

const CURRENCIES: ReadonlyArray<[string, number, number]> = [
  ['EUR', 2, 0.6],
  ['USD', 2, 0.25],
  ['JPY', 0, 0.1],
  ['GBP', 2, 0.05],
];
const KINDS: ReadonlyArray<[TransactionKind, number]> = [
  ['sale', 0.86],
  ['refund', 0.07],
  ['chargeback', 0.01],
  ['promotion', 0.03],
  ['adjustment', 0.03],
];

function pick<T>(random: () => number, table: ReadonlyArray<readonly [...unknown[]]>, weightIndex: number): T {
  let r = random();
  for (const entry of table) {
    r -= entry[weightIndex] as number;
    if (r < 0) return entry as T;
  }
  return table[table.length - 1] as T;
}

function day(index: number): string {
  return `2026-01-${String(index + 1).padStart(2, '0')}`;
}

function generate(): CanonicalTransaction[] {
  const random = createPrng(SEED).next;
  const source = { sourceId: 'bench', format: 'bench', fileName: 'bench', line: 1 };
  const counterparty = { name: null, account: null };
  const references = { externalId: null, batchId: null, endToEndId: null, bankReference: null };
  const raw = {};
  const rows: CanonicalTransaction[] = new Array(TRANSACTIONS);
  for (let index = 0; index < TRANSACTIONS; index++) {
    const partner = Math.floor(random() * PARTNERS);
    const [currency, digits] = pick<[string, number]>(random, CURRENCIES, 2);
    const [kind] = pick<[TransactionKind]>(random, KINDS, 1);
    const magnitude = Math.floor(random() * (digits === 0 ? 20_000 : 20_000)) + 1;
    const sign = kind === 'sale' || (kind === 'adjustment' && random() < 0.5) ? 1 : -1;
    const occurred = Math.floor(random() * 31);
    rows[index] = {
      id: `tx${index}`,
      source,
      kind,
      occurredAt: day(occurred),
      bookingDate: random() < 0.02 ? day(Math.min(30, occurred + 1)) : null,
      valueDate: null,
      amount: fromMinorUnits(sign * magnitude, digits),
      currency,
      account: null,
      partnerId: `P${String(partner).padStart(4, '0')}`,
      productId: `G${partner % 37}-${Math.floor(random() * 5)}`,
      channel: null,
      counterparty,
      references,
      description: null,
      customerRef: null,
      raw,
    };
  }
  return rows;
}

function agreements(): RunInput['agreements'] {
  const list = [];
  for (let index = 0; index < PARTNERS; index++) {
    const variant = index % 4;
    const share =
      variant === 0
        ? { rate: '70' }
        : { tiers: [{ from: '0', to: '5000', rate: '50' }, { from: '5000', to: '20000', rate: '60' }, { from: '20000', to: null, rate: '70' }], method: variant === 1 ? 'marginal' : 'retroactive' };
    list.push({
      agreementId: `AG${index}`,
      partnerId: `P${String(index).padStart(4, '0')}`,
      version: 1,
      effectiveFrom: '2025-01-01',
      partnerJurisdiction: variant === 3 ? 'US' : 'DE',
      settlementCurrency: variant === 2 ? 'USD' : 'EUR',
      terms: {
        share,
        platformFee: variant === 1 ? { basis: 'gross', rate: '5' } : { basis: 'none' },
        transactionFee: { amount: variant === 3 ? '0.05' : '0' },
        periodicFee: { amount: '25.00' },
        vatOnFees: { ratesByJurisdiction: { DE: '19', US: '0' }, treatment: variant === 2 ? 'included' : 'added' },
        withholding: variant === 3 ? { ratesByJurisdiction: { US: '15' } } : {},
        fx: { route: 'via-base', rateDate: variant === 2 ? 'monthly-average' : 'transaction-date' },
        rounding: { scope: (['line', 'product-group', 'total'] as const)[index % 3] },
      },
    });
  }
  return parseAgreements(list);
}

function rates(): RunInput['rates'] {
  const quotes: Record<string, Record<string, string>> = {};
  for (let index = 0; index < 31; index++) quotes[day(index)] = { USD: `1.0${index % 10}42`, JPY: `16${index % 10}.37`, GBP: `0.8${index % 10}51` };
  return rateTable(quotes, 'ECB', 'EUR');
}

/** Wall time and this process's CPU time (user + system): on a shared, loaded machine the CPU time is the one-core figure. */
function time<T>(fn: () => T): { value: T; ms: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = fn();
  const used = process.cpuUsage(cpu);
  return { value, ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

function loadAverage(): string {
  return loadavg().map((value) => value.toFixed(1)).join(' ');
}

const generated = time(generate);
const input: RunInput = { period: { start: '2026-01-01', end: '2026-01-31' }, partnerIds: agreements().map((a) => a.partnerId), agreements: agreements(), transactions: generated.value, rates: rates() };
console.log(`generated ${TRANSACTIONS.toLocaleString('en')} transactions for ${PARTNERS} partners in ${generated.ms.toFixed(0)} ms`);

const FAST_RUNS = 5;
const fast = runSettlement(input, 'fast');
// Timed runs keep no result alive, so the heap is the same for each (as in one real run).
const fastRuns = Array.from({ length: FAST_RUNS }, () => time(() => runSettlement(input, 'fast').statements.length));
const fastMs = Math.min(...fastRuns.map((r) => r.ms));
const fastCpuMs = Math.min(...fastRuns.map((r) => r.cpuMs));
console.log(`fast (integer minor units), ${FAST_RUNS} runs: wall ${fastRuns.map((r) => r.ms.toFixed(0)).join(' / ')} ms; cpu ${fastRuns.map((r) => r.cpuMs.toFixed(0)).join(' / ')} ms`);
console.log(`fast best: wall ${fastMs.toFixed(0)} ms, cpu ${fastCpuMs.toFixed(0)} ms; ${fast.statements.length} statements, ${fast.exceptions.length} exceptions`);

const reference = time(() => runSettlement(input, 'reference'));
console.log(`reference (per-row decimal.js): wall ${reference.ms.toFixed(0)} ms, cpu ${reference.cpuMs.toFixed(0)} ms`);

const fastHashes = fast.statements.map(statementHash);
const referenceHashes = reference.value.statements.map(statementHash);
const identical = fastHashes.length === referenceHashes.length && fastHashes.every((hash, index) => hash === referenceHashes[index]);
console.log(`statements identical: ${identical} (${fastHashes.length} hashes compared)`);
console.log(`speed ratio reference / fast (cpu): ${(reference.cpuMs / fastCpuMs).toFixed(1)}x`);
console.log(`budget ${BUDGET_MS} ms on one core: ${fastCpuMs <= BUDGET_MS ? 'met' : 'MISSED'} (best cpu ${fastCpuMs.toFixed(0)} ms; load average ${loadAverage()})`);
if (!identical || fast.exceptions.length > 0 || fastCpuMs > BUDGET_MS) process.exitCode = 1;
