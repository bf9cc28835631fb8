import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { DATE_STYLES, formatDate, formatMoney, NUMBER_FORMATS, type DateStyle, type NumberFormatName } from '../../../i18n/format.ts';
import { LanguageSelect } from '../../app/LanguageSelect.tsx';
import { useDesk } from '../../app/desk-context.tsx';
import { useFormat } from '../../app/use-format.ts';
import { ServerSettings } from './ServerSettings.tsx';
import { SigningSettings } from './SigningSettings.tsx';

const SAMPLE_AMOUNT = '-1234567.89';
const SAMPLE_DATE = '2026-03-31';

export function SettingsScreen() {
  const { t } = useTranslation();
  const { workspace, removeWorkspace, display, setDisplay } = useDesk();
  const format = useFormat();
  const ids = { number: useId(), date: useId() };
  return (
    <>
      <h1>{t('settings.title')}</h1>
      <section className="card" aria-labelledby={`${ids.number}-h`}>
        <h2 id={`${ids.number}-h`}>{t('settings.display')}</h2>
        <div className="form-grid">
          <LanguageSelect value={display.locale} onChange={(locale) => setDisplay({ locale })} label={t('settings.locale')} layout="field" />
          <div className="field">
            <label htmlFor={ids.number}>{t('settings.numberFormat')}</label>
            <select id={ids.number} value={display.numberFormat} onChange={(e) => setDisplay({ numberFormat: e.target.value as NumberFormatName })} data-testid="number-format">
              {NUMBER_FORMATS.map((name) => (
                <option key={name} value={name}>
                  {formatMoney(SAMPLE_AMOUNT, 'EUR', name)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.date}>{t('settings.dateFormat')}</label>
            <select id={ids.date} value={display.dateStyle} onChange={(e) => setDisplay({ dateStyle: e.target.value as DateStyle })}>
              {DATE_STYLES.map((style) => (
                <option key={style} value={style}>
                  {style === 'iso' ? t('settings.dateIso') : `${t('settings.dateLocale')} (${formatDate(SAMPLE_DATE, { locale: display.locale, dateStyle: style })})`}
                </option>
              ))}
            </select>
          </div>
        </div>
        <p className="muted" data-testid="format-sample">
          {format.money(SAMPLE_AMOUNT, 'EUR')} EUR · {format.money('1234567', 'KRW')} KRW · {format.date(SAMPLE_DATE)}
        </p>
      </section>
      <ServerSettings />
      <SigningSettings />
      <section className="card" aria-labelledby={`${ids.date}-w`}>
        <h2 id={`${ids.date}-w`}>{t('settings.workspace')}</h2>
        <p>
          <strong>{workspace.name}</strong> {workspace.kind === 'demo' && <span className="badge badge-demo">{t('header.demo')}</span>}
        </p>
        {workspace.kind === 'demo' && (
          <button type="button" className="danger" onClick={() => window.confirm(t('workspace.removeDemoConfirm')) && removeWorkspace()} data-testid="remove-demo">
            {t('workspace.removeDemo')}
          </button>
        )}
      </section>
    </>
  );
}

