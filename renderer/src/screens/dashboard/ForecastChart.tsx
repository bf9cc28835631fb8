import { AgCharts } from 'ag-charts-react';
import { CategoryAxisModule, LegendModule, LineSeriesModule, NumberAxisModule, type AgChartOptions } from 'ag-charts-community';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CurrencyForecast } from '../../../../core/insight/forecast.ts';
import { useFormat } from '../../app/use-format.ts';

/** Only the chart parts used, registered for this chart (AG Charts Community). */
const CHART_MODULES = [LineSeriesModule, CategoryAxisModule, NumberAxisModule, LegendModule];
const CHART_FONT = 'system-ui, "DejaVu Sans", "Noto Sans KR", sans-serif';

/**
 * The cash forecast per currency: the expected cumulative position by week with its 90 % band
 * (low and high lines). Plotting needs numbers, so the chart gets Number() of the decimal strings
 * (display only); the table under it shows the exact amounts.
 */
export function ForecastChart({ forecast }: { readonly forecast: readonly CurrencyForecast[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const selectId = useId();
  const [currency, setCurrency] = useState(forecast[0]?.currency ?? '');
  const chosen = forecast.find((f) => f.currency === currency) ?? forecast[0];
  const options = useMemo<AgChartOptions | null>(() => {
    if (chosen === undefined) return null;
    const data = chosen.weeks.map((week) => ({ week: format.date(week.weekStart), point: Number(week.cumulativeNet.point), low: Number(week.cumulativeNet.low), high: Number(week.cumulativeNet.high) }));
    const band = t('dashboard.forecastBand');
    return {
      data,
      height: 260,
      padding: { right: 36 },
      background: { fill: 'transparent' },
      // The canvas does not inherit CSS fonts: name the desk's stack, Hangul included.
      theme: { params: { fontFamily: CHART_FONT } },
      series: [
        { type: 'line', xKey: 'week', yKey: 'high', yName: `${band} ↑`, stroke: '#7aa2e3', strokeWidth: 1, lineDash: [4, 4], marker: { enabled: false } },
        { type: 'line', xKey: 'week', yKey: 'point', yName: t('dashboard.forecastPoint'), stroke: '#1d4ed8', strokeWidth: 2.5, marker: { size: 5, fill: '#1d4ed8' } },
        { type: 'line', xKey: 'week', yKey: 'low', yName: `${band} ↓`, stroke: '#7aa2e3', strokeWidth: 1, lineDash: [4, 4], marker: { enabled: false } },
      ],
      // Axis ticks grouped as the table's amounts are ("-5,000", not "-5000"); ticks are whole numbers at these scales.
      axes: { x: { type: 'category', position: 'bottom' }, y: { type: 'number', position: 'left', label: { formatter: ({ value }: { value: number }) => (Number.isSafeInteger(value) ? format.count(value) : String(value)) } } },
      legend: { position: 'bottom' },
    };
  }, [chosen, format, t]);
  if (chosen === undefined || options === null) return <p className="muted">{t('dashboard.forecastNone')}</p>;
  return (
    <>
      <div className="field-inline">
        <label htmlFor={selectId}>{t('dashboard.forecastCurrency')}</label>
        <select id={selectId} value={chosen.currency} onChange={(e) => setCurrency(e.target.value)} data-testid="forecast-currency">
          {forecast.map((f) => (
            <option key={f.currency} value={f.currency}>
              {f.currency}
            </option>
          ))}
        </select>
      </div>
      <figure className="chart" aria-label={`${t('dashboard.forecast')} ${chosen.currency}`} data-testid="forecast-chart">
        <AgCharts options={options} modules={CHART_MODULES} />
      </figure>
      <table className="plain compact">
        <thead>
          <tr>
            <th scope="col">{t('dashboard.week')}</th>
            <th scope="col" className="num">
              {t('dashboard.forecastPoint')}
            </th>
            <th scope="col" className="num">
              {t('dashboard.forecastBand')}
            </th>
          </tr>
        </thead>
        <tbody>
          {chosen.weeks.map((week) => (
            <tr key={week.weekStart}>
              <td>{format.date(week.weekStart)}</td>
              <td className="num">{format.money(week.cumulativeNet.point, chosen.currency)}</td>
              <td className="num">
                {format.money(week.cumulativeNet.low, chosen.currency)} – {format.money(week.cumulativeNet.high, chosen.currency)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
