import { assert } from '../assert.ts';
import type { Prng } from './prng.ts';

/**
 * The demo platform: partners (game studios, content providers, resellers), their products, the
 * currencies customers pay in, and the platform's bank accounts. Volumes are counts per day and
 * are floats (they are statistics); every amount is an integer number of minor units.
 */
export const DEMO_CURRENCIES = ['EUR', 'USD', 'GBP', 'JPY', 'KRW'] as const;
export type DemoCurrency = (typeof DEMO_CURRENCIES)[number];

export const PARTNER_TYPES = ['game-studio', 'content-provider', 'reseller'] as const;
export type PartnerType = (typeof PARTNER_TYPES)[number];

export type Psp = 'stripe' | 'adyen' | 'paypal';

export interface DemoProduct {
  readonly productId: string;
  readonly name: string;
  /** Price points a sale picks from, in minor units per currency. */
  readonly pricesMinor: Readonly<Record<DemoCurrency, readonly number[]>>;
  /** Mean sales per day before weekday seasonality. */
  readonly dailyMean: number;
  readonly refundRate: number;
  readonly chargebackRate: number;
}

export interface DemoPartner {
  readonly partnerId: string;
  readonly name: string;
  readonly type: PartnerType;
  readonly jurisdiction: string;
  readonly settlementCurrency: DemoCurrency;
  /** The partner's share in percent, a decimal string ("70"). */
  readonly sharePercent: string;
  readonly reportFormat: 'csv' | 'json';
  /** Sales multiplier per weekday, Sunday first (as Date.getUTCDay), averaging 1. */
  readonly weekdayFactors: readonly number[];
  /** Probability of each customer currency, in DEMO_CURRENCIES order. */
  readonly currencyMix: readonly number[];
  readonly products: readonly DemoProduct[];
}

export interface DemoBankAccount {
  readonly currency: DemoCurrency;
  readonly format: 'camt.053' | 'mt940';
  /** IBAN or local account number as the statement shows it. */
  readonly account: string;
  readonly bic: string;
  readonly bankName: string;
}

export interface DemoPlatform {
  readonly partners: readonly DemoPartner[];
  readonly accounts: readonly DemoBankAccount[];
}

/** Price ladders per currency: the same index is the same item in each market. */
const PRICE_LADDER: Readonly<Record<DemoCurrency, readonly number[]>> = {
  EUR: [99, 199, 499, 999, 1999, 4999],
  USD: [99, 199, 499, 999, 1999, 4999],
  GBP: [89, 179, 449, 899, 1799, 4499],
  JPY: [160, 300, 800, 1600, 3000, 8000],
  KRW: [1500, 3000, 7500, 15000, 29000, 75000],
};

const WEEKDAY_SHAPES: Readonly<Record<PartnerType, readonly number[]>> = {
  'game-studio': [1.3, 0.9, 0.85, 0.85, 0.9, 1.05, 1.3],
  'content-provider': [0.85, 1.05, 1.05, 1.05, 1.05, 1.0, 0.85],
  reseller: [0.55, 1.2, 1.2, 1.2, 1.2, 1.1, 0.55],
};

const SHARE_PERCENT: Readonly<Record<PartnerType, readonly string[]>> = {
  'game-studio': ['70', '70', '75', '80'],
  'content-provider': ['50', '55', '60'],
  reseller: ['15', '20', '25'],
};

const NAME_WORDS = ['Aurora', 'Basalt', 'Cobalt', 'Drift', 'Ember', 'Fjord', 'Granite', 'Harbor', 'Indigo', 'Juniper', 'Kestrel', 'Lumen', 'Meridian', 'Nimbus', 'Onyx', 'Pioneer', 'Quartz', 'Raven', 'Summit', 'Tundra'];
const NAME_SUFFIX: Readonly<Record<PartnerType, readonly string[]>> = {
  'game-studio': ['Games', 'Interactive', 'Studios', 'Play'],
  'content-provider': ['Media', 'Pictures', 'Audio', 'Publishing'],
  reseller: ['Distribution', 'Retail', 'Trading', 'Commerce'],
};
const PRODUCT_WORDS: Readonly<Record<PartnerType, readonly string[]>> = {
  'game-studio': ['Gem Pack', 'Season Pass', 'Starter Bundle', 'Battle Pass', 'Coin Chest'],
  'content-provider': ['Monthly Pass', 'Album', 'Film Rental', 'Audiobook', 'Course'],
  reseller: ['Gift Card', 'License Key', 'Voucher', 'Hardware Bundle', 'Top-up'],
};
const JURISDICTIONS = ['DE', 'FR', 'NL', 'GB', 'US', 'JP', 'KR', 'SE', 'CA-QC', 'PL'];
const SETTLEMENT_BY_JURISDICTION: Readonly<Record<string, DemoCurrency>> = { GB: 'GBP', US: 'USD', JP: 'JPY', KR: 'KRW', 'CA-QC': 'USD' };

export const PRODUCTS_PER_PARTNER_MAX = 5;

function normalized(values: readonly number[]): number[] {
  const mean = values.reduce((acc, v) => acc + v, 0) / values.length;
  return values.map((v) => v / mean);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function buildProduct(prng: Prng, partnerId: string, index: number, type: PartnerType, weight: number): DemoProduct {
  const ladderStart = prng.int(0, 3);
  const points = prng.int(1, 3);
  const indexes = Array.from({ length: points }, (_, k) => Math.min(ladderStart + k, PRICE_LADDER.EUR.length - 1));
  const pricesMinor = Object.fromEntries(DEMO_CURRENCIES.map((currency) => [currency, indexes.map((i) => PRICE_LADDER[currency][i] ?? 0)])) as Record<DemoCurrency, number[]>;
  return {
    productId: `${partnerId}-PR${pad(index + 1, 2)}`,
    name: `${prng.pick(PRODUCT_WORDS[type])} ${String.fromCharCode(65 + index)}`,
    pricesMinor,
    dailyMean: weight,
    refundRate: 0.015 + prng.next() * 0.03,
    chargebackRate: 0.001 + prng.next() * 0.003,
  };
}

function buildPartner(prng: Prng, index: number, productsWeights: readonly number[]): DemoPartner {
  const partnerId = `P${pad(index + 1, 3)}`;
  const type = PARTNER_TYPES[index % PARTNER_TYPES.length] ?? 'game-studio';
  const jurisdiction = prng.pick(JURISDICTIONS);
  const settlementCurrency = SETTLEMENT_BY_JURISDICTION[jurisdiction] ?? 'EUR';
  const home = DEMO_CURRENCIES.indexOf(settlementCurrency);
  const currencyMix = normalized(DEMO_CURRENCIES.map((_, k) => (k === home ? 3 : 1) * (0.6 + prng.next())));
  const weekdayFactors = normalized(WEEKDAY_SHAPES[type].map((f) => f * (0.95 + prng.next() * 0.1)));
  return {
    partnerId,
    name: `${NAME_WORDS[index % NAME_WORDS.length]} ${prng.pick(NAME_SUFFIX[type])}${index >= NAME_WORDS.length ? ` ${Math.floor(index / NAME_WORDS.length) + 1}` : ''}`,
    type,
    jurisdiction,
    settlementCurrency,
    sharePercent: prng.pick(SHARE_PERCENT[type]),
    reportFormat: index % 2 === 0 ? 'csv' : 'json',
    weekdayFactors,
    currencyMix,
    products: productsWeights.map((weight, k) => buildProduct(prng, partnerId, k, type, weight)),
  };
}

/**
 * Builds `partnerCount` partners whose products together sell about `salesPerDay` a day. Product
 * sizes are skewed (a few big sellers, many small ones), as real catalogues are.
 */
export function buildPlatform(prng: Prng, partnerCount: number, salesPerDay: number): DemoPlatform {
  assert(Number.isSafeInteger(partnerCount) && partnerCount >= 1 && partnerCount <= 999, 'between 1 and 999 partners', { partnerCount });
  assert(salesPerDay > 0, 'a positive daily volume', { salesPerDay });
  const rawWeights: number[][] = [];
  for (let index = 0; index < partnerCount; index++) {
    const productCount = prng.int(1, PRODUCTS_PER_PARTNER_MAX - 1) + (prng.chance(0.3) ? 1 : 0);
    // A Pareto-like size: 1 / u gives a long tail of big sellers; u >= 0.08 caps it so one product never dominates.
    rawWeights.push(Array.from({ length: productCount }, () => 1 / (0.08 + prng.next() * 0.92)));
  }
  const total = rawWeights.flat().reduce((acc, w) => acc + w, 0);
  const partners = rawWeights.map((weights, index) => buildPartner(prng.fork(`partner-${index}`), index, weights.map((w) => (w / total) * salesPerDay)));
  const accounts: DemoBankAccount[] = [
    { currency: 'EUR', format: 'camt.053', account: 'DE89370400440532013000', bic: 'COBADEFFXXX', bankName: 'Commerzbank AG' },
    { currency: 'GBP', format: 'camt.053', account: 'GB29NWBK60161331926819', bic: 'NWBKGB2LXXX', bankName: 'NatWest' },
    { currency: 'KRW', format: 'camt.053', account: 'KR0012345678901234', bic: 'SHBKKRSEXXX', bankName: 'Shinhan Bank' },
    { currency: 'USD', format: 'mt940', account: '026009593-4471023', bic: 'BOFAUS3NXXX', bankName: 'Bank of America' },
    { currency: 'JPY', format: 'mt940', account: '0005-001-1234567', bic: 'MHCBJPJTXXX', bankName: 'Mizuho Bank' },
  ];
  return { partners, accounts };
}
