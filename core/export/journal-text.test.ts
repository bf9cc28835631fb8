import { describe, expect, it } from 'vitest';
import { isControlCharacter } from './control-chars.ts';
import { journalText, type TextTransaction } from './journal-text.ts';

const sale: TextTransaction = {
  date: '2026-03-31',
  payee: 'Studio Nord',
  narration: 'settlement 2026-03',
  sourceIds: ['tx_a', 'tx_b'],
  postings: [
    { account: ['Income', 'Revenue', 'studio nord', 'game:one'], amount: '-100.00', currency: 'EUR' },
    { account: ['Liabilities', 'Partners', 'studio nord'], amount: '70.00', currency: 'EUR' },
    { account: ['Income', 'Platform share'], amount: '30.00', currency: 'EUR' },
  ],
};

describe('journalText', () => {
  it('writes ledger syntax with fixed currency digits and the source ids as a comment', () => {
    const text = journalText([sale], 'ledger');
    expect(text).toContain('2026-03-31 * Studio Nord | settlement 2026-03');
    expect(text).toContain('    ; source: tx_a, tx_b');
    expect(text).toContain('    Income:Revenue:studio nord:game-one  -100.00 EUR');
    expect(text).toContain('    Liabilities:Partners:studio nord  70.00 EUR');
  });

  it('writes beancount syntax with open directives and valid account names', () => {
    const text = journalText([sale], 'beancount');
    expect(text).toContain('2026-03-31 open Income:Revenue:Studio-nord:Game-one EUR');
    expect(text).toContain('2026-03-31 * "Studio Nord" "settlement 2026-03"');
    expect(text).toContain('  source-ids: "tx_a,tx_b"');
    expect(text).toContain('  Liabilities:Partners:Studio-nord  70.00 EUR');
  });

  it('writes JPY without decimals and KWD with three', () => {
    const text = journalText(
      [
        { ...sale, postings: [{ account: ['Assets', 'Bank'], amount: '1000', currency: 'JPY' }, { account: ['Income', 'Sales'], amount: '-1000', currency: 'JPY' }] },
        { ...sale, postings: [{ account: ['Assets', 'Bank'], amount: '1.5', currency: 'KWD' }, { account: ['Income', 'Sales'], amount: '-1.5', currency: 'KWD' }] },
      ],
      'ledger',
    );
    expect(text).toContain('Assets:Bank  1000 JPY');
    expect(text).toContain('Assets:Bank  1.500 KWD');
  });

  it('refuses an unbalanced transaction', () => {
    const broken = { ...sale, postings: sale.postings.slice(0, 2) };
    expect(() => journalText([broken], 'ledger')).toThrowError(expect.objectContaining({ code: 'invariant_broken' }));
  });

  it('refuses two accounts that would collapse into one beancount name', () => {
    const clash: TextTransaction = {
      ...sale,
      postings: [
        { account: ['Liabilities', 'Partners', 'p_1'], amount: '1.00', currency: 'EUR' },
        { account: ['Liabilities', 'Partners', 'p 1'], amount: '-1.00', currency: 'EUR' },
      ],
    };
    expect(() => journalText([clash], 'beancount')).toThrowError(expect.objectContaining({ code: 'invariant_broken' }));
  });

  it('escapes CR, LF and other control characters in every text it writes, so none can start a line', () => {
    const attack = 'evil\r\n    Assets:Stolen  1000000 EUR\u2028\u0085\u001b[2J';
    const hostile: TextTransaction = {
      date: '2026-03-31',
      payee: `${attack} | x ; tag:1`,
      narration: attack,
      sourceIds: [attack],
      postings: [
        { account: ['Income', 'Revenue', attack, attack], amount: '-1.00', currency: 'EUR' },
        { account: ['Assets', 'PSP clearing', 'EUR'], amount: '1.00', currency: 'EUR' },
      ],
    };
    for (const format of ['ledger', 'beancount'] as const) {
      const text = journalText([hostile], format);
      expect([...text].filter((char) => char !== '\n' && isControlCharacter(char.charCodeAt(0)))).toEqual([]);
      // Every line is the header, a date line, an indented posting, metadata or comment: none is the attacker's.
      expect(text.split('\n').filter((line) => line.includes('Assets:Stolen') && !line.includes('\\u000d\\u000a'))).toEqual([]);
    }
    const ledger = journalText([hostile], 'ledger');
    expect(ledger).toContain('2026-03-31 * evil\\u000d\\u000a    Assets:Stolen  1000000 EUR\\u2028\\u0085\\u001b[2J , x , tag:1 | evil');
    expect(ledger).toContain('    ; source: evil\\u000d\\u000a    Assets:Stolen  1000000 EUR');
  });
});

