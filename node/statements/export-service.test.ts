import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../core/canonical/json.ts';
import { statementHash } from '../../core/settlement/index.ts';
import { createDevCertificate } from './dev-cert.ts';
import { SettleDeskError } from '../../core/errors.ts';
import { StatementSigningService, withoutSecret } from './export-service.ts';
import { HAND, handStatement } from './fixtures.test-support.ts';
import { verifyStatementFiles } from './verify.ts';

const PASSPHRASE = 'export-service passphrase 7f3a';
const NOW = new Date('2026-02-03T10:00:00Z');
const NO_REPLACE = { replace: [] };

let dir: string;
let sourceP12: string;
let anchorPem: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'settledesk-export-service-'));
  const made = createDevCertificate({ organization: 'Example Platform GmbH', passphrase: PASSPHRASE, now: new Date() });
  sourceP12 = path.join(dir, 'org.p12');
  writeFileSync(sourceP12, made.p12);
  anchorPem = made.certificatePem;
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A service over its own data folder, with the secret store as a plain in-memory slot. */
function service(name: string) {
  const stored: { value: string | null } = { value: null };
  const signingDir = path.join(dir, name, 'signing');
  const signing = new StatementSigningService({ signingDir, passphrase: async () => stored.value, storePassphrase: async (value) => void (stored.value = value), now: () => NOW });
  return { signing, stored, signingDir };
}

function documentJson(): string {
  const statement = handStatement();
  return canonicalJson({ statement, sha256: statementHash(statement) });
}

describe('StatementSigningService (plain Node, development certificate)', () => {
  it('imports the P12 into the data folder with mode 0600 and keeps the passphrase in the store', async () => {
    const { signing, stored, signingDir } = service('import');
    const certificate = await signing.importP12(sourceP12, PASSPHRASE);
    expect(certificate.organization).toBe('Example Platform GmbH');
    expect(certificate.development).toBe(true);
    expect(readFileSync(signing.p12File)).toEqual(readFileSync(sourceP12));
    expect(statSync(signing.p12File).mode & 0o777).toBe(0o600);
    expect(readdirSync(signingDir)).toEqual(['organization.p12']);
    expect(stored.value).toBe(PASSPHRASE);
    expect(JSON.stringify(await signing.status())).not.toContain(PASSPHRASE);
    expect((await signing.status()).certificate?.fingerprint256).toBe(certificate.fingerprint256);
  });

  it('refuses a wrong passphrase on import and leaves nothing behind', async () => {
    const { signing, stored, signingDir } = service('wrong');
    await expect(signing.importP12(sourceP12, 'not the passphrase')).rejects.toMatchObject({ code: 'p12_passphrase_wrong' });
    expect(stored.value).toBeNull();
    expect(() => readdirSync(signingDir)).toThrow();
    expect(await signing.status()).toEqual({ configured: false, certificate: null });
  });

  it('writes JSON, signed PDF, JWS, CSV and XLSX that verify against the certificate', async () => {
    const { signing } = service('export');
    await signing.importP12(sourceP12, PASSPHRASE);
    const out = mkdtempSync(path.join(dir, 'out-'));
    const result = await signing.exportSigned(documentJson(), 'en', path.join(out, 'P001.statement.pdf'), NO_REPLACE);
    expect(result.files).toEqual({ json: 'P001.statement.json', pdf: 'P001.statement.pdf', jws: 'P001.statement.jws', csv: 'P001.lines.csv', xlsx: 'P001.lines.xlsx' });
    expect(readdirSync(out).sort()).toEqual(['P001.lines.csv', 'P001.lines.xlsx', 'P001.statement.json', 'P001.statement.jws', 'P001.statement.pdf']);
    expect(result.sha256).toBe(statementHash(handStatement()));
    expect(JSON.stringify(result)).not.toContain(PASSPHRASE);
    const report = await verifyStatementFiles({
      json: { file: 'P001.statement.json', text: readFileSync(path.join(out, 'P001.statement.json'), 'utf8') },
      jws: { file: 'P001.statement.jws', text: readFileSync(path.join(out, 'P001.statement.jws'), 'utf8') },
      pdf: { file: 'P001.statement.pdf', bytes: readFileSync(path.join(out, 'P001.statement.pdf')) },
      trustAnchorPem: anchorPem,
      now: new Date(),
    });
    expect(report.checks.filter((check) => !check.ok)).toEqual([]);
    expect(report.checks.map((check) => check.name)).toEqual(['json_hash', 'jws_signature', 'jws_chain', 'pdf_signature', 'pdf_whole_file', 'pdf_chain', 'pdf_hash', 'same_signer']);
    // The hand-worked lines: 100.00 + 50.00 - 20.00 EUR and 1000 JPY = 6.25 EUR, each under the statement's hash.
    const csv = readFileSync(path.join(out, 'P001.lines.csv'), 'utf8');
    expect(csv).toContain(`,EUR,3,0,130,130.00,EUR,exact,${result.sha256}`);
    expect(csv).toContain(`,JPY,1,0,${HAND.jpyBase},${HAND.jpyBase},EUR,exact,${result.sha256}`);
  }, 60_000);

  it('refuses a document whose sha256 is not its canonical hash, before signing or writing anything', async () => {
    const { signing } = service('mismatch');
    await signing.importP12(sourceP12, PASSPHRASE);
    const statement = handStatement();
    const out = mkdtempSync(path.join(dir, 'out-'));
    // The payable raised after hashing: the hash it carries is the original statement's.
    const forged = canonicalJson({ statement: { ...statement, totals: { ...statement.totals, payable: '9995.08' } }, sha256: statementHash(statement) });
    await expect(signing.exportSigned(forged, 'en', path.join(out, 'P001.statement.pdf'), NO_REPLACE)).rejects.toMatchObject({ code: 'statement_hash_mismatch' });
    await expect(signing.exportSigned('{"statement": {}, "sha256": "00"}', 'en', path.join(out, 'x.pdf'), NO_REPLACE)).rejects.toMatchObject({ code: 'statement_invalid' });
    // A consistent hash over a statement whose partner id would name another folder.
    const escaping = { ...statement, partnerId: '../escape' };
    await expect(signing.exportSigned(canonicalJson({ statement: escaping, sha256: statementHash(escaping) }), 'en', path.join(out, 'x.pdf'), NO_REPLACE)).rejects.toMatchObject({ code: 'statement_invalid' });
    expect(readdirSync(out)).toEqual([]);
  });

  it('refuses to export before a certificate is imported, and when the passphrase is gone', async () => {
    const { signing, stored } = service('unconfigured');
    const out = mkdtempSync(path.join(dir, 'out-'));
    await expect(signing.exportSigned(documentJson(), 'en', path.join(out, 'P001.pdf'), NO_REPLACE)).rejects.toMatchObject({ code: 'signing_not_configured' });
    await signing.importP12(sourceP12, PASSPHRASE);
    stored.value = null;
    await expect(signing.exportSigned(documentJson(), 'en', path.join(out, 'P001.pdf'), NO_REPLACE)).rejects.toMatchObject({ code: 'signing_passphrase_missing' });
    expect(readdirSync(out)).toEqual([]);
  });

  it('refuses to replace an existing sibling file unless that very file is confirmed, before signing anything', async () => {
    const { signing } = service('overwrite');
    await signing.importP12(sourceP12, PASSPHRASE);
    const out = mkdtempSync(path.join(dir, 'out-'));
    // An earlier export's CSV beside the PDF the analyst picks: the save dialog asked about the PDF only.
    writeFileSync(path.join(out, 'P001.lines.csv'), 'earlier export\n');
    symlinkSync(path.join(out, 'nowhere'), path.join(out, 'P001.statement.jws'));
    const refused = signing.exportSigned(documentJson(), 'en', path.join(out, 'P001.statement.pdf'), NO_REPLACE);
    await expect(refused).rejects.toMatchObject({ code: 'statement_files_exist', details: { files: ['P001.statement.jws', 'P001.lines.csv'] } });
    // Confirming one of the two is not confirming both.
    await expect(signing.exportSigned(documentJson(), 'en', path.join(out, 'P001.pdf'), { replace: ['P001.lines.csv'] })).rejects.toMatchObject({ code: 'statement_files_exist', details: { files: ['P001.statement.jws'] } });
    expect(readdirSync(out).sort()).toEqual(['P001.lines.csv', 'P001.statement.jws']);
    expect(readFileSync(path.join(out, 'P001.lines.csv'), 'utf8')).toBe('earlier export\n');
    rmSync(path.join(out, 'P001.statement.jws'));
    const replaced = await signing.exportSigned(documentJson(), 'en', path.join(out, 'P001.statement.pdf'), { replace: ['P001.lines.csv'] });
    expect(replaced.files.csv).toBe('P001.lines.csv');
    expect(readFileSync(path.join(out, 'P001.lines.csv'), 'utf8')).toContain(replaced.sha256);
    expect(readdirSync(out).length).toBe(5);
  }, 60_000);

  it('takes a passphrase out of a library error message, keeping its code', () => {
    const fromLibrary = withoutSecret(new SettleDeskError('pdf_sign_failed', `signing failed: bad passphrase "${PASSPHRASE}" for key`), PASSPHRASE);
    expect(fromLibrary).toMatchObject({ code: 'pdf_sign_failed', message: 'signing failed: bad passphrase "[redacted]" for key' });
    expect(withoutSecret(new TypeError(`x ${PASSPHRASE} y ${PASSPHRASE}`), PASSPHRASE)).toMatchObject({ code: 'internal_error', message: 'x [redacted] y [redacted]' });
    const unrelated = new SettleDeskError('p12_unreadable', 'not a PKCS#12 file');
    expect(withoutSecret(unrelated, PASSPHRASE)).toBe(unrelated);
  });
});
