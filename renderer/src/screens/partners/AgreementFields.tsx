import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { keyOf, valueAt, type Draft, type FieldKey } from './draft.ts';
import { currencyOptions, KINDS, SHARE_FIELDS, type FieldSpec } from './fields.ts';
import { PARTNERS_NS } from './texts.ts';
import type { FieldError, FieldErrors } from './validate.ts';

/**
 * The agreement editor's inputs, one per schema field (fields.ts), each labelled, with its
 * validation messages under it (aria-describedby, aria-invalid), translated from the error code.
 */
export interface FieldsProps {
  readonly draft: Draft;
  readonly errors: FieldErrors;
  readonly set: (key: FieldKey, value: unknown) => void;
}

/** The DOM id of a field's control (the error summary focuses it). */
export function controlId(key: FieldKey): string {
  return `pf-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function errorId(key: FieldKey): string {
  return `${controlId(key)}-error`;
}

function useErrorText(): (error: FieldError) => string {
  const { t } = useTranslation(PARTNERS_NS);
  return (error) => t(`errors.${error.code}`, error.values);
}

/** The messages at one key, under its control. */
export function FieldErrorList({ errors, at }: { readonly errors: FieldErrors; readonly at: FieldKey }) {
  const text = useErrorText();
  const list = errors.get(at) ?? [];
  if (list.length === 0) return null;
  return (
    <ul className="pf-errors" id={errorId(at)} data-field-error={at}>
      {list.map((error, index) => (
        <li key={index} title={error.detail}>{text(error)}</li>
      ))}
    </ul>
  );
}

/** aria attributes that tie a control to its messages. */
function invalidProps(errors: FieldErrors, at: FieldKey) {
  const has = (errors.get(at)?.length ?? 0) > 0;
  return has ? { 'aria-invalid': true as const, 'aria-describedby': errorId(at) } : {};
}

function TextInput({ at, value, onChange, errors, label, placeholder, inputMode }: { readonly at: FieldKey; readonly value: string; readonly onChange: (text: string) => void; readonly errors: FieldErrors; readonly label: string; readonly placeholder?: string; readonly inputMode?: 'decimal' | 'text' }) {
  return (
    <input id={controlId(at)} type="text" aria-label={label} value={value} placeholder={placeholder} inputMode={inputMode} spellCheck={false} autoComplete="off" onChange={(event) => onChange(event.target.value)} {...invalidProps(errors, at)} />
  );
}

function TiersInput({ at, draft, errors, set }: FieldsProps & { readonly at: FieldKey }) {
  const { t } = useTranslation(PARTNERS_NS);
  const tiers = (valueAt(draft, at) as Array<{ from: string; to: string | null; rate: string }> | undefined) ?? [];
  const setTiers = (next: typeof tiers) => set(at, next);
  return (
    <div className="pf-tiers">
      <table className="sd-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('tiers.from')}</th>
            <th scope="col">{t('tiers.to')}</th>
            <th scope="col">{t('tiers.rate')}</th>
            <th scope="col"><span className="pf-visually-hidden">{t('tiers.remove', { number: '' })}</span></th>
          </tr>
        </thead>
        <tbody>
          {tiers.map((tier, index) => {
            const row = `${at}.${index}`;
            const tierName = t('tiers.tier', { number: index + 1 });
            return (
              <tr key={index}>
                <th scope="row">{index + 1}</th>
                <td>
                  <TextInput at={`${row}.from`} value={tier.from} inputMode="decimal" errors={errors} label={`${tierName} · ${t('tiers.from')}`} onChange={(text) => setTiers(tiers.map((each, i) => (i === index ? { ...each, from: text } : each)))} />
                  <FieldErrorList errors={errors} at={`${row}.from`} />
                </td>
                <td>
                  <TextInput at={`${row}.to`} value={tier.to ?? ''} inputMode="decimal" errors={errors} label={`${tierName} · ${t('tiers.to')}`} onChange={(text) => setTiers(tiers.map((each, i) => (i === index ? { ...each, to: text === '' ? null : text } : each)))} />
                  <FieldErrorList errors={errors} at={`${row}.to`} />
                </td>
                <td>
                  <TextInput at={`${row}.rate`} value={tier.rate} inputMode="decimal" errors={errors} label={`${tierName} · ${t('tiers.rate')}`} onChange={(text) => setTiers(tiers.map((each, i) => (i === index ? { ...each, rate: text } : each)))} />
                  <FieldErrorList errors={errors} at={`${row}.rate`} />
                  <FieldErrorList errors={errors} at={row} />
                </td>
                <td>
                  <button type="button" disabled={tiers.length === 1} onClick={() => setTiers(tiers.filter((_, i) => i !== index))} aria-label={t('tiers.remove', { number: index + 1 })}>×</button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button type="button" onClick={() => setTiers([...tiers.map((each, i) => (i === tiers.length - 1 && each.to === null ? { ...each, to: '' } : each)), { from: '', to: null, rate: tiers.at(-1)?.rate ?? '0' }])}>{t('tiers.add')}</button>
    </div>
  );
}

function KindsInput({ at, draft, set, label }: FieldsProps & { readonly at: FieldKey; readonly label: string }) {
  const { t } = useTranslation(PARTNERS_NS);
  const chosen = (valueAt(draft, at) as string[] | undefined) ?? [];
  return (
    <div className="pf-checks" role="group" aria-label={label}>
      {KINDS.map((kind) => (
        <label key={kind}>
          <input type="checkbox" checked={chosen.includes(kind)} onChange={(event) => set(at, event.target.checked ? KINDS.filter((each) => each === kind || chosen.includes(each)) : chosen.filter((each) => each !== kind))} />
          {t(`kinds.${kind}`)}
        </label>
      ))}
    </div>
  );
}

function CountedKindsInput({ at, draft, errors, set, label }: FieldsProps & { readonly at: FieldKey; readonly label: string }) {
  const { t } = useTranslation(PARTNERS_NS);
  const value = valueAt(draft, at);
  const listed = Array.isArray(value);
  const name = controlId(at);
  return (
    <div role="radiogroup" aria-label={label} className="pf-checks-block">
      <label>
        <input type="radio" name={name} checked={!listed} onChange={() => set(at, 'weighted-plus-one')} />
        {t('countedKinds.weighted')}
      </label>
      <label>
        <input type="radio" name={name} checked={listed} onChange={() => set(at, ['sale'])} />
        {t('countedKinds.listed')}
      </label>
      {listed ? <KindsInput at={at} draft={draft} errors={errors} set={set} label={label} /> : null}
    </div>
  );
}

function RatesInput({ at, draft, errors, set, label }: FieldsProps & { readonly at: FieldKey; readonly label: string }) {
  const { t } = useTranslation(PARTNERS_NS);
  const entries = Object.entries((valueAt(draft, at) as Record<string, string> | undefined) ?? {});
  const write = (next: Array<[string, string]>) => set(at, Object.fromEntries(next));
  return (
    <div className="pf-rates" role="group" aria-label={label}>
      {entries.length === 0 ? <span className="sd-hint">{t('rates.none')}</span> : null}
      {entries.map(([jurisdiction, rate], index) => (
        <div key={index} className="pf-rate-row">
          <TextInput at={`${at}.#${index}`} value={jurisdiction} errors={errors} label={`${label} · ${t('rates.jurisdiction')} ${index + 1}`} placeholder="DE" onChange={(text) => write(entries.map((each, i): [string, string] => (i === index ? [text, each[1]] : each)))} />
          <TextInput at={`${at}.${jurisdiction}`} value={rate} inputMode="decimal" errors={errors} label={`${label} · ${jurisdiction} · ${t('rates.rate')}`} onChange={(text) => write(entries.map((each, i): [string, string] => (i === index ? [each[0], text] : each)))} />
          <button type="button" onClick={() => write(entries.filter((_, i) => i !== index))} aria-label={t('rates.remove', { jurisdiction })}>×</button>
          <FieldErrorList errors={errors} at={`${at}.${jurisdiction}`} />
        </div>
      ))}
      <button type="button" onClick={() => write([...entries, [String(valueAt(draft, 'partnerJurisdiction') ?? ''), '0']])}>{t('rates.add')}</button>
    </div>
  );
}

function OverridesInput({ at, draft, errors, set }: FieldsProps & { readonly at: FieldKey }) {
  const { t } = useTranslation(PARTNERS_NS);
  const overrides = (valueAt(draft, at) as Array<{ productId: string; share: unknown }> | undefined) ?? [];
  return (
    <div className="pf-overrides">
      {overrides.length === 0 ? <p className="sd-hint">{t('overrides.none')}</p> : null}
      {overrides.map((override, index) => {
        const row = `${at}.${index}`;
        return (
          <fieldset key={index} className="pf-override">
            <legend>{t('overrides.heading', { product: override.productId === '' ? index + 1 : override.productId })}</legend>
            <div className="pf-field">
              <label htmlFor={controlId(`${row}.productId`)}>{t('overrides.product')}</label>
              <input id={controlId(`${row}.productId`)} type="text" value={override.productId} onChange={(event) => set(`${row}.productId`, event.target.value)} {...invalidProps(errors, `${row}.productId`)} />
              <FieldErrorList errors={errors} at={`${row}.productId`} />
              <FieldErrorList errors={errors} at={row} />
            </div>
            <ShareFields prefix={`${row}.share`} draft={draft} errors={errors} set={set} />
            <button type="button" onClick={() => set(at, overrides.filter((_, i) => i !== index))}>{t('overrides.remove', { product: override.productId })}</button>
          </fieldset>
        );
      })}
      <button type="button" onClick={() => set(at, [...overrides, { productId: '', share: structuredClone(valueAt(draft, 'terms.share')) }])}>{t('overrides.add')}</button>
    </div>
  );
}

/** One field of the editor: its label, its control and its messages. */
export function Field({ spec, at, draft, errors, set }: FieldsProps & { readonly spec: FieldSpec; readonly at: FieldKey }) {
  const { t } = useTranslation(PARTNERS_NS);
  const label = t(`fields.${spec.id}`);
  const value = valueAt(draft, at);
  const id = controlId(at);
  const input = spec.input;
  const common = { id, ...invalidProps(errors, at) };
  let control: ReactNode;
  switch (input.kind) {
    case 'fixed':
      return (
        <div className="pf-field pf-fixed" data-field={at}>
          <span className="pf-label">{label}</span>
          <span className="sd-mono">{String(value)}</span>
        </div>
      );
    case 'bool':
      return (
        <div className="pf-field pf-bool" data-field={at}>
          <label>
            <input type="checkbox" {...common} checked={value === true} onChange={(event) => set(at, event.target.checked)} />
            {label}
          </label>
          <FieldErrorList errors={errors} at={at} />
        </div>
      );
    case 'text':
    case 'percent':
    case 'amount':
      control = (
        <input
          {...common}
          type="text"
          inputMode={input.kind === 'text' ? 'text' : 'decimal'}
          spellCheck={false}
          autoComplete="off"
          placeholder={input.kind === 'text' ? input.placeholder : undefined}
          value={value === null || value === undefined ? '' : String(value)}
          onChange={(event) => set(at, input.kind === 'amount' && input.nullable && event.target.value === '' ? null : event.target.value)}
        />
      );
      break;
    case 'date':
      // ISO text, not the browser's date picker: it shows the machine's locale format, whatever the desk's language.
      control = <input {...common} type="text" inputMode="numeric" placeholder="YYYY-MM-DD" spellCheck={false} autoComplete="off" value={typeof value === 'string' ? value : ''} onChange={(event) => set(at, input.nullable && event.target.value === '' ? null : event.target.value)} />;
      break;
    case 'enum':
      control = (
        <select {...common} value={String(value)} onChange={(event) => set(at, event.target.value)}>
          {input.options.map((option) => <option key={option} value={option}>{t(`options.${spec.id}.${option}`)}</option>)}
        </select>
      );
      break;
    case 'weight':
      control = (
        <select {...common} value={String(value)} onChange={(event) => set(at, Number(event.target.value))}>
          {['1', '0', '-1'].map((option) => <option key={option} value={option}>{t(`options.weight.${option}`)}</option>)}
        </select>
      );
      break;
    case 'int':
      control = (
        <select {...common} value={String(value)} onChange={(event) => set(at, Number(event.target.value))}>
          {Array.from({ length: input.max - input.min + 1 }, (_, i) => input.min + i).map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      );
      break;
    case 'currency':
      control = (
        <select {...common} value={String(value)} onChange={(event) => set(at, event.target.value)}>
          {currencyOptions().map((code) => <option key={code} value={code}>{code}</option>)}
        </select>
      );
      break;
    case 'kinds':
      control = <KindsInput at={at} draft={draft} errors={errors} set={set} label={label} />;
      break;
    case 'counted-kinds':
      control = <CountedKindsInput at={at} draft={draft} errors={errors} set={set} label={label} />;
      break;
    case 'tiers':
      control = <TiersInput at={at} draft={draft} errors={errors} set={set} />;
      break;
    case 'rates-by-jurisdiction':
      control = <RatesInput at={at} draft={draft} errors={errors} set={set} label={label} />;
      break;
    case 'product-overrides':
      control = <OverridesInput at={at} draft={draft} errors={errors} set={set} />;
      break;
  }
  const labelled = input.kind === 'text' || input.kind === 'percent' || input.kind === 'amount' || input.kind === 'date' || input.kind === 'enum' || input.kind === 'weight' || input.kind === 'int' || input.kind === 'currency';
  return (
    <div className={`pf-field pf-${input.kind}`} data-field={at}>
      {labelled ? <label htmlFor={id}>{label}</label> : <span className="pf-label" id={`${id}-label`}>{label}</span>}
      {control}
      <FieldErrorList errors={errors} at={at} />
    </div>
  );
}

/** The fields of one share: the default share (terms.share) or a product override's. */
export function ShareFields({ prefix, draft, errors, set }: FieldsProps & { readonly prefix: FieldKey }) {
  return (
    <div className="pf-share">
      <FieldErrorList errors={errors} at={prefix} />
      {SHARE_FIELDS.map((spec) => (
        <Field key={spec.id} spec={spec} at={keyOf([...prefix.split('.'), ...spec.path.split('.')])} draft={draft} errors={errors} set={set} />
      ))}
    </div>
  );
}
