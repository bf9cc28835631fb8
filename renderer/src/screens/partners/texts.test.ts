import { describe, expect, it } from 'vitest';
import { AGREEMENT_ERROR_CODES } from '../../../../core/settlement/errors.ts';
import { expectSameKeysAndPlaceholders, latinOnlyKeys, textLeaves as leaves } from '../../../i18n/text-tree.test-support.ts';
import { SECTIONS, SHARE_FIELDS } from './fields.ts';
import { partnersEn } from './texts-en.ts';
import { partnersKo } from './texts-ko.ts';

describe('partners texts', () => {
  const english = leaves(partnersEn);
  const korean = leaves(partnersKo);

  it('Korean has every English key with the same placeholders', () => {
    expectSameKeysAndPlaceholders(english, korean);
  });

  it('Korean sentences are written in Hangul', () => {
    expect(latinOnlyKeys(korean)).toEqual([]);
  });

  it('every field, every option and every error code has a text', () => {
    const missing: string[] = [];
    for (const field of [...SECTIONS.flatMap((section) => section.fields), ...SHARE_FIELDS]) {
      if (!english.has(`fields.${field.id}`)) missing.push(`fields.${field.id}`);
      if (field.input.kind === 'enum') for (const option of field.input.options) if (!english.has(`options.${field.id}.${option}`)) missing.push(`options.${field.id}.${option}`);
    }
    for (const section of [...SECTIONS.map((each) => each.id), 'share']) if (!english.has(`sections.${section}`)) missing.push(`sections.${section}`);
    for (const code of AGREEMENT_ERROR_CODES) if (!english.has(`errors.${code}`)) missing.push(`errors.${code}`);
    expect(missing).toEqual([]);
  });
});
