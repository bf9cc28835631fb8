import { STATEMENT_LABELS } from './labels.ts';

/**
 * The engine writes its calculation notes (adjustment explanations, the tier rule) in English.
 * A Korean statement shows them in Korean: each known note shape is rewritten with its numbers
 * kept as they are. A note of a shape not listed here (an engine change) is shown unchanged,
 * English but correct, rather than dropped; tests pin the shapes the engine writes today.
 */
const SIDE: Readonly<Record<string, string>> = { higher: '상위', lower: '하위' };
const WHEN: Readonly<Record<string, string>> = { after: '후', before: '전' };
const BASIS: Readonly<Record<string, string>> = { gross: '총액', net: '순액', 'gross-share': '총 배분액', 'cash-paid': '실지급액', share: '배분액', 'net-payable': '순지급액' };

const word = (table: Readonly<Record<string, string>>, key: string): string => table[key] ?? key;
const MEASURE: Readonly<Record<string, string>> = { revenue: '매출', count: '건수' };

/** A fee note's kinds ("sale, refund", the agreement's transaction kinds) in Korean, as the statement's lines name them. */
const koreanKinds = (kinds: string): string => kinds.split(', ').map((kind) => word(STATEMENT_LABELS.ko.kinds, kind)).join(', ');

/** The tier rule shapes the engine writes (core/settlement/tiers.ts), by code, so a screen can say the rule in its language too. */
const RULE_SHAPES = [
  { code: 'flat', pattern: /^flat (\S+) %$/, names: ['rate'] },
  { code: 'zero_base', pattern: /^zero base$/, names: [] },
  { code: 'negative_zero', pattern: /^negative base: zero share$/, names: [] },
  { code: 'negative_first', pattern: /^negative base: first tier rate (\S+) %$/, names: ['rate'] },
  { code: 'count_first', pattern: /^count (\S+) with a positive base: first tier rate (\S+) %$/, names: ['count', 'rate'] },
  // The measure a tiered share counts (revenue or count) and, over a contract year, what it had reached before the period ('' for a per-period tier).
  { code: 'marginal', pattern: /^marginal on (revenue|count)(?:, contract year to date (\S+) before this period)?: each band at its own rate$/, names: ['measure', 'before'] },
  { code: 'retroactive', pattern: /^retroactive on (revenue|count)(?:, contract year to date (\S+) before this period)?: reached (\S+), boundary to the (\w+) tier, whole base at (\S+) %$/, names: ['measure', 'before', 'reached', 'side', 'rate'] },
] as const satisfies readonly { code: string; pattern: RegExp; names: readonly string[] }[];

export type RuleCode = (typeof RULE_SHAPES)[number]['code'];

export interface RuleParts {
  readonly code: RuleCode;
  readonly params: Readonly<Record<string, string>>;
}

function koreanMeasure(p: Readonly<Record<string, string>>): string {
  const measure = word(MEASURE, p.measure ?? '');
  return p.before ? `${measure}, 이번 기간 전 계약 연도 누계 ${p.before}` : measure;
}

const KOREAN_RULES: Readonly<Record<RuleCode, (p: Readonly<Record<string, string>>) => string>> = {
  flat: (p) => `단일 요율 ${p.rate} %`,
  zero_base: () => '기준액 0',
  negative_zero: () => '음수 기준액: 배분 없음',
  negative_first: (p) => `음수 기준액: 첫 구간 요율 ${p.rate} %`,
  count_first: (p) => `건수 ${p.count}, 양수 기준액: 첫 구간 요율 ${p.rate} %`,
  marginal: (p) => `구간별 한계 요율 (${koreanMeasure(p)})`,
  retroactive: (p) => `소급 요율 (${koreanMeasure(p)}): ${p.reached} 도달, 경계값은 ${word(SIDE, p.side ?? '')} 구간, 전체 기준액에 ${p.rate} %`,
};

/**
 * The note shapes the engine writes, each with a stable code and its numbers and words by name,
 * so a screen can say a note in its own language (renderer i18next) and this file in Korean for
 * the printed statement. `amounts` name the parameters that are money in the settlement
 * currency; `rest` is what follows a fee note (" (VAT 19 % included)" or nothing).
 */
const SHAPES = [
  { code: 'platform_fee', pattern: /^platform fee (\S+) % on (\S+), separate from the split(.*)$/, names: ['rate', 'basis', 'rest'], amounts: [] },
  { code: 'transaction_fee', pattern: /^(\d+) transactions \(([^)]*)\) x (\S+?)(\s\(VAT.*)?$/, names: ['count', 'kinds', 'fee', 'rest'], amounts: ['fee'] },
  { code: 'periodic_fee', pattern: /^fixed fee per period(, charged in an empty period)?(.*)$/, names: ['empty', 'rest'], amounts: [] },
  { code: 'vat_added', pattern: /^VAT (\S+) % \(([^)]*)\) added on fees (\S+)$/, names: ['rate', 'where', 'fees'], amounts: ['fees'] },
  { code: 'vat_included', pattern: /^VAT (\S+) % \(([^)]*)\) included in fees (\S+): (.*)$/, names: ['rate', 'where', 'fees', 'formula'], amounts: ['fees'] },
  { code: 'advance_recouped', pattern: /^advance recouped from (\S+), at most (\S+) % of (\S+), (\S+) outstanding$/, names: ['from', 'rate', 'basis', 'open'], amounts: ['basis', 'open'] },
  { code: 'carry_in', pattern: /^balance carried in from the previous period$/, names: [], amounts: [] },
  { code: 'withholding_no_cash', pattern: /^withholding (\S+) % on cash paid: no cash paid this period$/, names: ['rate'], amounts: [] },
  { code: 'withholding', pattern: /^withholding (\S+) % \(([^)]*)\) on (\S+) (after|before) carry-forward and recoupment: basis (\S+)$/, names: ['rate', 'where', 'basis', 'when', 'amount'], amounts: ['amount'] },
  { code: 'negative_carried', pattern: /^negative balance (\S+) carried forward$/, names: ['amount'], amounts: ['amount'] },
  { code: 'negative_written_off', pattern: /^negative balance (\S+) written off$/, names: ['amount'], amounts: ['amount'] },
  { code: 'under_minimum', pattern: /^(\S+) is under the minimum payout (\S+): rolled into the next period$/, names: ['amount', 'minimum'], amounts: ['amount', 'minimum'] },
  { code: 'cap', pattern: /^cap (\S+) applied (\S+): share reduced by (\S+)$/, names: ['cap', 'when', 'cut'], amounts: ['cap', 'cut'] },
  { code: 'mg_not_applied', pattern: /^minimum guarantee (\S+) not applied: empty period$/, names: ['amount'], amounts: ['amount'] },
  { code: 'mg_top_up', pattern: /^minimum guarantee (\S+): top-up (\S+) \((recoupable|not recoupable)\)$/, names: ['amount', 'topUp', 'recoupable'], amounts: ['amount', 'topUp'] },
  { code: 'mg_recouped', pattern: /^recouped (\S+) of earlier guarantee top-ups \((\S+) outstanding\) from the share above (\S+)$/, names: ['recouped', 'open', 'above'], amounts: ['recouped', 'open', 'above'] },
] as const satisfies readonly { code: string; pattern: RegExp; names: readonly string[]; amounts: readonly string[] }[];

export type NoteCode = (typeof SHAPES)[number]['code'];

export interface NoteParts {
  readonly code: NoteCode;
  /** Every named part, as the engine wrote it ('' for an optional part that is absent). */
  readonly params: Readonly<Record<string, string>>;
  readonly amounts: readonly string[];
}

/** The first shape the text matches, with its named parts ('' for an optional part that is absent). */
function partsOf<Shape extends { readonly pattern: RegExp; readonly names: readonly string[] }>(text: string, shapes: readonly Shape[]): { readonly shape: Shape; readonly params: Record<string, string> } | null {
  for (const shape of shapes) {
    const match = shape.pattern.exec(text);
    if (match === null) continue;
    const params: Record<string, string> = {};
    shape.names.forEach((name, index) => {
      params[name] = match[index + 1] ?? '';
    });
    return { shape, params };
  }
  return null;
}

/** A note's code and parts, or null for a shape not listed here (shown as the engine wrote it). */
export function noteParts(note: string): NoteParts | null {
  const found = partsOf(note, SHAPES);
  return found === null ? null : { code: found.shape.code, params: found.params, amounts: found.shape.amounts };
}

/** A tier rule's code and parts, or null for a shape not listed here (shown as the engine wrote it). */
export function ruleParts(rule: string): RuleParts | null {
  const found = partsOf(rule, RULE_SHAPES);
  return found === null ? null : { code: found.shape.code, params: found.params };
}

/** The VAT rate a fee note's rest states as included; null when the rest says something else (or nothing). */
export function includedVatRate(rest: string): string | null {
  return /^\s?\(VAT (\S+) % included\)$/.exec(rest)?.[1] ?? null;
}

const KOREAN: Readonly<Record<NoteCode, (p: Readonly<Record<string, string>>) => string>> = {
  platform_fee: (p) => `플랫폼 수수료 ${p.rate} % (${word(BASIS, p.basis ?? '')} 기준), 배분 후 별도 차감${vatSuffix(p.rest ?? '')}`,
  transaction_fee: (p) => `거래 ${p.count}건 (${koreanKinds(p.kinds ?? '')}) × ${p.fee}${vatSuffix(p.rest ?? '')}`,
  periodic_fee: (p) => `기간당 고정 수수료${p.empty ? ', 거래 없는 기간에도 부과' : ''}${vatSuffix(p.rest ?? '')}`,
  vat_added: (p) => `부가가치세 ${p.rate} % (${p.where}), 수수료 ${p.fees}에 가산`,
  vat_included: (p) => `부가가치세 ${p.rate} % (${p.where}), 수수료 ${p.fees}에 포함: ${p.formula}`,
  advance_recouped: (p) => `선급금 회수 (${word(BASIS, p.from ?? '')}에서), 최대 ${p.basis}의 ${p.rate} %, 미회수 잔액 ${p.open}`,
  carry_in: () => '이전 기간에서 이월된 잔액',
  withholding_no_cash: (p) => `원천징수 ${p.rate} %: 이번 기간 실지급 없음`,
  withholding: (p) => `원천징수 ${p.rate} % (${p.where}), ${word(BASIS, p.basis ?? '')} 기준, 이월 및 회수 ${word(WHEN, p.when ?? '')}: 과세 기준액 ${p.amount}`,
  negative_carried: (p) => `음수 잔액 ${p.amount}, 다음 기간으로 이월`,
  negative_written_off: (p) => `음수 잔액 ${p.amount} 상각`,
  under_minimum: (p) => `${p.amount}은(는) 최소 지급액 ${p.minimum} 미만: 다음 기간으로 이월`,
  cap: (p) => `상한 ${p.cap} 적용 (${p.when === 'before-mg' ? '최소 보장 전' : '최소 보장 후'}): 배분액 ${p.cut} 감액`,
  mg_not_applied: (p) => `최소 보장액 ${p.amount}: 거래 없는 기간이므로 미적용`,
  mg_top_up: (p) => `최소 보장액 ${p.amount}: 보전액 ${p.topUp} (${p.recoupable === 'recoupable' ? '회수 가능' : '회수 불가'})`,
  mg_recouped: (p) => `이전 보장 보전액 중 ${p.recouped} 회수 (미회수 ${p.open}), ${p.above} 초과 배분액에서`,
};

function vatSuffix(rest: string): string {
  const rate = includedVatRate(rest);
  return rate === null ? rest : ` (부가가치세 ${rate} % 포함)`;
}

export function koreanRule(rule: string): string {
  const parts = ruleParts(rule);
  return parts === null ? rule : KOREAN_RULES[parts.code](parts.params);
}

export function koreanNote(note: string): string {
  const parts = noteParts(note);
  return parts === null ? note : KOREAN[parts.code](parts.params);
}
