import { useTranslation } from 'react-i18next';
import { PARTNER_ACCESS_NS } from './texts.ts';
import { errorText } from './use-server-data.ts';

/** The outcome of an action, kept as a text key so it follows a language switch. */
export interface StatusText {
  readonly key: string;
  readonly params?: Readonly<Record<string, string>>;
  readonly failed?: boolean;
}

export function failureOf(error: unknown): StatusText {
  return { key: 'failed', params: { message: errorText(error) }, failed: true };
}

/** One polite live region per section: screen readers hear what an action did. */
export function StatusLine({ status }: { readonly status: StatusText | null }) {
  const { t } = useTranslation(PARTNER_ACCESS_NS);
  return (
    <p role="status" className={status?.failed === true ? 'field-error' : undefined}>
      {status === null ? '' : t(status.key, status.params)}
    </p>
  );
}
