import type { TFunction } from 'i18next';
import { REJECTION_REASONS_NS, rejectionReasonsEn } from './reason-texts.ts';

/** A rejected row's reason as the importer wrote it, and what it says as a code and values where the importer names them. */
export interface SaidReason {
  readonly reason: string;
  readonly says?: string | undefined;
  readonly params?: Readonly<Record<string, string>> | undefined;
}

const REASONS: Readonly<Record<string, string>> = rejectionReasonsEn.reason;
const FILE_REFUSALS: Readonly<Record<string, string>> = rejectionReasonsEn.file;
const PLACEHOLDER = /\{\{(\w+)\}\}/g;

/** Whether `values` hold every placeholder of the English text (a text said without one would show '{{name}}'). */
const hasEvery = (english: string, values: Readonly<Record<string, unknown>>): boolean => [...english.matchAll(PLACEHOLDER)].every((match) => Object.hasOwn(values, match[1] ?? ''));

/** Reasons that say parseAmount's cause as {{problem}}: a CSV cell's, a camt entry's. */
const AMOUNT_CAUSED: ReadonlySet<string> = new Set(['amount_unreadable', 'amount_text_unreadable']);

/** The values a text says besides the importer's own (parseAmount's cause and a line's kind in words); null when a cause is not known here or lacks a value. */
function derived(says: string, params: Readonly<Record<string, string>>, t: TFunction): Record<string, string> | null {
  if (AMOUNT_CAUSED.has(says) && params.problem !== undefined) {
    const words: Readonly<Record<string, string>> = rejectionReasonsEn.problem;
    const english = words[params.problem];
    // A cause unknown here (a rejection stored by an older desk named parseAmount's code) is left to the importer's English.
    if (english === undefined || !hasEvery(english, params)) return null;
    return { problem: t(`problem.${params.problem}`, { ...params, ns: REJECTION_REASONS_NS }) };
  }
  if (says === 'refunds_not_sale' && params.kind !== undefined) return { kind: t(`kinds.${params.kind}`, { ns: REJECTION_REASONS_NS, defaultValue: params.kind }) };
  return {};
}

/** What parseAmount's cause (a rejection's `problem` value) says in the language of `t`; null for another rejection, or a cause not known here or lacking a value. */
export function amountProblem(rejection: Readonly<Record<string, string>>, t: TFunction): string | null {
  const { says } = rejection;
  return says === undefined ? null : (derived(says, rejection, t)?.problem ?? null);
}

/**
 * A rejected row's reason in the language of `t` (any namespace: the texts are REJECTION_REASONS_NS's) from its code and
 * values; the importer's English when it names no code this screen knows, or a value its text needs is missing.
 */
export function rejectionReason(rejection: SaidReason, t: TFunction): string {
  const { says, params = {} } = rejection;
  const english = says === undefined ? undefined : REASONS[says];
  if (says === undefined || english === undefined) return rejection.reason;
  const words = derived(says, params, t);
  if (words === null) return rejection.reason;
  const values = { ...params, ...words };
  return hasEvery(english, values) ? t(`reason.${says}`, { ...values, ns: REJECTION_REASONS_NS }) : rejection.reason;
}

/**
 * Why a whole file was refused, in the language of `t`, from the error's details (its code as
 * `says`, its values beside it; all text); null when they name no refusal known here or lack a value.
 */
export function fileRefusal(details: Readonly<Record<string, unknown>> | undefined, t: TFunction): string | null {
  const says = details?.says;
  const english = typeof says === 'string' ? FILE_REFUSALS[says] : undefined;
  if (details === undefined || english === undefined) return null;
  const texts: Record<string, string> = Object.fromEntries(Object.entries(details).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  const xml = problemWords(details, t);
  const amount = amountWords(texts, t);
  if (xml === null || amount === null) return null;
  const values = { ...texts, ...jsonWords(details, t), ...reportWords(details, t), ...xml, ...amount };
  if (!hasEvery(english, values)) return null;
  return t(`file.${String(says)}`, { ...values, ns: REJECTION_REASONS_NS });
}

/** JSON's expected and found in words (json-text's codes); none for another refusal or an unknown code. */
function jsonWords(details: Readonly<Record<string, unknown>>, t: TFunction): Record<string, string> {
  const { says, expects, close, found } = details;
  if (says !== 'json_invalid' || typeof expects !== 'string' || !Object.hasOwn(rejectionReasonsEn.jsonExpects, expects) || typeof found !== 'string') return {};
  return { expected: t(`jsonExpects.${expects}`, { ns: REJECTION_REASONS_NS, close }), found: found === '' ? t('jsonEnd', { ns: REJECTION_REASONS_NS }) : found };
}

/** A refused partner report's problem in words (partner-report's codes): where, what, and how many more; none for another refusal or an unknown code. */
function reportWords(details: Readonly<Record<string, unknown>>, t: TFunction): Record<string, string> {
  const { says, issue, field, more, expected } = details;
  if (says !== 'not_partner_report' || typeof issue !== 'string' || !Object.hasOwn(rejectionReasonsEn.reportIssue, issue) || typeof field !== 'string' || typeof more !== 'string') return {};
  const words: Readonly<Record<string, string>> = rejectionReasonsEn.reportIssue;
  const type = typeof expected === 'string' && Object.hasOwn(rejectionReasonsEn.jsonTypes, expected) ? { type: t(`jsonTypes.${expected}`, { ns: REJECTION_REASONS_NS }) } : {};
  const values = { ...details, ...type };
  // A code whose words lack a value (a type not named here) leaves the refusal to core's English.
  if (!hasEvery(words[issue] ?? '', values)) return {};
  return {
    where: field === '' ? '' : `${field}: `,
    words: t(`reportIssue.${issue}`, { ...values, ns: REJECTION_REASONS_NS }),
    others: more === '0' ? '' : t('reportMore', { more, ns: REJECTION_REASONS_NS }),
  };
}

/** Refusals that say what is wrong as a code ({{problem}}), and the texts that say each code. */
const PROBLEM_TEXTS: Readonly<Record<string, 'xmlProblem' | 'ofxProblem' | 'mt940Problem' | 'bai2Problem'>> = { xml_malformed: 'xmlProblem', xml_malformed_line: 'xmlProblem', xml_malformed_at: 'xmlProblem', ofx_malformed: 'ofxProblem', mt940_malformed: 'mt940Problem', bai2_malformed: 'bai2Problem' };

/** What is wrong in words (xml-safety's, ofx.ts's, mt940.ts's and bai2.ts's codes); none for another refusal, null for a code unknown here or lacking a value (core's English says it). */
function problemWords(details: Readonly<Record<string, unknown>>, t: TFunction): Record<string, string> | null {
  const texts = typeof details.says === 'string' ? PROBLEM_TEXTS[details.says] : undefined;
  if (texts === undefined) return {};
  const { problem } = details;
  const words: Readonly<Record<string, string>> = rejectionReasonsEn[texts];
  const english = typeof problem === 'string' ? words[problem] : undefined;
  if (english === undefined || !hasEvery(english, details)) return null;
  return { problem: t(`${texts}.${String(problem)}`, { ...details, ns: REJECTION_REASONS_NS }) };
}

/** Refusals of a balance whose amount is said by its entry reason (amountSays). */
const BALANCE_AMOUNTS: ReadonlySet<string> = new Set(['camt_balance_amount', 'mt940_balance_amount']);

/** A camt or MT940 balance's amount in words: its entry reason (amountSays) said from the same values; null when that reason is not said here. */
function amountWords(texts: Readonly<Record<string, string>>, t: TFunction): Record<string, string> | null {
  if (texts.says === undefined || !BALANCE_AMOUNTS.has(texts.says)) return {};
  // The empty English marks a reason this screen cannot say.
  const said = rejectionReason({ reason: '', says: texts.amountSays, params: texts }, t);
  return said === '' ? null : { amount: said };
}
