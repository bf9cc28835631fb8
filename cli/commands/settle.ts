import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '../../core/canonical/json.ts';
import { escapeControlCharacters } from '../../core/export/control-chars.ts';
import { SettleDeskError } from '../../core/errors.ts';
import { diffRuns, runSettlement, statementHash, type MissingRate, type RunDiff, type RunResult, type Statement } from '../../core/settlement/index.ts';
import { writeOwnFile } from '../../node/files/write-own-file.ts';
import type { Command } from '../command.ts';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../errors.ts';
import { table } from '../output.ts';
import { planStatementOutput, STATEMENT_OUTPUT_OPTIONS, writeStatementOutputs } from '../statement-output.ts';
import { hasUnsettled, inputSummary, leftOutRows, readStatementDocument, SETTLEMENT_OPTIONS, settlementInput, rejectedLines, UNSETTLED_OPTIONS, unsettledLines } from '../settlement-inputs.ts';

/** A statement as written to disk: its content and the hash that `settledesk verify` recomputes. */
export interface StatementDocument {
  readonly statement: Statement;
  readonly sha256: string;
}

/** The statements an earlier `settle --out` wrote, each checked against its own hash before it is trusted. */
function previousRun(dir: string, current: RunResult): RunResult {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.statement.json')).sort();
  } catch {
    throw new SettleDeskError('file_missing', `${dir}: no such folder of statements`, { file: dir });
  }
  const statements = names.map((name) => {
    const file = `${dir}/${name}`;
    const document = readStatementDocument(file) as Partial<StatementDocument>;
    if (document.statement === undefined || document.sha256 !== statementHash(document.statement)) {
      throw new SettleDeskError('statement_hash_mismatch', `${file}: the statement does not match its sha256; it was changed after it was written`, { file });
    }
    return document.statement;
  });
  const revision = Math.max(1, ...statements.map((statement) => statement.revision));
  return { period: current.period, revision, paymentDate: current.paymentDate, statements, exceptions: [], blocked: [], states: {} };
}

/** A file-name stem is at most this long: the name stays under every file system's 255-byte limit. */
const STEM_LENGTH_MAX = 100;
const RESERVED_STEM = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/**
 * A statement's file name inside --out, from its partner id: only [A-Za-z0-9._-], no leading dot,
 * not a name Windows reserves. A partner id that had to change gets a hash of the real id appended,
 * and so does every id whose name would meet another's ignoring case (macOS and Windows folders
 * ignore case), so two partners never share a file. The names are checked to stay inside the folder.
 */
export function statementFileNames(partnerIds: readonly string[], outDir: string): Map<string, string> {
  const suffix = (partnerId: string): string => createHash('sha256').update(partnerId).digest('hex').slice(0, 12);
  const stems = new Map<string, string>();
  for (const partnerId of partnerIds) {
    const safe = partnerId.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, STEM_LENGTH_MAX);
    stems.set(partnerId, safe === partnerId && !RESERVED_STEM.test(safe) ? safe : `${safe}-${suffix(partnerId)}`);
  }
  const holders = new Map<string, string[]>();
  for (const [partnerId, stem] of stems) holders.set(stem.toLowerCase(), [...(holders.get(stem.toLowerCase()) ?? []), partnerId]);
  for (const ids of holders.values()) if (ids.length > 1) for (const partnerId of ids) stems.set(partnerId, `${(stems.get(partnerId) ?? '').slice(0, STEM_LENGTH_MAX)}-${suffix(partnerId)}`);
  const names = new Map<string, string>();
  const taken = new Set<string>();
  const root = path.resolve(outDir);
  for (const [partnerId, stem] of stems) {
    const name = `${stem}.statement.json`;
    const target = path.resolve(root, name);
    if (taken.has(name.toLowerCase()) || path.dirname(target) !== root) {
      throw new SettleDeskError('statement_name_collision', `partner ${JSON.stringify(partnerId)}: no file name of its own inside ${outDir}`, { file: target });
    }
    taken.add(name.toLowerCase());
    names.set(partnerId, name);
  }
  return names;
}


function printDiff(output: Parameters<Command['run']>[1], diff: RunDiff): void {
  const changed = diff.partners.filter((partner) => partner.change !== 'unchanged');
  output.line(`\nAgainst revision ${diff.previousRevision}: ${changed.length} of ${diff.partners.length} statements changed`);
  for (const partner of changed) {
    const payable = partner.totals.find((change) => change.field === 'payable');
    output.line(`  ${escapeControlCharacters(partner.partnerId)}: ${partner.change}${payable === undefined ? '' : `, payable ${payable.previous} -> ${payable.current} (${payable.delta})`}, ${partner.lines.length} line changes`);
  }
}

/**
 * A blocked partner-period has no statement file and nothing payable; states.json marks it, so the
 * next period run with --state is blocked too while it depends on it.
 */
function blockedLines(result: RunResult): string[] {
  return result.blocked.map((each) => {
    const origin = each.origin.period.start === each.period.start ? '' : `, because ${each.origin.period.start}..${each.origin.period.end} is blocked (${each.origin.code})`;
    return escapeControlCharacters(`BLOCKED ${each.partnerId} ${each.period.start}..${each.period.end}: ${each.code}${origin}; no statement, nothing payable, nothing to approve until it is settled again`);
  });
}

/** Text output lists this many transactions without a rate per partner; --json lists them all (up to the engine's bound). */
const MISSING_RATE_LINES_MAX = 20;

/** Each transaction a missing-rate exception names: id, date and pair, so the rate file can be completed. */
function missingRateLines(result: RunResult): string[] {
  return result.exceptions.flatMap((exception) => {
    if (exception.code !== 'fx_rate_missing' || !Array.isArray(exception.details.missing)) return [];
    const missing = exception.details.missing as MissingRate[];
    const count = typeof exception.details.count === 'number' ? exception.details.count : missing.length;
    const lines = missing.slice(0, MISSING_RATE_LINES_MAX).map((row) => escapeControlCharacters(`  no rate: ${exception.partnerId} ${row.transactionId} ${row.date} ${row.pair} (asked for ${row.rateKey})`));
    if (count > lines.length) lines.push(`  ... and ${count - lines.length} more transactions without a rate (--json lists them)`);
    return lines;
  });
}

function summary(statement: Statement) {
  const { totals } = statement;
  return {
    partnerId: statement.partnerId,
    currency: statement.settlementCurrency,
    transactions: statement.transactionCount,
    grossBase: totals.grossBase,
    share: totals.shareOwed,
    fees: totals.feesNet,
    tax: { vatOnFees: totals.vatOnFees, withholding: totals.withholdingTax },
    carryIn: totals.carryIn,
    carryOut: totals.carryOut,
    payable: totals.payable,
    sha256: statementHash(statement),
  };
}

export const settleCommand: Command = {
  name: 'settle',
  summary: "run the settlement engine for a month: each partner's statement totals and canonical hash",
  usage: 'settle --agreements FILE|DIR --transactions FILE|DIR --period YYYY-MM [--fx-rates FILE] [--partner ID] [--state FILE] [--out DIR [--pdf [--sign-p12 FILE --sign-passphrase-file FILE] [--locale en|ko]]] [--allow-unsettled] [--json]',
  options: {
    ...SETTLEMENT_OPTIONS,
    ...UNSETTLED_OPTIONS,
    out: { type: 'string', valueName: 'DIR', description: 'write <partner>.statement.json (statement + sha256) and states.json (input for the next period) here' },
    previous: { type: 'string', valueName: 'DIR', description: "an earlier run's --out folder: show what changed (late transactions, restatements)" },
    revision: { type: 'string', valueName: 'N', description: 'revision number of this run: 1 for the first run of a period (default), 2, 3, ... for restatements' },
    ...STATEMENT_OUTPUT_OPTIONS,
  },
  examples: [
    'settledesk settle --agreements demo-data/agreements --transactions demo-data/psp --period 2026-03 --fx-rates demo-data/fx/ecb-eurofxref-2026-03.csv',
    'settledesk settle --agreements agreements.json --transactions march/ --period 2026-03 --partner P001 --out statements/ --json',
    'settledesk settle --agreements agreements/ --transactions march/ --period 2026-03 --out statements/ --pdf --sign-p12 org.p12 --sign-passphrase-file org.passphrase',
  ],
  async run(args, output) {
    const revisionText = args.values.revision as string | undefined;
    if (revisionText !== undefined && !/^[1-9]\d{0,5}$/.test(revisionText)) throw new UsageError(`--revision must be a whole number from 1, not ${JSON.stringify(revisionText)}`);
    const statementOutput = await planStatementOutput(args);
    const { input: read, imports, coverage } = settlementInput(args);
    const input = { ...read, ...(revisionText === undefined ? {} : { revision: Number(revisionText) }) };
    const result = runSettlement(input);
    const statements = result.statements.map(summary);
    const inputs = inputSummary(imports);
    const rejected = inputs.reduce((sum, file) => sum + file.rejected.length, 0);
    const conflicts = inputs.reduce((sum, file) => sum + file.conflicts.length, 0);
    const unsettled = coverage.unsettled();
    output.line(
      `Read ${inputs.length} files: ${inputs.reduce((sum, file) => sum + file.rowsRead, 0)} rows, ${inputs.reduce((sum, file) => sum + file.imported, 0)} imported, ${inputs.reduce((sum, file) => sum + file.duplicates, 0)} duplicates, ${conflicts} conflicts, ${rejected} rejected`,
    );
    for (const line of rejectedLines(inputs)) output.line(line);
    for (const line of unsettledLines(unsettled)) output.line(line);
    output.line(`Settlement ${input.period.start}..${input.period.end}: ${result.statements.length} statements, ${result.exceptions.length} exceptions`);
    if (statements.length > 0) {
      output.line(
        table(
          ['partner', 'ccy', 'txs', 'gross base', 'share', 'fees', 'VAT', 'withholding', 'carry in', 'carry out', 'payable', 'sha256'],
          statements.map((s) => [s.partnerId, s.currency, s.transactions, s.grossBase, s.share, s.fees, s.tax.vatOnFees, s.tax.withholding, s.carryIn, s.carryOut, s.payable, s.sha256.slice(0, 16)]),
        ),
      );
    }
    for (const exception of result.exceptions) output.line(escapeControlCharacters(`EXCEPTION ${exception.partnerId}: ${exception.code}: ${exception.message}`));
    for (const line of missingRateLines(result)) output.line(line);
    for (const line of blockedLines(result)) output.line(line);
    const outDir = args.values.out as string | undefined;
    const written: { partnerId: string; file: string }[] = [];
    const writtenStatements: { statement: Statement; file: string }[] = [];
    if (outDir !== undefined) {
      mkdirSync(outDir, { recursive: true });
      const names = statementFileNames(result.statements.map((statement) => statement.partnerId), outDir);
      for (const statement of result.statements) {
        const document: StatementDocument = { statement, sha256: statementHash(statement) };
        const file = path.join(outDir, names.get(statement.partnerId) ?? '');
        writeOwnFile(file, `${canonicalJson(document)}\n`);
        written.push({ partnerId: statement.partnerId, file });
        writtenStatements.push({ statement, file });
      }
      writeOwnFile(path.join(outDir, 'states.json'), `${canonicalJson(result.states)}\n`);
    }
    const statementFiles = statementOutput === null ? null : await writeStatementOutputs(statementOutput, writtenStatements, output, new Date());
    const previousDir = args.values.previous as string | undefined;
    const diff = previousDir === undefined ? null : diffRuns(previousRun(previousDir, result), result);
    if (diff !== null) printDiff(output, diff);
    output.document({ period: input.period, revision: result.revision, inputs, unsettled, statements, exceptions: result.exceptions, blocked: result.blocked, written, ...(statementFiles === null ? {} : { statementFiles }), diff });
    // A rejected row, or a transaction no statement counts, is money left out: the run is not clean until it is fixed (or the gap is accepted).
    const gaps = hasUnsettled(unsettled) && args.values['allow-unsettled'] !== true;
    return result.exceptions.length > 0 || leftOutRows(inputs) > 0 || gaps ? EXIT_FAILED : EXIT_OK;
  },
};
