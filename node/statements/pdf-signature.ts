import { createHash, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

/**
 * Checks a signed PDF the way a partner without Acrobat needs: the last signature's /ByteRange
 * must cover the whole file except its /Contents hole, the CMS in the hole must be a SignedData
 * whose messageDigest is the SHA-256 of those bytes, and its signature over the signed attributes
 * must verify with the signer's certificate. Written over node-forge's ASN.1 reader because
 * forge's PKCS#7 module signs but does not verify. Every failure says which step failed.
 */
export type PdfSignatureResult =
  | { readonly ok: true; readonly signer: X509Certificate; readonly certificates: readonly X509Certificate[]; readonly signedBytes: Buffer; readonly cms: Buffer; readonly detail: string }
  | { readonly ok: false; readonly detail: string; readonly certificates: readonly X509Certificate[] };

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_DATA = '1.2.840.113549.1.7.1';
const OID_SHA256 = '2.16.840.1.101.3.4.2.1';
const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const RSA_SIGNATURE_OIDS = new Set(['1.2.840.113549.1.1.1', '1.2.840.113549.1.1.11']);

type Asn1 = forge.asn1.Asn1;

export interface ByteRangeSignature {
  readonly byteRange: readonly [number, number, number, number];
  readonly signedBytes: Buffer;
  readonly cms: Buffer;
  readonly coversWholeFile: boolean;
}

/** The last /ByteRange of the file and the CMS bytes in its hole, or a reason why there is none. */
export function findByteRangeSignature(pdf: Buffer): ByteRangeSignature | string {
  const text = pdf.toString('latin1');
  const matches = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const last = matches[matches.length - 1];
  if (last === undefined) return 'the PDF has no signature (no /ByteRange)';
  const [a, lengthA, c, lengthC] = [1, 2, 3, 4].map((index) => Number(last[index])) as [number, number, number, number];
  if (a !== 0 || a + lengthA > c || c + lengthC > pdf.length) return `the /ByteRange [${a} ${lengthA} ${c} ${lengthC}] does not fit the file`;
  const hole = text.slice(lengthA, c);
  if (!/^<[0-9A-Fa-f]*>$/.test(hole)) return 'the gap between the signed ranges is not one hex string (the signature /Contents)';
  const hex = hole.slice(1, -1);
  return {
    byteRange: [a, lengthA, c, lengthC],
    signedBytes: Buffer.concat([pdf.subarray(a, a + lengthA), pdf.subarray(c, c + lengthC)]),
    cms: Buffer.from(hex, 'hex'),
    coversWholeFile: c + lengthC === pdf.length,
  };
}

function oidOf(node: Asn1 | undefined): string | null {
  return node !== undefined && node.type === forge.asn1.Type.OID && typeof node.value === 'string' ? forge.asn1.derToOid(node.value) : null;
}

function children(node: Asn1 | undefined): Asn1[] {
  return node !== undefined && Array.isArray(node.value) ? node.value : [];
}

function bytesOf(node: Asn1 | undefined): Buffer {
  return node !== undefined && typeof node.value === 'string' ? Buffer.from(node.value, 'binary') : Buffer.alloc(0);
}

function derBytes(node: Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}

function isContext(node: Asn1, tag: number): boolean {
  return node.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && node.type === tag;
}

function attributeValue(attrs: readonly Asn1[], oid: string): Asn1 | undefined {
  const attr = attrs.find((each) => oidOf(children(each)[0]) === oid);
  return children(children(attr)[1])[0];
}

function stripZeros(hex: string): string {
  return hex.replace(/^0+/, '').toUpperCase();
}

/** Verifies one CMS SignedData (detached) over `signedBytes`. */
export function verifyCmsDetached(cms: Buffer, signedBytes: Buffer): PdfSignatureResult {
  let root: Asn1;
  try {
    // The /Contents hole is zero-padded after the DER: read one value, ignore the padding.
    // @types/node-forge only knows the boolean `strict` argument; forge itself takes these options.
    root = forge.asn1.fromDer(forge.util.createBuffer(cms.toString('binary')), { parseAllBytes: false, strict: true } as unknown as boolean);
  } catch (error) {
    return { ok: false, detail: `the signature is not DER (${(error as Error).message})`, certificates: [] };
  }
  if (oidOf(children(root)[0]) !== OID_SIGNED_DATA) return { ok: false, detail: 'the signature is not a CMS SignedData', certificates: [] };
  const signedData = children(children(root)[1])[0];
  const parts = children(signedData);
  const certificates = children(parts.find((part) => isContext(part, 0))).flatMap((cert) => {
    try {
      return [new X509Certificate(derBytes(cert))];
    } catch {
      return [];
    }
  });
  const signerInfos = children(parts[parts.length - 1]);
  if (signerInfos.length !== 1) return { ok: false, detail: `expected one signer, found ${signerInfos.length}`, certificates };
  const info = children(signerInfos[0]);
  const serial = stripZeros(bytesOf(children(info[1])[1]).toString('hex'));
  const signer = certificates.find((cert) => stripZeros(cert.serialNumber) === serial);
  if (signer === undefined) return { ok: false, detail: "the signer's certificate is not in the signature", certificates };
  if (oidOf(children(info[2])[0]) !== OID_SHA256) return { ok: false, detail: 'the signature digest is not SHA-256', certificates };
  const signedAttrs = info.find((node) => isContext(node, 0));
  if (signedAttrs === undefined) return { ok: false, detail: 'the signature has no signed attributes', certificates };
  const attrs = children(signedAttrs);
  if (oidOf(attributeValue(attrs, OID_CONTENT_TYPE)) !== OID_DATA) return { ok: false, detail: 'the signed content type is not id-data', certificates };
  const digest = bytesOf(attributeValue(attrs, OID_MESSAGE_DIGEST));
  if (!digest.equals(createHash('sha256').update(signedBytes).digest())) return { ok: false, detail: 'the document digest does not match the signed bytes: the PDF was changed after signing', certificates };
  const index = info.indexOf(signedAttrs);
  const algorithm = oidOf(children(info[index + 1])[0]);
  if (algorithm === null || !RSA_SIGNATURE_OIDS.has(algorithm)) return { ok: false, detail: `unsupported signature algorithm ${algorithm ?? '?'}`, certificates };
  // The signature covers the signed attributes DER-encoded as a SET (tag 0x31), not as the [0] they travel in.
  const asSet = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, attrs);
  const valid = cryptoVerify('sha256', derBytes(asSet), signer.publicKey, bytesOf(info[index + 2]));
  if (!valid) return { ok: false, detail: "the signature over the signed attributes does not verify with the signer's certificate", certificates };
  return { ok: true, signer, certificates, signedBytes, cms, detail: `valid CMS signature (SHA-256, RSA) by ${signer.subject.replace(/\n/g, ', ')}` };
}

/** The whole check of a signed PDF: byte ranges, then the CMS. */
export function verifyPdfSignature(pdf: Buffer): PdfSignatureResult & { readonly coversWholeFile: boolean } {
  const found = findByteRangeSignature(pdf);
  if (typeof found === 'string') return { ok: false, detail: found, certificates: [], coversWholeFile: false };
  return { ...verifyCmsDetached(found.cms, found.signedBytes), coversWholeFile: found.coversWholeFile };
}
