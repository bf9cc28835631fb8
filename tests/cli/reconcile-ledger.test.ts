import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

/**
 * The ledger CSV as reconcile's internal leg, and its expected payout. Hand-made month:
 * Stripe charges ch_3Ab1001 (100.00, fee 3.20, net 96.80) in payout po_A and ch_3Ab1002 (50.00, fee 1.75,
 * net 48.25) in payout po_B; the bank receives 96.80 and 48.25. The ledger expects both sales in
 * po_A: L-1 is paid there, L-2 is paid in po_B, which is what reconcile must say.
 */
const STRIPE = [
  'id,Type,Source,Amount,Fee,Net,Currency,Created (UTC),Available On (UTC),Description,Transfer',
  'txn_1,charge,ch_3Ab1001,100.00,3.20,96.80,eur,2026-03-02 10:00:00,2026-03-04,Order 1,po_A',
  'txn_2,charge,ch_3Ab1002,50.00,1.75,48.25,eur,2026-03-02 11:00:00,2026-03-04,Order 2,po_B',
  'txn_pa,payout,po_A,-96.80,0.00,-96.80,eur,2026-03-04 23:00:00,2026-03-05,STRIPE PAYOUT,',
  'txn_pb,payout,po_B,-48.25,0.00,-48.25,eur,2026-03-04 23:00:00,2026-03-05,STRIPE PAYOUT,',
].join('\n');
const LEDGER = [
  'id,date,kind,amount,currency,partner,product,external_reference,expected_payout',
  'L-1,2026-03-02,sale,100.00,EUR,P1,G1,ch_3Ab1001,po_A',
  'L-2,2026-03-02,sale,50.00,EUR,P1,G1,ch_3Ab1002,po_A',
].join('\n');
const entry = (amount: string, reference: string, text: string): string =>
  `<Ntry><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-03-05</Dt></BookgDt><ValDt><Dt>2026-03-05</Dt></ValDt><AcctSvcrRef>${reference}</AcctSvcrRef><NtryDtls><TxDtls><RmtInf><Ustrd>${text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`;
// Opening 0.00 + 96.80 + 48.25 = closing 145.05.
const CAMT = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-03-06T06:00:00</CreDtTm></GrpHdr>
<Stmt><Id>S1</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-05</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">145.05</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-05</Dt></Dt></Bal>
${entry('96.80', 'BR-1', 'STRIPE po_A')}
${entry('48.25', 'BR-2', 'STRIPE po_B')}
</Stmt></BkToCstmrStmt></Document>
`;

describe('settledesk reconcile --ledger with the ledger CSV', () => {
  let dir: string;
  let args: string[];

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'settledesk-reconcile-ledger-'));
    writeFileSync(path.join(dir, 'stripe.csv'), STRIPE);
    writeFileSync(path.join(dir, 'ledger.csv'), LEDGER);
    writeFileSync(path.join(dir, 'bank.xml'), CAMT);
    args = ['reconcile', '--bank', path.join(dir, 'bank.xml'), '--psp', path.join(dir, 'stripe.csv'), '--ledger', path.join(dir, 'ledger.csv')];
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the ledger without a profile and reports the row paid in another payout than expected (JSON)', () => {
    const run = runCli([...args, '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const report = run.json<{ payoutExpectations: unknown[]; summary: Record<string, number | null> }>();
    // Both ledger sales are matched by their charge ids (gross and fee line each); the ledger has no
    // payout rows, so the two Stripe payout lines are the only PSP lines it does not explain.
    expect(report.summary).toMatchObject({ unmatchedBank: 0, unmatchedPsp: 2, unmatchedLedger: 0, pspPayouts: 2 });
    expect(report.payoutExpectations).toEqual([{ ledgerId: 'tx:ledger||L-2', expected: 'po_A', paidIn: ['po_B'], pspIds: ['tx:stripe:||txn_2', 'tx:stripe:||txn_2:fee'] }]);
  });

  it('says it in text: expected in payout po_A, paid in po_B, with the row date and amount', () => {
    const run = runCli(args);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('Ledger rows not paid in the payout they expect:');
    expect(run.stdout).toMatch(/tx:ledger\|\|L-2\s+2026-03-02\s+50\.00\s+EUR\s+expected in payout po_A, paid in po_B/);
    expect(run.stdout).not.toContain('tx:ledger||L-1 ');
  });

  it('rejects a bad ledger row naming file, line, column and code', () => {
    writeFileSync(path.join(dir, 'bad-ledger.csv'), `${LEDGER}\nL-3,2026-03-02,sale,5.0O,EUR,P1,G1,ch_3,po_A\n`);
    const run = runCli(['import', path.join(dir, 'bad-ledger.csv'), '--json']);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('"code": "amount_not_decimal"');
    expect(run.stdout).toMatch(/"line": 4,\s+"column": "amount"/);
  });
});
