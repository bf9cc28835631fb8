import { createPrivateKey, sign as cryptoSign, X509Certificate } from 'node:crypto';
import { fstatSync, openSync, readFileSync, closeSync, constants } from 'node:fs';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { P12Signer } from '@signpdf/signer-p12';
import { SignPdf } from '@signpdf/signpdf';
import forge from 'node-forge';
import { SettleDeskError } from '../../core/errors.ts';
import { DEV_CERT_MARK } from './dev-cert.ts';

/**
 * The organization's signing identity, loaded from a PKCS#12 file and its passphrase. The private
 * key stays inside this module's closure: callers get public certificate facts, a PDF signing
 * function and a byte signing function, never the key, so nothing that lays out or displays a
 * statement (the PDF renderer, the Electron renderer) can reach it.
 */
export class SigningError extends SettleDeskError {
  constructor(code: 'p12_unreadable' | 'p12_passphrase_wrong' | 'p12_no_key' | 'p12_key_not_rsa' | 'p12_no_certificate' | 'passphrase_file_invalid' | 'pdf_sign_failed', message: string, file?: string) {
    super(code, message, file === undefined ? {} : { file });
    this.name = 'SigningError';
  }
}

/** Public facts of the signing certificate: what a statement may print and a verifier compares. */
export interface CertificateFacts {
  readonly subject: string;
  /** The subject's O, else its CN: the issuer printed on statements. */
  readonly organization: string;
  readonly development: boolean;
  readonly fingerprint256: string;
  readonly validTo: string;
}

export interface OrganizationSigner {
  readonly certificate: CertificateFacts;
  /** DER certificates, the signing certificate first, then any others the P12 carries. */
  readonly chainDer: readonly Buffer[];
  /** Adds a signature placeholder and signs the whole PDF (CMS, adbe.pkcs7.detached, SHA-256). */
  signPdf(pdf: Buffer, signingTime: Date): Promise<Buffer>;
  /** RSA PKCS#1 v1.5 / SHA-256 over `data` with the organization's key (binds the JWS key, see jws.ts). */
  signBytes(data: Buffer): Buffer;
}

const PASSPHRASE_FILE_BYTES_MAX = 4096;

/**
 * Reads a passphrase from a file: one line, the final line break dropped. The passphrase comes
 * from a file because a command-line value is visible to every user in the process list; it is
 * never printed, and errors name the file, never its content.
 */
export function readPassphraseFile(file: string): string {
  let descriptor: number;
  try {
    // Links are followed: secret stores (Kubernetes, systemd credentials) mount files as symbolic links.
    descriptor = openSync(file, constants.O_RDONLY);
  } catch (error) {
    throw new SigningError('passphrase_file_invalid', `${file}: cannot read the passphrase file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, file);
  }
  try {
    const stats = fstatSync(descriptor);
    if (!stats.isFile() || stats.size > PASSPHRASE_FILE_BYTES_MAX) throw new SigningError('passphrase_file_invalid', `${file}: a passphrase file must be a regular file of at most ${PASSPHRASE_FILE_BYTES_MAX} bytes`, file);
    const text = readFileSync(descriptor, 'utf8').replace(/\r?\n$/, '');
    if (text.length === 0 || /[\r\n]/.test(text)) throw new SigningError('passphrase_file_invalid', `${file}: expected exactly one non-empty line`, file);
    return text;
  } finally {
    closeSync(descriptor);
  }
}

function attribute(cert: forge.pki.Certificate, shortName: string): string | null {
  const value = cert.subject.getField(shortName)?.value as unknown;
  return typeof value === 'string' ? value : null;
}

interface P12Contents {
  readonly key: forge.pki.rsa.PrivateKey;
  readonly certificate: forge.pki.Certificate;
  readonly others: readonly forge.pki.Certificate[];
}

function openP12(p12: Buffer, passphrase: string, file: string | undefined): P12Contents {
  let parsed: forge.pkcs12.Pkcs12Pfx;
  try {
    parsed = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12.toString('binary')), false, passphrase);
  } catch (error) {
    const message = (error as Error).message;
    if (/mac could not be verified|invalid password/i.test(message)) throw new SigningError('p12_passphrase_wrong', `${file ?? 'P12'}: the passphrase does not open this PKCS#12 file`, file);
    if (/oid|unknown|not rsa/i.test(message)) throw new SigningError('p12_key_not_rsa', `${file ?? 'P12'}: only RSA keys can sign statement PDFs (node-forge, used by @signpdf/signer-p12): ${message}`, file);
    throw new SigningError('p12_unreadable', `${file ?? 'P12'}: not a readable PKCS#12 file (${message})`, file);
  }
  const keyBagType = forge.pki.oids.pkcs8ShroudedKeyBag ?? '1.2.840.113549.1.12.10.1.2';
  const certBagType = forge.pki.oids.certBag ?? '1.2.840.113549.1.12.10.1.3';
  const keyBags = parsed.getBags({ bagType: keyBagType })[keyBagType] ?? [];
  const key = keyBags[0]?.key as forge.pki.rsa.PrivateKey | undefined;
  if (key === undefined) throw new SigningError('p12_no_key', `${file ?? 'P12'}: holds no (shrouded) private key`, file);
  if (key.n === undefined) throw new SigningError('p12_key_not_rsa', `${file ?? 'P12'}: the private key is not RSA`, file);
  const certificates = (parsed.getBags({ bagType: certBagType })[certBagType] ?? []).flatMap((bag: forge.pkcs12.Bag) => (bag.cert === undefined ? [] : [bag.cert]));
  const matches = (cert: forge.pki.Certificate): boolean => {
    const publicKey = cert.publicKey as forge.pki.rsa.PublicKey;
    return publicKey.n !== undefined && publicKey.n.compareTo(key.n) === 0 && publicKey.e.compareTo(key.e) === 0;
  };
  const certificate = certificates.find(matches);
  if (certificate === undefined) throw new SigningError('p12_no_certificate', `${file ?? 'P12'}: no certificate matches its private key`, file);
  return { key, certificate, others: certificates.filter((cert: forge.pki.Certificate) => cert !== certificate) };
}

function derOf(cert: forge.pki.Certificate): Buffer {
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
}

/** Opens the organization's P12 (checking the passphrase at once, so a wrong one fails before any work). */
export function loadOrganizationSigner(p12: Buffer, passphrase: string, file?: string): OrganizationSigner {
  const contents = openP12(p12, passphrase, file);
  const chainDer = [derOf(contents.certificate), ...contents.others.map(derOf)];
  const x509 = new X509Certificate(chainDer[0] ?? Buffer.alloc(0));
  const organization = attribute(contents.certificate, 'O') ?? attribute(contents.certificate, 'CN') ?? x509.subject;
  const certificate: CertificateFacts = {
    subject: x509.subject.replace(/\n/g, ', '),
    organization,
    development: attribute(contents.certificate, 'OU') === DEV_CERT_MARK,
    fingerprint256: x509.fingerprint256,
    validTo: new Date(x509.validTo).toISOString(),
  };
  const nodeKey = createPrivateKey(forge.pki.privateKeyToPem(contents.key));
  return {
    certificate,
    chainDer,
    async signPdf(pdf, signingTime) {
      try {
        const prepared = plainAddPlaceholder({ pdfBuffer: pdf, reason: 'Settlement statement', contactInfo: '', name: organization, location: '', signingTime, appName: 'SettleDesk' });
        return await new SignPdf().sign(prepared, new P12Signer(p12, { passphrase }), signingTime);
      } catch (error) {
        throw new SigningError('pdf_sign_failed', `signing the statement PDF failed: ${(error as Error).message}`, file);
      }
    },
    signBytes(data) {
      return cryptoSign('sha256', data, nodeKey);
    },
  };
}
