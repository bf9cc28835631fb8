import { SettleDeskError } from '../../core/errors.ts';
import { exceptionsFromImport } from '../../core/exceptions/from-import.ts';
import { TEXT_ENCODINGS, type TextEncodingName } from '../../core/ingest/decode.ts';
import { importFile } from '../../core/ingest/import-file.ts';
import { IMPORT_FORMATS, type ImportFormat } from '../../core/ingest/importer.ts';
import { IdRegistry } from '../../core/ingest/id-registry.ts';
import { contentOf } from '../../core/ingest/pipeline.ts';
import type { ImportResult } from '../../core/ingest/result.ts';
import { IMPORTERS } from '../../core/importers/registry.ts';
import { REVERSAL_SIGNS } from '../../core/importers/camt.ts';
import type { Command } from '../command.ts';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../errors.ts';
import { sha256HexOf } from '../hash.ts';
import { checkInputFile, expandInputs, readInputFile, sniffFormat } from '../files.ts';
import { errorDocument, table, type Output } from '../output.ts';
import { DEFAULT_WORKSPACE, pseudonymization } from '../workspace.ts';
import { loadProfile } from '../profiles.ts';
import { createProgress } from '../progress.ts';
import { PartnerBalances, streamCsvImport, streamOfxImport, type PartnerBalance } from '../stream-import.ts';
import { statSync } from 'node:fs';

type FileReport = ReturnType<typeof fileReport> | { file: string; error: Record<string, unknown> };

/** Balance rows printed in human output; --json has them all. */
const BALANCE_ROWS_SHOWN_MAX = 20;

/** Duplicate rows printed in human output; --json has them all. */
const DUPLICATE_ROWS_SHOWN_MAX = 20;

function fileReport(result: Omit<ImportResult, 'transactions'> & { readonly imported: number; readonly balances: PartnerBalance[] }, sameFileAs: string | null, fileNames: ReadonlyMap<string, string>) {
  // What needs a human, as the desk will raise it; creation time is the desk's concern, so none is printed.
  const exceptions = exceptionsFromImport(result, new Date(0).toISOString()).map(({ id, type, severity, title, sourceRefs }) => ({ id, type, severity, title, sourceRefs }));
  return {
    file: result.file.fileName,
    sha256: result.file.sha256,
    format: result.file.format,
    sameFileAs,
    rowsRead: result.rowsRead,
    entriesRead: result.entriesRead,
    imported: result.imported,
    duplicates: result.duplicates.length,
    /** Each duplicate row and the row it repeats (file of this run by name, else its source id). */
    duplicateRows: result.duplicates.map(({ line, id, duplicateOf }) => ({
      line,
      id,
      duplicateOf: { file: duplicateOf.sourceId === result.file.sha256 ? result.file.fileName : duplicateOf.sourceId === null ? null : (fileNames.get(duplicateOf.sourceId) ?? duplicateOf.sourceId), line: duplicateOf.line },
    })),
    /** Rows that repeat a known id with other money or dates: kept aside, not imported, until someone decides. */
    conflicts: result.conflicts.map(({ line, id, conflictsWith, amount, currency, bookingDate, valueDate, first, transaction }) => ({
      line,
      id,
      conflictsWith,
      amount,
      currency,
      bookingDate,
      valueDate,
      first,
      keptAs: transaction?.id ?? null,
    })),
    rejected: result.rejected.map(({ line, column, code, reason }) => ({ line, column, code, reason })),
    possibleDuplicates: result.possibleDuplicates.map((group) => group.lines),
    statements: result.statements.map((s) => ({
      account: s.account,
      currency: s.currency,
      statementId: s.statementId,
      opening: s.opening,
      closing: s.closing,
      credits: s.credits,
      debits: s.debits,
      entries: s.entries,
      rejectedEntries: s.rejectedEntries,
      balanced: s.balanced,
      controlTotalsOk: s.controlTotalsOk,
    })),
    issues: result.issues,
    exceptions,
    /** Imported rows per partner and currency: count and exact sum (duplicates and rejections excluded). */
    balances: result.balances,
  };
}

function printBalances(output: Output, balances: readonly PartnerBalance[]): void {
  if (balances.length === 0) return;
  const shown = balances.slice(0, BALANCE_ROWS_SHOWN_MAX).map((b) => [b.partner ?? '(no partner)', b.currency, b.count, b.sum]);
  output.line(table(['partner', 'ccy', 'rows', 'sum'], shown).replace(/^/gm, '  '));
  if (balances.length > shown.length) output.line(`  … ${balances.length - shown.length} more partner balances (--json lists all)`);
}

function printHuman(output: Output, report: FileReport): void {
  if ('error' in report) {
    output.line(`${report.file}: REFUSED ${String(report.error.code)}: ${String(report.error.message)}`);
    return;
  }
  const same = report.sameFileAs === null ? '' : ` (same content as ${report.sameFileAs})`;
  output.line(`${report.file}  ${report.format}  sha256 ${report.sha256.slice(0, 16)}…${same}`);
  const split = report.entriesRead === report.rowsRead ? '' : ` (${report.entriesRead} entries: a row may yield two, e.g. gross and fee)`;
  output.line(`  rows read ${report.rowsRead}${split}, imported ${report.imported}, duplicates ${report.duplicates}, conflicts ${report.conflicts.length}, rejected ${report.rejected.length}`);
  if (report.statements.length > 0) {
    const rows = report.statements.map((s) => [s.statementId, s.account, s.currency, s.opening, s.credits, s.debits, s.closing, s.entries, s.balanced === null ? '-' : s.balanced ? 'yes' : 'NO']);
    output.line(table(['statement', 'account', 'ccy', 'opening', 'credits', 'debits', 'closing', 'entries', 'balanced'], rows).replace(/^/gm, '  '));
  }
  printBalances(output, report.balances);
  for (const duplicate of report.duplicateRows.slice(0, DUPLICATE_ROWS_SHOWN_MAX)) {
    output.line(`  duplicate: line ${duplicate.line} repeats ${duplicate.duplicateOf.file ?? 'an earlier import'}${duplicate.duplicateOf.line === null ? '' : ` line ${duplicate.duplicateOf.line}`} (${duplicate.id})`);
  }
  if (report.duplicateRows.length > DUPLICATE_ROWS_SHOWN_MAX) output.line(`  … ${report.duplicateRows.length - DUPLICATE_ROWS_SHOWN_MAX} more duplicate rows (--json lists all)`);
  for (const rejection of report.rejected) output.line(`  line ${rejection.line}, column ${rejection.column ?? '-'}: ${rejection.code}: ${rejection.reason}`);
  for (const issue of report.issues) output.line(`  ${issue.code}${issue.line === null ? '' : ` (line ${issue.line})`}: ${issue.message}`);
}

/**
 * Whether the file's money is fully explained: every row imported or a true duplicate, and every
 * statement's balances and control totals agree with its entries. An unbalanced statement fails
 * unless the user accepted it (it is still listed).
 */
function unexplained(report: FileReport, acceptUnbalanced: boolean): boolean {
  if ('error' in report) return true;
  if (report.rejected.length > 0 || report.conflicts.length > 0) return true;
  return !acceptUnbalanced && report.statements.some((statement) => statement.balanced === false || statement.controlTotalsOk === false);
}

export const importCommand: Command = {
  name: 'import',
  summary: 'read bank, PSP and partner files into canonical transactions and account for every row',
  usage: 'import FILE... [--format auto|csv|camt.052|camt.053|camt.054|mt940|bai2|ofx|stripe|adyen|paypal|partner-report] [--profile FILE] [--camt-reversals cdtdbtind|inverted] [--accept-unbalanced] [--json]',
  options: {
    format: { type: 'string', valueName: 'FORMAT', description: `file format, or auto to detect it (default auto): ${IMPORT_FORMATS.join(', ')}` },
    profile: { type: 'string', valueName: 'FILE', description: 'CSV mapping profile (JSON): delimiter, encoding, columns, amount and date formats' },
    encoding: { type: 'string', valueName: 'NAME', description: 'text encoding (default auto: BOM, else strict UTF-8), e.g. windows-1252, euc-kr' },
    workspace: { type: 'string', valueName: 'DIR', description: `workspace folder holding the pseudonymization key (default ${DEFAULT_WORKSPACE})` },
    pseudonymize: { type: 'string', valueName: 'on|off', description: 'pseudonymize end-customer identifiers with a keyed HMAC (default on)' },
    'accept-unbalanced': { type: 'boolean', description: 'exit 0 although a statement\'s balances or control totals do not add up (they are still listed)' },
    'camt-reversals': { type: 'string', valueName: REVERSAL_SIGNS.join('|'), description: 'sign of camt reversals (RvslInd): by CdtDbtInd as ISO 20022 says (default), or inverted as some banks write them' },
  },
  examples: ['settledesk import statement.sta', 'settledesk import camt053/*.xml --json', 'settledesk import payouts.csv --format csv --profile bank-profile.json'],
  async run(args, output) {
    if (args.positionals.length === 0) throw new UsageError('import needs at least one FILE');
    const format = (args.values.format as string | undefined) ?? 'auto';
    if (format !== 'auto' && !(IMPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format ${JSON.stringify(format)} is not one of auto, ${IMPORT_FORMATS.join(', ')}`);
    const encoding = (args.values.encoding as string | undefined) ?? 'auto';
    if (encoding !== 'auto' && !(TEXT_ENCODINGS as readonly string[]).includes(encoding)) throw new UsageError(`--encoding ${JSON.stringify(encoding)} is not one of auto, ${TEXT_ENCODINGS.join(', ')}`);
    const profile = typeof args.values.profile === 'string' ? loadProfile(args.values.profile) : undefined;
    const reversalSign = args.values['camt-reversals'] as string | undefined;
    if (reversalSign !== undefined && !(REVERSAL_SIGNS as readonly string[]).includes(reversalSign)) throw new UsageError(`--camt-reversals ${JSON.stringify(reversalSign)} is not one of ${REVERSAL_SIGNS.join(', ')}`);
    const policy = pseudonymization(args.values.pseudonymize as string | undefined, (args.values.workspace as string | undefined) ?? DEFAULT_WORKSPACE);
    // Ids of every file of this run, so a later file's repeats count as duplicates.
    const registry = new IdRegistry();
    const seenFiles = new Map<string, string>();
    const reports: FileReport[] = [];
    for (const input of args.positionals) {
      let files: string[];
      try {
        files = expandInputs([input]);
      } catch (error) {
        if (!(error instanceof SettleDeskError)) throw error;
        reports.push({ file: input, error: errorDocument(error).error });
        continue;
      }
      for (const file of files) {
        try {
          checkInputFile(file);
          if (profile !== undefined && sniffFormat(file, format) === 'csv') {
            const result = streamCsvImport(file, profile, encoding as TextEncodingName | 'auto', policy, registry, createProgress(statSync(file).size));
            reports.push(fileReport(result, seenFiles.get(result.file.sha256) ?? null, seenFiles));
            if (!seenFiles.has(result.file.sha256)) seenFiles.set(result.file.sha256, file);
            continue;
          }
          const bytes = readInputFile(file);
          if (sniffFormat(file, format) === 'ofx') {
            const result = streamOfxImport(file, bytes, encoding as TextEncodingName | 'auto', policy, registry);
            reports.push(fileReport(result, seenFiles.get(result.file.sha256) ?? null, seenFiles));
            if (!seenFiles.has(result.file.sha256)) seenFiles.set(result.file.sha256, file);
            continue;
          }
          const result = importFile(IMPORTERS, bytes, file, {
            format: format as ImportFormat | 'auto',
            encoding: encoding as TextEncodingName | 'auto',
            pseudonymization: policy,
            knownIds: registry,
            sha256Hex: sha256HexOf,
            // A camt file gets the reversal convention; any other file the CSV profile.
            importerOptions: reversalSign !== undefined && sniffFormat(file, format)?.startsWith('camt.') === true ? { reversalSign } : profile,
          });
          const balances = new PartnerBalances();
          for (const tx of result.transactions) {
            registry.record(tx.id, { line: tx.source.line, sourceId: tx.source.sourceId, content: contentOf(tx) });
            balances.addTransaction(tx);
          }
          reports.push(fileReport({ ...result, imported: result.transactions.length, balances: balances.list() }, seenFiles.get(result.file.sha256) ?? null, seenFiles));
          if (!seenFiles.has(result.file.sha256)) seenFiles.set(result.file.sha256, file);
        } catch (error) {
          // A defect of ours on one file is reported on that file (code internal, exit 1): it must
          // not take every other file's report of the run down with it.
          reports.push({ file, error: error instanceof SettleDeskError ? errorDocument(error).error : { code: 'internal', message: `${file}: ${String(error)}`, file } });
        }
      }
    }
    for (const report of reports) printHuman(output, report);
    const acceptUnbalanced = args.values['accept-unbalanced'] === true;
    const failed = reports.some((report) => unexplained(report, acceptUnbalanced));
    output.document({ files: reports, ok: !failed });
    return failed ? EXIT_FAILED : EXIT_OK;
  },
};
