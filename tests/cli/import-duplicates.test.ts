import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

/**
 * `import` names each duplicate row and the row it repeats, and the statement id of each
 * statement. Two overlapping camt.053 statements of one account: a.xml books REF-1 (10.50) and
 * REF-2 (5.00) from 0.00 to 15.50; b.xml books REF-2 again and REF-3 (7.25) from 10.50 to 22.75.
 * Every entry is on its own line: the entries are lines 6 and 7 of each file.
 */
const entry = (amount: string, reference: string): string =>
  `<Ntry><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-03-05</Dt></BookgDt><ValDt><Dt>2026-03-05</Dt></ValDt><AcctSvcrRef>${reference}</AcctSvcrRef></Ntry>`;
const balance = (code: string, amount: string): string => `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-05</Dt></Dt></Bal>`;
const camt = (id: string, opening: string, closing: string, entries: readonly string[]): string =>
  [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>${id}-MSG</MsgId><CreDtTm>2026-03-06T06:00:00</CreDtTm></GrpHdr>`,
    `<Stmt><Id>${id}</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>`,
    balance('OPBD', opening),
    balance('CLBD', closing),
    ...entries,
    '</Stmt></BkToCstmrStmt></Document>',
    '',
  ].join('\n');

describe('settledesk import lists duplicate rows', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-import-duplicates-'));
  const a = path.join(dir, 'a.xml');
  const b = path.join(dir, 'b.xml');
  writeFileSync(a, camt('STMT-A', '0.00', '15.50', [entry('10.50', 'REF-1'), entry('5.00', 'REF-2')]));
  writeFileSync(b, camt('STMT-B', '10.50', '22.75', [entry('5.00', 'REF-2'), entry('7.25', 'REF-3')]));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says which row of which file each duplicate repeats, and shows the statement ids', () => {
    const text = runCli(['import', a, b]);
    expect(text.stderr).toBe('');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/rows read 2, imported 1, duplicates 1/);
    expect(text.stdout).toContain(`duplicate: line 6 repeats ${a} line 7 (`);
    expect(text.stdout).toContain('REF-2)');
    expect(text.stdout).toMatch(/statement\s+account\s+ccy/);
    expect(text.stdout).toMatch(/STMT-A\s+DE89370400440532013000\s+EUR\s+0\.00\s+15\.50/);
    expect(text.stdout).toMatch(/STMT-B\s+DE89370400440532013000\s+EUR\s+10\.50\s+12\.25/);
    const json = runCli(['import', a, b, '--json']).json<{ files: { duplicates: number; duplicateRows: { line: number; id: string; duplicateOf: { file: string; line: number } }[] }[] }>();
    expect(json.files.map((file) => file.duplicates)).toEqual([0, 1]);
    expect(json.files[1]?.duplicateRows).toEqual([{ line: 6, id: expect.stringContaining('REF-2'), duplicateOf: { file: a, line: 7 } }]);
  });
});
