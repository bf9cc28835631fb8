import { existsSync } from 'node:fs';
import { canonicalHash } from '../../core/canonical/json.ts';
import { Decimal } from '../../core/money/decimal.ts';
import { SettleDeskError } from '../../core/errors.ts';
import { diffStatements, type StatementDiff } from '../../core/settlement/diff.ts';
import { runSettlement, statementHash, type Statement } from '../../core/settlement/index.ts';
import { siblingFiles } from '../../node/statements/names.ts';
import { statementDocumentOf, verifyStatementFiles, type StatementFiles, type VerifyReport } from '../../node/statements/verify.ts';
import type { Command } from '../command.ts';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../errors.ts';
import type { Output } from '../output.ts';
import { OPTION_FILE_BYTES_MAX, readInputFile, readOptionText } from '../files.ts';
import { readStatementDocument, SETTLEMENT_OPTIONS, settlementInput } from '../settlement-inputs.ts';

/** The statement's files: the one named and its siblings as settle writes them (<stem>.statement.json/.jws/.pdf). */
function statementFiles(file: string, anchorFile: string | undefined): { files: StatementFiles; jsonFile: string | null } {
  const isPdf = file.endsWith('.pdf');
  const stem = isPdf ? file.replace(/\.statement\.pdf$|\.pdf$/, '') : file.replace(/\.statement\.json$|\.json$/, '');
  const siblings = siblingFiles(`${stem}.statement.json`);
  const jsonFile = isPdf ? (existsSync(`${stem}.statement.json`) ? `${stem}.statement.json` : null) : file;
  const pdfFile = isPdf ? file : existsSync(siblings.pdf) ? siblings.pdf : null;
  const jwsFile = jsonFile !== null && existsSync(siblings.jws) ? siblings.jws : null;
  const files: StatementFiles = {
    ...(jsonFile === null ? {} : { json: { file: jsonFile, text: readOptionText(jsonFile) } }),
    ...(jwsFile === null ? {} : { jws: { file: jwsFile, text: readOptionText(jwsFile) } }),
    ...(pdfFile === null ? {} : { pdf: { file: pdfFile, bytes: Buffer.from(readInputFile(pdfFile, OPTION_FILE_BYTES_MAX)) } }),
    trustAnchorPem: anchorFile === undefined ? null : readOptionText(anchorFile),
    now: new Date(),
  };
  return { files, jsonFile };
}

function printReport(output: Parameters<Command['run']>[1], report: VerifyReport): void {
  for (const check of report.checks) output.line(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name.padEnd(14)} ${check.file}: ${check.detail}`);
  output.line(report.ok ? 'VERIFIED: every check passed' : `NOT VERIFIED: ${report.checks.filter((check) => !check.ok).map((check) => check.name).join(', ')} failed`);
}

/** A stored statement diffStatements can read: totals and groups as written by settle (the file is zod-checked only loosely). */
function hasTotalsAndGroups(statement: Record<string, unknown>): boolean {
  return typeof statement.totals === 'object' && statement.totals !== null && Array.isArray(statement.groups);
}

/** The change as "+10.00" / "-0.50", with as many decimals as the amounts it is between. */
function signedDelta(delta: string, previous: string, current: string): string {
  const places = Math.max(...[previous, current].map((amount) => amount.split('.')[1]?.length ?? 0));
  const text = new Decimal(delta).toFixed(places);
  return text.startsWith('-') ? text : `+${text}`;
}

/** What a fresh run changed: each total and each line (product, currency) that moved, old -> new. */
function printChanges(output: Output, changes: Pick<StatementDiff, 'totals' | 'lines'>): void {
  if (changes.totals.length === 0 && changes.lines.length === 0) {
    output.line('  no total or line amount changed (something else in the statement did: its dates, options, counts or states)');
    return;
  }
  for (const total of changes.totals) output.line(`  total ${total.field}: ${total.previous} in the file, ${total.current} now (${signedDelta(total.delta, total.previous, total.current)})`);
  for (const line of changes.lines) {
    const counts = line.previousCount === line.currentCount ? `${line.currentCount} transactions` : `${line.previousCount} -> ${line.currentCount} transactions`;
    output.line(`  line ${line.productId ?? '(no product)'} ${line.currency}: base ${line.previousBase} in the file, ${line.currentBase} now (${signedDelta(line.delta, line.previousBase, line.currentBase)}; ${counts})`);
  }
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: "check a statement: its canonical hash, its JWS and signed PDF against a trust anchor, and with the inputs, that a fresh run reproduces it",
  usage: 'verify FILE.statement.json|FILE.statement.pdf [--trust-anchor CERT.pem] [--agreements FILE|DIR --transactions FILE|DIR --period YYYY-MM [--fx-rates FILE] [--state FILE]] [--json]',
  options: {
    ...SETTLEMENT_OPTIONS,
    'trust-anchor': { type: 'string', valueName: 'CERT.pem', description: "the certificate you trust for the issuing organization; the PDF's and the JWS's signer must chain to it" },
  },
  examples: [
    'settledesk verify statements/P001.statement.json',
    'settledesk verify statements/P001.statement.pdf --trust-anchor org.pem',
    'settledesk verify statements/P001.statement.json --agreements agreements/ --transactions march/ --period 2026-03 --fx-rates ecb.csv',
  ],
  async run(args, output) {
    const [file, ...extra] = args.positionals;
    if (file === undefined || extra.length > 0) throw new UsageError('verify takes exactly one statement FILE (.statement.json or .statement.pdf)');
    const anchorFile = args.values['trust-anchor'] as string | undefined;
    const { files, jsonFile } = statementFiles(file, anchorFile);
    const signed = files.pdf !== undefined || files.jws !== undefined;
    if (anchorFile !== undefined && !signed) throw new SettleDeskError('statement_unsigned', `${file}: no signed PDF or JWS beside it to check against the trust anchor`, { file });
    let hashMatches: boolean | null = null;
    let sha256: string | null = null;
    let recomputed: string | null = null;
    let reproduced: boolean | null = null;
    let freshHash: string | null = null;
    let changes: Pick<StatementDiff, 'totals' | 'lines'> | null = null;
    if (jsonFile !== null) {
      // Read with the option-file limits (size, nesting, located syntax errors), then checked by shape.
      const { statement, sha256: carried } = statementDocumentOf(readStatementDocument(jsonFile), jsonFile);
      sha256 = carried;
      recomputed = canonicalHash(statement);
      hashMatches = recomputed === sha256;
      if (args.values.agreements !== undefined || args.values.transactions !== undefined) {
        const partnerId = statement.partnerId;
        if (typeof partnerId !== 'string') throw new SettleDeskError('statement_invalid', `${jsonFile}: the statement names no partnerId`, { file: jsonFile });
        const run = runSettlement({ ...settlementInput(args).input, partnerIds: [partnerId] });
        const fresh = run.statements.find((candidate) => candidate.partnerId === partnerId);
        freshHash = fresh === undefined ? null : statementHash(fresh);
        reproduced = freshHash === sha256;
        if (!reproduced && fresh !== undefined && hasTotalsAndGroups(statement)) {
          const diff = diffStatements(partnerId, statement as unknown as Statement, fresh);
          changes = { totals: diff.totals, lines: diff.lines };
        }
      }
      output.line(`${jsonFile}: hash ${hashMatches ? 'matches its content' : `DOES NOT match its content (content hashes to ${recomputed})`}`);
      if (reproduced !== null) output.line(`${jsonFile}: a fresh run from the inputs ${reproduced ? 'reproduces it' : `does NOT reproduce it (fresh: ${freshHash ?? 'no statement'})`}`);
      if (changes !== null) printChanges(output, changes);
    }
    const report = signed ? await verifyStatementFiles(files) : null;
    if (report !== null) printReport(output, report);
    output.document({ file, sha256: sha256 ?? report?.sha256 ?? null, recomputed, hashMatches, reproduced, freshHash, ...(changes === null ? {} : { changes }), ...(report === null ? {} : { verified: report.ok, checks: report.checks }) });
    const ok = hashMatches !== false && reproduced !== false && (report === null || report.ok);
    return ok ? EXIT_OK : EXIT_FAILED;
  },
};
