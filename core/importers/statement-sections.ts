import { assert } from '../assert.ts';
import type { ParsedEntry, ParsedStatement } from '../ingest/importer.ts';
import type { Rejection } from '../ingest/result.ts';

/**
 * The step that statement formats with one section per currency (camt, OFX) share: a statement's
 * entries are read first, then each accepted entry is pointed at the section of its currency.
 */

/** An entry read from a statement before its section is known. */
export type EntryDraft = Omit<ParsedEntry, 'statementIndex'>;

/**
 * What one entry element became: a draft (with any facts the format keeps beside it) or a
 * Rejection, with the currency the entry names where it names one (its section lost money).
 */
export type EntryOutcome<TExtra extends object = object> =
  | ({ readonly ok: true; readonly entry: EntryDraft } & TExtra)
  | { readonly ok: false; readonly rejection: Rejection; readonly currency?: string | null };

/** The parts of a ParseOutput that statements add to, in file order. */
export interface StatementsOutput {
  readonly entries: ParsedEntry[];
  readonly rejected: Rejection[];
  readonly statements: ParsedStatement[];
}

/**
 * Appends one statement's sections to `output`, its accepted entries pointed at the section of
 * their currency and its rejections kept, each pointed at the section of its currency (else the
 * statement's first section), so that a statement that lost an entry is not taken for balanced.
 * `sections` must name every currency an accepted entry has.
 */
export function appendStatement(output: StatementsOutput, sections: readonly ParsedStatement[], outcomes: ReadonlyArray<EntryOutcome>): void {
  const first = output.statements.length;
  for (const outcome of outcomes) {
    if (!outcome.ok) {
      const index = sections.findIndex((section) => section.currency === outcome.currency);
      output.rejected.push({ ...outcome.rejection, statementIndex: sections.length === 0 ? null : first + Math.max(index, 0) });
      continue;
    }
    const index = sections.findIndex((section) => section.currency === outcome.entry.currency);
    assert(index !== -1, 'every accepted entry has a section in its currency', { currency: outcome.entry.currency });
    output.entries.push({ ...outcome.entry, statementIndex: first + index });
  }
  output.statements.push(...sections);
}
