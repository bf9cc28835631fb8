// eslint-disable-next-line no-restricted-imports -- React's static renderer (react-dom/server), not our server/ layer.
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { i18next, startI18n } from '../../i18n/index.ts';
import { DateField, MonthSelect } from './DateField.tsx';

const BOUNDS = { min: '2026-02-27', max: '2026-03-02' };
const optionsOf = (html: string, list: 'month' | 'day') => {
  const select = new RegExp(`<select id="f-${list}"[^>]*>(.*?)</select>`).exec(html)?.[1] ?? '';
  return [...select.matchAll(/<option value="([^"]*)"( selected="")?>([^<]*)<\/option>/g)].map(([, value, selected, text]) => `${value}${selected === undefined ? '' : '*'} ${text}`);
};

describe('a date field named in the app\'s language', () => {
  beforeAll(async () => {
    await startI18n('en');
  });
  afterAll(async () => {
    await i18next.changeLanguage('en');
  });

  it('says its months and days in English, day first, the value ISO underneath', () => {
    const html = renderToStaticMarkup(<DateField id="f" label="From" value="2026-03-01" locale="en" optional="start" onChange={() => undefined} testId="period-from" {...BOUNDS} />);
    expect(optionsOf(html, 'month')).toEqual([' No limit', '2026-03* March 2026', '2026-02 February 2026']);
    // March from the 1st to the 2nd, the bounds' last day.
    expect(optionsOf(html, 'day')).toEqual(['1* 1', '2 2']);
    expect(html).toContain('<label id="f-label" for="f-month">From</label><span role="group" aria-labelledby="f-label" class="sd-date-field" data-testid="period-from" data-value="2026-03-01"><select id="f-day"');
    expect(html).toContain('aria-label="From: month"');
    expect(html).toContain('aria-label="From: day"');
  });

  it('says them in Korean, month first, and an empty optional field as no limit', async () => {
    await i18next.changeLanguage('ko');
    const html = renderToStaticMarkup(<DateField id="f" label="시작일" value="2026-02-28" locale="ko" optional="start" onChange={() => undefined} testId="period-from" {...BOUNDS} />);
    expect(optionsOf(html, 'month')).toEqual([' 제한 없음', '2026-03 2026년 3월', '2026-02* 2026년 2월']);
    // February from the 27th (the bounds' first day) to the 28th.
    expect(optionsOf(html, 'day')).toEqual(['27 27일', '28* 28일']);
    expect(html).toContain('class="sd-date-field" data-testid="period-from" data-value="2026-02-28"><select id="f-month"');
    expect(html).toContain('aria-label="시작일: 월"');
    expect(html).toContain('aria-label="시작일: 일"');
    const empty = renderToStaticMarkup(<DateField id="f" label="종료일" value="" locale="ko" optional="end" onChange={() => undefined} testId="period-to" {...BOUNDS} />);
    expect(optionsOf(empty, 'month')[0]).toBe('* 제한 없음');
    expect(optionsOf(empty, 'day')).toEqual(['* —']);
    expect(empty).toMatch(/<select id="f-day" disabled=""/);
    await i18next.changeLanguage('en');
  });

  it('lists Settlements\' months the same way', () => {
    const html = renderToStaticMarkup(<MonthSelect id="f-month" value="2025-12" months={['2026-01', '2025-12']} locale="ko" onChange={() => undefined} />);
    expect(optionsOf(html, 'month')).toEqual(['2026-01 2026년 1월', '2025-12* 2025년 12월']);
  });
});
