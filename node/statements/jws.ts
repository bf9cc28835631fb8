import { generateKeyPairSync, verify as cryptoVerify, X509Certificate, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, flattenedVerify, FlattenedSign, importJWK, base64url } from 'jose';
import { z } from 'zod';
import { SettleDeskError } from '../../core/errors.ts';
import type { OrganizationSigner } from './sign.ts';

/**
 * A detached JWS (RFC 7515, Appendix F) over a statement's canonical JSON, with Ed25519.
 *
 * The organization's certificate holds an RSA key (PDF signing through node-forge needs RSA), so
 * the Ed25519 key is made per signing session and bound to the organization: the organization's
 * RSA key signs "settledesk-jws-key/1:<JWK thumbprint>", and the protected header carries the
 * public JWK, that binding and the organization's certificates. A verifier checks the Ed25519
 * signature, the binding against the first certificate, and that certificate against its own
 * trust anchor (verify.ts). The Ed25519 private key never leaves memory and is discarded after.
 */
export const JWS_TYPE = 'settledesk.statement+jws';
export const BINDING_HEADER = 'settledesk.org';
const BINDING_PREFIX = 'settledesk-jws-key/1:';

export class JwsError extends SettleDeskError {
  constructor(code: 'jws_malformed' | 'jws_header_invalid' | 'jws_key_binding_invalid' | 'jws_signature_invalid', message: string, file?: string) {
    super(code, message, file === undefined ? {} : { file });
    this.name = 'JwsError';
  }
}

const Header = z
  .object({
    alg: z.literal('EdDSA'),
    typ: z.literal(JWS_TYPE),
    kid: z.string().min(1),
    jwk: z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string().min(1) }).strict(),
    [BINDING_HEADER]: z.object({ x5c: z.array(z.string().min(1)).min(1).max(8), binding: z.string().min(1) }).strict(),
  })
  .strict();
type Header = z.infer<typeof Header>;

export interface JwsSigner {
  /** Detached compact JWS ("header..signature") over the UTF-8 bytes of `payload`. */
  sign(payload: string): Promise<string>;
}

export async function createJwsSigner(organization: OrganizationSigner): Promise<JwsSigner> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const exported = await exportJWK(publicKey);
  const jwk = { kty: 'OKP' as const, crv: 'Ed25519' as const, x: exported.x ?? '' };
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  const binding = base64url.encode(organization.signBytes(Buffer.from(`${BINDING_PREFIX}${kid}`, 'utf8')));
  const header: Header = { alg: 'EdDSA', typ: JWS_TYPE, kid, jwk, [BINDING_HEADER]: { x5c: organization.chainDer.map((der) => der.toString('base64')), binding } };
  return {
    async sign(payload) {
      const signed = await new FlattenedSign(new TextEncoder().encode(payload)).setProtectedHeader(header).sign(privateKey as KeyObject);
      return `${signed.protected}..${signed.signature}`;
    },
  };
}

export interface JwsVerified {
  readonly kid: string;
  /** DER certificates from the header, the binding certificate first: check them against a trust anchor. */
  readonly certificatesDer: readonly Buffer[];
}

function headerOf(jws: string, file?: string): { header: Header; protectedB64: string; signature: string } {
  const parts = jws.trim().split('.');
  const [protectedB64, payload, signature] = parts;
  if (parts.length !== 3 || protectedB64 === undefined || signature === undefined || payload !== '') throw new JwsError('jws_malformed', `${file ?? 'JWS'}: expected a detached compact JWS "header..signature"`, file);
  let decoded: unknown;
  try {
    decoded = JSON.parse(new TextDecoder().decode(base64url.decode(protectedB64)));
  } catch {
    throw new JwsError('jws_malformed', `${file ?? 'JWS'}: the protected header is not base64url JSON`, file);
  }
  const parsed = Header.safeParse(decoded);
  if (!parsed.success) throw new JwsError('jws_header_invalid', `${file ?? 'JWS'}: protected header ${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? 'invalid'}`, file);
  return { header: parsed.data, protectedB64, signature };
}

/** Checks the Ed25519 signature over `payload` and the key's binding to the first certificate. Throws a JwsError saying which failed. */
export async function verifyDetachedJws(jws: string, payload: string, file?: string): Promise<JwsVerified> {
  const { header, protectedB64, signature } = headerOf(jws, file);
  const kid = await calculateJwkThumbprint(header.jwk, 'sha256');
  if (kid !== header.kid) throw new JwsError('jws_header_invalid', `${file ?? 'JWS'}: kid is not the thumbprint of the header's key`, file);
  const certificatesDer = header[BINDING_HEADER].x5c.map((text) => Buffer.from(text, 'base64'));
  const [first] = certificatesDer;
  let bound: boolean;
  try {
    bound = first !== undefined && cryptoVerify('sha256', Buffer.from(`${BINDING_PREFIX}${kid}`, 'utf8'), new X509Certificate(first).publicKey, Buffer.from(base64url.decode(header[BINDING_HEADER].binding)));
  } catch {
    bound = false;
  }
  if (!bound) throw new JwsError('jws_key_binding_invalid', `${file ?? 'JWS'}: the Ed25519 key is not bound to the certificate in the header (binding signature invalid)`, file);
  try {
    await flattenedVerify({ protected: protectedB64, payload: base64url.encode(payload), signature }, await importJWK(header.jwk, 'EdDSA'), { algorithms: ['EdDSA'] });
  } catch {
    throw new JwsError('jws_signature_invalid', `${file ?? 'JWS'}: the Ed25519 signature does not match the statement JSON (changed after signing?)`, file);
  }
  return { kid, certificatesDer };
}
