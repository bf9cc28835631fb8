import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

/**
 * reconcile's tables carry what a person needs to find each item. Stripe pays out charge
 * ch_3Ab1001 (100.00 - fee 3.20 = 96.80) in payout po_1OwB7cKx2Yq9ZtLmQ1r2S3t4; the bank books
 * 96.75 naming that payout (BR-1, line 6 of bank.xml): 96.75 - 96.80 = -0.05 unexplained. A second
 * bank credit of 12.34 (BR-9, line 7) is nobody's.
 */
const STRIPE = [
  'id,Type,Source,Amount,Fee,Net,Currency,Created (UTC),Available On (UTC),Description,Transfer',
  'txn_1,charge,ch_3Ab1001,100.00,3.20,96.80,eur,2026-03-02 10:00:00,2026-03-04,Order 1,po_1OwB7cKx2Yq9ZtLmQ1r2S3t4',
  'txn_p,payout,po_1OwB7cKx2Yq9ZtLmQ1r2S3t4,-96.80,0.00,-96.80,eur,2026-03-04 23:00:00,2026-03-05,STRIPE PAYOUT,',
].join('\n');
const entry = (amount: string, reference: string, text: string): string =>
  `<Ntry><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-03-05</Dt></BookgDt><ValDt><Dt>2026-03-05</Dt></ValDt><AcctSvcrRef>${reference}</AcctSvcrRef><NtryDtls><TxDtls><RmtInf><Ustrd>${text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`;
const balance = (code: string, amount: string): string => `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-05</Dt></Dt></Bal>`;
// Opening 0.00 + 96.75 + 12.34 = closing 109.09.
const CAMT = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-03-06T06:00:00</CreDtTm></GrpHdr>',
  '<Stmt><Id>S1</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>',
  balance('OPBD', '0.00'),
  balance('CLBD', '109.09'),
  entry('96.75', 'BR-1', 'STRIPE PAYOUT po_1OwB7cKx2Yq9ZtLmQ1r2S3t4'),
  entry('12.34', 'BR-9', 'SOMETHING ELSE'),
  '</Stmt></BkToCstmrStmt></Document>',
  '',
].join('\n');

describe('settledesk reconcile tables name what finds each item', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-reconcile-ids-'));
  writeFileSync(path.join(dir, 'stripe.csv'), STRIPE);
  writeFileSync(path.join(dir, 'bank.xml'), CAMT);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shows the payout id, the bank reference, date and file:line of a differing group and of an unmatched bank line', () => {
    const run = runCli(['reconcile', '--bank', path.join(dir, 'bank.xml'), '--psp', path.join(dir, 'stripe.csv')]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const differing = run.stdout.split('Groups whose amounts differ:\n')[1]?.split('\n\n')[0] ?? '';
    expect(differing).toMatch(/left ref\s+right ref\s+right date\s+right source/);
    expect(differing).toMatch(/psp-bank\s+reference\s+1\s+1\s+po_1OwB7cKx2Yq9ZtLmQ1r2S3t4\s+BR-1\s+2026-03-05\s+bank\.xml:6\s+96\.80\s+96\.75\s+EUR\s+-0\.05/);
    const unmatched = run.stdout.split('Bank lines nothing explains:\n')[1] ?? '';
    expect(unmatched).toMatch(/kind\s+date\s+amount\s+ccy\s+reference\s+source/);
    expect(unmatched).toMatch(/2026-03-05\s+12\.34\s+EUR\s+BR-9\s+bank\.xml:7\s+SOMETHING ELSE/);
  });
});
