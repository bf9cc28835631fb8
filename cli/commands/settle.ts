import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '../../core/canonical/json.ts';
import { runSettlement, statementHash, type Statement } from '../../core/settlement/index.ts';
import type { Command } from '../command.ts';
import { EXIT_FAILED, EXIT_OK } from '../errors.ts';
import { table } from '../output.ts';
import { SETTLEMENT_OPTIONS, settlementInput } from '../settlement-inputs.ts';

/** A statement as written to disk: its content and the hash that `settledesk verify` recomputes. */
export interface StatementDocument {
  readonly statement: Statement;
  readonly sha256: string;
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
  },
  examples: [
    'settledesk settle --agreements demo-data/agreements --transactions demo-data/psp --period 2026-03 --fx-rates demo-data/fx/ecb-eurofxref-2026-03.csv',
    'settledesk settle --agreements agreements.json --transactions march/ --period 2026-03 --partner P001 --out statements/ --json',
  ],
  async run(args, output) {
    const input = settlementInput(args);
    const result = runSettlement(input);
    const statements = result.statements.map(summary);
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
    output.document({ period: input.period, revision: result.revision, statements, exceptions: result.exceptions });
    return result.exceptions.length > 0 ? EXIT_FAILED : EXIT_OK;
  },
};
