import { classify, compileRules, type CompiledRule } from '../core/classify/rules.ts';
import { SettleDeskError } from '../core/errors.ts';
import { importFile, type Pseudonymization } from '../core/ingest/import-file.ts';
import type { KnownTransaction } from '../core/ingest/pipeline.ts';
import type { ImportResult } from '../core/ingest/result.ts';
import { IMPORTERS } from '../core/importers/registry.ts';
import type { CanonicalTransaction } from '../core/transactions/schema.ts';
import type { ParsedCommandArgs } from './command.ts';
import { expandInputs, readInputFile } from './files.ts';
import { loadProfile } from './profiles.ts';
import { DEFAULT_WORKSPACE, pseudonymization } from './workspace.ts';

export interface LoadedTransactions {
  readonly transactions: CanonicalTransaction[];
  /** Each file's import account; its transactions are in `transactions` (classified), not kept twice. */
  readonly imports: Omit<ImportResult, 'transactions'>[];
  /** Transactions no classification rule matched (they keep what the importer gave them). */
  readonly unclassified: number;
}

/** Reads a classification rule set (JSON: {"rules": [...]}) for --rules. */
export function loadRules(file: string): CompiledRule[] {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(readInputFile(file));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SettleDeskError('json_invalid', `${file}: not valid JSON (${(error as Error).message})`, { file });
  }
  return compileRules(json);
}

/** How a command reads transaction files, from its --workspace, --profile and --rules options. */
export interface TransactionReading {
  readonly policy: Pseudonymization;
  readonly profile?: unknown;
  readonly rules?: readonly CompiledRule[];
}

export function transactionReading(values: ParsedCommandArgs['values']): TransactionReading {
  const policy = pseudonymization(undefined, (values.workspace as string | undefined) ?? DEFAULT_WORKSPACE);
  const profile = typeof values.profile === 'string' ? loadProfile(values.profile) : undefined;
  const rules = typeof values.rules === 'string' ? loadRules(values.rules) : undefined;
  return { policy, ...(profile === undefined ? {} : { profile }), ...(rules === undefined ? {} : { rules }) };
}

/**
 * Reads every file of FILE|DIR arguments with the same importers as `settledesk import`
 * (formats detected), so every command sees the transactions exactly as an import would.
 * Duplicates across the files count once; a file that cannot be read stops the command.
 */
export function loadTransactions(inputs: readonly string[], reading: TransactionReading): LoadedTransactions {
  const known = new Map<string, KnownTransaction>();
  const transactions: CanonicalTransaction[] = [];
  const imports: Omit<ImportResult, 'transactions'>[] = [];
  let unclassified = 0;
  for (const file of expandInputs(inputs)) {
    const result = importFile(IMPORTERS, readInputFile(file), file, { format: 'auto', pseudonymization: reading.policy, knownIds: known, importerOptions: reading.profile });
    for (const transaction of result.transactions) known.set(transaction.id, { line: transaction.source.line, sourceId: transaction.source.sourceId });
    // Classified file by file (rules look at one transaction at a time), so a file's rows are done with before the next is read.
    // Loops, not push(...list): a million-row file would overflow the call stack.
    const classified = reading.rules === undefined ? null : classify(result.transactions, reading.rules);
    if (classified === null) for (const transaction of result.transactions) transactions.push(transaction);
    else {
      for (const each of classified.classified) transactions.push(each.transaction);
      for (const transaction of classified.unclassified) transactions.push(transaction);
      unclassified += classified.unclassified.length;
    }
    const { transactions: _kept, ...account } = result;
    imports.push(account);
  }
  if (transactions.length === 0 && imports.length === 0) throw new SettleDeskError('input_empty', `no files found in ${inputs.join(', ')}`);
  return { transactions, imports, unclassified };
}
