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
  readonly imports: ImportResult[];
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
  const imports: ImportResult[] = [];
  for (const file of expandInputs(inputs)) {
    const result = importFile(IMPORTERS, readInputFile(file), file, { format: 'auto', pseudonymization: reading.policy, knownIds: known, importerOptions: reading.profile });
    for (const transaction of result.transactions) {
      known.set(transaction.id, { line: transaction.source.line, sourceId: transaction.source.sourceId });
      transactions.push(transaction);
    }
    imports.push(result);
  }
  if (transactions.length === 0 && imports.length === 0) throw new SettleDeskError('input_empty', `no files found in ${inputs.join(', ')}`);
  if (reading.rules === undefined) return { transactions, imports, unclassified: 0 };
  const result = classify(transactions, reading.rules);
  return { transactions: [...result.classified.map((each) => each.transaction), ...result.unclassified], imports, unclassified: result.unclassified.length };
}
