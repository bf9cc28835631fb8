import { assert } from '../assert.ts';
import { compileRules, type ClassificationRuleInput, type RuleCondition } from '../classify/rules.ts';
import type { Psp } from './model.ts';
import type { DemoKind } from './activity.ts';

/**
 * The classification rules for the demo month's PSP reports, written as rules.json. Each row
 * carries its partner and product (Stripe's metadata columns, Adyen's merchant reference
 * "P001/P001-PR01-20260302-000031", PayPal's Custom Number and Item ID), so assignment templates
 * fill them in: the set has the same 18 rules for 4 partners or 999.
 */
export const DEMO_RULES_PATH = 'rules.json';

/** The demo chart of accounts the rules book to. */
export const DEMO_LEDGER_ACCOUNTS = {
  sale: '4000 Sales',
  refund: '4010 Refunds',
  chargeback: '4020 Chargebacks',
  fee: { stripe: '6110 PSP fees: Stripe', adyen: '6120 PSP fees: Adyen', paypal: '6130 PSP fees: PayPal' },
  payout: { stripe: '1110 PSP clearing: Stripe', adyen: '1120 PSP clearing: Adyen', paypal: '1130 PSP clearing: PayPal' },
} as const satisfies Record<DemoKind, string> & Record<'fee' | 'payout', Record<Psp, string>>;

interface PspSource {
  readonly psp: Psp;
  /** Conditions that hold only for a row naming a partner; regex groups here feed the templates. */
  readonly partnerRow: readonly RuleCondition[];
  /** Whether sales need partnerRow to match: only where it captures the ids (else a blank id is reported by the template). */
  readonly salesNeedPartnerRow: boolean;
  readonly partnerId: string;
  readonly productId: string;
}

const present = (column: string): RuleCondition => ({ op: 'regex', field: `raw.${column}`, pattern: '\\S', ignoreCase: false });

const SOURCES: readonly PspSource[] = [
  { psp: 'stripe', partnerRow: [present('partner_id (metadata)')], salesNeedPartnerRow: false, partnerId: '${raw.partner_id (metadata)}', productId: '${raw.product_id (metadata)}' },
  {
    psp: 'adyen',
    // Partner ids are P001..P999 and products <partner>-PRnn; the order date and sequence follow.
    partnerRow: [{ op: 'regex', field: 'raw.Merchant Reference', pattern: '^(?<partner>P\\d{3})/(?<product>P\\d{3}-PR\\d{2})-\\d{8}-\\d{6}$', ignoreCase: false }],
    salesNeedPartnerRow: true,
    partnerId: '${partner}',
    productId: '${product}',
  },
  { psp: 'paypal', partnerRow: [present('Custom Number')], salesNeedPartnerRow: false, partnerId: '${raw.Custom Number}', productId: '${raw.Item ID}' },
];

const REVENUE_KINDS = ['sale', 'refund', 'chargeback'] as const satisfies readonly DemoKind[];

function rulesOf(source: PspSource): ClassificationRuleInput[] {
  const { psp } = source;
  const from = (kind: string): RuleCondition[] => [
    { op: 'equals', field: 'source.format', value: psp },
    { op: 'equals', field: 'kind', value: kind },
  ];
  return [
    { id: `${psp}-payout`, description: 'Payouts move the PSP balance to the bank; they belong to no partner.', when: from('payout'), assign: { account: DEMO_LEDGER_ACCOUNTS.payout[psp] } },
    ...REVENUE_KINDS.map((kind) => ({
      id: `${psp}-${kind}`,
      when: [...from(kind), ...(source.salesNeedPartnerRow ? source.partnerRow : [])],
      assign: { account: DEMO_LEDGER_ACCOUNTS[kind], partnerId: source.partnerId, productId: source.productId },
    })),
    { id: `${psp}-fee-partner`, description: 'The fee on a partner sale, refund or chargeback row is that partner\'s.', when: [...from('fee'), ...source.partnerRow], assign: { account: DEMO_LEDGER_ACCOUNTS.fee[psp], partnerId: source.partnerId, productId: source.productId } },
    { id: `${psp}-fee-platform`, description: 'A fee on a row that names no partner is the platform\'s own cost.', when: from('fee'), assign: { account: DEMO_LEDGER_ACCOUNTS.fee[psp] } },
  ];
}

export function demoRuleSet(): { readonly rules: ClassificationRuleInput[] } {
  const rules = SOURCES.flatMap(rulesOf);
  assert(rules.length === SOURCES.length * (REVENUE_KINDS.length + 3), 'six rules per PSP', { rules: rules.length });
  return { rules };
}

/** rules.json's text; compiled first, so the generator never writes a rule set the desk would refuse. */
export function demoRulesJson(): string {
  const set = demoRuleSet();
  assert(compileRules(set).length === set.rules.length, 'every demo rule compiles');
  return `${JSON.stringify(set, null, 2)}\n`;
}
