import { TRANSACTION_KINDS, type TransactionKind } from '../../../../core/transactions/schema.ts';
import type { AmountFormatName } from '../../../../core/money/parse.ts';
import type { DateFormat } from '../../../../core/importers/csv-dates.ts';
import type { TFunction } from 'i18next';
import { CsvProfileError, parseCsvProfile, type CsvProfileInput, type ProfileProblem } from '../../../../core/importers/csv-profile.ts';

/**
 * What the mapping wizard's form holds, and the CsvProfileInput it makes (core validates it with
 * CsvProfileSchema). Empty choices stay out of the profile, so core names what is missing.
 */
export interface ProfileDraft {
  readonly name: string;
  readonly amountFormat: AmountFormatName;
  readonly dateColumn: string;
  readonly dateFormat: DateFormat;
  readonly sign: 'signed' | 'debit-credit';
  readonly amountColumn: string;
  readonly negate: boolean;
  readonly debitColumn: string;
  readonly creditColumn: string;
  readonly currency: 'column' | 'fixed';
  readonly currencyColumn: string;
  readonly currencyCode: string;
  readonly kind: 'column' | 'fixed';
  readonly kindColumn: string;
  readonly kindFixed: TransactionKind;
  readonly id: 'reference' | 'fingerprint';
  readonly referenceColumn: string;
  readonly descriptionColumn: string;
}

export function emptyDraft(fileName: string): ProfileDraft {
  return {
    name: fileName.replace(/\.[^.]+$/, '').slice(0, 100) || 'profile',
    amountFormat: 'plain',
    dateColumn: '',
    dateFormat: 'YYYY-MM-DD',
    sign: 'signed',
    amountColumn: '',
    negate: false,
    debitColumn: '',
    creditColumn: '',
    currency: 'column',
    currencyColumn: '',
    currencyCode: '',
    kind: 'fixed',
    kindColumn: '',
    kindFixed: 'sale',
    id: 'fingerprint',
    referenceColumn: '',
    descriptionColumn: '',
  };
}

/** Cell texts of a kind column that name a kind (case-insensitive) map to it; others are left out, so their rows are rejected as kind_unknown. */
export function kindValues(cells: readonly string[]): Record<string, TransactionKind> {
  const values: Record<string, TransactionKind> = {};
  for (const cell of cells) {
    const text = cell.trim();
    const kind = TRANSACTION_KINDS.find((candidate) => candidate === text.toLowerCase());
    if (text !== '' && kind !== undefined) values[text] = kind;
  }
  return values;
}

const optional = (column: string) => (column === '' ? undefined : column);

export function profileOf(draft: ProfileDraft, kindCells: readonly string[]): CsvProfileInput {
  const sign =
    draft.sign === 'signed'
      ? { convention: 'signed' as const, column: draft.amountColumn, negate: draft.negate }
      : { convention: 'debit-credit' as const, debit: draft.debitColumn, credit: draft.creditColumn };
  return {
    name: draft.name,
    amountFormat: draft.amountFormat,
    date: { format: draft.dateFormat },
    sign,
    currency: draft.currency === 'column' ? { column: draft.currencyColumn } : { fixed: draft.currencyCode.trim().toUpperCase() },
    kind: draft.kind === 'column' ? { column: draft.kindColumn, values: kindValues(kindCells) } : { fixed: draft.kindFixed },
    columns: { date: draft.dateColumn, description: optional(draft.descriptionColumn) },
    id: draft.id === 'reference' ? { policy: 'reference', column: draft.referenceColumn } : { policy: 'fingerprint' },
  };
}

/** The wizard's name (its text key under wizard.) for a profile field core names by path. */
const FIELD_KEYS: Readonly<Record<string, string>> = {
  name: 'profileName',
  amountFormat: 'amountFormat',
  'date.format': 'dateFormat',
  'date.timeZone': 'timeZone',
  'sign.column': 'amountColumn',
  'sign.debit': 'debitColumn',
  'sign.credit': 'creditColumn',
  'currency.column': 'currencyColumnName',
  'currency.fixed': 'currencyCode',
  'kind.column': 'kind',
  'kind.fixed': 'kind',
  'columns.date': 'dateColumn',
  'columns.description': 'descriptionColumn',
  'id.column': 'referenceColumn',
};
/**
 * What keeps a draft's profile from being valid, in the language of `t` (the desk's texts), by core's
 * codes (every ProfileProblem code has a text), a field by the wizard's name for it; none for a valid profile.
 */
export function profileProblems(profile: CsvProfileInput, t: TFunction): string[] {
  try {
    parseCsvProfile(profile);
    return [];
  } catch (error) {
    if (!(error instanceof CsvProfileError)) throw error;
    return (error.details.problems as readonly ProfileProblem[]).map((problem) => {
      const key = FIELD_KEYS[problem.path];
      return t(`wizard.problem.${problem.says}`, { field: key === undefined ? problem.path : t(`wizard.${key}`), value: problem.value ?? '' });
    });
  }
}
