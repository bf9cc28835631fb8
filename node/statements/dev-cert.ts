import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, constants, mkdirSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { SettleDeskError } from '../../core/errors.ts';

/**
 * A self-signed development certificate for signing statements without the organization's real
 * one. It says what it is in its subject (DEV_CERT_MARK as organizational unit), and every PDF
 * signed with it carries a visible "DEVELOPMENT CERTIFICATE — NOT FOR PRODUCTION" band, so it
 * cannot pass for a production statement by accident.
 *
 * The key is RSA: @signpdf/signer-p12 signs through node-forge, which handles RSA keys only.
 * Node's crypto makes the key (forge's pure-JS prime search takes seconds for 3072 bits).
 */
export const DEV_CERT_MARK = 'DEVELOPMENT CERTIFICATE - NOT FOR PRODUCTION';
export const DEV_CERT_VALID_DAYS = 365;
const RSA_BITS = 3072;

export interface DevCertificate {
  /** PKCS#12 with the key and the certificate, encrypted with AES-256 under the passphrase. */
  readonly p12: Buffer;
  /** The certificate alone: the trust anchor a partner passes to `settledesk verify --trust-anchor`. */
  readonly certificatePem: string;
}

export interface DevCertificateOptions {
  readonly organization: string;
  readonly passphrase: string;
  readonly now: Date;
}

export function createDevCertificate(options: DevCertificateOptions): DevCertificate {
  if (options.passphrase.length === 0) throw new SettleDeskError('passphrase_empty', 'a development certificate needs a non-empty passphrase');
  const { privateKey: keyPem } = generateKeyPairSync('rsa', { modulusLength: RSA_BITS, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const key = forge.pki.privateKeyFromPem(keyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  // A positive serial: a leading 0x01 byte keeps the DER INTEGER from reading as negative.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(options.now.getTime() - 60_000);
  cert.validity.notAfter = new Date(options.now.getTime() + DEV_CERT_VALID_DAYS * 86_400_000);
  const subject = [
    { name: 'commonName', value: `${options.organization} (${DEV_CERT_MARK})` },
    { name: 'organizationName', value: options.organization },
    { shortName: 'OU', value: DEV_CERT_MARK },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    // Self-signed, so it is its own CA: openssl and poppler accept it as the trust anchor it is.
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, keyCertSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  const p12Asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], options.passphrase, { algorithm: 'aes256', friendlyName: DEV_CERT_MARK, generateLocalKeyId: true });
  return { p12: Buffer.from(forge.asn1.toDer(p12Asn1).getBytes(), 'binary'), certificatePem: forge.pki.certificateToPem(cert) };
}

export interface DevCertificateFiles {
  readonly p12: string;
  readonly certificate: string;
  readonly passphrase: string;
}

/** Creates a file that must not exist yet, with the given mode (no symlink followed, no overwrite). */
function writeNewFile(file: string, data: string | Buffer, mode: number): void {
  let descriptor: number;
  try {
    descriptor = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SettleDeskError(code === 'EEXIST' ? 'file_exists' : 'file_unwritable', `${file}: ${code === 'EEXIST' ? 'already exists; it is not overwritten' : `cannot be written (${code ?? (error as Error).message})`}`, { file });
  }
  try {
    writeFileSync(descriptor, data);
  } finally {
    closeSync(descriptor);
  }
  // The umask may have narrowed the mode further; it must never have widened it.
  chmodSync(file, mode);
}

/**
 * Writes dev-cert.p12 (0600), dev-cert.passphrase (0600, a random passphrase) and dev-cert.pem
 * (0644, the public trust anchor) into `dir`. Never overwrites an existing file.
 */
export function writeDevCertificate(dir: string, organization: string, now: Date): DevCertificateFiles {
  mkdirSync(dir, { recursive: true });
  const passphrase = randomBytes(24).toString('base64url');
  const made = createDevCertificate({ organization, passphrase, now });
  const files = { p12: path.join(dir, 'dev-cert.p12'), certificate: path.join(dir, 'dev-cert.pem'), passphrase: path.join(dir, 'dev-cert.passphrase') };
  writeNewFile(files.passphrase, `${passphrase}\n`, 0o600);
  writeNewFile(files.p12, made.p12, 0o600);
  writeNewFile(files.certificate, made.certificatePem, 0o644);
  return files;
}
