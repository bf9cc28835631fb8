import { describe, expect, it } from 'vitest';
import { PARTNER_API_KEY_SCOPES, PARTNER_WEBHOOK_EVENTS } from '../../../../core/sync/partner-api.ts';
import { expectSameKeysAndPlaceholders, latinOnlyKeys, textLeaves as leaves } from '../../../i18n/text-tree.test-support.ts';
import { partnerAccessEn } from './texts-en.ts';
import { partnerAccessKo } from './texts-ko.ts';
import { textKeyOf, type FieldProblem } from './view.ts';

describe('partner access texts', () => {
  const english = leaves(partnerAccessEn);
  const korean = leaves(partnerAccessKo);

  it('Korean has every English key with the same placeholders', () => {
    expectSameKeysAndPlaceholders(english, korean);
  });

  it('Korean sentences are written in Hangul', () => {
    expect(latinOnlyKeys(korean)).toEqual([]);
  });

  it('every scope, event, delivery status and field problem has a text', () => {
    const problems: FieldProblem[] = ['required', 'username', 'passwordShort', 'tooLong', 'url', 'partnerId'];
    const needed = [...PARTNER_API_KEY_SCOPES.map((scope) => `scopes.${textKeyOf(scope)}`), ...PARTNER_WEBHOOK_EVENTS.map((event) => `events.${textKeyOf(event)}`), ...['pending', 'delivered', 'failed'].map((status) => `log.status.${status}`), ...problems.map((problem) => `problems.${problem}`)];
    expect(needed.filter((key) => !english.has(key))).toEqual([]);
  });
});
