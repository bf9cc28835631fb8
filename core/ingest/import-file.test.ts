import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IMPORTERS } from '../importers/registry.ts';
import { importFile, type ImportFileOptions } from './import-file.ts';

const CAMT = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2026-03-01T06:00:00</CreDtTm></GrpHdr>
<Stmt><Id>STMT-1</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Ntry><Amt Ccy="EUR">610.37</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-03-01</Dt></BookgDt><AcctSvcrRef>BR0</AcctSvcrRef></Ntry>
</Stmt></BkToCstmrStmt></Document>
`;

describe('importFile: the file hash', () => {
  const bytes = new TextEncoder().encode(CAMT);
  const options: ImportFileOptions = { format: 'auto', pseudonymization: { mode: 'off' } };

  it("is core's SHA-256, or the host's when given: the same import", () => {
    const core = importFile(IMPORTERS, bytes, 'a.xml', options);
    // `sha256sum` of the text above as a file.
    expect(core.file.sha256).toBe('4551cd9085e532e406f439e81c34cea6d9ceb41e20e32d1b405ab0d48ffe8f0d');
    expect(importFile(IMPORTERS, bytes, 'a.xml', { ...options, sha256Hex: (input) => createHash('sha256').update(input).digest('hex') })).toEqual(core);
  });

  it("names the file and its transactions' source by the host's digest", () => {
    const result = importFile(IMPORTERS, bytes, 'a.xml', { ...options, sha256Hex: () => 'f'.repeat(64) });
    expect(result.file.sha256).toBe('f'.repeat(64));
    expect(result.transactions.map((transaction) => transaction.source.sourceId)).toEqual(['f'.repeat(64)]);
  });
});
