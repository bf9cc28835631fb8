/**
 * The hostile corpus: files an attacker, a broken export or an odd bank would send, generated at
 * test time (nothing big is committed). Each case says what must happen: refused with a typed
 * code, or imported with the rows it must account for and, where the money is known, the exact
 * sum of what was imported (worked out by hand in the case).
 *
 *   npm run hostile-corpus -- --out DIR     writes every case into DIR, for a look or a manual run
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

export type HostileExpectation =
  /** Refused whole with one of these error codes. */
  | { readonly refused: readonly string[] }
  /**
   * Read: `rows` entries accounted for (imported + rejected + duplicates + conflicts); optionally
   * exactly these imported/rejected/conflict counts and the imported sum per currency.
   */
  | {
      readonly rows: number;
      readonly imported?: number;
      readonly rejected?: number;
      readonly conflicts?: number;
      readonly sums?: Readonly<Record<string, string>>;
      /** An ImportIssue code the report must carry (a warning about a broken rule or a guessed encoding). */
      readonly issue?: string;
    }
  /** Either outcome, as long as it is typed and the row account holds (fuzzed bytes). */
  | { readonly any: true };

export interface HostileCase {
  readonly name: string;
  readonly why: string;
  readonly bytes: Uint8Array;
  readonly expect: HostileExpectation;
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

function latin(text: string, table: Readonly<Record<string, number>>): Uint8Array {
  return Uint8Array.from([...text].map((char) => table[char] ?? (char.charCodeAt(0) < 0x80 ? char.charCodeAt(0) : 0x3f)));
}

function utf16le(text: string, bom: boolean): Uint8Array {
  const out = new Uint8Array((bom ? 2 : 0) + text.length * 2);
  let at = 0;
  if (bom) {
    out[at++] = 0xff;
    out[at++] = 0xfe;
  }
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    out[at++] = code & 0xff;
    out[at++] = code >> 8;
  }
  return out;
}

/** A small deterministic generator, so the fuzzed cases are the same on every run. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

const CAMT_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId><CreDtTm>2024-03-02T00:00:00</CreDtTm></GrpHdr>';
const CAMT_STMT = '<Stmt><Id>S1</Id><CreDtTm>2024-03-02T00:00:00</CreDtTm><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>';

function camtEntry(amount: string, indicator: string, ref: string, text = 'x'): string {
  return `<Ntry><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>${indicator}</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2024-03-01</Dt></BookgDt><ValDt><Dt>2024-03-01</Dt></ValDt><AcctSvcrRef>${ref}</AcctSvcrRef><BkTxCd/><NtryDtls><TxDtls><RmtInf><Ustrd>${text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n`;
}

function camt(entries: string, head = CAMT_HEAD): string {
  return `${head}${CAMT_STMT}\n${entries}</Stmt></BkToCstmrStmt></Document>\n`;
}

function mt940(lines: readonly string[]): string {
  return [':20:HOSTILE', ':25:NL91ABNA0417164300', ':28C:1/1', ':60F:C240301EUR100,00', ...lines, ':62F:C240301EUR100,00', '-', ''].join('\r\n');
}

const OFX_HEAD = 'OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>1<ACCTID>ACC1<ACCTTYPE>CHECKING</BANKACCTFROM>\n<BANKTRANLIST><DTSTART>20240101<DTEND>20240131\n';

function ofx(transactions: string, tail = '</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n'): string {
  return `${OFX_HEAD}${transactions}${tail}`;
}

const PARTNER_HEAD = 'partner,period_start,period_end,date,product,units,gross,currency,channel,kind,reference';

function xmlCases(): HostileCase[] {
  const deep = `${CAMT_HEAD}${'<a>'.repeat(200_000)}${'</a>'.repeat(200_000)}</BkToCstmrStmt></Document>`;
  return [
    {
      name: 'camt-xxe.xml',
      why: 'an external entity would read a local file into the statement',
      bytes: utf8(`<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n${camt(camtEntry('1.00', 'CRDT', 'R1', '&x;')).replace(/^<\?xml[^>]*>\n/, '')}`),
      expect: { refused: ['xml_doctype_refused'] },
    },
    {
      name: 'camt-billion-laughs.xml',
      why: 'entity expansion would take gigabytes',
      bytes: utf8(`<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&c;</Document>\n`),
      expect: { refused: ['xml_doctype_refused'] },
    },
    { name: 'camt-deep.xml', why: '200,000 nested elements would exhaust a recursive parser', bytes: utf8(deep), expect: { refused: ['xml_too_deep', 'xml_malformed', 'file_malformed'] } },
    {
      name: 'camt-huge-field.xml',
      why: 'a 3 MB remittance text in one entry must not take the file down or be truncated silently',
      bytes: utf8(camt(`${camtEntry('1.00', 'CRDT', 'R1', 'y'.repeat(3 * 1024 * 1024))}${camtEntry('2.00', 'CRDT', 'R2')}`)),
      expect: { refused: ['field_too_long'] },
    },
    {
      name: 'camt-utf16-bom.xml',
      why: 'a UTF-16 file with its byte-order mark is valid XML',
      // 5.00 + 7.25 = 12.25 EUR, one credit each.
      bytes: utf16le(camt(`${camtEntry('5.00', 'CRDT', 'U1')}${camtEntry('7.25', 'CRDT', 'U2')}`).replace('encoding="UTF-8"', 'encoding="UTF-16"'), true),
      expect: { rows: 2, imported: 2, sums: { EUR: '12.25' } },
    },
    {
      name: 'camt-utf16-no-bom.xml',
      why: 'UTF-16 without a byte-order mark must be read or named, never "format unrecognized"',
      bytes: utf16le(camt(camtEntry('5.00', 'CRDT', 'V1')).replace('encoding="UTF-8"', 'encoding="UTF-16"'), false),
      expect: { rows: 1, imported: 1, sums: { EUR: '5.00' } },
    },
    {
      name: 'camt-fuzzed-amounts.xml',
      why: 'amounts no ISO 20022 schema allows must be rejected entry by entry, the rest imported exactly',
      // Valid: 1.00 + 0.10 + 1000.00 - 2.50 = 998.60 EUR. The other eight are not xs:decimal with two
      // fraction digits for EUR, or not a number at all.
      bytes: utf8(
        camt(
          [
            camtEntry('1.00', 'CRDT', 'A1'),
            camtEntry('0.10', 'CRDT', 'A2'),
            camtEntry('1000.00', 'CRDT', 'A3'),
            camtEntry('2.50', 'DBIT', 'A4'),
            camtEntry('1e5', 'CRDT', 'B1'),
            camtEntry('NaN', 'CRDT', 'B2'),
            camtEntry('Infinity', 'CRDT', 'B3'),
            camtEntry('1,000.00', 'CRDT', 'B4'),
            camtEntry('0x10', 'CRDT', 'B5'),
            camtEntry('\u0661\u0662', 'CRDT', 'B6'),
            camtEntry('12.345', 'CRDT', 'B7'),
            camtEntry('', 'CRDT', 'B8'),
          ].join(''),
        ),
      ),
      expect: { rows: 12, imported: 4, rejected: 8, sums: { EUR: '998.60' } },
    },
    {
      name: 'camt-conflicting-ref.xml',
      why: 'an AcctSvcrRef repeated with another amount is a conflict, never a silent duplicate',
      bytes: utf8(camt(`${camtEntry('40.00', 'CRDT', 'C1')}${camtEntry('4.00', 'CRDT', 'C1')}`)),
      expect: { rows: 2, imported: 1, conflicts: 1, sums: { EUR: '40.00' } },
    },
    {
      name: 'ofx2-doctype.ofx',
      why: 'an OFX 2 (XML) file with a DOCTYPE is refused like any XML',
      bytes: utf8('<?xml version="1.0"?>\n<?OFX OFXHEADER="200" VERSION="200"?>\n<!DOCTYPE OFX [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n<OFX>&x;</OFX>\n'),
      expect: { refused: ['xml_doctype_refused'] },
    },
  ];
}

const CP1250: Readonly<Record<string, number>> = { ą: 0xb9, ę: 0xea, ł: 0xb3, ś: 0x9c, ż: 0xbf, ź: 0x9f, ć: 0xe6, ń: 0xf1, ó: 0xf3 };
const CP852: Readonly<Record<string, number>> = { ą: 0xa5, ę: 0xa9, ł: 0x88, ś: 0x98, ż: 0xbe, ź: 0xab, ć: 0x86, ń: 0xe4, ó: 0xa2 };

function mt940Cases(): HostileCase[] {
  const narrative = ':86:Zapłata za usługę, księgowość Łódź';
  return [
    {
      name: 'mt940-cp1250.sta',
      why: 'a Polish bank writes :86: in Windows-1250: the file is imported, the guess reported',
      // 12,50 credit and 2,50 debit: 12.50 - 2.50 = 10.00 EUR.
      bytes: latin(mt940([':61:2403010301C12,50NTRFNONREF//B1', narrative, ':61:2403010301D2,50NTRFNONREF//B2', ':86:Opłata']), CP1250),
      expect: { rows: 2, imported: 2, sums: { EUR: '10.00' }, issue: 'encoding_replaced' },
    },
    {
      name: 'mt940-cp852.sta',
      why: 'the same narrative in the DOS code page CP852',
      bytes: latin(mt940([':61:2403010301C12,50NTRFNONREF//D1', narrative]).replace(':20:HOSTILE', ':20:HOSTILE852'), CP852),
      expect: { rows: 1, imported: 1, sums: { EUR: '12.50' }, issue: 'encoding_replaced' },
    },
    {
      name: 'mt940-amounts.sta',
      why: 'leading zeros past 15 characters are real; 16 significant digits or a grouping dot are not MT940',
      // Imported: 1000,89 (padded) + 0,01 + 100 = 1100.90 EUR; rejected: 16 significant digits and "1.000,00".
      // "100" has no decimal comma, which MT940 requires, but it is no guess: real banks write it
      // (Knab's C500NTRF, which its parser's own tests read as 500.00), so it imports with a warning.
      bytes: utf8(
        mt940([
          ':61:2403010301C0000000001000,89NTRFNONREF//P1',
          ':61:2403010301C0,01NTRFNONREF//P2',
          ':61:2403010301C100NTRFNONREF//P3',
          ':61:2403010301C1234567890123456,00NTRFNONREF//P4',
          ':61:2403010301C1.000,00NTRFNONREF//P5',
        ]),
      ),
      expect: { rows: 5, imported: 3, rejected: 2, sums: { EUR: '1100.90' }, issue: 'format_rule_broken' },
    },
    {
      name: 'mt940-corrupted-tag.sta',
      why: 'a :61: that lost its colon must be a rejected line, not text swallowed into the last :86:',
      // 5,00 imported; the 7,00 line without its colon is rejected with its line (7).
      bytes: utf8(mt940([':61:2403010301C5,00NTRFNONREF//K1', ':86:first', '61:2403010301C7,00NTRFNONREF//K2', ':86:second'])),
      expect: { rows: 2, imported: 1, rejected: 1, sums: { EUR: '5.00' } },
    },
    {
      name: 'mt940-huge-86.sta',
      why: 'a 2 MB narrative must be refused or rejected with its line, never truncated silently',
      bytes: utf8(mt940([':61:2403010301C5,00NTRFNONREF//H1', `:86:${'z'.repeat(2 * 1024 * 1024)}`])),
      expect: { refused: ['field_too_long'] },
    },
    {
      name: 'mt940-nul-bytes.sta',
      why: 'NUL and other control bytes inside a statement',
      bytes: utf8(mt940([':61:2403010301C5,00NTRFNONREF//N1', ':86:a\u0000b\u0007c\u001b[31m'])),
      expect: { rows: 1, imported: 1, sums: { EUR: '5.00' } },
    },
    {
      name: 'mt940-escape-in-amount.sta',
      why: 'terminal escape sequences in a rejected amount must not reach a terminal raw when the reason is printed',
      // 5,00 imported; the amount holding ESC [2J (clear screen) is rejected.
      bytes: utf8(mt940([':61:2403010301C5,00NTRFNONREF//E1', ':61:2403010301C5\u001b[2J\u0007,00NTRFNONREF//E2'])),
      expect: { rows: 2, imported: 1, rejected: 1, sums: { EUR: '5.00' } },
    },
  ];
}

function bai2Cases(): HostileCase[] {
  return [
    { name: 'bai2-88-first.bai2', why: 'a continuation with nothing to continue is a BAI2 error', bytes: utf8('88,CONTINUED/\n01,S,R,240301,0800,1,,,2/\n99,0,0,2/\n'), expect: { refused: ['file_malformed', 'record_malformed', 'file_truncated'] } },
    {
      name: 'bai2-fuzzed-amounts.bai2',
      why: 'detail amounts that are not whole numbers of minor units must be rejected one by one',
      // Imported: 195 credit 21000 (210.00) and 475 debit 7500 (75.00): 210.00 - 75.00 = 135.00 EUR.
      bytes: utf8(
        [
          '01,SENDER,RECEIVER,240301,0800,1,,,2/',
          '02,RECEIVER,BANKID,1,240229,,EUR,/',
          '03,DE44500105175407324931,,010,100000,,,015,113500,,/',
          '16,195,21000,,BR1,CR1,INCOMING/',
          '16,475,7500,,BR2,,CHEQUE/',
          '16,195,12.50,,BR3,,DECIMAL POINT/',
          '16,195,-500,,BR4,,SIGNED/',
          '16,195,1e3,,BR5,,EXPONENT/',
          '49,241000,7/',
          '98,241000,1,9/',
          '99,241000,1,11/',
          '',
        ].join('\n'),
      ),
      expect: { rows: 5, imported: 2, rejected: 3, sums: { EUR: '135.00' } },
    },
  ];
}

function ofxCases(): HostileCase[] {
  const tx = (amount: string, fitId: string) => `<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240105<TRNAMT>${amount}<FITID>${fitId}<NAME>n</STMTTRN>\n`;
  return [
    {
      name: 'ofx-unclosed-list.ofx',
      why: 'a bank that forgets to close the transaction list at the end: every amount is still readable',
      // 1.00 + 2.00 = 3.00 EUR, with a warning that the list was never closed.
      bytes: utf8(ofx(`${tx('1.00', 'F1')}${tx('2.00', 'F2')}`, '')),
      expect: { rows: 2, imported: 2, sums: { EUR: '3.00' }, issue: 'format_rule_broken' },
    },
    {
      name: 'ofx-fuzzed-amounts.ofx',
      why: 'OFX amounts in every wrong shape',
      // Only 1.00 and -0.50 are amounts: 1.00 - 0.50 = 0.50 EUR; the other six are rejected.
      bytes: utf8(ofx(['1.00', '-0.50', '1e2', '1,2,3', 'NaN', '', '\u0661', '0.001'].map((amount, index) => tx(amount, `Z${index}`)).join(''))),
      expect: { rows: 8, imported: 2, rejected: 6, sums: { EUR: '0.50' } },
    },
    {
      name: 'ofx-conflicting-fitid.ofx',
      why: 'a FITID repeated with another amount is a conflict',
      bytes: utf8(ofx(`${tx('100.00', 'D1')}${tx('10.00', 'D1')}`)),
      expect: { rows: 2, imported: 1, conflicts: 1, sums: { EUR: '100.00' } },
    },
  ];
}

function csvAndReportCases(): HostileCase[] {
  const nested = `{"format":"settledesk.partner-report/1","partner":"p","period":{"start":"2026-03-01","end":"2026-03-31"},"currency":"USD","lines":[{"reference":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`;
  return [
    { name: 'partner-deep.json', why: 'a deeply nested JSON report would overflow the stack', bytes: utf8(nested), expect: { refused: ['json_too_deep', 'file_malformed', 'field_invalid'] } },
    {
      name: 'partner-formulas.csv',
      why: 'formula cells are data: imported as text, the money exact',
      // 330.00 + 12.00 = 342.00 USD.
      bytes: utf8(`${PARTNER_HEAD}\nstudio-f,2026-03-01,2026-03-31,2026-03-01,"=HYPERLINK(""http://x"")",10,330.00,USD,ios,sale,F-1\nstudio-f,2026-03-01,2026-03-31,2026-03-02,@SUM(A1),1,12.00,USD,web,sale,F-2\n`),
      expect: { rows: 2, imported: 2, sums: { USD: '342.00' } },
    },
    {
      name: 'partner-conflict.csv',
      why: 'a partner reference repeated with other units and gross',
      bytes: utf8(`${PARTNER_HEAD}\nstudio-g,2026-03-01,2026-03-31,2026-03-01,p,1,10.00,USD,ios,sale,G-1\nstudio-g,2026-03-01,2026-03-31,2026-03-01,p,2,20.00,USD,ios,sale,G-1\n`),
      expect: { rows: 2, imported: 1, conflicts: 1, sums: { USD: '10.00' } },
    },
    {
      name: 'partner-huge-field.csv',
      why: 'a 20 MB cell must be refused with its line, not held in memory forever',
      bytes: utf8(`${PARTNER_HEAD}\nstudio-h,2026-03-01,2026-03-31,2026-03-01,${'p'.repeat(20 * 1024 * 1024)},1,1.00,USD,ios,sale,H-1\n`),
      expect: { refused: ['field_too_long'] },
    },
    { name: 'binary.bin', why: 'random bytes are no format', bytes: Uint8Array.from({ length: 4096 }, (_, index) => (index * 2654435761) >>> 24), expect: { refused: ['file_format_unrecognized', 'file_encoding_invalid'] } },
    { name: 'empty.csv', why: 'an empty file', bytes: new Uint8Array(0), expect: { refused: ['file_empty'] } },
    { name: 'bom-only.csv', why: 'a byte-order mark and nothing else', bytes: Uint8Array.from([0xef, 0xbb, 0xbf]), expect: { refused: ['file_empty', 'file_format_unrecognized', 'profile_missing'] } },
  ];
}

/** Byte-level mutations of valid small files: each must end typed, with its rows accounted for. */
function mutatedCases(bases: readonly HostileCase[]): HostileCase[] {
  const random = lcg(20_261_202);
  const cases: HostileCase[] = [];
  for (const base of bases) {
    for (let variant = 0; variant < 6; variant++) {
      const bytes = base.bytes.slice();
      const edits = 1 + Math.floor(random() * 4);
      for (let edit = 0; edit < edits; edit++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      cases.push({ name: `mutated-${variant}-${base.name}`, why: `${base.name} with ${edits} random bytes changed`, bytes, expect: { any: true } });
    }
  }
  return cases;
}

/**
 * The corpus in two sets, each imported as one run: the cases, and byte mutations of the small
 * ones (a mutated file often keeps its original's ids, so the two sets must not share a run).
 */
export function hostileCorpus(): { readonly cases: HostileCase[]; readonly mutated: HostileCase[] } {
  const cases = [...xmlCases(), ...mt940Cases(), ...bai2Cases(), ...ofxCases(), ...csvAndReportCases()];
  const small = cases.filter((each) => each.bytes.length > 0 && each.bytes.length < 4096 && !('refused' in each.expect));
  return { cases, mutated: mutatedCases(small) };
}

/** Writes the cases into DIR/cases and the mutations into DIR/mutated. */
export function writeHostileCorpus(dir: string): ReturnType<typeof hostileCorpus> {
  const corpus = hostileCorpus();
  for (const [folder, cases] of [['cases', corpus.cases], ['mutated', corpus.mutated]] as const) {
    mkdirSync(path.join(dir, folder), { recursive: true });
    for (const each of cases) writeFileSync(path.join(dir, folder, each.name), each.bytes);
  }
  return corpus;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  if (values.out === undefined) {
    console.error('usage: npm run hostile-corpus -- --out DIR');
    process.exit(2);
  }
  const corpus = writeHostileCorpus(values.out);
  console.log(`wrote ${corpus.cases.length} hostile files to ${values.out}/cases and ${corpus.mutated.length} mutations of them to ${values.out}/mutated`);
}
