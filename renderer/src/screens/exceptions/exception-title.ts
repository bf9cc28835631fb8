import type { TFunction } from 'i18next';
import { isDecimalString } from '../../../../core/money/decimal.ts';
import type { ExceptionRecord } from '../../../../core/exceptions/model.ts';
import { REVIEW_NS } from '../../grid/texts.ts';
import { rejectionReason } from '../imports/reason-text.ts';

/** Money, dates and counts as the analyst reads them (useFormat's shape). */
export interface TitleFormat {
  readonly money: (amount: string, currency: string) => string;
  readonly date: (value: string) => string;
  readonly count: (count: number) => string;
}

type TitledRecord = Pick<ExceptionRecord, 'type' | 'title' | 'details' | 'sourceRefs' | 'partnerId' | 'period'>;
type Say = (record: TitledRecord, facts: Facts) => string | null;

const SIDES = ['internal', 'psp', 'pspUnsettled', 'bank'] as const;
const BATCH_PROBLEMS = ['unlinked', 'already_detailed', 'unreadable_details', 'count_mismatch', 'total_mismatch'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The record's facts read safely: a missing or malformed one makes the title core's English. */
class Facts {
  constructor(
    private readonly details: Readonly<Record<string, string>>,
    readonly t: TFunction,
    readonly format: TitleFormat,
  ) {}

  text(key: string): string | null {
    const value = this.details[key];
    return value === undefined || value === '' ? null : value;
  }

  money(key: string, currency: string | null): string | null {
    const value = this.text(key);
    return value === null || currency === null || !isDecimalString(value) ? null : this.format.money(value, currency);
  }

  /** Every fact, for a text that says them all (an importer's check said by its code). */
  all(): Readonly<Record<string, string>> {
    return this.details;
  }

  date(key: string): string | null {
    const value = this.text(key);
    return value === null || !DATE.test(value) ? null : this.format.date(value);
  }
}

// Line numbers stay as written (a file's line 1234, not 1,234).
const importLines = (record: TitledRecord): number[] => record.sourceRefs.flatMap((ref) => (ref.kind === 'import-row' && ref.line !== null ? [ref.line] : []));

const unmatched: Say = (record, facts) => {
  const side = SIDES.find((each) => each === facts.text('side'));
  const currency = facts.text('currency');
  const date = facts.date('date');
  if (side === undefined || currency === null || date === null) return null;
  if (facts.text('grouped') === 'day') return unmatchedGroup(side, currency, date, facts);
  const amount = facts.money('amount', currency);
  return amount === null ? null : facts.t(`unmatched.${side}`, { amount, currency, date });
};

/** Many unmatched rows of one day as one exception: their count and exact net and gross totals. */
function unmatchedGroup(side: (typeof SIDES)[number], currency: string, date: string, facts: Facts): string | null {
  const count = Number(facts.text('count'));
  const net = facts.money('net', currency);
  const gross = facts.money('gross', currency);
  if (!Number.isSafeInteger(count) || net === null || gross === null) return null;
  const account = facts.text('account');
  return facts.t(`unmatchedGroup.${side}`, { count: facts.format.count(count), date, net, gross, currency, account: account === null ? '' : facts.t('unmatchedGroup.account', { account }) });
}

const bankBatch: Say = (_record, facts) => {
  const problem = BATCH_PROBLEMS.find((each) => each === facts.text('status'));
  const file = facts.text('fileName');
  const line = facts.text('entryLine');
  const count = Number(facts.text('detailCount'));
  if (problem === undefined || file === null || line === null || !Number.isSafeInteger(count)) return null;
  const currency = facts.text('currency');
  const bookedAmount = facts.money('entryAmount', currency);
  const detailsAmount = facts.money('detailsTotal', currency);
  return facts.t('batch.title', {
    problem: facts.t(`batch.problem.${problem}`),
    file,
    line,
    booked: bookedAmount === null ? '' : facts.t('batch.booked', { amount: bookedAmount, currency }),
    details: detailsAmount === null ? '' : facts.t('batch.details', { amount: detailsAmount }),
    count: facts.format.count(count),
  });
};

const mismatch: Say = (record, facts) => {
  if (facts.text('kind') === 'bank_batch') return bankBatch(record, facts);
  const rule = facts.text('rule');
  const currency = facts.text('currency');
  const unexplained = facts.money('unexplained', currency);
  const difference = facts.money('difference', currency);
  if (rule === null || currency === null || unexplained === null || difference === null) return null;
  // The rule's words are the Reconciliation screen's (review texts); an unknown rule as core wrote it.
  return facts.t('mismatch', { rule: facts.t(`reconciliation.rules.${rule}`, { ns: REVIEW_NS, defaultValue: rule }), unexplained, currency, difference });
};

const fxMissing: Say = (record, facts) => {
  const from = facts.text('from');
  const to = facts.text('to');
  const date = facts.date('date');
  if (from === null || to === null || date === null) return null;
  return facts.t('fxMissing', { from, to, date, count: facts.format.count(record.sourceRefs.filter((ref) => ref.kind === 'transaction').length) });
};

const rejected: Say = (record, facts) => {
  const file = facts.text('fileName');
  const [line] = importLines(record);
  const reason = facts.text('reason');
  if (file === null || line === undefined || reason === null) return null;
  // Said by the importer's code and values where it names them (from-import keeps them); else its English as written.
  const said = rejectionReason({ reason, says: facts.text('says') ?? undefined, params: facts.all() }, facts.t);
  return facts.t('rejected', { file, line: String(line), reason: said });
};

const duplicate: Say = (record, facts) => {
  const file = facts.text('fileName');
  const lines = importLines(record);
  if (file === null || lines.length === 0) return null;
  if (facts.text('fingerprint') !== null) return facts.t('possibleDuplicate', { file, lines: lines.join(', ') });
  return facts.t('duplicate', { file, line: String(lines[0]) });
};

const conflicting: Say = (record, facts) => {
  const file = facts.text('fileName');
  const [line] = importLines(record);
  const currency = facts.text('currency');
  const amount = facts.money('amount', currency);
  if (file === null || line === undefined || currency === null || amount === null) return null;
  const firstLine = Number(facts.text('firstLine'));
  const firstCurrency = facts.text('firstCurrency');
  const firstAmount = facts.money('firstAmount', firstCurrency);
  return facts.t('conflicting.title', {
    file,
    line: String(line),
    first: Number.isSafeInteger(firstLine) && firstLine > 0 ? facts.t('conflicting.firstLine', { line: String(firstLine) }) : facts.t('conflicting.earlierRow'),
    amount,
    currency,
    against: firstAmount === null ? '' : facts.t('conflicting.against', { amount: firstAmount, currency: firstCurrency }),
  });
};

const partnerQuery: Say = (record, facts) => {
  const revision = facts.text('revision');
  const line = facts.text('line');
  if (record.partnerId === null || record.period === null || revision === null || line === null) return null;
  return facts.t('partnerQuery', { partner: record.partnerId, line, period: record.period, revision });
};

const OTHER_ISSUES = ['control_total_mismatch', 'format_rule_broken', 'statement_gap', 'encoding_replaced', 'reversal_convention'] as const;
// The importers' wording (core/ingest/decode.ts, core/importers/camt.ts), read for its parts.
const ENCODING_GUESSED = /^lines? (\d+(?:, \d+)*)(?: and (\d+) more)? (?:is|are) not UTF-8 and (?:was|were) read as (\S+), the single-byte code page that fits them best;/;
// The BAI2 control checks core/importers/bai2.ts says by code (says) and values, besides its English.
const CONTROL_CHECKS = ['account_total', 'account_records', 'credit_summary', 'debit_summary', 'group_total', 'group_accounts', 'group_records', 'file_total', 'file_groups', 'file_records'] as const;
// The TxsSummry figures core/importers/camt.ts compares, in its order ('stated.<path>' and 'read.<path>' when they differ).
const CAMT_SUMMARY = ['TtlNtries/NbOfNtries', 'TtlNtries/Sum', 'TtlCdtNtries/NbOfNtries', 'TtlCdtNtries/Sum', 'TtlDbtNtries/NbOfNtries', 'TtlDbtNtries/Sum'] as const;
// The format rules core/importers (mt940.ts, bai2.ts through text-lines.ts BrokenRules, camt.ts, ofx.ts) say by code, with the lines that broke them.
const BROKEN_RULES = ['comma_missing', 'indented_tag', 'zero_balance_unsigned', 'balance_unsigned', 'spaces_in_61', 'ends_before_closing', 'closing_missing', 'stray_spaces', 'several_records', 'blank_control_total', 'blank_count', 'ends_after_49', 'ends_after_98', 'balance_type_missing', 'balance_sign_missing', 'clbd_missing', 'curdef_missing', 'curdef_empty', 'required_balance_missing', 'balamt_empty', 'balance_currency_unknown', 'sgml_body', 'end_tag_closes_open', 'ends_unclosed'] as const;
const LINES_AT = /^lines? (\d+(?:, \d+)*)(?: and (\d+) more)?: /;
const RULE_BROKEN_TAIL = /; imported because every amount, sign and date could still be read$/;
const REVERSALS_OTHER_WAY = /^line (\d+): statement (\S*) (\S+) (\S+) balances only if its (\d+) reversal\(s\) \(RvslInd\) are signed the other way\. Read with reversalSign '([\w-]+)'.* import this account with reversalSign '([\w-]+)'/;

/** OFX's elements left open (core/importers/ofx.ts: names and their lines, comma-separated) said as a list, counted for the verb. */
function openElements(facts: Facts): { readonly open?: string; readonly count?: number } {
  const names = facts.text('elements')?.split(',') ?? [];
  const lines = facts.text('elementLines')?.split(',') ?? [];
  if (names.length === 0 || names.length !== lines.length) return {};
  return { open: names.map((element, index) => facts.t('issue.openElement', { element, line: lines[index] })).join(', '), count: names.length };
}

/**
 * An import issue other than a statement check: from-import.ts keeps only its code and file, the
 * rest is the importer's English message (core's title after the file name). Said in full where
 * the importer's wording is known (a guessed encoding, reversals signed the other way); otherwise
 * named by its code, the importer's own words after it.
 */
function otherIssue(record: TitledRecord, facts: Facts, code: string, file: string): string | null {
  const kind = OTHER_ISSUES.find((each) => each === code);
  if (kind === undefined || !record.title.startsWith(`${file}: `)) return null;
  let detail = record.title.slice(file.length + 2);
  // Most importers' messages name the file again.
  if (detail.startsWith(`${file}: `)) detail = detail.slice(file.length + 2);
  const check = kind === 'control_total_mismatch' ? CONTROL_CHECKS.find((each) => each === facts.text('says')) : undefined;
  if (check !== undefined) return facts.t('issue.other', { file, kind: facts.t(`issue.kind.${kind}`), detail: facts.t(`issue.control.${check}`, facts.all()) });
  if (kind === 'control_total_mismatch' && facts.text('says') === 'summary_mismatch') {
    const parts = CAMT_SUMMARY.flatMap((path) => {
      const [stated, read] = [facts.text(`stated.${path}`), facts.text(`read.${path}`)];
      return stated === null || read === null ? [] : [facts.t('issue.summary.part', { path, stated, read })];
    });
    const where = { element: facts.text('element') ?? '', statementId: facts.text('statementId') ?? '', account: facts.text('account') ?? '' };
    return facts.t('issue.other', { file, kind: facts.t(`issue.kind.${kind}`), detail: facts.t('issue.summary.whole', { ...where, parts: parts.join('; ') }) });
  }
  const rule = kind === 'format_rule_broken' ? BROKEN_RULES.find((each) => each === facts.text('says')) : undefined;
  const lines = facts.text('lines');
  if (rule !== undefined && lines !== null) {
    const more = Number(facts.text('more') ?? '');
    const where = facts.t('issue.at', { lines, more: more > 0 ? facts.t('issue.more', { count: facts.format.count(more) }) : '' });
    return facts.t('issue.other', { file, kind: facts.t(`issue.kind.${kind}`), detail: `${where}: ${facts.t(`issue.rule.${rule}`, { ...facts.all(), ...openElements(facts) })}` });
  }
  const encoding = kind === 'encoding_replaced' ? ENCODING_GUESSED.exec(detail) : null;
  if (encoding !== null) {
    const [, lines = '', more, name = ''] = encoding;
    return facts.t('issue.encodingReplaced', { file, lines, more: more === undefined ? '' : facts.t('issue.more', { count: facts.format.count(Number(more)) }), encoding: name });
  }
  const reversals = kind === 'reversal_convention' ? REVERSALS_OTHER_WAY.exec(detail) : null;
  if (reversals !== null) {
    const [, line = '', statement = '', account = '', currency = '', count = '', sign = '', other = ''] = reversals;
    return facts.t('issue.reversalConvention', { file, line, statement, account, currency, count, sign, other });
  }
  // The lines it names said as the screen says lines; the format rule's closing words are what its kind says already.
  const at = LINES_AT.exec(detail);
  const rest = (at === null ? detail : detail.slice(at[0].length)).replace(RULE_BROKEN_TAIL, '');
  const where = at === null ? null : facts.t('issue.at', { lines: at[1], more: at[2] === undefined ? '' : facts.t('issue.more', { count: facts.format.count(Number(at[2])) }) });
  return facts.t('issue.other', { file, kind: facts.t(`issue.kind.${kind}`), detail: where === null ? rest : `${where}: ${rest}` });
}

/** An import's issue: a statement check from the statement's facts (from-import.ts keeps them), another from its code and core's message. */
const importIssue: Say = (record, facts) => {
  const code = facts.text('code');
  const file = facts.text('fileName');
  const account = facts.text('account');
  const currency = facts.text('currency');
  if (code !== null && file !== null && code !== 'balance_mismatch' && code !== 'statement_incomplete') return otherIssue(record, facts, code, file);
  if ((code !== 'balance_mismatch' && code !== 'statement_incomplete') || file === null || account === null || currency === null) return null;
  // An id-less statement reads 'statement  ACCOUNT' as core writes it.
  const where = { file, statement: facts.text('statementId') ?? '', account, currency };
  if (code === 'statement_incomplete') {
    const count = Number(facts.text('rejectedEntries'));
    return Number.isSafeInteger(count) ? facts.t('issue.statementIncomplete', { ...where, count: facts.format.count(count) }) : null;
  }
  const [opening, credits, debits, closing] = (['opening', 'credits', 'debits', 'closing'] as const).map((key) => facts.money(key, currency));
  if (opening === null || credits === null || debits === null || closing === null) return null;
  return facts.t('issue.balanceMismatch', { ...where, opening, credits, debits, closing });
};

/** Types whose title is said from the record's facts; insight anomalies (their summary is English text) keep core's. */
const SAY: Partial<Record<ExceptionRecord['type'], Say>> = {
  unmatched: (record, facts) => (facts.text('kind') === 'bank_batch' ? bankBatch(record, facts) : unmatched(record, facts)),
  amount_mismatch: mismatch,
  fx_rate_missing: fxMissing,
  import_rejected: rejected,
  duplicate,
  conflicting_duplicate: conflicting,
  'partner-query': partnerQuery,
  anomaly: importIssue,
};

/**
 * An exception's title in the language of `t` (bound to EXCEPTION_TITLES_NS), its money and
 * dates formatted by `format`. Core's English title when the type is not covered or a fact the
 * text needs is missing (a record stored before the fact was kept).
 */
export function exceptionTitle(record: TitledRecord, t: TFunction, format: TitleFormat): string {
  return SAY[record.type]?.(record, new Facts(record.details, t, format)) ?? record.title;
}
