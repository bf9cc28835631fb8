import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { flattenedVerify, importJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../core/canonical/json.ts';
import { statementHash, type Statement } from '../../core/settlement/index.ts';
import { buildStatementDocument } from '../../core/statement/document.ts';
import { createDevCertificate } from './dev-cert.ts';
import { flipByte, HAND, handStatement, opensslVerifyPdf, pdfText, runTool } from './fixtures.test-support.ts';
import { createJwsSigner, verifyDetachedJws } from './jws.ts';
import { renderStatementPdf } from './pdf.ts';
import { loadOrganizationSigner, readPassphraseFile, SigningError, type OrganizationSigner } from './sign.ts';
import { verifyStatementFiles } from './verify.ts';

const PASSPHRASE = 'correct horse battery staple';
const NOW = new Date('2026-02-03T10:00:00Z');

let dir: string;
let anchorFile: string;
let anchorPem: string;
let signer: OrganizationSigner;
let statement: Statement;
let json: string;
let signed: Buffer;
let signedFile: string;
let jws: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'settledesk-signing-'));
  const made = createDevCertificate({ organization: 'Example Platform GmbH', passphrase: PASSPHRASE, now: new Date() });
  anchorPem = made.certificatePem;
  anchorFile = path.join(dir, 'anchor.pem');
  writeFileSync(anchorFile, anchorPem);
  signer = loadOrganizationSigner(made.p12, PASSPHRASE, 'dev.p12');
  statement = handStatement();
  json = canonicalJson({ statement, sha256: statementHash(statement) });
  const document = buildStatementDocument(statement, { name: signer.certificate.organization, development: signer.certificate.development }, 'en');
  signed = await signer.signPdf(await renderStatementPdf(document, { author: signer.certificate.organization, createdAt: NOW }), new Date());
  signedFile = path.join(dir, 'p.statement.pdf');
  writeFileSync(signedFile, signed);
  jws = await (await createJwsSigner(signer)).sign(json);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Offset of one hex digit of the statement hash the PDF's document information carries (inside the signed bytes). */
function hashDigitOffset(pdf: Buffer): number {
  const offset = pdf.indexOf(`(${statementHash(statement)})`, 0, 'latin1');
  expect(offset).toBeGreaterThan(0);
  return offset + 1;
}

describe('a statement PDF signed with a development certificate', () => {
  it('is valid for poppler: SHA-256, adbe.pkcs7.detached, the whole document signed', () => {
    const run = runTool('pdfsig', [signedFile]);
    expect(run.output).toContain('Signature Validation: Signature is Valid.');
    expect(run.output).toContain('Total document signed');
    expect(run.output).toContain('Signing Hash Algorithm: SHA-256');
    expect(run.output).toContain('Signature Type: adbe.pkcs7.detached');
    expect(run.output).toContain('DEVELOPMENT CERTIFICATE - NOT FOR PRODUCTION');
  });

  it('verifies with openssl cms against the development certificate as trust anchor', () => {
    const run = opensslVerifyPdf(signed, anchorFile, dir);
    expect(run.output).toContain('Verification successful');
    expect(run.status).toBe(0);
  });

  it('shows the hand-worked amounts, the hash, the development mark and page numbers', () => {
    const text = pdfText(signedFile);
    for (const amount of [HAND.grossBase, HAND.share, HAND.payable, HAND.retained, HAND.jpyRate]) expect(text).toContain(amount);
    expect(text).toContain('-0.30');
    expect(text).toContain(statementHash(statement));
    expect(text).toContain('DEVELOPMENT CERTIFICATE — NOT FOR PRODUCTION');
    expect(text).toMatch(/Page 1 of \d+/);
    expect(text).toContain('Example Platform GmbH');
    expect(text).toContain('Partner share: 70 % of the revenue base.');
    expect(text).toContain('ECB test rates');
  });

  it('passes every check of verify, and the PDF carries the JSON hash', async () => {
    const report = await verifyStatementFiles({ json: { file: 'p.statement.json', text: json }, jws: { file: 'p.statement.jws', text: jws }, pdf: { file: signedFile, bytes: signed }, trustAnchorPem: anchorPem, now: new Date() });
    expect(report.checks.filter((check) => !check.ok)).toEqual([]);
    expect(report.checks.map((check) => check.name).sort()).toEqual(['json_hash', 'jws_chain', 'jws_signature', 'pdf_chain', 'pdf_hash', 'pdf_signature', 'pdf_whole_file', 'same_signer']);
    expect(report.sha256).toBe(statementHash(statement));
  });

  it('fails verify, pdfsig and openssl after one byte of the PDF changes', async () => {
    const tampered = flipByte(signed, hashDigitOffset(signed));
    const file = path.join(dir, 'tampered.statement.pdf');
    writeFileSync(file, tampered);
    const report = await verifyStatementFiles({ json: { file: 'p.statement.json', text: json }, pdf: { file, bytes: tampered }, trustAnchorPem: anchorPem, now: new Date() });
    expect(report.ok).toBe(false);
    const failed = report.checks.filter((check) => !check.ok);
    expect(failed.map((check) => check.name).sort()).toEqual(['pdf_hash', 'pdf_signature']);
    expect(failed.find((check) => check.name === 'pdf_signature')?.detail).toContain('changed after signing');
    const poppler = runTool('pdfsig', [file]);
    expect(poppler.output).not.toContain('Signature is Valid');
    expect(poppler.output).toMatch(/Signature is Invalid|Digest Mismatch/i);
    const openssl = opensslVerifyPdf(tampered, anchorFile, dir);
    expect(openssl.status).not.toBe(0);
    expect(openssl.output).toMatch(/digest failure|verification failure/i);
  });

  it('fails verify when bytes are appended after the signed part', async () => {
    const appended = Buffer.concat([signed, Buffer.from('\n% appended\n')]);
    const report = await verifyStatementFiles({ pdf: { file: 'appended.pdf', bytes: appended }, trustAnchorPem: anchorPem, now: new Date() });
    expect(report.checks.find((check) => check.name === 'pdf_whole_file')?.ok).toBe(false);
  });

  it('fails the chain check against another trust anchor, and without one', async () => {
    const other = createDevCertificate({ organization: 'Example Platform GmbH', passphrase: 'x', now: new Date() });
    const report = await verifyStatementFiles({ pdf: { file: 'p.pdf', bytes: signed }, trustAnchorPem: other.certificatePem, now: new Date() });
    expect(report.checks.find((check) => check.name === 'pdf_chain')).toMatchObject({ ok: false });
    const none = await verifyStatementFiles({ pdf: { file: 'p.pdf', bytes: signed }, trustAnchorPem: null, now: new Date() });
    expect(none.checks.find((check) => check.name === 'pdf_chain')?.detail).toContain('--trust-anchor');
    expect(none.ok).toBe(false);
  });
});

describe('the detached JWS over the canonical JSON', () => {
  it('verifies with jose (Ed25519) and names the key bound to the organization certificate', async () => {
    expect(jws).toMatch(/^[\w-]+\.\.[\w-]+$/);
    const header = JSON.parse(Buffer.from(jws.split('.')[0] ?? '', 'base64url').toString('utf8')) as { alg: string; jwk: { crv: string } };
    expect(header.alg).toBe('EdDSA');
    expect(header.jwk.crv).toBe('Ed25519');
    const verified = await verifyDetachedJws(jws, json);
    expect(verified.certificatesDer[0]?.equals(signer.chainDer[0] ?? Buffer.alloc(0))).toBe(true);
  });

  it('verifies with jose alone: flattenedVerify with the JWK of the header over the JSON as detached payload', async () => {
    const [protectedHeader = '', , signature = ''] = jws.split('.');
    const header = JSON.parse(Buffer.from(protectedHeader, 'base64url').toString('utf8')) as { jwk: JWK };
    const result = await flattenedVerify({ protected: protectedHeader, payload: Buffer.from(json).toString('base64url'), signature }, await importJWK(header.jwk, 'EdDSA'));
    expect(new TextDecoder().decode(result.payload)).toBe(json);
    await expect(flattenedVerify({ protected: protectedHeader, payload: Buffer.from(`${json} `).toString('base64url'), signature }, await importJWK(header.jwk, 'EdDSA'))).rejects.toThrow();
  });

  it('fails after one character of the JSON changes, and after the signature changes', async () => {
    const changed = json.replace(`"payable":"${HAND.payable}"`, '"payable":"95.09"');
    expect(changed).not.toBe(json);
    await expect(verifyDetachedJws(jws, changed)).rejects.toMatchObject({ code: 'jws_signature_invalid' });
    const last = jws.at(-2) === 'A' ? 'B' : 'A';
    await expect(verifyDetachedJws(`${jws.slice(0, -2)}${last}${jws.slice(-1)}`, json)).rejects.toMatchObject({ code: 'jws_signature_invalid' });
  });

  it('fails when the key binding does not come from the certificate in the header', async () => {
    const other = loadOrganizationSigner(createDevCertificate({ organization: 'Mallory', passphrase: 'x', now: new Date() }).p12, 'x');
    const forged = await (await createJwsSigner({ ...other, chainDer: signer.chainDer })).sign(json);
    await expect(verifyDetachedJws(forged, json)).rejects.toMatchObject({ code: 'jws_key_binding_invalid' });
  });
});

describe('an organization certificate issued by a CA (an OpenSSL 3 P12: PBES2, AES-256, SHA-256 MAC)', () => {
  it('signs PDF and JWS that verify against the CA as trust anchor, with pdfsig and openssl agreeing', async () => {
    const ca = path.join(dir, 'ca');
    const openssl = (...args: string[]): void => {
      const run = runTool('openssl', args);
      expect(run.status, run.output).toBe(0);
    };
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${ca}.key`, '-out', `${ca}.pem`, '-days', '30', '-subj', '/CN=Example Root CA/O=Example Trust', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${ca}-org.key`, '-out', `${ca}-org.csr`, '-subj', '/CN=Example Platform Signing/O=Example Platform GmbH');
    writeFileSync(`${ca}-ext.cnf`, 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n');
    openssl('x509', '-req', '-in', `${ca}-org.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${ca}-org.pem`, '-days', '10', '-extfile', `${ca}-ext.cnf`);
    writeFileSync(`${ca}-pass`, 'org passphrase\n');
    openssl('pkcs12', '-export', '-inkey', `${ca}-org.key`, '-in', `${ca}-org.pem`, '-certfile', `${ca}.pem`, '-out', `${ca}-org.p12`, '-passout', `file:${ca}-pass`);
    const organization = loadOrganizationSigner(readFileSync(`${ca}-org.p12`), readPassphraseFile(`${ca}-pass`), 'org.p12');
    expect(organization.certificate).toMatchObject({ organization: 'Example Platform GmbH', development: false });
    expect(organization.chainDer).toHaveLength(2);
    const document = buildStatementDocument(statement, { name: organization.certificate.organization, development: false }, 'en');
    expect(document.mark).toBeNull();
    const pdf = await organization.signPdf(await renderStatementPdf(document, { author: 'Example Platform GmbH', createdAt: NOW }), new Date());
    const file = path.join(dir, 'ca.statement.pdf');
    writeFileSync(file, pdf);
    const orgJws = await (await createJwsSigner(organization)).sign(json);
    const caPem = readFileSync(`${ca}.pem`, 'utf8');
    const report = await verifyStatementFiles({ json: { file: 'p.statement.json', text: json }, jws: { file: 'p.statement.jws', text: orgJws }, pdf: { file, bytes: pdf }, trustAnchorPem: caPem, now: new Date() });
    expect(report.checks.filter((check) => !check.ok)).toEqual([]);
    expect(report.checks.find((check) => check.name === 'pdf_chain')?.detail).toContain('chain of 2');
    expect(runTool('pdfsig', [file]).output).toContain('Signature is Valid.');
    expect(opensslVerifyPdf(pdf, `${ca}.pem`, dir).output).toContain('Verification successful');
    expect(pdfText(file)).not.toContain('DEVELOPMENT CERTIFICATE');
    // The development certificate is not this organization's anchor: its PDF does not chain to the CA.
    const foreign = await verifyStatementFiles({ pdf: { file: signedFile, bytes: signed }, trustAnchorPem: caPem, now: new Date() });
    expect(foreign.checks.find((check) => check.name === 'pdf_chain')?.ok).toBe(false);
  });
});

describe('opening the P12', () => {
  it('refuses a wrong passphrase with a typed error that does not echo it', () => {
    const made = createDevCertificate({ organization: 'Example', passphrase: PASSPHRASE, now: new Date() });
    let error: unknown;
    try {
      loadOrganizationSigner(made.p12, 'wrong passphrase', 'org.p12');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SigningError);
    expect(error).toMatchObject({ code: 'p12_passphrase_wrong' });
    expect((error as Error).message).not.toContain('wrong passphrase');
  });

  it('is a PKCS#12 openssl opens with the same passphrase, marked as a development certificate', () => {
    const made = createDevCertificate({ organization: 'Example', passphrase: PASSPHRASE, now: new Date() });
    const p12File = path.join(dir, 'dev.p12');
    const passFile = path.join(dir, 'dev.pass');
    writeFileSync(p12File, made.p12);
    writeFileSync(passFile, `${PASSPHRASE}\n`);
    expect(readPassphraseFile(passFile)).toBe(PASSPHRASE);
    const run = runTool('openssl', ['pkcs12', '-in', p12File, '-passin', `file:${passFile}`, '-nokeys', '-clcerts']);
    expect(run.status).toBe(0);
    expect(run.output).toMatch(/OU ?= ?DEVELOPMENT CERTIFICATE - NOT FOR PRODUCTION/);
    expect(signer.certificate.development).toBe(true);
  });
});
