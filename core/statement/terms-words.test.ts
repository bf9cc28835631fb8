import { describe, expect, it } from 'vitest';
import { Terms } from '../settlement/agreement.ts';
import { termsInWords } from './terms-words.ts';

const context = { currency: 'EUR', jurisdiction: 'NL' };
const withRounding = (scope: string) => Terms.parse({ share: { rate: '50' }, rounding: { mode: 'half-up', scope } });

describe('the rounding rule in plain words', () => {
  it.each([
    ['transaction', 'Rounding: half up, per transaction (converted amount, then its share), then summed.', '반올림: 반올림, 거래별(환산액, 이어서 배분액), 그다음 합산.'],
    ['line', 'Rounding: half up, per line.', '반올림: 반올림, 항목별.'],
    ['product-group', 'Rounding: half up, per product group.', '반올림: 반올림, 상품 그룹별.'],
    ['total', 'Rounding: half up, on the totals only.', '반올림: 반올림, 합계에서만.'],
  ])('scope %s reads as the contract says it', (scope, english, korean) => {
    expect(termsInWords(withRounding(scope), context, 'en')).toContain(english);
    expect(termsInWords(withRounding(scope), context, 'ko')).toContain(korean);
  });
});
