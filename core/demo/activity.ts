import { assert } from '../assert.ts';
import { addDays, daysOfMonth, weekdayOf } from './calendar.ts';
import { DEMO_CURRENCIES, type DemoCurrency, type DemoPartner, type DemoPlatform, type DemoProduct, type Psp } from './model.ts';
import type { Prng } from './prng.ts';

/**
 * Customer activity for the month: sales, refunds and chargebacks per partner and product, with
 * weekday seasonality and day-to-day noise, plus the volume and refund anomalies planned by
 * plan.ts. Amounts and fees are integer minor units (fees rounded half-even on integers).
 */
export type DemoKind = 'sale' | 'refund' | 'chargeback';

export interface DemoTransaction {
  /** The PSP's reference of this movement (Stripe balance transaction id, Adyen PSP reference, PayPal transaction id). */
  readonly id: string;
  readonly psp: Psp;
  readonly kind: DemoKind;
  readonly partnerId: string;
  readonly productId: string;
  readonly day: string;
  /** HH:MM:SS, UTC. */
  readonly time: string;
  readonly currency: DemoCurrency;
  /** Signed: a sale is positive, a refund or chargeback negative. */
  readonly amountMinor: number;
  /** What the PSP charged, never negative. */
  readonly feeMinor: number;
  readonly customerId: string;
  /** The merchant reference sent to the PSP: partner, product and order. */
  readonly orderRef: string;
  /** The sale a refund or chargeback reverses. */
  readonly originalId: string | null;
  /** Set when the movement is included in a PSP payout. */
  payoutId: string | null;
}

/** Volume multipliers and extra refunds the plan injects, by `${productId}|${day}`. */
export interface ActivityPlan {
  readonly volumeFactor: ReadonlyMap<string, number>;
  readonly extraRefunds: ReadonlyMap<string, number>;
}

const PSPS: readonly Psp[] = ['stripe', 'adyen', 'paypal'];
const PSP_WEIGHTS = [0.55, 0.3, 0.15];
const PAYPAL_CURRENCIES: ReadonlySet<DemoCurrency> = new Set(['EUR', 'USD', 'GBP']);
const DAILY_NOISE_SD = 0.08;
const REFUND_LAG_DAYS_MAX = 5;
const CHARGEBACK_LAG_DAYS_MIN = 3;
const CHARGEBACK_LAG_DAYS_MAX = 20;
const EXTRA_REFUND_LOOKBACK_DAYS = 4;

/** Fee schedules in basis points plus a fixed part in minor units. */
interface FeeSchedule {
  readonly bps: number;
  readonly fixedMinor: number;
}
const STRIPE_FEES: Readonly<Record<DemoCurrency, FeeSchedule>> = {
  EUR: { bps: 150, fixedMinor: 25 },
  USD: { bps: 290, fixedMinor: 30 },
  GBP: { bps: 150, fixedMinor: 20 },
  JPY: { bps: 360, fixedMinor: 0 },
  KRW: { bps: 340, fixedMinor: 0 },
};
const ADYEN_FIXED_MINOR: Readonly<Record<DemoCurrency, number>> = { EUR: 11, USD: 12, GBP: 10, JPY: 15, KRW: 150 };
const PAYPAL_FEES: Readonly<Record<DemoCurrency, FeeSchedule>> = {
  EUR: { bps: 299, fixedMinor: 35 },
  USD: { bps: 349, fixedMinor: 49 },
  GBP: { bps: 290, fixedMinor: 30 },
  JPY: { bps: 360, fixedMinor: 40 },
  KRW: { bps: 340, fixedMinor: 0 },
};
/** Dispute fees charged on a chargeback. */
export const CHARGEBACK_FEE_MINOR: Readonly<Record<DemoCurrency, number>> = { EUR: 1500, USD: 1500, GBP: 1500, JPY: 2000, KRW: 20000 };

/** Integer division rounded half to even; the operands are safe integers, the divisor positive. */
export function divRoundHalfEven(numerator: number, divisor: number): number {
  assert(Number.isSafeInteger(numerator) && Number.isSafeInteger(divisor) && divisor > 0, 'integer operands', { numerator, divisor });
  const quotient = Math.floor(numerator / divisor);
  const remainder = numerator - quotient * divisor;
  if (remainder * 2 < divisor) return quotient;
  if (remainder * 2 > divisor) return quotient + 1;
  return quotient % 2 === 0 ? quotient : quotient + 1;
}

/** Adyen's interchange++ parts of one sale: markup, scheme fee and interchange. */
export function adyenFeeParts(amountMinor: number, currency: DemoCurrency): { markup: number; scheme: number; interchange: number } {
  return {
    markup: divRoundHalfEven(amountMinor * 60, 10_000) + ADYEN_FIXED_MINOR[currency],
    scheme: divRoundHalfEven(amountMinor * 20, 10_000),
    interchange: divRoundHalfEven(amountMinor * 30, 10_000),
  };
}

export function saleFeeMinor(psp: Psp, amountMinor: number, currency: DemoCurrency): number {
  if (psp === 'adyen') {
    const parts = adyenFeeParts(amountMinor, currency);
    return parts.markup + parts.scheme + parts.interchange;
  }
  const schedule = psp === 'stripe' ? STRIPE_FEES[currency] : PAYPAL_FEES[currency];
  return divRoundHalfEven(amountMinor * schedule.bps, 10_000) + schedule.fixedMinor;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const DIGITS = '0123456789';

function randomText(prng: Prng, alphabet: string, length: number): string {
  let text = '';
  for (let index = 0; index < length; index++) text += alphabet[prng.nextUint32() % alphabet.length];
  return text;
}

/** Hands out PSP references, unique across the month. */
export class IdMaker {
  private readonly used = new Set<string>();
  constructor(private readonly prng: Prng) {}

  make(psp: Psp | 'payout-stripe'): string {
    for (let attempt = 0; attempt < 16; attempt++) {
      const id =
        psp === 'stripe' ? `txn_${randomText(this.prng, ID_ALPHABET, 24)}` :
        psp === 'payout-stripe' ? `po_${randomText(this.prng, ID_ALPHABET, 24)}` :
        psp === 'adyen' ? `${1 + (this.prng.nextUint32() % 9)}${randomText(this.prng, DIGITS, 15)}` :
        randomText(this.prng, UPPER_ALPHANUMERIC, 17);
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
    throw new Error('could not draw a unique id in 16 attempts');
  }
}

function timeOfDay(prng: Prng): string {
  const seconds = prng.int(0, 86_399);
  const hh = String(Math.floor(seconds / 3600)).padStart(2, '0');
  const mm = String(Math.floor((seconds % 3600) / 60)).padStart(2, '0');
  const ss = String(seconds % 60).padStart(2, '0');
  return `${hh}:${mm}:${ss}`;
}

interface ProductContext {
  readonly partner: DemoPartner;
  readonly product: DemoProduct;
  readonly prng: Prng;
  readonly ids: IdMaker;
  readonly days: readonly string[];
  readonly plan: ActivityPlan;
  orderSeq: number;
}

function makeSale(ctx: ProductContext, day: string): DemoTransaction {
  const { prng, partner, product } = ctx;
  const currency = prng.weighted(DEMO_CURRENCIES, partner.currencyMix);
  let psp = prng.weighted(PSPS, PSP_WEIGHTS);
  if (psp === 'paypal' && !PAYPAL_CURRENCIES.has(currency)) psp = 'stripe';
  const amountMinor = prng.pick(product.pricesMinor[currency]);
  ctx.orderSeq++;
  return {
    id: ctx.ids.make(psp),
    psp,
    kind: 'sale',
    partnerId: partner.partnerId,
    productId: product.productId,
    day,
    time: timeOfDay(prng),
    currency,
    amountMinor,
    feeMinor: saleFeeMinor(psp, amountMinor, currency),
    customerId: `cus_${String(prng.int(1, 400_000)).padStart(6, '0')}`,
    orderRef: `${product.productId}-${day.replace(/-/g, '')}-${String(ctx.orderSeq).padStart(6, '0')}`,
    originalId: null,
    payoutId: null,
  };
}

function makeReversal(ctx: ProductContext, sale: DemoTransaction, kind: 'refund' | 'chargeback', day: string): DemoTransaction {
  const time = day === sale.day ? (sale.time < '23:59:59' ? '23:59:59' : sale.time) : timeOfDay(ctx.prng);
  return {
    ...sale,
    id: ctx.ids.make(sale.psp),
    kind,
    day,
    time,
    amountMinor: -sale.amountMinor,
    feeMinor: kind === 'chargeback' ? CHARGEBACK_FEE_MINOR[sale.currency] : 0,
    originalId: sale.id,
    payoutId: null,
  };
}

function simulateProduct(ctx: ProductContext, out: DemoTransaction[]): void {
  const { prng, partner, product, days, plan } = ctx;
  const salesByDay = new Map<string, DemoTransaction[]>();
  const reversed = new Set<string>();
  const monthEnd = days[days.length - 1] ?? '';
  for (const day of days) {
    const noise = Math.max(0.6, 1 + DAILY_NOISE_SD * prng.normal());
    const factor = plan.volumeFactor.get(`${product.productId}|${day}`) ?? 1;
    const mean = product.dailyMean * (partner.weekdayFactors[weekdayOf(day)] ?? 1) * noise * factor;
    const count = prng.count(mean);
    const sales: DemoTransaction[] = [];
    for (let index = 0; index < count; index++) sales.push(makeSale(ctx, day));
    salesByDay.set(day, sales);
    out.push(...sales);
    for (const sale of sales) {
      if (prng.chance(product.refundRate)) {
        const refundDay = addDays(day, prng.int(0, REFUND_LAG_DAYS_MAX));
        reversed.add(sale.id);
        if (refundDay <= monthEnd) out.push(makeReversal(ctx, sale, 'refund', refundDay));
      } else if (prng.chance(product.chargebackRate)) {
        const chargebackDay = addDays(day, prng.int(CHARGEBACK_LAG_DAYS_MIN, CHARGEBACK_LAG_DAYS_MAX));
        reversed.add(sale.id);
        if (chargebackDay <= monthEnd) out.push(makeReversal(ctx, sale, 'chargeback', chargebackDay));
      }
    }
    const extra = plan.extraRefunds.get(`${product.productId}|${day}`) ?? 0;
    if (extra > 0) {
      // A refund wave (a broken release, a fraud ring): recent sales are refunded on one day.
      const recent = [];
      for (let back = EXTRA_REFUND_LOOKBACK_DAYS; back >= 0; back--) recent.push(...(salesByDay.get(addDays(day, -back)) ?? []));
      const candidates = recent.filter((sale) => !reversed.has(sale.id));
      for (let index = 0; index < extra && candidates.length > 0; index++) {
        const [sale] = candidates.splice(prng.int(0, candidates.length - 1), 1);
        if (sale === undefined) break;
        reversed.add(sale.id);
        out.push(makeReversal(ctx, sale, 'refund', day));
      }
    }
  }
}

/** Simulates every partner's month; the result is sorted by day, time and id. */
export function simulateActivity(prng: Prng, platform: DemoPlatform, month: string, plan: ActivityPlan): DemoTransaction[] {
  const days = daysOfMonth(month);
  const ids = new IdMaker(prng.fork('ids'));
  const out: DemoTransaction[] = [];
  for (const partner of platform.partners) {
    const partnerPrng = prng.fork(partner.partnerId);
    for (const product of partner.products) {
      simulateProduct({ partner, product, prng: partnerPrng.fork(product.productId), ids, days, plan, orderSeq: 0 }, out);
    }
  }
  out.sort((a, b) => (a.day !== b.day ? (a.day < b.day ? -1 : 1) : a.time !== b.time ? (a.time < b.time ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  assert(new Set(out.map((t) => t.id)).size === out.length, 'transaction ids are unique');
  return out;
}
