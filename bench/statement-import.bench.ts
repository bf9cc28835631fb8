/**
 * Bank-statement import throughput through the real entry point (importFile with the importer
 * registry: decode, sniff, parse, ids, statement sums): a generated camt.053 of 50,000 entries
 * and an MT940 of 100,000 entries, built in memory. Each result is checked (every entry imported,
 * every statement balanced), so a fast but wrong importer fails here instead of scoring well.
 *
 * Then a big OFX 1 file streamed (issue 14: a 59 MB OFX took 35 s and 1.9 GB): generated into a
 * temporary file, then read in a child process of its own, so its peak RSS is the import's alone:
 * read, hash, decode, streamOfx, and each entry's id and statement sums, none kept. Targets:
 * 100,000 entries/s CPU and 300 MB peak RSS.
 * Run: npx tsx bench/statement-import.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeText } from '../core/ingest/decode.ts';
import { importFile } from '../core/ingest/import-file.ts';
import { EntryIdentifier } from '../core/ingest/pipeline.ts';
import type { ImportResult } from '../core/ingest/result.ts';
import { streamOfx } from '../core/importers/ofx.ts';
import { IMPORTERS } from '../core/importers/registry.ts';
import { addMinor, fromMinorUnits, toMinorUnits, type MinorUnits } from '../core/money/minor.ts';

const CAMT_ENTRIES = 50_000;
const MT940_ENTRIES = 100_000;
const MT940_ENTRIES_PER_STATEMENT = 500;
/** About 59 MB of OFX 1, the size of the file issue 14 reports. */
const OFX_ENTRIES = 330_000;
const OFX_ENTRIES_PER_SECOND_MIN = 100_000;
const OFX_RSS_MB_MAX = 300;
const OFX_CHILD_FLAG = '--ofx-stream-child';

/** Cents as an unsigned decimal with the given separator ("1234" -> "12.34"). */
function cents(minor: number, separator: string): string {
  const whole = Math.floor(minor / 100);
  return `${whole}${separator}${String(minor % 100).padStart(2, '0')}`;
}

/** Amount of entry `index` in cents: varied, every seventh one a debit. */
function entryCents(index: number): { minor: number; credit: boolean } {
  return { minor: ((index * 7919) % 250_000) + 1, credit: index % 7 !== 0 };
}

function day(index: number): string {
  return `2026-03-${String((index % 28) + 1).padStart(2, '0')}`;
}

/**
 * One camt.053.001.02 statement with full entries (references, parties, remittance, bank codes).
 * Entries follow each other without whitespace between them: xml-safety.ts counts whitespace
 * between a Stmt's children as that Stmt's text, which the 100,000-character field limit then
 * refuses past about 14,000 indented entries.
 */
function camt053(entries: number): string {
  const parts: string[] = [];
  let net = 0;
  for (let index = 0; index < entries; index++) {
    const { minor, credit } = entryCents(index);
    net += credit ? minor : -minor;
    const party = credit ? 'Dbtr' : 'Cdtr';
    parts.push(`<Ntry>
        <Amt Ccy="EUR">${cents(minor, '.')}</Amt>
        <CdtDbtInd>${credit ? 'CRDT' : 'DBIT'}</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>${day(index)}</Dt></BookgDt>
        <ValDt><Dt>${day(index)}</Dt></ValDt>
        <AcctSvcrRef>BANK-${index}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs><PmtInfId>PMT-${index % 97}</PmtInfId><EndToEndId>E2E-${index}</EndToEndId></Refs>
          <RltdPties><${party}><Nm>Studio ${index % 500} &amp; Partners</Nm></${party}><${party}Acct><Id><IBAN>DE89370400440532${String(index % 1_000_000).padStart(6, '0')}</IBAN></Id></${party}Acct></RltdPties>
          <RmtInf><Ustrd>Invoice ${index} settlement March</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
</Ntry>`);
  }
  const opening = 10_000_000;
  const closing = opening + net;
  const balance = (code: string, amount: number, date: string): string =>
    `      <Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${cents(Math.abs(amount), '.')}</Amt><CdtDbtInd>${amount < 0 ? 'DBIT' : 'CRDT'}</CdtDbtInd><Dt><Dt>${date}</Dt></Dt></Bal>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>BENCH-1</MsgId><CreDtTm>2026-03-31T18:00:00+01:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>BENCH-STMT-1</Id>
      <Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id><Ccy>EUR</Ccy></Acct>
${balance('OPBD', opening, '2026-02-28')}
${balance('CLBD', closing, '2026-03-31')}
      ${parts.join('')}
    </Stmt>
  </BkToCstmrStmt>
</Document>
`;
}

/** MT940 statements of MT940_ENTRIES_PER_STATEMENT entries each, with :86: SEPA subfields. */
function mt940(entries: number): string {
  const lines: string[] = [];
  let balance = 10_000_000;
  for (let first = 0, statement = 1; first < entries; first += MT940_ENTRIES_PER_STATEMENT, statement++) {
    const opening = balance;
    lines.push(`:20:BENCH${statement}`, ':25:NL91ABNA0417164300', `:28C:${statement}/1`, `:60F:${opening < 0 ? 'D' : 'C'}260301EUR${cents(Math.abs(opening), ',')}`);
    for (let index = first; index < Math.min(entries, first + MT940_ENTRIES_PER_STATEMENT); index++) {
      const { minor, credit } = entryCents(index);
      balance += credit ? minor : -minor;
      const date = String((index % 28) + 1).padStart(2, '0');
      lines.push(`:61:2603${date}03${date}${credit ? 'C' : 'D'}${cents(minor, ',')}NTRFREF${index}//BANK${index}`);
      lines.push(`:86:166?00SEPA OVERBOEKING?20EREF+E2E-${index} SVWZ+Invoice ${index}?21 settlement March?32Studio ${index % 500}?31DE89370400440532013000`);
    }
    lines.push(`:62F:${balance < 0 ? 'D' : 'C'}260331EUR${cents(Math.abs(balance), ',')}`, '-');
  }
  return `${lines.join('\r\n')}\r\n`;
}

function check(label: string, result: ImportResult, entries: number): void {
  const problems: string[] = [];
  if (result.rowsRead !== entries || result.transactions.length !== entries) problems.push(`${result.transactions.length} of ${entries} imported`);
  if (result.rejected.length > 0) problems.push(`${result.rejected.length} rejected, first: ${result.rejected[0]?.reason}`);
  if (result.statements.some((statement) => statement.balanced !== true)) problems.push('a statement does not balance');
  if (problems.length > 0) throw new Error(`${label}: ${problems.join('; ')}`);
}

/**
 * Best of three runs after a warm-up. Reports this process's CPU time (what one core spent on
 * us, steady on a shared machine) and the wall time of that run.
 */
function measure(label: string, fileName: string, text: string, entries: number): void {
  const bytes = new TextEncoder().encode(text);
  const run = (): ImportResult => importFile(IMPORTERS, bytes, fileName, { format: 'auto', pseudonymization: { mode: 'off' } });
  check(label, run(), entries);
  let best = { wallSeconds: Infinity, cpuSeconds: Infinity };
  for (let attempt = 0; attempt < 3; attempt++) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const result = run();
    const wallSeconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    check(label, result, entries);
    if (cpuSeconds < best.cpuSeconds) best = { wallSeconds, cpuSeconds };
  }
  const rate = (seconds: number): string => Math.round(entries / seconds).toLocaleString('en');
  const megabytes = (bytes.length / 1024 / 1024).toFixed(1);
  console.log(
    `${label.padEnd(10)} ${entries.toLocaleString('en')} entries, ${megabytes} MiB: ${rate(best.cpuSeconds)} entries/s CPU (${best.cpuSeconds.toFixed(3)} s), ${rate(best.wallSeconds)} entries/s wall (${best.wallSeconds.toFixed(3)} s)`,
  );
}

/**
 * One OFX 1.02 bank statement in the SGML style banks write: one tag per line, CRLF, leaves
 * without end tags, a name with an entity every tenth entry, LEDGERBAL = the entries' net.
 */
function ofx1(entries: number): string {
  const parts: string[] = [
    'OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\nCHARSET:1252\r\nCOMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n',
    '<OFX>\r\n<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20260331120000<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>\r\n',
    '<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>\r\n<STMTRS><CURDEF>USD\r\n',
    '<BANKACCTFROM><BANKID>121000248<ACCTID>1234567890<ACCTTYPE>CHECKING</BANKACCTFROM>\r\n<BANKTRANLIST><DTSTART>20260301<DTEND>20260331\r\n',
  ];
  let net = 0;
  for (let index = 0; index < entries; index++) {
    const { minor, credit } = entryCents(index);
    net += credit ? minor : -minor;
    const date = `202603${String((index % 28) + 1).padStart(2, '0')}`;
    const name = index % 10 === 0 ? `Studio ${index % 500} &amp; Partners` : `Studio ${index % 500} Partners`;
    parts.push(
      `<STMTTRN>\r\n<TRNTYPE>${credit ? 'CREDIT' : 'DEBIT'}\r\n<DTPOSTED>${date}120000[-5:EST]\r\n<TRNAMT>${credit ? '' : '-'}${cents(minor, '.')}\r\n<FITID>F${index}\r\n<NAME>${name}\r\n<MEMO>Invoice ${index} settlement March\r\n</STMTTRN>\r\n`,
    );
  }
  parts.push(`</BANKTRANLIST>\r\n<LEDGERBAL><BALAMT>${net < 0 ? '-' : ''}${cents(Math.abs(net), '.')}<DTASOF>20260331120000</LEDGERBAL>\r\n</STMTRS></STMTTRNRS></BANKMSGSRSV1>\r\n</OFX>\r\n`);
  return parts.join('');
}

interface OfxStreamed {
  readonly imported: number;
  readonly rejected: number;
  readonly netMatchesLedger: boolean;
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  readonly rssMbMax: number;
}

/** The file's text and SHA-256; its bytes are not held past this. */
function readDecoded(file: string): { readonly text: string; readonly sha256: string } {
  const bytes = new Uint8Array(readFileSync(file));
  return { sha256: createHash('sha256').update(bytes).digest('hex'), text: decodeText(bytes, file).text };
}

/**
 * The child's part: the file streamed as a streamed `settledesk import` would take it. Entries
 * get their ids (duplicates found) and are summed in minor units; none is kept.
 */
function streamOfxFile(file: string): OfxStreamed {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const { text, sha256 } = readDecoded(file);
  const context = { fileName: file, sha256, pseudonymize: (id: string) => id };
  const identifier = new EntryIdentifier(new Map(), context, 'ofx');
  let imported = 0;
  let net: MinorUnits = 0;
  const read = streamOfx(text, file, (entry) => {
    if (identifier.idOf(entry).duplicateOf !== null) return;
    imported++;
    net = addMinor(net, toMinorUnits(entry.amount, 2));
  });
  const cpu = process.cpuUsage(cpuBefore);
  return {
    imported,
    rejected: read.rejected.length,
    netMatchesLedger: read.sections[0]?.closing === fromMinorUnits(net, 2),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    wallSeconds: (performance.now() - started) / 1000,
    rssMbMax: process.resourceUsage().maxRSS / 1024,
  };
}

/**
 * Generates the big OFX into a temporary file and streams it in a child process, three times:
 * the best CPU time (as the other cases) and the highest peak RSS. Returns whether both targets were met.
 */
function measureOfxStream(): boolean {
  const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-ofx-bench-'));
  try {
    const file = path.join(dir, 'bench.ofx');
    writeFileSync(file, ofx1(OFX_ENTRIES));
    const runs: OfxStreamed[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), OFX_CHILD_FLAG, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (child.status !== 0) throw new Error(`OFX stream child failed (${child.status ?? child.signal}): ${child.stderr}`);
      const run = JSON.parse(child.stdout) as OfxStreamed;
      if (run.imported !== OFX_ENTRIES || run.rejected > 0 || !run.netMatchesLedger) throw new Error(`OFX stream: ${run.imported} of ${OFX_ENTRIES} imported, ${run.rejected} rejected, net matches LEDGERBAL: ${run.netMatchesLedger}`);
      runs.push(run);
    }
    const best = runs.reduce((a, b) => (b.cpuSeconds < a.cpuSeconds ? b : a));
    const result = { ...best, rssMbMax: Math.max(...runs.map((run) => run.rssMbMax)) };
    const rate = OFX_ENTRIES / result.cpuSeconds;
    const megabytes = (readFileSync(file).length / 1024 / 1024).toFixed(1);
    const rateMet = rate >= OFX_ENTRIES_PER_SECOND_MIN;
    const rssMet = result.rssMbMax <= OFX_RSS_MB_MAX;
    console.log(
      `OFX 1 stream ${OFX_ENTRIES.toLocaleString('en')} entries, ${megabytes} MiB: ${Math.round(rate).toLocaleString('en')} entries/s CPU (${result.cpuSeconds.toFixed(3)} s), ${Math.round(OFX_ENTRIES / result.wallSeconds).toLocaleString('en')} entries/s wall, peak RSS ${Math.round(result.rssMbMax)} MB`,
    );
    console.log(`target ${OFX_ENTRIES_PER_SECOND_MIN.toLocaleString('en')} entries/s: ${rateMet ? 'met' : 'NOT met'}; peak RSS <= ${OFX_RSS_MB_MAX} MB: ${rssMet ? 'met' : 'NOT met'}`);
    return rateMet && rssMet;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const childAt = process.argv.indexOf(OFX_CHILD_FLAG);
if (childAt !== -1) {
  process.stdout.write(JSON.stringify(streamOfxFile(process.argv[childAt + 1] ?? '')));
} else {
  measure('camt.053', 'bench.camt053.xml', camt053(CAMT_ENTRIES), CAMT_ENTRIES);
  measure('MT940', 'bench.sta', mt940(MT940_ENTRIES), MT940_ENTRIES);
  if (!measureOfxStream()) process.exitCode = 1;
}
