import { AMOUNT_FORMATS } from '../money/parse.ts';
import { formatAmount } from '../money/format.ts';
import { statementHash, type Statement, type StatementLine, type StatementTotals } from '../settlement/index.ts';
import { koreanNote, koreanRule } from './korean-notes.ts';
import { STATEMENT_LABELS, type StatementLabels, type StatementLocale } from './labels.ts';
import { termsInWords } from './terms-words.ts';

/**
 * What a statement's printed form shows, decided here in core/ so the PDF renderer (node/) only
 * lays out blocks and never decides content or touches money: every amount below is the
 * statement's own decimal string, grouped by thousands as text, never parsed into a float.
 */
export interface DocumentColumn {
  readonly label: string;
  /** Share of the table width. */
  readonly weight: number;
  readonly align: 'left' | 'right';
}

export interface DocumentRow {
  readonly cells: readonly string[];
  /** A full-width line under the row: the line's explanation. */
  readonly note?: string;
  readonly emphasis?: boolean;
}

export type DocumentBlock =
  | { readonly kind: 'heading'; readonly text: string }
  | { readonly kind: 'fields'; readonly rows: readonly (readonly [string, string])[] }
  | { readonly kind: 'paragraphs'; readonly items: readonly string[] }
  | { readonly kind: 'table'; readonly columns: readonly DocumentColumn[]; readonly rows: readonly DocumentRow[] };

/** Who signs the statement: public facts of the certificate only (the key stays with the signer). */
export interface StatementIssuer {
  readonly name: string;
  readonly development: boolean;
}

export interface StatementDocument {
  readonly locale: StatementLocale;
  readonly title: string;
  /** Printed on every page when set: a development certificate or an unsigned draft. */
  readonly mark: string | null;
  readonly sha256: string;
  readonly hashLabel: string;
  readonly pageLabel: (index: number, count: number) => string;
  readonly blocks: readonly DocumentBlock[];
}

/** An amount as text with thousands grouped: string work on the decimal string, exact. */
export function displayAmount(amount: string): string {
  return formatAmount(amount, AMOUNT_FORMATS.en);
}

const KOREAN_ROUNDING: Readonly<Record<string, string>> = { 'half-even': '짝수 반올림', 'half-up': '반올림', down: '버림', up: '올림' };

function lineExplanation(line: StatementLine, currency: string, roundingMode: string, labels: StatementLabels, locale: StatementLocale): string {
  const kinds = line.kinds
    .filter((kind) => kind.count > 0)
    .map((kind) => {
      const name = labels.kinds[kind.kind];
      const effect = kind.weight === 1 ? (locale === 'ko' ? '가산' : 'added') : kind.weight === -1 ? (locale === 'ko' ? '차감' : 'deducted') : locale === 'ko' ? '제외' : 'not counted';
      return locale === 'ko' ? `${name} ${kind.count}건 ${displayAmount(kind.sourceAmount)} ${line.currency} (${effect})` : `${name} ${kind.count} = ${displayAmount(kind.sourceAmount)} ${line.currency} (${effect})`;
    });
  const parts = [kinds.join('; ')];
  if (line.currency !== currency) {
    const rates = line.fx.length;
    parts.push(locale === 'ko' ? `${line.currency}→${currency} 환율 ${rates}개 적용 (환율 표 참조)` : `converted ${line.currency}→${currency} at ${rates} rate${rates === 1 ? '' : 's'} (see the FX table)`);
  }
  // The engine's rounding note is English; in Korean the same facts (exact base, rounded base, mode) are written out.
  parts.push(line.rounding === 'exact' ? labels.roundingExact : locale === 'ko' ? `${line.baseExact} → ${line.base} (${KOREAN_ROUNDING[roundingMode] ?? roundingMode})` : line.rounding);
  if (line.lateCount > 0) parts.push(labels.lateCount(line.lateCount));
  return parts.filter((part) => part.length > 0).join('. ');
}

function groupLabel(key: string, labels: StatementLabels): string {
  return key === 'default' ? labels.defaultGroup : key.replace(/^product:/, `${labels.product} `);
}

function linesTable(statement: Statement, labels: StatementLabels, locale: StatementLocale): DocumentBlock {
  const rows: DocumentRow[] = [];
  for (const group of statement.groups) {
    for (const line of group.lines) {
      rows.push({
        cells: [line.productId ?? labels.noProduct, line.currency, String(line.transactionCount), displayAmount(line.baseExact), displayAmount(line.base)],
        note: lineExplanation(line, statement.settlementCurrency, statement.options.rounding.mode, labels, locale),
      });
    }
  }
  const columns: DocumentColumn[] = [
    { label: labels.product, weight: 3, align: 'left' },
    { label: labels.lineCurrency, weight: 1, align: 'left' },
    { label: labels.count, weight: 1.2, align: 'right' },
    { label: labels.baseExact, weight: 2.4, align: 'right' },
    { label: `${labels.base} (${statement.settlementCurrency})`, weight: 2.2, align: 'right' },
  ];
  return { kind: 'table', columns, rows };
}

function fxBlocks(statement: Statement, labels: StatementLabels): DocumentBlock[] {
  const rows: DocumentRow[] = [];
  for (const group of statement.groups) {
    for (const line of group.lines) {
      // A line already in the settlement currency carries an identity "rate" of 1: not a conversion, not listed.
      for (const use of line.fx.filter((each) => each.quote.from !== each.quote.to)) {
        const { quote } = use;
        rows.push({ cells: [line.productId ?? labels.noProduct, `${quote.from}→${quote.to}`, quote.rateKey, quote.rate, quote.quoteDates.join(', '), displayAmount(use.sourceBase)], note: `${labels.source}: ${quote.source}. ${quote.derivation}` });
      }
    }
  }
  if (rows.length === 0) return [{ kind: 'heading', text: labels.fxRates }, { kind: 'paragraphs', items: [labels.fxNone] }];
  const columns: DocumentColumn[] = [
    { label: labels.product, weight: 2, align: 'left' },
    { label: labels.lineCurrency, weight: 1.3, align: 'left' },
    { label: labels.rateDate, weight: 1.5, align: 'left' },
    // Derived rates keep 20 significant digits (RATE_SIGNIFICANT_DIGITS): room for them on one line.
    { label: labels.rate, weight: 3, align: 'right' },
    { label: labels.quoteDates, weight: 1.6, align: 'right' },
    { label: labels.converted, weight: 1.6, align: 'right' },
  ];
  return [{ kind: 'heading', text: labels.fxRates }, { kind: 'table', columns, rows }];
}

function groupsTable(statement: Statement, labels: StatementLabels, locale: StatementLocale): DocumentBlock {
  const rows: DocumentRow[] = statement.groups.map((group) => ({
    cells: [groupLabel(group.key, labels), displayAmount(group.base), displayAmount(group.platformFee), displayAmount(group.splitBase), displayAmount(group.share)],
    note: `${labels.rule}: ${locale === 'ko' ? koreanRule(group.rule) : group.rule}. ${group.bands.map((band) => `${labels.band} ${band.from}–${band.to ?? '∞'} @ ${band.rate} %: ${labels.measure} ${displayAmount(band.measure)} → ${displayAmount(band.share)}`).join('; ')}`,
  }));
  const columns: DocumentColumn[] = [
    { label: labels.group, weight: 2.6, align: 'left' },
    { label: labels.base, weight: 2, align: 'right' },
    { label: labels.platformFee, weight: 2, align: 'right' },
    { label: labels.splitBase, weight: 2, align: 'right' },
    { label: labels.share, weight: 2, align: 'right' },
  ];
  return { kind: 'table', columns, rows };
}

function adjustmentBlocks(statement: Statement, labels: StatementLabels, locale: StatementLocale): DocumentBlock[] {
  if (statement.adjustments.length === 0) return [{ kind: 'heading', text: labels.adjustments }, { kind: 'paragraphs', items: [labels.adjustmentsNone] }];
  const rows: DocumentRow[] = statement.adjustments.map((adjustment) => ({ cells: [labels.adjustmentCodes[adjustment.code], displayAmount(adjustment.amount)], note: locale === 'ko' ? koreanNote(adjustment.explanation) : adjustment.explanation }));
  return [
    { kind: 'heading', text: labels.adjustments },
    { kind: 'table', columns: [{ label: labels.explanation, weight: 7, align: 'left' }, { label: `${labels.amount} (${statement.settlementCurrency})`, weight: 3, align: 'right' }], rows },
  ];
}

const TOTALS_ORDER: readonly (keyof StatementTotals)[] = [
  'grossBase',
  'platformFeeInSplit',
  'shareEarned',
  'platformSplit',
  'mgTopUp',
  'mgRecouped',
  'capReduction',
  'shareOwed',
  'feesCharged',
  'feesNet',
  'vatOnFees',
  'advanceRecouped',
  'carryIn',
  'withholdingTax',
  'carryOut',
  'writtenOff',
  'platformRetained',
  'payable',
];

function totalsTable(statement: Statement, labels: StatementLabels): DocumentBlock {
  const rows: DocumentRow[] = TOTALS_ORDER.map((field) => ({ cells: [labels.totalsFields[field], displayAmount(statement.totals[field])], emphasis: field === 'payable' }));
  return { kind: 'table', columns: [{ label: labels.totals, weight: 7, align: 'left' }, { label: `${labels.amount} (${statement.settlementCurrency})`, weight: 3, align: 'right' }], rows };
}

function balancesTable(statement: Statement, labels: StatementLabels): DocumentBlock {
  const row = (label: string, before: string, after: string): DocumentRow => ({ cells: [label, displayAmount(before), displayAmount(after)] });
  return {
    kind: 'table',
    columns: [
      { label: labels.balance, weight: 5, align: 'left' },
      { label: labels.before, weight: 2.5, align: 'right' },
      { label: labels.after, weight: 2.5, align: 'right' },
    ],
    rows: [
      row(labels.carryForward, statement.stateIn.carryForward, statement.stateOut.carryForward),
      row(labels.advanceBalance, statement.stateIn.advanceBalance, statement.stateOut.advanceBalance),
      row(labels.mgRecoupableBalance, statement.stateIn.mgRecoupableBalance, statement.stateOut.mgRecoupableBalance),
    ],
  };
}

/** The printed statement for one locale. `issuer` null means an unsigned draft, and says so on every page. */
export function buildStatementDocument(statement: Statement, issuer: StatementIssuer | null, locale: StatementLocale): StatementDocument {
  const labels = STATEMENT_LABELS[locale];
  const sha256 = statementHash(statement);
  const { agreement } = statement;
  const fields: (readonly [string, string])[] = [
    [labels.issuer, issuer === null ? labels.issuerUnsigned : issuer.name],
    [labels.partner, `${statement.partnerId} (${labels.jurisdiction} ${agreement.partnerJurisdiction})`],
    [labels.period, `${statement.period.start} – ${statement.period.end}`],
    [labels.agreement, labels.agreementValue(agreement.agreementId, agreement.version, agreement.effectiveFrom, agreement.effectiveTo)],
    [labels.revision, String(statement.revision)],
    [labels.paymentDate, statement.paymentDate ?? labels.none],
    [labels.currency, statement.settlementCurrency],
    [labels.transactions, String(statement.transactionCount)],
    [labels.statementHash, sha256],
  ];
  const blocks: DocumentBlock[] = [
    { kind: 'heading', text: labels.parties },
    { kind: 'fields', rows: fields },
    { kind: 'heading', text: labels.termsInForce },
    { kind: 'paragraphs', items: termsInWords(statement.options, { currency: statement.settlementCurrency, jurisdiction: agreement.partnerJurisdiction }, locale) },
    { kind: 'heading', text: labels.lines },
    linesTable(statement, labels, locale),
    { kind: 'heading', text: labels.groups },
    groupsTable(statement, labels, locale),
    ...adjustmentBlocks(statement, labels, locale),
    { kind: 'heading', text: labels.totals },
    totalsTable(statement, labels),
    { kind: 'paragraphs', items: [`${labels.conservation}: ${statement.conservation}`] },
    { kind: 'heading', text: labels.balances },
    balancesTable(statement, labels),
    ...fxBlocks(statement, labels),
    { kind: 'heading', text: labels.statementHash },
    { kind: 'paragraphs', items: [sha256, labels.hashNote] },
  ];
  const mark = issuer === null ? labels.unsignedMark : issuer.development ? labels.developmentMark : null;
  return { locale, title: labels.title, mark, sha256, hashLabel: labels.statementHash, pageLabel: labels.page, blocks };
}
