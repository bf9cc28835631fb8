import { SettleDeskError } from '../errors.ts';

/**
 * ISO 4217 minor units (the "exponent"), from the ISO 4217 list (amendments to 2025).
 * A table in the repo, not Intl: Intl (CLDR) answers 0 for IQD, HUF, IDR, COP and MGA,
 * whose ISO minor units are 3, 2, 2, 2 and 2, and it accepts made-up codes such as "ABC".
 * Precious-metal and testing codes (XAU, XAG, XTS, XXX, ...) have no minor unit and are refused.
 */
const EXPONENT_0 = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF';
const EXPONENT_3 = 'BHD IQD JOD KWD LYD OMR TND';
const EXPONENT_4 = 'CLF UYW';
const EXPONENT_2 =
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD ' +
  'CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS ' +
  'GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL ' +
  'MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK ' +
  'PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS ' +
  'TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG';

function buildTable(): ReadonlyMap<string, number> {
  const table = new Map<string, number>();
  const groups: ReadonlyArray<readonly [string, number]> = [[EXPONENT_0, 0], [EXPONENT_2, 2], [EXPONENT_3, 3], [EXPONENT_4, 4]];
  for (const [codes, exponent] of groups) {
    for (const code of codes.split(' ')) {
      if (table.has(code)) throw new Error(`iso4217 table lists ${code} twice`);
      table.set(code, exponent);
    }
  }
  return table;
}

const MINOR_UNITS: ReadonlyMap<string, number> = buildTable();

export type CurrencyCode = string;

export class UnknownCurrencyError extends SettleDeskError {
  constructor(code: string) {
    super('currency_unknown', `unknown currency code ${JSON.stringify(code)}: expected an ISO 4217 code with minor units, such as EUR, USD or JPY`, {}, { currency: code });
  }
}

export function isCurrencyCode(code: string): boolean {
  return MINOR_UNITS.has(code);
}

/** The number of decimal places of a currency's minor unit (JPY 0, EUR 2, KWD 3, CLF 4). */
export function minorUnitsOf(code: string): number {
  const exponent = MINOR_UNITS.get(code);
  if (exponent === undefined) throw new UnknownCurrencyError(code);
  return exponent;
}

/** Every code in the table, sorted. */
export function currencyCodes(): string[] {
  return [...MINOR_UNITS.keys()].sort();
}
