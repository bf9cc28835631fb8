import { describe, expect, it } from 'vitest';
import { rateTable } from '../../../../core/settlement/fx.ts';
import { runSettlement } from '../../../../core/settlement/run.ts';
import { agreementOf, row } from '../../../../core/settlement/testkit.ts';
import { conversionsOf, lineExplanation, lineRowsOf, lineSummary, type LineWords } from './statement-lines.ts';

// An EUR agreement with an EUR line (no conversion: core records an identity quote of 1) and a
// USD line converted at one ECB rate.
const march = runSettlement({
  period: { start: '2026-03-01', end: '2026-03-31' },
  partnerIds: ['p'],
  agreements: agreementOf({ share: { rate: '70' } }),
  transactions: [row('sale', '100.00', { date: '2026-03-10' }), row('sale', '108.50', { currency: 'USD', date: '2026-03-10' })],
  rates: rateTable({ '2026-03-10': { USD: '1.0850' } }, 'ECB', 'EUR'),
});
const rows = lineRowsOf(march.statements[0]!);
const lineIn = (currency: string) => rows.find((each) => each.line.currency === currency)!;
// The rule and kinds as the engine writes them (their translation is adjustment-note's lineWords, tested there).
const asWritten: LineWords = { rule: (rule) => rule, kindCount: (kind, count) => `${count} ${kind}` };

describe('a statement line as the preview explains it', () => {
  it('shows no FX and no rounding on a same-currency line that converted and rounded nothing', () => {
    const eur = lineIn('EUR');
    expect(eur.line.fx.map((use) => use.quote.source)).toEqual(['identity']);
    expect(conversionsOf(eur.line)).toEqual([]);
    expect(lineExplanation(eur, asWritten).map((part) => part.kind)).toEqual(['kinds', 'rule']);
    expect(lineSummary(eur, asWritten)).toBe('1 sale +100.00 EUR (×1) | flat 70 %');
  });

  it('counts and explains each rate a converted line used', () => {
    const usd = lineIn('USD');
    // 108.50 USD / 1.0850 USD per EUR = 100.00 EUR.
    expect(usd.line.base).toBe('100.00');
    expect(conversionsOf(usd.line)).toHaveLength(1);
    expect(lineSummary(usd, asWritten)).toMatch(/ \| FX × 1$/);
    // The rate 1/1.0850 is cut to 20 significant digits, so the exact base is a hair under 100 and rounds to 100.00.
    expect(lineExplanation(usd, asWritten).find((part) => part.kind === 'rounding')?.text).toBe('99.999999999999999999645 → 100.00 EUR (99.999999999999999999645 rounded half-even to 100.00)');
    expect(lineExplanation(usd, asWritten).filter((part) => part.kind === 'fx').map((part) => part.text)).toEqual([expect.stringMatching(/^108\.50 USD × 0\.92165898617511520737 = 1 USD = /)]);
  });
});
