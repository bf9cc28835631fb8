import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { canonicalHash, canonicalJson } from '../../core/canonical/json.ts';
import { SettleDeskError } from '../../core/errors.ts';
import { parseCertificatePem, verifyChain } from './chain.ts';
import { JwsError, verifyDetachedJws } from './jws.ts';
import { PDF_HASH_KEY } from './names.ts';
import { findByteRangeSignature, verifyPdfSignature } from './pdf-signature.ts';

/**
 * Verifies the files of one statement as a partner receives them: the JSON (its canonical hash),
 * its detached JWS, and the signed PDF, each signature traced to a trust anchor the partner
 * chose, and the hash in the PDF compared with the JSON's. Every check is reported on its own, so
 * the output says exactly which one failed; none is skipped silently (a missing trust anchor is
 * a failed chain check, not a pass).
 */
export type CheckName = 'json_hash' | 'jws_signature' | 'jws_chain' | 'pdf_signature' | 'pdf_whole_file' | 'pdf_chain' | 'pdf_hash' | 'same_signer';

export interface VerifyCheck {
  readonly name: CheckName;
  readonly ok: boolean;
  readonly file: string;
  readonly detail: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly sha256: string | null;
  readonly checks: readonly VerifyCheck[];
}

export interface StatementFiles {
  readonly json?: { readonly file: string; readonly text: string };
  readonly jws?: { readonly file: string; readonly text: string };
  readonly pdf?: { readonly file: string; readonly bytes: Buffer };
  /** PEM of the certificate the verifier trusts; null means none was given. */
  readonly trustAnchorPem: string | null;
  readonly now: Date;
}

const StatementDocumentShape = z.object({ statement: z.record(z.string(), z.unknown()), sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits') }).strict();

export class StatementFileError extends SettleDeskError {
  constructor(code: 'statement_invalid' | 'trust_anchor_invalid', message: string, file: string) {
    super(code, message, { file });
    this.name = 'StatementFileError';
  }
}

export function parseStatementDocument(text: string, file: string): z.infer<typeof StatementDocumentShape> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StatementFileError('statement_invalid', `${file}: not JSON (${(error as Error).message})`, file);
  }
  return statementDocumentOf(value, file);
}

/** A parsed statement file checked against its shape: {"statement": {...}, "sha256": 64 hex digits}. */
export function statementDocumentOf(value: unknown, file: string): z.infer<typeof StatementDocumentShape> {
  const parsed = StatementDocumentShape.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StatementFileError('statement_invalid', `${file}: expected {"statement": {...}, "sha256": "..."} as written by settle --out; ${issue?.path.join('.') || '$'}: ${issue?.message ?? 'invalid'}`, file);
  }
  return parsed.data;
}

/** The statement hash the PDF's document information carries, read from the signed bytes only. */
export function pdfStatementHash(signedBytes: Buffer): string | null {
  const text = signedBytes.toString('latin1');
  const entries = [...text.matchAll(new RegExp(`/${PDF_HASH_KEY}\\s*(?:\\(([0-9a-f]{64})\\)|(\\d+)\\s+0\\s+R)`, 'g'))];
  const last = entries[entries.length - 1];
  if (last === undefined) return null;
  if (last[1] !== undefined) return last[1];
  const objects = [...text.matchAll(new RegExp(`(?:^|\\s)${last[2]}\\s+0\\s+obj\\s*\\(([0-9a-f]{64})\\)`, 'g'))];
  return objects[objects.length - 1]?.[1] ?? null;
}

function anchorOf(pem: string | null): X509Certificate | null {
  if (pem === null) return null;
  try {
    return parseCertificatePem(pem);
  } catch (error) {
    throw new StatementFileError('trust_anchor_invalid', `the trust anchor is not a PEM certificate (${(error as Error).message})`, 'trust anchor');
  }
}

function chainCheck(name: CheckName, file: string, signer: X509Certificate, others: readonly X509Certificate[], anchor: X509Certificate | null, now: Date): VerifyCheck {
  if (anchor === null) return { name, ok: false, file, detail: 'signer not checked against a trust anchor: give --trust-anchor CERT.pem (the certificate you trust for this organization)' };
  const result = verifyChain(signer, others, anchor, now);
  return { name, ok: result.ok, file, detail: result.detail };
}

export async function verifyStatementFiles(files: StatementFiles): Promise<VerifyReport> {
  const checks: VerifyCheck[] = [];
  const anchor = anchorOf(files.trustAnchorPem);
  let sha256: string | null = null;
  let jwsSigner: string | null = null;
  let pdfSigner: string | null = null;
  if (files.json !== undefined) {
    const { file, text } = files.json;
    const document = parseStatementDocument(text, file);
    const recomputed = canonicalHash(document.statement);
    sha256 = document.sha256;
    checks.push({ name: 'json_hash', ok: recomputed === document.sha256, file, detail: recomputed === document.sha256 ? `the statement hashes to its sha256 ${recomputed}` : `the statement hashes to ${recomputed}, not to the sha256 it carries (${document.sha256}): it was changed after it was written` });
    if (files.jws !== undefined) {
      const jwsFile = files.jws.file;
      try {
        const verified = await verifyDetachedJws(files.jws.text, canonicalJson(document), jwsFile);
        checks.push({ name: 'jws_signature', ok: true, file: jwsFile, detail: `Ed25519 signature over the canonical JSON is valid; key ${verified.kid} is bound to the organization's certificate` });
        const [signer, ...others] = verified.certificatesDer.map((der) => new X509Certificate(der));
        if (signer !== undefined) {
          jwsSigner = signer.fingerprint256;
          checks.push(chainCheck('jws_chain', jwsFile, signer, others, anchor, files.now));
        }
      } catch (error) {
        if (!(error instanceof JwsError)) throw error;
        checks.push({ name: 'jws_signature', ok: false, file: jwsFile, detail: error.message });
      }
    }
  }
  if (files.pdf !== undefined) {
    const { file, bytes } = files.pdf;
    const signature = verifyPdfSignature(bytes);
    checks.push({ name: 'pdf_signature', ok: signature.ok, file, detail: signature.detail });
    checks.push({ name: 'pdf_whole_file', ok: signature.coversWholeFile, file, detail: signature.coversWholeFile ? 'the signature covers the whole file' : 'bytes were added after the signed part of the file (or there is no signature)' });
    if (signature.ok) {
      pdfSigner = signature.signer.fingerprint256;
      checks.push(chainCheck('pdf_chain', file, signature.signer, signature.certificates.filter((cert) => cert !== signature.signer), anchor, files.now));
    }
    const found = findByteRangeSignature(bytes);
    const embedded = typeof found === 'string' ? null : pdfStatementHash(found.signedBytes);
    if (embedded === null) checks.push({ name: 'pdf_hash', ok: false, file, detail: `no ${PDF_HASH_KEY} in the signed part of the PDF` });
    else if (sha256 === null) {
      sha256 = embedded;
      // Without a JSON to compare, the hash is only worth what the signature over it is worth.
      checks.push({ name: 'pdf_hash', ok: signature.ok, file, detail: `the PDF carries statement hash ${embedded}${signature.ok ? ' under a valid signature' : ', but no valid signature covers it'} (no JSON beside it to compare with)` });
    } else checks.push({ name: 'pdf_hash', ok: embedded === sha256, file, detail: embedded === sha256 ? `the PDF and the JSON carry the same statement hash ${embedded}` : `the PDF carries statement hash ${embedded}, the JSON ${sha256}: they are not the same statement` });
  }
  if (jwsSigner !== null && pdfSigner !== null) {
    checks.push({ name: 'same_signer', ok: jwsSigner === pdfSigner, file: files.pdf?.file ?? '', detail: jwsSigner === pdfSigner ? 'the JWS and the PDF are signed by the same certificate' : 'the JWS and the PDF are signed by different certificates' });
  }
  return { ok: checks.length > 0 && checks.every((check) => check.ok), sha256, checks };
}
