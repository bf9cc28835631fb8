import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { canonicalJson } from '../../core/canonical/json.ts';
import { SettleDeskError } from '../../core/errors.ts';
import { statementHash, type Statement } from '../../core/settlement/index.ts';
import { buildStatementDocument } from '../../core/statement/document.ts';
import type { StatementLocale } from '../../core/statement/labels.ts';
import { createJwsSigner, type JwsSigner } from '../../node/statements/jws.ts';
import { renderStatementPdf } from '../../node/statements/pdf.ts';
import { loadOrganizationSigner, readPassphraseFile, type OrganizationSigner } from '../../node/statements/sign.ts';
import type { Db } from '../db/types.ts';
import { appendServerAuditEvent } from '../sync/repository.ts';
import { startBackgroundLoop, type BackgroundLoopOptions } from './background-loop.ts';

/**
 * The signed files of approved statements, made on the server. An approval reaches the server
 * from any desk (online route or replication, possibly from a browser that holds no keys), so the
 * server, when the operator gives it the organization's P12, signs each newly approved statement
 * itself: the PDF (CMS, as `settledesk settle --pdf --sign-p12` signs it) and the detached JWS of
 * the canonical JSON, both from the stored canonical document whose hash the approval names. A
 * server without a signing identity leaves this to an admin (PUT .../artifacts).
 */
export interface ServerSigning {
  readonly organization: OrganizationSigner;
  readonly jws: JwsSigner;
  /** The language of the printed statement. */
  readonly locale: StatementLocale;
}

/** The operator's P12 and passphrase file (server flags --signing-p12, --signing-passphrase-file), opened at start so a wrong passphrase stops the server at once. */
export async function loadServerSigning(p12File: string, passphraseFile: string, locale: StatementLocale = 'en'): Promise<ServerSigning> {
  const organization = loadOrganizationSigner(readFileSync(p12File), readPassphraseFile(passphraseFile), p12File);
  return { organization, jws: await createJwsSigner(organization), locale };
}

/** Who the audit trail names for files the server signed. */
export const SERVER_SIGNER = { id: 'server', role: 'admin' } as const;

const Pending = z.object({ id: z.string(), hash: z.string(), canonical: z.string() });

/**
 * Statements whose latest approval event approves their stored hash and that have no stored
 * files yet (the same visibility rule as the partner scope, for every partner).
 */
const APPROVED_UNSIGNED = `
  select s.id, s.hash, d.body->>'canonicalJson' as canonical
    from statements s
    join sync_documents d on d.collection = 'statements' and d.id = s.id and not d.deleted
    join lateral (
      select e.body->>'action' as action, e.body->>'statementHash' as hash
        from sync_documents e
       where e.collection = 'approval_events' and e.body->>'statementId' = s.id
       order by e.seq desc limit 1
    ) a on a.action = 'approved' and a.hash = s.hash
   where not exists (select 1 from statement_artifacts x where x.statement_id = s.id)
   order by s.id`;

/** The PDF and JWS of one statement, in memory (files.ts writes the same two beside a JSON file). */
export async function signStatement(statement: Statement, signing: ServerSigning, now: Date): Promise<{ pdf: Buffer; jws: string }> {
  const certificate = signing.organization.certificate;
  const document = buildStatementDocument(statement, { name: certificate.organization, development: certificate.development }, signing.locale);
  const unsigned = await renderStatementPdf(document, { author: certificate.organization, createdAt: now });
  const pdf = await signing.organization.signPdf(unsigned, now);
  const jws = await signing.jws.sign(canonicalJson({ statement, sha256: statementHash(statement) }));
  return { pdf, jws };
}

export class ArtifactSigningError extends SettleDeskError {
  constructor(statementId: string, message: string) {
    super('statement_signing_failed', `statement ${statementId}: ${message}`, {}, { statementId });
    this.name = 'ArtifactSigningError';
  }
}

async function signOne(db: Db, row: z.infer<typeof Pending>, signing: ServerSigning, at: Date): Promise<boolean> {
  const statement = JSON.parse(row.canonical) as Statement;
  // The approval named this hash; files of any other content must never be made under it.
  if (statementHash(statement) !== row.hash) throw new ArtifactSigningError(row.id, 'its stored document does not hash to its approved hash');
  const files = await signStatement(statement, signing, at);
  // An admin may have stored files meanwhile: theirs are kept.
  const { rows } = await db.query('insert into statement_artifacts (statement_id, jws, pdf, stored_by, stored_at) values ($1, $2, $3, $4, $5) on conflict (statement_id) do nothing returning statement_id', [row.id, files.jws, files.pdf, SERVER_SIGNER.id, at.toISOString()]);
  if (rows[0] === undefined) return false;
  await appendServerAuditEvent(db, SERVER_SIGNER, 'statement_artifacts.signed', { kind: 'statement', id: row.id }, { sha256: row.hash, pdfBytes: String(files.pdf.length), certificate: signing.organization.certificate.fingerprint256 }, at.toISOString());
  return true;
}

/**
 * Signs and stores the files of approved statements that have none; returns the ids signed. A
 * statement that cannot be signed is reported to onError and tried again next round; the others
 * are signed all the same.
 */
export async function signApprovedStatements(db: Db, signing: ServerSigning, now: () => Date, onError: (error: unknown) => void): Promise<string[]> {
  const { rows } = await db.query(APPROVED_UNSIGNED);
  const signed: string[] = [];
  for (const row of rows.map((each) => Pending.parse(each))) {
    try {
      if (await signOne(db, row, signing, now())) signed.push(row.id);
    } catch (error) {
      onError(error);
    }
  }
  return signed;
}

export interface ArtifactSignerOptions extends BackgroundLoopOptions {
  readonly now: () => Date;
}

/** The background loop beside the requests: sign what is newly approved, sleep; stop() ends it after the current round. */
export function startArtifactSigner(db: Db, signing: ServerSigning, options: ArtifactSignerOptions): { stop: () => Promise<void> } {
  return startBackgroundLoop(() => signApprovedStatements(db, signing, options.now, options.onError), options);
}
