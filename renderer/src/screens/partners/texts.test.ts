import { describe, expect, it } from 'vitest';
import { AGREEMENT_ERROR_CODES } from '../../../../core/settlement/errors.ts';
import { placeholdersOf as placeholders, textLeaves as leaves } from '../../../i18n/text-tree.test-support.ts';
import { SECTIONS, SHARE_FIELDS } from './fields.ts';
import { partnersEn } from './texts-en.ts';
import { partnersKo } from './texts-ko.ts';

describe('partners texts', () => {
  const english = leaves(partnersEn);
  const korean = leaves(partnersKo);

  it('Korean has every English key with the same placeholders', () => {
    expect([...korean.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, text] of english) expect(placeholders(korean.get(key) ?? ''), key).toEqual(placeholders(text));
  });

  it('Korean sentences are written in Hangul', () => {
    const latinOnly = [...korean].filter(([, text]) => /[a-z]{4,}/i.test(text.replace(/\{\{\w+\}\}/g, '')) && !/[\uac00-\ud7a3]/.test(text));
    expect(latinOnly.map(([key]) => key)).toEqual([]);
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
