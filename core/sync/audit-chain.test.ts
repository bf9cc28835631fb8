import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../canonical/json.ts';
import { sha256Hex } from '../hash/sha256.ts';
import { appendAuditEvent, verifyAuditChain } from './audit-chain.ts';
import type { AuditEventDoc } from './documents.ts';
import { GENESIS_HASH } from './primitives.ts';

function chainOf(length: number): AuditEventDoc[] {
  const events: AuditEventDoc[] = [];
  for (let index = 0; index < length; index++) {
    events.push(
      appendAuditEvent(events.at(-1) ?? null, {
        id: `ev${index}`,
        chainId: 'server',
        at: `2026-03-01T10:${String(index).padStart(2, '0')}:00Z`,
        actor: index % 2 === 0 ? 'ana' : 'ben',
        action: index % 2 === 0 ? 'statement.submitted' : 'statement.approved',
        subject: { kind: 'statement', id: 'st_1' },
        details: { hash: 'a'.repeat(64), payable: '105.00' },
      }),
    );
  }
  return events;
}

describe('audit hash chain', () => {
  it('hashes the previous hash and the fields in their fixed order', () => {
    const [first] = chainOf(1);
    expect(first?.prevHash).toBe(GENESIS_HASH);
    // Worked by hand from the definition: an array, so the field order is part of the text.
    const text = canonicalJson([GENESIS_HASH, 'server', 0, '2026-03-01T10:00:00Z', 'ana', 'statement.submitted', { kind: 'statement', id: 'st_1' }, { hash: 'a'.repeat(64), payable: '105.00' }]);
    expect(first?.hash).toBe(sha256Hex(text));
  });

  it('verifies an untouched chain and names its head', () => {
    const events = chainOf(5);
    expect(verifyAuditChain(events)).toEqual({ ok: true, count: 5, headHash: events[4]?.hash });
    expect(verifyAuditChain(JSON.parse(JSON.stringify(events)))).toMatchObject({ ok: true });
  });

  it('detects any change to any field of any event (property)', () => {
    const events = chainOf(6);
    const fields = ['at', 'actor', 'action', 'subject', 'details', 'seq', 'prevHash', 'hash', 'chainId'] as const;
    fc.assert(
      fc.property(fc.nat(5), fc.constantFrom(...fields), (index, field) => {
        const copy = structuredClone(events);
        const target = copy[index] as Record<string, unknown>;
        const before = target[field];
        target[field] =
          typeof before === 'number' ? before + 1
          : typeof before === 'string' ? (/^[0-9a-f]{64}$/.test(before) ? `${before.slice(0, -1)}${before.endsWith('0') ? '1' : '0'}` : `${before}x`)
          : { ...(before as object), extra: 'x' };
        const verdict = verifyAuditChain(copy);
        expect(verdict.ok).toBe(false);
        if (!verdict.ok) expect(verdict.index).toBeLessThanOrEqual(index + 1);
      }),
      { numRuns: 200 },
    );
  });

  it('detects a removed or reordered event; a cut-off tail shows as another head hash', () => {
    const events = chainOf(4);
    expect(verifyAuditChain([events[0], events[2], events[3]])).toMatchObject({ ok: false, index: 1, code: 'audit_seq_gap' });
    expect(verifyAuditChain([events[1], events[0]])).toMatchObject({ ok: false, index: 0 });
    const head = verifyAuditChain(events);
    const cut = verifyAuditChain(events.slice(0, 3));
    expect(cut.ok && head.ok && cut.headHash !== head.headHash).toBe(true);
  });
});
