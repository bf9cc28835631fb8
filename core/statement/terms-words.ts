import type { Share, Terms } from '../settlement/index.ts';
import { KINDS } from '../settlement/agreement.ts';
import { STATEMENT_LABELS, type StatementLocale } from './labels.ts';

/**
 * The terms in force, in plain words, one sentence per convention that matters for this
 * agreement. Printed on the statement beside the exact option object (which travels in the JSON),
 * so a partner can read what was applied without knowing the engine's option names. Conventions
 * at a "nothing" value (no fee, no guarantee) are left out: the statement says what applies.
 */
export interface TermsContext {
  readonly currency: string;
  readonly jurisdiction: string;
}

function tiersText(share: Share, locale: StatementLocale): string {
  const unit = share.measure === 'count' ? (locale === 'ko' ? '건' : ' transactions') : '';
  return share.tiers
    .map((tier) => (tier.to === null ? (locale === 'ko' ? `${tier.from}${unit} 이상: ${tier.rate} %` : `from ${tier.from}${unit}: ${tier.rate} %`) : locale === 'ko' ? `${tier.from}~${tier.to}${unit}: ${tier.rate} %` : `${tier.from} to ${tier.to}${unit}: ${tier.rate} %`))
    .join('; ');
}

function shareText(share: Share, locale: StatementLocale): string {
  const first = share.tiers[0];
  if (share.tiers.length === 1 && first !== undefined) return locale === 'ko' ? `수익 기준액의 ${first.rate} %` : `${first.rate} % of the revenue base`;
  if (locale === 'ko') {
    const method = share.method === 'marginal' ? '구간별 한계 요율' : '도달 구간 요율을 전체에 소급 적용';
    const counted = Array.isArray(share.countedKinds) ? `(${share.countedKinds.join('/')}만)` : '';
    const measure = share.measure === 'count' ? `거래 건수${counted}` : '매출액';
    const period = share.period === 'contract-year' ? `계약 연도(${share.contractYearStart} 시작) 누적` : '기간별';
    return `${measure} 기준 구간 요율 (${method}, ${period}): ${tiersText(share, locale)}`;
  }
  const method = share.method === 'marginal' ? 'each band at its own rate' : 'the rate of the band reached applies to all';
  const counted = Array.isArray(share.countedKinds) ? ` of ${share.countedKinds.join('/')}` : '';
  const measure = share.measure === 'count' ? `transaction count${counted}` : 'revenue';
  const period = share.period === 'contract-year' ? `accumulated over the contract year from ${share.contractYearStart}` : 'per period';
  return `tiered on ${measure} (${method}, ${period}): ${tiersText(share, locale)}`;
}

function revenueBaseText(terms: Terms, locale: StatementLocale): string {
  const kinds = STATEMENT_LABELS[locale].kinds;
  const added = KINDS.filter((kind) => terms.revenueBase[kind] === 1).map((kind) => kinds[kind]);
  const deducted = KINDS.filter((kind) => terms.revenueBase[kind] === -1).map((kind) => kinds[kind]);
  if (locale === 'ko') return `수익 기준액: ${added.join(', ') || '없음'} 가산, ${deducted.join(', ') || '없음'} 차감. 그 밖의 거래는 제외합니다.`;
  return `Revenue base: ${added.join(', ') || 'nothing'} added, ${deducted.join(', ') || 'nothing'} deducted; other transactions do not count.`;
}

/** Where rounding happens, as the contract would say it; a record per locale so a new scope cannot be missed. */
const ROUNDING_SCOPE_WORDS: Readonly<Record<StatementLocale, Readonly<Record<Terms['rounding']['scope'], string>>>> = {
  en: { transaction: 'per transaction (converted amount, then its share), then summed', line: 'per line', 'product-group': 'per product group', total: 'on the totals only' },
  ko: { transaction: '거래별(환산액, 이어서 배분액), 그다음 합산', line: '항목별', 'product-group': '상품 그룹별', total: '합계에서만' },
};

function english(terms: Terms, ctx: TermsContext): string[] {
  const c = ctx.currency;
  const out = [revenueBaseText(terms, 'en'), `Partner share: ${shareText(terms.share, 'en')}.`];
  for (const override of terms.productOverrides) out.push(`Product ${override.productId}: ${shareText(override.share, 'en')}.`);
  const fee = terms.platformFee;
  if (fee.basis !== 'none') out.push(`Platform fee: ${fee.rate} % of the ${fee.basis} base, ${fee.split === 'separate' ? "deducted from the partner's share after the split" : 'taken off the base before the split'}${fee.floor === 'total' ? '; it stops at zero on the total, not per product group' : ''}.`);
  if (terms.transactionFee.amount !== '0') out.push(`Transaction fee: ${terms.transactionFee.amount} ${c} per ${terms.transactionFee.kinds.join('/')} transaction.`);
  if (terms.periodicFee.amount !== '0') out.push(`Periodic fee: ${terms.periodicFee.amount} ${c} per period${terms.periodicFee.chargeInEmptyPeriods ? ', also in a period without transactions' : ''}.`);
  const vat = terms.vatOnFees.ratesByJurisdiction[ctx.jurisdiction];
  if (vat !== undefined) out.push(`VAT on fees: ${vat} % (${ctx.jurisdiction}), ${terms.vatOnFees.treatment === 'added' ? 'added to the fees' : 'included in the fees'}.`);
  const mg = terms.minimumGuarantee;
  if (mg.amount !== '0') out.push(`Minimum guarantee: ${mg.amount} ${c} per period; ${mg.recoupable ? 'top-ups are recouped from later shares' : 'top-ups are not recouped'}${mg.applyInEmptyPeriods ? '' : '; not paid in a period without transactions'}.`);
  if (terms.advance.amount !== '0') out.push(`Advance: ${terms.advance.amount} ${c}, recouped from the ${terms.advance.recoupFrom}, at most ${terms.advance.maxRatePerPeriod} % per period.`);
  if (terms.cap.amount !== null) out.push(`Cap: the share is at most ${terms.cap.amount} ${c} per period, applied ${terms.cap.apply === 'before-mg' ? 'before' : 'after'} the minimum guarantee.`);
  const wht = terms.withholding.ratesByJurisdiction[ctx.jurisdiction];
  if (wht !== undefined) out.push(`Withholding tax: ${wht} % (${ctx.jurisdiction}) on the ${terms.withholding.basis === 'gross-share' ? 'gross share' : 'cash paid'}, ${terms.withholding.timing === 'after-carry-and-recoupment' ? 'after' : 'before'} carry-forward and recoupment.`);
  out.push(`A negative balance is ${terms.negativeBalance === 'carry-forward' ? 'carried forward to the next period' : 'written off'}.`);
  if (terms.minimumPayout !== '0') out.push(`Minimum payout: ${terms.minimumPayout} ${c}; a smaller balance rolls into the next period.`);
  const fx = terms.fx;
  out.push(`Currency conversion: rate of the ${fx.rateDate.replace(/-/g, ' ')}, ${fx.lookup === 'exact' ? 'that exact date' : `or the latest earlier rate within ${fx.lookbackDaysMax} days`}, ${fx.route === 'direct' ? 'direct pairs only' : 'crossed via the base currency when needed'}; chargebacks at the ${fx.chargebackRate === 'own-date' ? 'rate of their own date' : "original sale's rate"}${fx.reverseRates === 'invert' ? '; a rate quoted only the other way round is inverted' : ''}.`);
  out.push(`Late transactions: ${terms.lateTransactions === 'open-period' ? 'counted in the period they are booked in' : 'restate the period they occurred in'}.`);
  out.push(`Rounding: ${terms.rounding.mode.replace('-', ' ')}, ${ROUNDING_SCOPE_WORDS.en[terms.rounding.scope]}.`);
  return out;
}

function korean(terms: Terms, ctx: TermsContext): string[] {
  const c = ctx.currency;
  const out = [revenueBaseText(terms, 'ko'), `파트너 배분: ${shareText(terms.share, 'ko')}.`];
  for (const override of terms.productOverrides) out.push(`상품 ${override.productId}: ${shareText(override.share, 'ko')}.`);
  const fee = terms.platformFee;
  if (fee.basis !== 'none') out.push(`플랫폼 수수료: ${fee.basis === 'gross' ? '총액' : '순액'} 기준액의 ${fee.rate} %, ${fee.split === 'separate' ? '배분 후 파트너 배분액에서 차감' : '배분 전 기준액에서 차감'}${fee.floor === 'total' ? '; 상품 그룹별이 아닌 합계 기준으로 0 미만이 되지 않음' : ''}.`);
  if (terms.transactionFee.amount !== '0') out.push(`거래 수수료: ${terms.transactionFee.kinds.join('/')} 거래 1건당 ${terms.transactionFee.amount} ${c}.`);
  if (terms.periodicFee.amount !== '0') out.push(`정기 수수료: 기간당 ${terms.periodicFee.amount} ${c}${terms.periodicFee.chargeInEmptyPeriods ? ', 거래가 없는 기간에도 부과' : ''}.`);
  const vat = terms.vatOnFees.ratesByJurisdiction[ctx.jurisdiction];
  if (vat !== undefined) out.push(`수수료 부가가치세: ${vat} % (${ctx.jurisdiction}), ${terms.vatOnFees.treatment === 'added' ? '수수료에 가산' : '수수료에 포함'}.`);
  const mg = terms.minimumGuarantee;
  if (mg.amount !== '0') out.push(`최소 보장액: 기간당 ${mg.amount} ${c}; ${mg.recoupable ? '보전액은 이후 배분액에서 회수' : '보전액은 회수하지 않음'}${mg.applyInEmptyPeriods ? '' : '; 거래가 없는 기간에는 적용하지 않음'}.`);
  if (terms.advance.amount !== '0') out.push(`선급금: ${terms.advance.amount} ${c}, ${terms.advance.recoupFrom === 'share' ? '배분액' : '순지급액'}에서 기간당 최대 ${terms.advance.maxRatePerPeriod} % 회수.`);
  if (terms.cap.amount !== null) out.push(`상한: 기간당 배분액 최대 ${terms.cap.amount} ${c}, 최소 보장액 ${terms.cap.apply === 'before-mg' ? '적용 전' : '적용 후'}에 적용.`);
  const wht = terms.withholding.ratesByJurisdiction[ctx.jurisdiction];
  if (wht !== undefined) out.push(`원천징수세: ${wht} % (${ctx.jurisdiction}), ${terms.withholding.basis === 'gross-share' ? '총 배분액' : '실지급액'} 기준, 이월 및 회수 ${terms.withholding.timing === 'after-carry-and-recoupment' ? '후' : '전'}에 계산.`);
  out.push(`음수 잔액은 ${terms.negativeBalance === 'carry-forward' ? '다음 기간으로 이월합니다' : '상각합니다'}.`);
  if (terms.minimumPayout !== '0') out.push(`최소 지급액: ${terms.minimumPayout} ${c}; 그보다 적은 잔액은 다음 기간으로 이월합니다.`);
  const fx = terms.fx;
  const rateDate = { 'transaction-date': '거래일', 'period-end': '기간 말일', 'payment-date': '지급일', 'monthly-average': '월평균' }[fx.rateDate];
  out.push(`환산: ${rateDate} 환율, ${fx.lookup === 'exact' ? '해당일 환율만 사용' : `없으면 ${fx.lookbackDaysMax}일 이내 직전 환율 사용`}, ${fx.route === 'direct' ? '직접 통화쌍만 사용' : '필요 시 기준 통화를 거친 교차 환율 사용'}; 지불 거절은 ${fx.chargebackRate === 'own-date' ? '자체 일자 환율' : '원 판매 환율'} 적용${fx.reverseRates === 'invert' ? '; 반대 방향으로만 고시된 환율은 역수 사용' : ''}.`);
  out.push(`늦게 도착한 거래: ${terms.lateTransactions === 'open-period' ? '반영된 기간에 포함' : '발생한 기간을 재작성'}.`);
  const mode = { 'half-even': '짝수 반올림(은행가 반올림)', 'half-up': '반올림', down: '버림', up: '올림' }[terms.rounding.mode];
  out.push(`반올림: ${mode}, ${ROUNDING_SCOPE_WORDS.ko[terms.rounding.scope]}.`);
  return out;
}

export function termsInWords(terms: Terms, ctx: TermsContext, locale: StatementLocale): string[] {
  return locale === 'ko' ? korean(terms, ctx) : english(terms, ctx);
}
