import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '../../core/canonical/json.ts';
import { SettleDeskError } from '../../core/errors.ts';
import { diffRuns, runSettlement, statementHash, type RunDiff, type RunResult, type Statement } from '../../core/settlement/index.ts';
import type { Command } from '../command.ts';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../errors.ts';
import { table } from '../output.ts';
import { inputSummary, readStatementDocument, SETTLEMENT_OPTIONS, settlementInput } from '../settlement-inputs.ts';

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
  return { period: current.period, revision, paymentDate: current.paymentDate, statements, exceptions: [], states: {} };
}

function printDiff(output: Parameters<Command['run']>[1], diff: RunDiff): void {
  const changed = diff.partners.filter((partner) => partner.change !== 'unchanged');
  output.line(`\nAgainst revision ${diff.previousRevision}: ${changed.length} of ${diff.partners.length} statements changed`);
  for (const partner of changed) {
    const payable = partner.totals.find((change) => change.field === 'payable');
    output.line(`  ${partner.partnerId}: ${partner.change}${payable === undefined ? '' : `, payable ${payable.previous} -> ${payable.current} (${payable.delta})`}, ${partner.lines.length} line changes`);
  }
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
  usage: 'settle --agreements FILE|DIR --transactions FILE|DIR --period YYYY-MM [--fx-rates FILE] [--partner ID] [--state FILE] [--out DIR] [--json]',
  options: {
    ...SETTLEMENT_OPTIONS,
    out: { type: 'string', valueName: 'DIR', description: 'write <partner>.statement.json (statement + sha256) and states.json (input for the next period) here' },
    previous: { type: 'string', valueName: 'DIR', description: "an earlier run's --out folder: show what changed (late transactions, restatements)" },
    revision: { type: 'string', valueName: 'N', description: 'revision number of this run: 1 for the first run of a period (default), 2, 3, ... for restatements' },
  },
  examples: [
    'settledesk settle --agreements demo-data/agreements --transactions demo-data/psp --period 2026-03 --fx-rates demo-data/fx/ecb-eurofxref-2026-03.csv',
    'settledesk settle --agreements agreements.json --transactions march/ --period 2026-03 --partner P001 --out statements/ --json',
  ],
  async run(args, output) {
    const revisionText = args.values.revision as string | undefined;
    if (revisionText !== undefined && !/^[1-9]\d{0,5}$/.test(revisionText)) throw new UsageError(`--revision must be a whole number from 1, not ${JSON.stringify(revisionText)}`);
    const { input: read, imports } = settlementInput(args);
    const input = { ...read, ...(revisionText === undefined ? {} : { revision: Number(revisionText) }) };
    const result = runSettlement(input);
    const statements = result.statements.map(summary);
    const inputs = inputSummary(imports);
    const rejected = inputs.reduce((sum, file) => sum + file.rejected.length, 0);
    output.line(
      `Read ${inputs.length} files: ${inputs.reduce((sum, file) => sum + file.rowsRead, 0)} rows, ${inputs.reduce((sum, file) => sum + file.imported, 0)} imported, ${inputs.reduce((sum, file) => sum + file.duplicates, 0)} duplicates, ${rejected} rejected`,
    );
    for (const file of inputs) for (const row of file.rejected) output.line(`REJECTED ${file.file}:${row.line}${row.column === null ? '' : `:${row.column}`}: ${row.code}: ${row.reason}`);
    output.line(`Settlement ${input.period.start}..${input.period.end}: ${result.statements.length} statements, ${result.exceptions.length} exceptions`);
    if (statements.length > 0) {
      output.line(
        table(
          ['partner', 'ccy', 'txs', 'gross base', 'share', 'fees', 'VAT', 'withholding', 'carry in', 'carry out', 'payable', 'sha256'],
          statements.map((s) => [s.partnerId, s.currency, s.transactions, s.grossBase, s.share, s.fees, s.tax.vatOnFees, s.tax.withholding, s.carryIn, s.carryOut, s.payable, s.sha256.slice(0, 16)]),
        ),
      );
    }
    for (const exception of result.exceptions) output.line(`EXCEPTION ${exception.partnerId}: ${exception.code}: ${exception.message}`);
    const outDir = args.values.out as string | undefined;
    if (outDir !== undefined) {
      mkdirSync(outDir, { recursive: true });
      for (const statement of result.statements) {
        const document: StatementDocument = { statement, sha256: statementHash(statement) };
        writeFileSync(path.join(outDir, `${statement.partnerId}.statement.json`), `${canonicalJson(document)}\n`);
      }
      writeFileSync(path.join(outDir, 'states.json'), `${canonicalJson(result.states)}\n`);
    }
    const previousDir = args.values.previous as string | undefined;
    const diff = previousDir === undefined ? null : diffRuns(previousRun(previousDir, result), result);
    if (diff !== null) printDiff(output, diff);
    output.document({ period: input.period, revision: result.revision, inputs, statements, exceptions: result.exceptions, diff });
    // A rejected row is money the statements do not count: the run is not clean until it is fixed.
    return result.exceptions.length > 0 || rejected > 0 ? EXIT_FAILED : EXIT_OK;
  },
};
