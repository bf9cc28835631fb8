import { z } from 'zod';
import { assert } from '../assert.ts';
import { SettleDeskError } from '../errors.ts';
import { Decimal } from '../money/decimal.ts';
import { CalendarDate, CurrencyCodeSchema, DecimalString, TransactionKind, type CanonicalTransaction } from '../transactions/schema.ts';

/**
 * Classification rules: an ordered list, each with conditions on a transaction's fields that
 * assign a ledger account and optionally partner, product and kind. The first rule whose
 * conditions all hold wins. A transaction no rule matches is returned as unclassified (it
 * becomes an exception for an analyst), never put into a default bucket.
 */
export const RULE_TEXT_FIELDS = [
  'kind',
  'currency',
  'account',
  'partnerId',
  'productId',
  'channel',
  'description',
  'customerRef',
  'counterparty.name',
  'counterparty.account',
  'references.externalId',
  'references.batchId',
  'references.endToEndId',
  'references.bankReference',
  'source.format',
] as const;
export const RULE_DATE_FIELDS = ['occurredAt', 'bookingDate', 'valueDate'] as const;

/** A canonical text field, or `raw.<column>` for a cell of the source file as it was written. */
const TextField = z.union([z.enum(RULE_TEXT_FIELDS), z.string().regex(/^raw\..+$/, 'expected a canonical field or raw.<column>')]);
export const RULE_PATTERN_CHARS_MAX = 500;

const Condition = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('equals'), field: TextField, value: z.string() }),
  z.strictObject({ op: z.literal('in'), field: TextField, values: z.array(z.string()).min(1) }),
  z.strictObject({ op: z.literal('regex'), field: TextField, pattern: z.string().min(1).max(RULE_PATTERN_CHARS_MAX), ignoreCase: z.boolean().default(false) }),
  z
    .strictObject({
      op: z.literal('range'),
      field: z.literal('amount'),
      /** Bounds are decimal strings compared exactly; both inclusive unless said otherwise. */
      min: DecimalString.optional(),
      max: DecimalString.optional(),
      minInclusive: z.boolean().default(true),
      maxInclusive: z.boolean().default(true),
      /** Amounts of different currencies are not comparable: a range may pin one. */
      currency: CurrencyCodeSchema.optional(),
    })
    .refine((range) => range.min !== undefined || range.max !== undefined, 'a range needs min, max or both')
    .refine((range) => range.min === undefined || range.max === undefined || new Decimal(range.min).lessThanOrEqualTo(range.max), 'min is greater than max'),
  z
    .strictObject({ op: z.literal('dateRange'), field: z.enum(RULE_DATE_FIELDS), from: CalendarDate.optional(), to: CalendarDate.optional() })
    .refine((range) => range.from !== undefined || range.to !== undefined, 'a date range needs from, to or both')
    .refine((range) => range.from === undefined || range.to === undefined || range.from <= range.to, 'from is after to'),
]);
export type RuleCondition = z.infer<typeof Condition>;

export const ClassificationRule = z.strictObject({
  id: z.string().trim().min(1).max(100),
  description: z.string().max(1000).optional(),
  when: z.array(Condition).min(1),
  assign: z.strictObject({
    /** The ledger account the transaction books to. */
    account: z.string().trim().min(1),
    partnerId: z.string().trim().min(1).optional(),
    productId: z.string().trim().min(1).optional(),
    kind: TransactionKind.optional(),
  }),
});
export type ClassificationRule = z.infer<typeof ClassificationRule>;

export const RuleSet = z.strictObject({ rules: z.array(z.unknown()).max(10_000) });

export class RuleValidationError extends SettleDeskError {
  constructor(message: string, ruleId: string | null, issues: readonly string[]) {
    super('rules_invalid', message, {}, { ruleId, issues });
    this.name = 'RuleValidationError';
  }
}

export class RuleRegexError extends SettleDeskError {
  constructor(ruleId: string, pattern: string, why: string) {
    super('rule_regex_invalid', `rule ${JSON.stringify(ruleId)}: invalid regular expression ${JSON.stringify(pattern)}: ${why}`, {}, { ruleId, pattern });
    this.name = 'RuleRegexError';
  }
}

type Predicate = (transaction: CanonicalTransaction) => boolean;

export interface CompiledRule {
  readonly rule: ClassificationRule;
  readonly matches: Predicate;
}

export interface ClassifiedTransaction {
  /** The transaction with the rule's partner, product and kind applied. */
  readonly transaction: CanonicalTransaction;
  readonly ledgerAccount: string;
  readonly ruleId: string;
}

export interface ClassificationResult {
  readonly classified: ClassifiedTransaction[];
  /** No rule matched: each becomes an exception for review. */
  readonly unclassified: CanonicalTransaction[];
}

function textOf(transaction: CanonicalTransaction, field: string): string | null {
  if (field.startsWith('raw.')) return transaction.raw[field.slice(4)] ?? null;
  switch (field) {
    case 'counterparty.name':
      return transaction.counterparty.name;
    case 'counterparty.account':
      return transaction.counterparty.account;
    case 'references.externalId':
      return transaction.references.externalId;
    case 'references.batchId':
      return transaction.references.batchId;
    case 'references.endToEndId':
      return transaction.references.endToEndId;
    case 'references.bankReference':
      return transaction.references.bankReference;
    case 'source.format':
      return transaction.source.format;
    default:
      return (transaction[field as keyof CanonicalTransaction] as string | null | undefined) ?? null;
  }
}

function dateOf(transaction: CanonicalTransaction, field: (typeof RULE_DATE_FIELDS)[number]): string | null {
  // occurredAt keeps the source's own calendar date before any time: no zone conversion moves it.
  if (field === 'occurredAt') return transaction.occurredAt.slice(0, 10);
  return transaction[field];
}

function compileCondition(condition: RuleCondition, ruleId: string): Predicate {
  switch (condition.op) {
    case 'equals':
      return (transaction) => textOf(transaction, condition.field) === condition.value;
    case 'in': {
      const values = new Set(condition.values);
      return (transaction) => {
        const value = textOf(transaction, condition.field);
        return value !== null && values.has(value);
      };
    }
    case 'regex': {
      let pattern: RegExp;
      try {
        pattern = new RegExp(condition.pattern, condition.ignoreCase ? 'i' : '');
      } catch (error) {
        throw new RuleRegexError(ruleId, condition.pattern, (error as Error).message);
      }
      return (transaction) => {
        const value = textOf(transaction, condition.field);
        return value !== null && pattern.test(value);
      };
    }
    case 'range': {
      const min = condition.min === undefined ? null : new Decimal(condition.min);
      const max = condition.max === undefined ? null : new Decimal(condition.max);
      return (transaction) => {
        if (condition.currency !== undefined && transaction.currency !== condition.currency) return false;
        const amount = new Decimal(transaction.amount);
        if (min !== null && (condition.minInclusive ? amount.lessThan(min) : amount.lessThanOrEqualTo(min))) return false;
        if (max !== null && (condition.maxInclusive ? amount.greaterThan(max) : amount.greaterThanOrEqualTo(max))) return false;
        return true;
      };
    }
    case 'dateRange':
      return (transaction) => {
        const date = dateOf(transaction, condition.field);
        if (date === null) return false;
        return (condition.from === undefined || date >= condition.from) && (condition.to === undefined || date <= condition.to);
      };
  }
}

function ruleIdOf(input: unknown, index: number): string {
  if (typeof input === 'object' && input !== null && 'id' in input && typeof input.id === 'string') return input.id;
  return `#${index + 1}`;
}

/** Validates and compiles a rule set; errors name the rule (by id, or by position without one). */
export function compileRules(input: unknown): CompiledRule[] {
  const set = RuleSet.safeParse(input);
  if (!set.success) throw new RuleValidationError(`rule set: ${set.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`, null, []);
  const seen = new Set<string>();
  return set.data.rules.map((candidate, index) => {
    const id = ruleIdOf(candidate, index);
    const parsed = ClassificationRule.safeParse(candidate);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(rule)'}: ${issue.message}`);
      throw new RuleValidationError(`rule ${JSON.stringify(id)} (position ${index + 1}): ${issues.join('; ')}`, id, issues);
    }
    if (seen.has(parsed.data.id)) throw new RuleValidationError(`rule ${JSON.stringify(id)} (position ${index + 1}): the id is used by an earlier rule`, id, ['id: duplicate']);
    seen.add(parsed.data.id);
    const predicates = parsed.data.when.map((condition) => compileCondition(condition, parsed.data.id));
    return { rule: parsed.data, matches: (transaction: CanonicalTransaction) => predicates.every((predicate) => predicate(transaction)) };
  });
}

/** Applies the first matching rule to each transaction, in order; the rest are unclassified. */
export function classify(transactions: readonly CanonicalTransaction[], rules: readonly CompiledRule[]): ClassificationResult {
  const classified: ClassifiedTransaction[] = [];
  const unclassified: CanonicalTransaction[] = [];
  for (const transaction of transactions) {
    const winner = rules.find((compiled) => compiled.matches(transaction));
    if (winner === undefined) {
      unclassified.push(transaction);
      continue;
    }
    const { assign } = winner.rule;
    classified.push({
      transaction: {
        ...transaction,
        partnerId: assign.partnerId ?? transaction.partnerId,
        productId: assign.productId ?? transaction.productId,
        kind: assign.kind ?? transaction.kind,
      },
      ledgerAccount: assign.account,
      ruleId: winner.rule.id,
    });
  }
  assert(classified.length + unclassified.length === transactions.length, 'every transaction is classified or unclassified');
  return { classified, unclassified };
}
