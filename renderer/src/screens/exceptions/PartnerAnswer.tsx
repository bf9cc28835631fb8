import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { failureSaid } from '../../app/failure-text.ts';
import { sayIn } from '../../app/use-said.ts';
import { isClosed } from '../../../../core/exceptions/model.ts';
import type { ExceptionDoc } from '../../../../core/sync/documents.ts';
import { registerScreenTexts } from '../../../i18n/texts.ts';
import type { ReviewDesk } from '../../grid/review-port.ts';

/**
 * "Answer partner" on a partner-query exception (a partner's question about a statement line,
 * raised in the partner portal). The answer is the reason the exception is resolved with: it
 * replicates to the server like any transition, where the portal shows it on the query and the
 * query.answered webhook carries it (server/partner/queries.ts answerOf, webhooks.ts).
 */
const NS = 'partner-answer';
/** Adds the texts once, at the first render (i18next is started by then; importing this module does not need it). */
function registerTexts(): void {
  registerScreenTexts(NS, TEXTS);
}

const TEXTS = {
  en: {
    heading: 'Answer the partner',
    question: 'The partner asks about line {{line}}: “{{text}}”',
    claimed: 'Amount claimed: {{amount}}',
    answer: 'Your answer (the partner sees it in the portal)',
    send: 'Send answer and resolve',
    required: 'Write the answer first.',
    answered: 'Answered: {{answer}}',
  },
  ko: {
    heading: '파트너에게 답변',
    question: '파트너가 {{line}}번 명세에 대해 문의합니다: “{{text}}”',
    claimed: '청구 금액: {{amount}}',
    answer: '답변 (파트너가 포털에서 봅니다)',
    send: '답변 보내고 해결',
    required: '먼저 답변을 입력하세요.',
    answered: '답변함: {{answer}}',
  },
} as const;

export function PartnerAnswer({ desk, doc }: { readonly desk: ReviewDesk; readonly doc: ExceptionDoc }) {
  registerTexts();
  const { t } = useTranslation(NS);
  const [answer, setAnswer] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldId = useId();
  if (doc.type !== 'partner-query') return null;
  const given = isClosed(doc.status) ? (doc.history.findLast((step) => isClosed(step.to))?.reason ?? null) : null;
  const send = async () => {
    if (answer.trim() === '') {
      setError(t('required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await desk.transitionException(doc.id, { to: 'resolved', reason: answer.trim() });
      setAnswer('');
    } catch (failure) {
      setError(sayIn(failureSaid(failure), t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="exc-partner-answer" data-testid="partner-answer">
      <h3 id="exc-partner-answer">{t('heading')}</h3>
      <p>{t('question', { line: doc.details.line ?? '?', text: doc.details.text ?? '' })}</p>
      {/* The amount as the partner wrote it, in the statement's currency (the exception's amount at risk). */}
      {doc.details.claimedAmount === undefined ? null : <p>{t('claimed', { amount: [doc.details.claimedAmount, doc.amountAtRisk?.currency].filter((part) => part !== undefined).join(' ') })}</p>}
      {given !== null ? (
        <p role="status">{t('answered', { answer: given })}</p>
      ) : (
        <>
          <label className="sd-field" htmlFor={fieldId}>
            <span>{t('answer')}</span>
            <textarea id={fieldId} rows={3} value={answer} aria-invalid={error !== null} onChange={(event) => setAnswer(event.target.value)} />
          </label>
          <div>
            <button type="button" className="sd-primary" disabled={busy} onClick={() => void send()}>{t('send')}</button>
          </div>
          {error === null ? null : <p className="sd-error" role="alert">{error}</p>}
        </>
      )}
    </section>
  );
}
