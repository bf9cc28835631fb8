import { X509Certificate } from 'node:crypto';

/**
 * Walks from a signing certificate to a trust anchor the verifier chose, through the other
 * certificates the signature carries: each step must be issued (names) and signed (key) by the
 * next, every certificate valid at `at`, and every issuer on the way a CA except the anchor
 * itself when it is the signer (a self-signed organization certificate used as its own anchor).
 */
export const CHAIN_LENGTH_MAX = 8;

export type ChainResult = { readonly ok: true; readonly detail: string } | { readonly ok: false; readonly detail: string };

function validAt(cert: X509Certificate, at: Date): boolean {
  return new Date(cert.validFrom).getTime() <= at.getTime() && at.getTime() <= new Date(cert.validTo).getTime();
}

function name(cert: X509Certificate): string {
  return cert.subject.replace(/\n/g, ', ');
}

function issuedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  return child.checkIssued(issuer) && child.verify(issuer.publicKey);
}

export function parseCertificatePem(pem: string): X509Certificate {
  return new X509Certificate(pem);
}

export function verifyChain(signer: X509Certificate, others: readonly X509Certificate[], anchor: X509Certificate, at: Date): ChainResult {
  let current = signer;
  for (let step = 0; step < CHAIN_LENGTH_MAX; step++) {
    if (!validAt(current, at)) return { ok: false, detail: `certificate ${name(current)} is not valid at ${at.toISOString()} (valid ${current.validFrom} to ${current.validTo})` };
    if (current.fingerprint256 === anchor.fingerprint256) return { ok: true, detail: `chain of ${step + 1} reaches the trust anchor ${name(anchor)}` };
    if (issuedBy(current, anchor)) {
      if (!anchor.ca) return { ok: false, detail: `the trust anchor ${name(anchor)} is not a CA certificate and cannot issue ${name(current)}` };
      if (!validAt(anchor, at)) return { ok: false, detail: `the trust anchor ${name(anchor)} is not valid at ${at.toISOString()}` };
      return { ok: true, detail: `chain of ${step + 2} reaches the trust anchor ${name(anchor)}` };
    }
    const issuer = others.find((candidate) => candidate.fingerprint256 !== current.fingerprint256 && candidate.ca && issuedBy(current, candidate));
    if (issuer === undefined) return { ok: false, detail: `certificate ${name(current)} is not the trust anchor and was not issued by it or by any certificate the signature carries` };
    current = issuer;
  }
  return { ok: false, detail: `no trust anchor within ${CHAIN_LENGTH_MAX} certificates` };
}
