import { assert } from '../assert.ts';
import { canonicalJson } from '../canonical/json.ts';
import { sha256Hex } from '../hash/sha256.ts';
import { AuditEventDoc } from './documents.ts';
import { GENESIS_HASH } from './primitives.ts';

/**
 * The audit trail is a hash chain (as Formance's ChainLog): each event's hash is SHA-256 of the
 * canonical JSON of an array holding the previous hash and the event's fields in a frozen order.
 * An array, not an object, so the order is part of the text and can never drift with a key sort
 * or a renamed field. The desk, the server and `settledesk verify-audit` call this one function.
 */
export const AUDIT_HASHED_FIELDS = ['chainId', 'seq', 'at', 'actor', 'action', 'subject', 'details'] as const;

export type AuditEventInput = Pick<AuditEventDoc, 'id' | (typeof AUDIT_HASHED_FIELDS)[number]>;

export function auditEventHash(prevHash: string, event: Omit<AuditEventInput, 'id'>): string {
  assert(/^[0-9a-f]{64}$/.test(prevHash), 'prevHash is a SHA-256 hex digest');
  // Keep this order: changing it changes every hash ever written.
  const fields = [prevHash, event.chainId, event.seq, event.at, event.actor, event.action, { kind: event.subject.kind, id: event.subject.id }, event.details];
  return sha256Hex(canonicalJson(fields));
}

/** Appends one event after `tail` (null for the first event of a chain). */
export function appendAuditEvent(tail: AuditEventDoc | null, event: Omit<AuditEventInput, 'seq' | 'chainId'> & { readonly chainId?: string }): AuditEventDoc {
  const chainId = tail?.chainId ?? event.chainId;
  assert(chainId !== undefined, 'the first event of a chain names its chain');
  assert(event.chainId === undefined || event.chainId === chainId, 'an event joins its own chain', { chainId, eventChainId: event.chainId });
  const seq = tail === null ? 0 : tail.seq + 1;
  const prevHash = tail?.hash ?? GENESIS_HASH;
  const body = { chainId, seq, at: event.at, actor: event.actor, action: event.action, subject: event.subject, details: event.details };
  const doc = AuditEventDoc.parse({ id: event.id, ...body, prevHash, hash: auditEventHash(prevHash, body) });
  assert(doc.seq === seq && doc.prevHash === prevHash, 'the appended event links to its tail');
  return doc;
}

export type AuditBreak = 'audit_hash_mismatch' | 'audit_link_broken' | 'audit_seq_gap' | 'audit_chain_mixed' | 'audit_event_invalid';

export type AuditVerdict =
  | { readonly ok: true; readonly count: number; readonly headHash: string }
  | { readonly ok: false; readonly index: number; readonly code: AuditBreak; readonly message: string };

/**
 * Checks a whole chain, first event first: every hash recomputed, every link to the previous
 * hash, sequence numbers without gaps, one chain id. Returns where it first breaks.
 */
export function verifyAuditChain(events: readonly unknown[]): AuditVerdict {
  let prevHash = GENESIS_HASH;
  let chainId: string | null = null;
  for (const [index, raw] of events.entries()) {
    const parsed = AuditEventDoc.safeParse(raw);
    if (!parsed.success) return { ok: false, index, code: 'audit_event_invalid', message: `event ${index} is not an audit event: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
    const event = parsed.data;
    chainId ??= event.chainId;
    if (event.chainId !== chainId) return { ok: false, index, code: 'audit_chain_mixed', message: `event ${index} belongs to chain ${event.chainId}, not ${chainId}` };
    if (event.seq !== index) return { ok: false, index, code: 'audit_seq_gap', message: `event ${index} has seq ${event.seq}` };
    if (event.prevHash !== prevHash) return { ok: false, index, code: 'audit_link_broken', message: `event ${index} does not link to the hash before it` };
    if (auditEventHash(event.prevHash, event) !== event.hash) return { ok: false, index, code: 'audit_hash_mismatch', message: `event ${index} was changed after it was hashed` };
    prevHash = event.hash;
  }
  return { ok: true, count: events.length, headHash: prevHash };
}
