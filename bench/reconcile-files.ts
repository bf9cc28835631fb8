/**
 * Files for the whole-command reconciliation bench (reconcile-cli.bench.ts), written the way a
 * user has them: camt.053 bank statements, a Stripe balance-transactions export and an internal
 * ledger CSV. Seeded (core/demo/prng.ts), so every run sees the same bytes; amounts are integer cents
 * turned into decimal text, never floats.
 *
 * Per payout b (0 <= b < payouts): 9 Stripe rows (charges with a fee, a refund now and then),
 * one payout row (po_b) paying out their net, 10 ledger CSV rows (core/importers/ledger-csv.ts:
 * each charge/refund at gross by its ch_/re_ id, and the payout by po_b, all expected in po_b) and one bank credit. Of the bank credits
 * 50 % name po_b in the remittance text, 35 % carry no reference and equal the payout, 10 % name
 * it but arrive short, 5 % are unrelated. Bank lines go to one camt.053 per 10,000 entries with
 * balances that add up.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPrng } from '../core/demo/prng.ts';

export const LINES_PER_PAYOUT = 10;
const BANK_ENTRIES_PER_FILE = 10_000;
const FLUSH_CHARS = 1 << 20;

/** Integer cents as a decimal string ("-12.05"). */
export function centsText(cents: number): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function dayText(dayIndex: number): string {
  return new Date(Date.UTC(2026, 0, 1) + dayIndex * 86_400_000).toISOString().slice(0, 10);
}

/** Appends text to a file in 1 MB writes. */
class FileWriter {
  private readonly fd: number;
  private buffer: string[] = [];
  private chars = 0;

  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }

  write(text: string): void {
    this.buffer.push(text);
    this.chars += text.length;
    if (this.chars >= FLUSH_CHARS) this.flush();
  }

  private flush(): void {
    writeSync(this.fd, this.buffer.join(''));
    this.buffer = [];
    this.chars = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export const STRIPE_HEADER = 'id,Type,Source,Amount,Fee,Net,Currency,Created (UTC),Available On (UTC),Description,Transfer';
export const LEDGER_HEADER = 'id,date,kind,amount,currency,partner,product,external_reference,expected_payout';

interface BankEntry {
  readonly cents: number;
  readonly day: string;
  readonly reference: string;
  readonly text: string;
}

function camtEntry(entry: BankEntry): string {
  const direction = entry.cents < 0 ? 'DBIT' : 'CRDT';
  return `<Ntry><Amt Ccy="EUR">${centsText(Math.abs(entry.cents))}</Amt><CdtDbtInd>${direction}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>${entry.day}</Dt></BookgDt><ValDt><Dt>${entry.day}</Dt></ValDt><AcctSvcrRef>${entry.reference}</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr><Nm>STRIPE PAYMENTS EUROPE LTD</Nm></Dbtr></RltdPties><RmtInf><Ustrd>${entry.text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n`;
}

function writeCamt(file: string, index: number, entries: readonly BankEntry[], openingCents: number): number {
  const closing = entries.reduce((sum, entry) => sum + entry.cents, openingCents);
  const first = entries[0]?.day ?? '2026-01-01';
  const last = entries.reduce((max, entry) => (entry.day > max ? entry.day : max), first);
  const out = new FileWriter(file);
  const balance = (code: string, cents: number, day: string): string =>
    `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${centsText(Math.abs(cents))}</Amt><CdtDbtInd>${cents < 0 ? 'DBIT' : 'CRDT'}</CdtDbtInd><Dt><Dt>${day}</Dt></Dt></Bal>\n`;
  out.write(`<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>\n`);
  out.write(`<GrpHdr><MsgId>BENCH-MSG-${index}</MsgId><CreDtTm>2027-01-01T06:00:00</CreDtTm></GrpHdr>\n`);
  out.write(`<Stmt><Id>BENCH-STMT-${index}</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>\n`);
  out.write(balance('OPBD', openingCents, first));
  out.write(balance('CLBD', closing, last));
  for (const entry of entries) out.write(camtEntry(entry));
  out.write('</Stmt></BkToCstmrStmt></Document>\n');
  out.close();
  return closing;
}

export interface ReconcileFiles {
  readonly bankDir: string;
  readonly pspFile: string;
  readonly ledgerFile: string;
  /** Bank credits that belong to a payout (the 5 % unrelated ones do not). */
  readonly payoutCredits: number;
  /** The payouts (b) whose bank line BR<b> is an unrelated credit: by construction nothing explains them. */
  readonly unrelatedCredits: readonly number[];
  readonly bankLines: number;
  readonly pspRows: number;
  readonly ledgerRows: number;
}

/** Writes the three inputs for `payouts` payouts under `dir`. */
export function writeReconcileFiles(dir: string, payouts: number, seed: number): ReconcileFiles {
  const random = createPrng(seed).next;
  const bankDir = path.join(dir, 'bank');
  mkdirSync(bankDir, { recursive: true });
  const pspFile = path.join(dir, 'stripe.csv');
  const ledgerFile = path.join(dir, 'ledger.csv');
  const psp = new FileWriter(pspFile);
  const ledger = new FileWriter(ledgerFile);
  psp.write(`${STRIPE_HEADER}\n`);
  ledger.write(`${LEDGER_HEADER}\n`);
  let bank: BankEntry[] = [];
  let balance = 0;
  let files = 0;
  let payoutCredits = 0;
  const unrelatedCredits: number[] = [];
  for (let payout = 0; payout < payouts; payout++) {
    const payoutId = `po_${String(payout).padStart(8, '0')}`;
    const day = 10 + Math.floor(random() * 340);
    let net = 0;
    for (let line = 0; line < LINES_PER_PAYOUT - 1; line++) {
      const refund = random() < 0.05;
      const gross = (refund ? -1 : 1) * (100 + Math.floor(random() * 20_000));
      const fee = refund ? 0 : Math.floor(gross * 0.029) + 25;
      net += gross - fee;
      const created = dayText(day - Math.floor(random() * 3));
      const source = `${refund ? 're' : 'ch'}_${payout}_${line}`;
      psp.write(`txn_${payout}_${line},${refund ? 'refund' : 'charge'},${source},${centsText(gross)},${centsText(fee)},${centsText(gross - fee)},eur,${created} 10:${String(line).padStart(2, '0')}:00,${dayText(day)},Order ${payout}-${line},${payoutId}\n`);
      ledger.write(`L${payout}-${line},${created},${refund ? 'refund' : 'sale'},${centsText(gross)},EUR,P${payout % 97},GAME${line},${source},${payoutId}\n`);
    }
    psp.write(`txn_${payoutId},payout,${payoutId},${centsText(-net)},0.00,${centsText(-net)},eur,${dayText(day)} 23:00:00,${dayText(day + 1)},STRIPE PAYOUT,\n`);
    ledger.write(`L${payout}-payout,${dayText(day)},payout,${centsText(-net)},EUR,,,${payoutId},${payoutId}\n`);
    const roll = random();
    const bankDay = dayText(day + 1 + Math.floor(random() * 2));
    const reference = `BR${payout}`;
    if (roll < 0.95) payoutCredits++;
    if (roll < 0.5) bank.push({ cents: net, day: bankDay, reference, text: `STRIPE PAYOUT ${payoutId}` });
    else if (roll < 0.85) bank.push({ cents: net, day: bankDay, reference, text: 'STRIPE TRANSFER' });
    else if (roll < 0.95) bank.push({ cents: net - 1 - Math.floor(random() * 500), day: bankDay, reference, text: `STRIPE ${payoutId}` });
    else {
      bank.push({ cents: 1 + Math.floor(random() * 10_000_000), day: bankDay, reference, text: 'UNRELATED INCOMING' });
      unrelatedCredits.push(payout);
    }
    if (bank.length === BANK_ENTRIES_PER_FILE) {
      balance = writeCamt(path.join(bankDir, `camt053-${String(files).padStart(3, '0')}.xml`), files, bank, balance);
      files++;
      bank = [];
    }
  }
  if (bank.length > 0) writeCamt(path.join(bankDir, `camt053-${String(files).padStart(3, '0')}.xml`), files, bank, balance);
  psp.close();
  ledger.close();
  return { bankDir, pspFile, ledgerFile, payoutCredits, unrelatedCredits, bankLines: payouts, pspRows: payouts * LINES_PER_PAYOUT, ledgerRows: payouts * LINES_PER_PAYOUT };
}

/** The folder in the temp dir where the files of `payouts` payouts are kept between runs. */
export function reconcileFilesDir(payouts: number, seed: number): string {
  return path.join(tmpdir(), `settledesk-reconcile-cli-${seed}-${payouts}`);
}

/** The files of `payouts` payouts, written once and read from their manifest after; a manifest of an older generator (without unrelatedCredits) is written again. */
export function cachedReconcileFiles(payouts: number, seed: number): ReconcileFiles {
  const dir = reconcileFilesDir(payouts, seed);
  const manifestFile = path.join(dir, 'manifest.json');
  if (existsSync(manifestFile)) {
    const cached = JSON.parse(readFileSync(manifestFile, 'utf8')) as Partial<ReconcileFiles>;
    if (Array.isArray(cached.unrelatedCredits)) return cached as ReconcileFiles;
  }
  rmSync(dir, { recursive: true, force: true });
  const written = writeReconcileFiles(dir, payouts, seed);
  writeFileSync(manifestFile, JSON.stringify(written));
  return written;
}
