import { writeFileSync } from 'node:fs';
import { escapeControlCharacters } from '../../core/export/control-chars.ts';
import { journalText, type JournalTextFormat } from '../../core/export/journal-text.ts';
import { settlementJournal } from '../../core/export/settlement-journal.ts';
import { runSettlement } from '../../core/settlement/index.ts';
import type { Command } from '../command.ts';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../errors.ts';
import { hasUnsettled, inputSummary, leftOutRows, SETTLEMENT_OPTIONS, settlementInput, rejectedLines, UNSETTLED_OPTIONS, unsettledLines } from '../settlement-inputs.ts';

export const journalCommand: Command = {
  name: 'journal',
  summary: "write the run's double-entry journal for hledger/ledger or beancount, to cross-check with tools you trust",
  usage: 'journal --agreements FILE|DIR --transactions FILE|DIR --period YYYY-MM --format ledger|beancount [--fx-rates FILE] [--out FILE] [--allow-unsettled] [--json]',
  options: {
    ...SETTLEMENT_OPTIONS,
    ...UNSETTLED_OPTIONS,
    format: { type: 'string', valueName: 'ledger|beancount', description: 'journal syntax: ledger (hledger and ledger read it) or beancount (default ledger)' },
    out: { type: 'string', valueName: 'FILE', description: 'write the journal here (default: stdout)' },
  },
  examples: [
    'settledesk journal --agreements agreements/ --transactions march/ --period 2026-03 --fx-rates ecb.csv --out march.journal && hledger -f march.journal bal',
    'settledesk journal --agreements agreements/ --transactions march/ --period 2026-03 --format beancount --out march.beancount',
  ],
  async run(args, output) {
    const format = (args.values.format as string | undefined) ?? 'ledger';
    if (format !== 'ledger' && format !== 'beancount') throw new UsageError(`--format must be ledger or beancount, not ${JSON.stringify(format)}`);
    const { input: read, imports, coverage } = settlementInput(args);
    // The journal has an entry per counted transaction: they are kept, not streamed.
    const transactions = [...read.transactions];
    const input = { ...read, transactions };
    const result = runSettlement(input);
    const inputs = inputSummary(imports);
    const unsettled = coverage.unsettled();
    // The journal itself may be on stdout, so what it leaves out goes to stderr (--json: in the document).
    if (!output.json) for (const line of [...rejectedLines(inputs), ...unsettledLines(unsettled)]) output.note(line);
    const text = journalText(settlementJournal(result.statements, transactions), format as JournalTextFormat);
    const out = args.values.out as string | undefined;
    if (out !== undefined) writeFileSync(out, text);
    else if (!output.json) process.stdout.write(text);
    for (const exception of result.exceptions) output.note(escapeControlCharacters(`EXCEPTION ${exception.partnerId}: ${exception.code}: ${exception.message}`));
    output.document({ period: input.period, format, out: out ?? null, inputs, unsettled, statements: result.statements.length, exceptions: result.exceptions, journal: out === undefined ? text : undefined });
    // As settle: a rejected row or a transaction no statement counts is money missing from the journal.
    const gaps = hasUnsettled(unsettled) && args.values['allow-unsettled'] !== true;
    return result.exceptions.length > 0 || leftOutRows(inputs) > 0 || gaps ? EXIT_FAILED : EXIT_OK;
  },
};
