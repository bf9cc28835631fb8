import { describe, expect, it } from 'vitest';
import { i18next, startI18n } from './index.ts';
import { registerScreenTexts } from './texts.ts';

// Screens register their texts when their module is imported, which may be before the shell
// starts i18next (a test, a worker, an import order change) or after it (a lazily loaded screen).

describe('screen texts', () => {
  it('register in any order around startI18n and are there in both languages', async () => {
    expect(i18next.isInitialized).not.toBe(true);
    registerScreenTexts('early', { en: { hello: 'Hello {{name}}' }, ko: { hello: '{{name}}님 안녕하세요' } });
    await startI18n('en');
    expect(i18next.t('hello', { ns: 'early', name: 'Ana' })).toBe('Hello Ana');
    // The shell's own texts survive: registering a screen does not replace the default namespace.
    expect(i18next.t('app.name')).toBe('SettleDesk');
    registerScreenTexts('late', { en: { bye: 'Goodbye' }, ko: { bye: '안녕히 가세요' } });
    expect(i18next.t('bye', { ns: 'late' })).toBe('Goodbye');
    await i18next.changeLanguage('ko');
    expect(i18next.t('hello', { ns: 'early', name: 'Ana' })).toBe('Ana님 안녕하세요');
    expect(i18next.t('bye', { ns: 'late' })).toBe('안녕히 가세요');
  });

  it('a second registration of a namespace adds keys and replaces changed ones (hot reload)', async () => {
    await startI18n('en');
    await i18next.changeLanguage('en');
    registerScreenTexts('early', { en: { hello: 'Hi {{name}}', extra: 'More' }, ko: { hello: '{{name}}님 안녕', extra: '더 보기' } });
    expect(i18next.t('hello', { ns: 'early', name: 'Ana' })).toBe('Hi Ana');
    expect(i18next.t('extra', { ns: 'early' })).toBe('More');
  });

  it('the same texts registered again (a module that calls it at every first render) add nothing', async () => {
    await startI18n('en');
    const en = { again: 'Again' };
    const ko = { again: '다시' };
    let added = 0;
    const count = () => (added += 1);
    i18next.store.on('added', count);
    registerScreenTexts('twice', { en, ko });
    registerScreenTexts('twice', { en, ko });
    registerScreenTexts('twice', { en, ko });
    i18next.store.off('added', count);
    // One bundle per language, once.
    expect(added).toBe(2);
    expect(i18next.t('again', { ns: 'twice' })).toBe('Again');
  });
});
