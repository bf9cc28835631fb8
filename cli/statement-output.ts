import type { Statement } from '../core/settlement/index.ts';
import { isStatementLocale, type StatementLocale } from '../core/statement/labels.ts';
import type { StatementSigning, WrittenStatementFiles } from '../node/statements/files.ts';
import type { OptionSpec, ParsedCommandArgs } from './command.ts';
import { UsageError } from './errors.ts';
import { OPTION_FILE_BYTES_MAX, readInputFile } from './files.ts';
import type { Output } from './output.ts';

/**
 * settle's statement files beyond the JSON: the PDF (signed with the organization's P12 when
 * given), the detached JWS, CSV and XLSX of the lines. The passphrase is read from a file, never
 * taken as an option value (visible in the process list) and never printed.
 */
export const STATEMENT_OUTPUT_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  pdf: { type: 'boolean', description: 'also write <partner>.statement.pdf, <partner>.lines.csv and .lines.xlsx beside each statement JSON (needs --out)' },
  'sign-p12': { type: 'string', valueName: 'FILE', description: "sign each PDF with the organization's PKCS#12 (RSA key) and write <partner>.statement.jws (needs --pdf and --sign-passphrase-file)" },
  'sign-passphrase-file': { type: 'string', valueName: 'FILE', description: 'a file whose one line is the P12 passphrase (the passphrase itself is never an option value)' },
  locale: { type: 'string', valueName: 'en|ko', description: 'language of the PDF: en (default) or ko' },
};

export interface StatementOutputPlan {
  readonly signing: StatementSigning | null;
  readonly locale: StatementLocale;
}

/** Checks the options and opens the P12 before any settlement work, so a wrong passphrase fails at once. Null when --pdf is not given. */
export async function planStatementOutput(args: ParsedCommandArgs): Promise<StatementOutputPlan | null> {
  const pdf = args.values.pdf === true;
  const p12File = args.values['sign-p12'] as string | undefined;
  const passphraseFile = args.values['sign-passphrase-file'] as string | undefined;
  const localeText = (args.values.locale as string | undefined) ?? 'en';
  if (!isStatementLocale(localeText)) throw new UsageError(`--locale must be en or ko, not ${JSON.stringify(localeText)}`);
  if (!pdf) {
    if (p12File !== undefined || passphraseFile !== undefined || args.values.locale !== undefined) throw new UsageError('--sign-p12, --sign-passphrase-file and --locale go with --pdf');
    return null;
  }
  if (args.values.out === undefined) throw new UsageError('--pdf writes beside the statement JSON files: give --out DIR');
  if ((p12File === undefined) !== (passphraseFile === undefined)) throw new UsageError('--sign-p12 and --sign-passphrase-file go together');
  if (p12File === undefined || passphraseFile === undefined) return { signing: null, locale: localeText };
  // Loaded only when asked for: settle without --pdf never parses the signing, PDF or XLSX libraries.
  const { loadOrganizationSigner, readPassphraseFile } = await import('../node/statements/sign.ts');
  const { createJwsSigner } = await import('../node/statements/jws.ts');
  const organization = loadOrganizationSigner(Buffer.from(readInputFile(p12File, OPTION_FILE_BYTES_MAX)), readPassphraseFile(passphraseFile), p12File);
  return { signing: { organization, jws: await createJwsSigner(organization) }, locale: localeText };
}

export async function writeStatementOutputs(plan: StatementOutputPlan, written: readonly { readonly statement: Statement; readonly file: string }[], output: Output, now: Date): Promise<(WrittenStatementFiles & { partnerId: string })[]> {
  const certificate = plan.signing?.organization.certificate ?? null;
  if (certificate === null) output.line('PDF statements are NOT signed (no --sign-p12): each page says UNSIGNED DRAFT');
  else output.line(`Signing as ${certificate.subject} (SHA-256 ${certificate.fingerprint256})${certificate.development ? ': a DEVELOPMENT certificate, marked on every page' : ''}`);
  const { writeStatementFiles } = await import('../node/statements/files.ts');
  const files: (WrittenStatementFiles & { partnerId: string })[] = [];
  for (const each of written) {
    const result = await writeStatementFiles(each.statement, each.file, plan.signing, plan.locale, now);
    files.push({ partnerId: each.statement.partnerId, ...result });
    output.line(`  ${each.statement.partnerId}: ${result.pdf} (${result.pdfBytes} bytes${certificate === null ? ', unsigned' : ', signed'})${result.jws === null ? '' : `, ${result.jws}`}, ${result.csv}, ${result.xlsx}`);
  }
  return files;
}
