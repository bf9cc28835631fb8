import type { TFunction } from 'i18next';
import { isDecimalString } from '../../../../core/money/decimal.ts';
import { includedVatRate, noteParts, ruleParts, type NoteParts, type RuleParts } from '../../../../core/statement/korean-notes.ts';
import type { TransactionKind } from '../../../../core/transactions/schema.ts';
import type { LineWords } from './statement-lines.ts';

/** Which text of ADJUSTMENT_NOTES_NS says a note: the code, or the code and the word it turns on. */
function keyOf(parts: NoteParts): string | null {
  const { code, params } = parts;
  switch (code) {
    case 'periodic_fee':
      return params.empty === '' ? code : 'periodic_fee_empty';
    case 'withholding':
      return params.when === 'after' || params.when === 'before' ? `withholding_${params.when}` : null;
    case 'cap':
      return params.when === 'before-mg' || params.when === 'after-mg' ? `cap_${params.when}` : null;
    case 'mg_top_up':
      return params.recoupable === 'recoupable' ? 'mg_top_up_recoupable' : 'mg_top_up_not_recoupable';
    default:
      return code;
  }
}

/**
 * An adjustment's explanation in the language of `t` (bound to ADJUSTMENT_NOTES_NS), its money
 * formatted by `money` (the statement's settlement currency; exact decimal text). The engine's
 * English when the note is of a shape core does not list, or a part is not what the text expects.
 */
export function adjustmentNote(explanation: string, t: TFunction, money: (amount: string) => string): string {
  const parts = noteParts(explanation);
  const key = parts === null ? null : keyOf(parts);
  if (parts === null || key === null) return explanation;
  const params: Record<string, string> = { ...parts.params };
  for (const name of parts.amounts) {
    const value = params[name] ?? '';
    if (!isDecimalString(value)) return explanation;
    params[name] = money(value);
  }
  for (const name of ['basis', 'from'] as const) {
    const value = params[name];
    // advance_recouped's basis is an amount (formatted above); elsewhere a basis is a word.
    if (value !== undefined && !parts.amounts.includes(name)) params[name] = t(`basis.${value}`, { defaultValue: value });
  }
  // A fee note's kinds ("sale, refund") are the agreement's transaction kinds, said as the lines say them.
  if (params.kinds !== undefined) params.kinds = params.kinds.split(', ').map((kind) => t(`kinds.${kind}`, { defaultValue: kind })).join(', ');
  if (params.rest !== undefined) {
    const rate = includedVatRate(params.rest);
    if (rate === null && params.rest !== '') return explanation;
    params.vat = rate === null ? '' : t('vatIncluded', { rate });
  }
  return t(`notes.${key}`, params);
}

/** A statement line's tier rule in the language of `t` (bound to ADJUSTMENT_NOTES_NS); the engine's English for a shape core does not list. */
export function tierRule(rule: string, t: TFunction): string {
  const parts = ruleParts(rule);
  if (parts === null) return rule;
  const params = { ...parts.params, where: whereOf(parts, t) };
  if (parts.code !== 'retroactive') return t(`rules.${parts.code}`, params);
  const { side } = parts.params;
  return side === 'higher' || side === 'lower' ? t(`rules.retroactive_${side}`, params) : rule;
}

/** A tiered rule's measure, with what a contract year had reached before the period; '' for a rule without one. */
function whereOf({ params }: RuleParts, t: TFunction): string {
  if (params.measure === undefined) return '';
  const measure = t(`measure.${params.measure}`, { defaultValue: params.measure });
  return params.before ? t('contractYear', { measure, before: params.before }) : measure;
}

/** The words of a statement line's explanation in the language of `t` (bound to ADJUSTMENT_NOTES_NS). */
export function lineWords(t: TFunction): LineWords {
  return {
    rule: (rule) => tierRule(rule, t),
    kindCount: (kind: TransactionKind, count: number) => t('kindCount', { kind: t(`kinds.${kind}`), count }),
  };
}
