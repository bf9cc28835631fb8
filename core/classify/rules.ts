import { z } from 'zod';
import { assert } from '../assert.ts';
import { SettleDeskError } from '../errors.ts';
import { Decimal } from '../money/decimal.ts';
import { CalendarDate, CurrencyCodeSchema, DecimalString, TransactionKind, type CanonicalTransaction } from '../transactions/schema.ts';
import { renderTemplate, TEMPLATE_CHARS_MAX, tokenizeTemplate, type BoundPlaceholder, type CompiledTemplate } from './template.ts';

/**
 * Classification rules: an ordered list, each with conditions on a transaction's fields that
 * assign a ledger account and optionally partner, product and kind. The first rule whose
 * conditions all hold wins. A transaction no rule matches is returned as unclassified (it
 * becomes an exception for an analyst), never put into a default bucket.
 *
 * Assigned account, partner and product may be templates (template.ts): `${raw.Custom Number}`
 * reads a field, `${partner}` a named group of one of the rule's regex conditions, so one rule
 * serves every partner whose id travels in the row. Placeholders are checked when the rules are
 * compiled; one that reads blank at run time leaves the transaction unclassified with the reason.
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

/** A fixed value or a template with `${field}` / `${group}` placeholders. */
const AssignedValue = z.string().trim().min(1).max(TEMPLATE_CHARS_MAX);
/** The assignments that may be templates; `kind` stays one of the fixed canonical kinds. */
export const TEMPLATE_ASSIGN_FIELDS = ['account', 'partnerId', 'productId'] as const;
export type TemplateAssignField = (typeof TEMPLATE_ASSIGN_FIELDS)[number];

export const ClassificationRule = z.strictObject({
  id: z.string().trim().min(1).max(100),
  description: z.string().max(1000).optional(),
  when: z.array(Condition).min(1),
  assign: z.strictObject({
    /** The ledger account the transaction books to. */
    account: AssignedValue,
    partnerId: AssignedValue.optional(),
    productId: AssignedValue.optional(),
    kind: TransactionKind.optional(),
  }),
});
export type ClassificationRule = z.infer<typeof ClassificationRule>;
/** A rule as written in a rule file (defaults such as ignoreCase may be left out). */
export type ClassificationRuleInput = z.input<typeof ClassificationRule>;

export const RuleSet = z.strictObject({ rules: z.array(z.unknown()).max(10_000) });

export class RuleValidationError extends SettleDeskError {
  /** `extra` names what was wrong beyond the issues (for a template: the placeholder and the assigned field). */
  constructor(message: string, ruleId: string | null, issues: readonly string[], extra: Record<string, unknown> = {}) {
    super('rules_invalid', message, {}, { ruleId, issues, ...extra });
    this.name = 'RuleValidationError';
  }
}

export class RuleRegexError extends SettleDeskError {
  constructor(ruleId: string, pattern: string, why: string) {
    super('rule_regex_invalid', `rule ${JSON.stringify(ruleId)}: invalid regular expression ${JSON.stringify(pattern)}: ${why}`, {}, { ruleId, pattern });
    this.name = 'RuleRegexError';
  }
}

/** Named groups captured by a rule's regex conditions (a group that did not take part is undefined). */
export type RuleCaptures = Readonly<Record<string, string | undefined>>;
const NO_CAPTURES: RuleCaptures = Object.freeze({});

/** Null when the condition does not hold; otherwise what its regex captured (NO_CAPTURES for the rest). */
type ConditionMatcher = (transaction: CanonicalTransaction) => RuleCaptures | null;

interface TemplateInput {
  readonly transaction: CanonicalTransaction;
  readonly captures: RuleCaptures;
}

export interface CompiledRule {
  readonly rule: ClassificationRule;
  /** Null when a condition fails; otherwise the named groups its regex conditions captured. */
  readonly match: (transaction: CanonicalTransaction) => RuleCaptures | null;
  readonly templates: Readonly<Partial<Record<TemplateAssignField, CompiledTemplate<TemplateInput>>>>;
}

export interface ClassifiedTransaction {
  /** The transaction with the rule's partner, product and kind applied. */
  readonly transaction: CanonicalTransaction;
  readonly ledgerAccount: string;
  readonly ruleId: string;
}

export interface UnclassifiedReason {
  readonly transactionId: string;
  /** no_rule_matched: no rule's conditions held; template_empty: a rule matched but a placeholder read blank. */
  readonly code: 'no_rule_matched' | 'template_empty';
  readonly ruleId: string | null;
  readonly assignField: TemplateAssignField | null;
  readonly placeholder: string | null;
  readonly message: string;
}

export interface ClassificationResult {
  readonly classified: ClassifiedTransaction[];
  /** Each becomes an exception for review, unchanged (no partial assignment is applied). */
  readonly unclassified: CanonicalTransaction[];
  /** Why, one per unclassified transaction, in the same order. */
  readonly unclassifiedReasons: UnclassifiedReason[];
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

/**
 * The named groups a pattern declares, found by the engine itself instead of by reading the
 * pattern: `(?:P)|` matches the empty string through its last branch, and the match lists every
 * group name P declares, captured or not.
 */
function groupNamesOf(pattern: RegExp): string[] {
  const probe = new RegExp(`(?:${pattern.source})|`, pattern.flags).exec('');
  assert(probe !== null, 'a pattern with an empty last branch matches the empty string', { pattern: pattern.source });
  return Object.keys(probe.groups ?? {});
}

interface CompiledCondition {
  readonly matcher: ConditionMatcher;
  /** Named groups of a regex condition; empty for the other operators. */
  readonly groups: readonly string[];
}

function holds(predicate: (transaction: CanonicalTransaction) => boolean): CompiledCondition {
  return { matcher: (transaction) => (predicate(transaction) ? NO_CAPTURES : null), groups: [] };
}

function compileRegex(condition: Extract<RuleCondition, { op: 'regex' }>, ruleId: string): CompiledCondition {
  let pattern: RegExp;
  try {
    pattern = new RegExp(condition.pattern, condition.ignoreCase ? 'i' : '');
  } catch (error) {
    throw new RuleRegexError(ruleId, condition.pattern, (error as Error).message);
  }
  const groups = groupNamesOf(pattern);
  if (groups.length === 0) {
    return holds((transaction) => {
      const value = textOf(transaction, condition.field);
      return value !== null && pattern.test(value);
    });
  }
  return {
    groups,
    matcher: (transaction) => {
      const value = textOf(transaction, condition.field);
      const found = value === null ? null : pattern.exec(value);
      return found === null ? null : (found.groups ?? NO_CAPTURES);
    },
  };
}

function compileCondition(condition: RuleCondition, ruleId: string): CompiledCondition {
  switch (condition.op) {
    case 'equals':
      return holds((transaction) => textOf(transaction, condition.field) === condition.value);
    case 'in': {
      const values = new Set(condition.values);
      return holds((transaction) => {
        const value = textOf(transaction, condition.field);
        return value !== null && values.has(value);
      });
    }
    case 'regex':
      return compileRegex(condition, ruleId);
    case 'range': {
      const min = condition.min === undefined ? null : new Decimal(condition.min);
      const max = condition.max === undefined ? null : new Decimal(condition.max);
      return holds((transaction) => {
        if (condition.currency !== undefined && transaction.currency !== condition.currency) return false;
        const amount = new Decimal(transaction.amount);
        if (min !== null && (condition.minInclusive ? amount.lessThan(min) : amount.lessThanOrEqualTo(min))) return false;
        if (max !== null && (condition.maxInclusive ? amount.greaterThan(max) : amount.greaterThanOrEqualTo(max))) return false;
        return true;
      });
    }
    case 'dateRange':
      return holds((transaction) => {
        const date = dateOf(transaction, condition.field);
        if (date === null) return false;
        return (condition.from === undefined || date >= condition.from) && (condition.to === undefined || date <= condition.to);
      });
  }
}

/** All conditions must hold; the captures of every regex condition are merged. */
function matcherOf(conditions: readonly CompiledCondition[]): CompiledRule['match'] {
  const matchers = conditions.map((condition) => condition.matcher);
  return (transaction) => {
    let captures = NO_CAPTURES;
    for (const matcher of matchers) {
      const found = matcher(transaction);
      if (found === null) return null;
      if (found !== NO_CAPTURES) captures = captures === NO_CAPTURES ? found : { ...captures, ...found };
    }
    return captures;
  };
}

const TEXT_FIELDS: ReadonlySet<string> = new Set(RULE_TEXT_FIELDS);
const DATE_FIELDS: ReadonlySet<string> = new Set(RULE_DATE_FIELDS);
const isRuleField = (name: string): boolean => TEXT_FIELDS.has(name) || DATE_FIELDS.has(name) || /^raw\..+$/.test(name);

/** How a placeholder reads its value, or what is wrong with it (unknown or ambiguous). */
function bindPlaceholder(name: string, groupCounts: ReadonlyMap<string, number>): BoundPlaceholder<TemplateInput> | { readonly problem: string } {
  const groupCount = groupCounts.get(name) ?? 0;
  if (isRuleField(name) && groupCount > 0) return { problem: `\${${name}} is both a field and a named group of a regex condition; rename the group` };
  if (groupCount > 1) return { problem: `\${${name}} is a named group of ${groupCount} regex conditions; give the groups distinct names` };
  if (groupCount === 1) return { placeholder: name, read: ({ captures }) => captures[name] ?? null };
  if (DATE_FIELDS.has(name)) return { placeholder: name, read: ({ transaction }) => dateOf(transaction, name as (typeof RULE_DATE_FIELDS)[number]) };
  if (isRuleField(name)) return { placeholder: name, read: ({ transaction }) => textOf(transaction, name) };
  const groups = [...groupCounts.keys()];
  return { problem: `unknown placeholder \${${name}}: expected a field (${[...RULE_TEXT_FIELDS, ...RULE_DATE_FIELDS].join(', ')}), raw.<column>, or a named group of this rule's regex conditions (${groups.length === 0 ? 'it has none' : groups.join(', ')})` };
}

function compileTemplates(rule: ClassificationRule, conditions: readonly CompiledCondition[], position: number): CompiledRule['templates'] {
  const groupCounts = new Map<string, number>();
  for (const name of conditions.flatMap((condition) => condition.groups)) groupCounts.set(name, (groupCounts.get(name) ?? 0) + 1);
  const templates: Partial<Record<TemplateAssignField, CompiledTemplate<TemplateInput>>> = {};
  for (const field of TEMPLATE_ASSIGN_FIELDS) {
    const text = rule.assign[field];
    if (text === undefined) continue;
    const fail = (problem: string, placeholder: string | null): never => {
      const issue = `assign.${field}: ${problem}`;
      throw new RuleValidationError(`rule ${JSON.stringify(rule.id)} (position ${position}): ${issue}`, rule.id, [issue], { assignField: field, placeholder });
    };
    const tokens = tokenizeTemplate(text);
    if ('problem' in tokens) return fail(tokens.problem, null);
    templates[field] = tokens.map((token) => {
      if ('literal' in token) return token.literal;
      const bound = bindPlaceholder(token.placeholder, groupCounts);
      return 'problem' in bound ? fail(bound.problem, token.placeholder) : bound;
    });
  }
  assert(templates.account !== undefined, 'every rule assigns an account', { ruleId: rule.id });
  return templates;
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
    const conditions = parsed.data.when.map((condition) => compileCondition(condition, parsed.data.id));
    return { rule: parsed.data, match: matcherOf(conditions), templates: compileTemplates(parsed.data, conditions, index + 1) };
  });
}

type Applied = { readonly classified: ClassifiedTransaction } | { readonly reason: UnclassifiedReason };

/** Fills the winning rule's templates; a blank placeholder leaves the transaction as it was. */
function apply(compiled: CompiledRule, transaction: CanonicalTransaction, captures: RuleCaptures): Applied {
  const values: Partial<Record<TemplateAssignField, string>> = {};
  for (const field of TEMPLATE_ASSIGN_FIELDS) {
    const template = compiled.templates[field];
    if (template === undefined) continue;
    const rendered = renderTemplate(template, { transaction, captures });
    if ('emptyPlaceholder' in rendered) {
      const { emptyPlaceholder: placeholder } = rendered;
      const message = `rule ${JSON.stringify(compiled.rule.id)} matched, but \${${placeholder}} is empty for this transaction, so ${field} cannot be assigned`;
      return { reason: { transactionId: transaction.id, code: 'template_empty', ruleId: compiled.rule.id, assignField: field, placeholder, message } };
    }
    values[field] = rendered.value;
  }
  assert(values.account !== undefined, 'a rendered rule has an account', { ruleId: compiled.rule.id });
  return {
    classified: {
      transaction: { ...transaction, partnerId: values.partnerId ?? transaction.partnerId, productId: values.productId ?? transaction.productId, kind: compiled.rule.assign.kind ?? transaction.kind },
      ledgerAccount: values.account,
      ruleId: compiled.rule.id,
    },
  };
}

/** Applies the first matching rule to each transaction, in order; the rest are unclassified, each with its reason. */
export function classify(transactions: readonly CanonicalTransaction[], rules: readonly CompiledRule[]): ClassificationResult {
  const classified: ClassifiedTransaction[] = [];
  const unclassified: CanonicalTransaction[] = [];
  const unclassifiedReasons: UnclassifiedReason[] = [];
  for (const transaction of transactions) {
    let applied: Applied | null = null;
    for (const compiled of rules) {
      const captures = compiled.match(transaction);
      if (captures === null) continue;
      // First match wins even when its template is blank: falling through would book the row by a rule meant for others.
      applied = apply(compiled, transaction, captures);
      break;
    }
    if (applied !== null && 'classified' in applied) {
      classified.push(applied.classified);
      continue;
    }
    unclassified.push(transaction);
    unclassifiedReasons.push(applied?.reason ?? { transactionId: transaction.id, code: 'no_rule_matched', ruleId: null, assignField: null, placeholder: null, message: 'no rule matched' });
  }
  assert(classified.length + unclassified.length === transactions.length, 'every transaction is classified or unclassified');
  assert(unclassifiedReasons.length === unclassified.length, 'every unclassified transaction has its reason');
  return { classified, unclassified, unclassifiedReasons };
}
