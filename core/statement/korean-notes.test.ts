import { describe, expect, it } from 'vitest';
import { includedVatRate, koreanNote, noteParts } from './korean-notes.ts';

describe('the engine\'s notes by code', () => {
  it('names a note\'s parts and which of them are money', () => {
    expect(noteParts('advance recouped from share, at most 50 % of 2000.00, 300.00 outstanding')).toEqual({ code: 'advance_recouped', params: { from: 'share', rate: '50', basis: '2000.00', open: '300.00' }, amounts: ['basis', 'open'] });
    expect(noteParts('fixed fee per period')).toEqual({ code: 'periodic_fee', params: { empty: '', rest: '' }, amounts: [] });
    expect(noteParts('a note of a new shape')).toBeNull();
    expect(includedVatRate(' (VAT 19 % included)')).toBe('19');
    expect(includedVatRate('')).toBeNull();
  });

  it('writes the printed statement\'s Korean from the parts', () => {
    expect(koreanNote('fixed fee per period, charged in an empty period (VAT 7.7 % included)')).toBe('기간당 고정 수수료, 거래 없는 기간에도 부과 (부가가치세 7.7 % 포함)');
    expect(koreanNote('cap 1000 applied before-mg: share reduced by 20.00')).toBe('상한 1000 적용 (최소 보장 전): 배분액 20.00 감액');
    expect(koreanNote('minimum guarantee 500: top-up 120.00 (not recoupable)')).toBe('최소 보장액 500: 보전액 120.00 (회수 불가)');
    expect(koreanNote('recouped 30.00 of earlier guarantee top-ups (90.00 outstanding) from the share above 500')).toBe('이전 보장 보전액 중 30.00 회수 (미회수 90.00), 500 초과 배분액에서');
  });
});
