import { describe, expect, it } from 'vitest';
import { StatementDoc } from './documents.ts';
import { statementDocFixture } from './fixtures.test-support.ts';
import { COLLECTION_NAMES, COLLECTIONS_MAX } from './documents.ts';
import { compareCheckpoints, parseWireDoc, WireDocError } from './protocol.ts';
import { StatementDocError, verifyStatementDoc } from './statement-doc.ts';

describe('statement documents', () => {
  it('carry the canonical text, its hash and the payable the engine computed', () => {
    const doc = statementDocFixture();
    // 70 % of (100.00 + 50.00) = 105.00
    expect(doc).toMatchObject({ partnerId: 'p', period: '2026-01', currency: 'EUR', payable: '105.00', blocked: false });
    expect(() => verifyStatementDoc(doc)).not.toThrow();
  });

  it('refuse a changed text, a text out of canonical form and a payable beside it that differs', () => {
    const doc = statementDocFixture();
    const codeOf = (changed: StatementDoc) => {
      try {
        verifyStatementDoc(changed);
        return 'accepted';
      } catch (error) {
        return (error as StatementDocError).code;
      }
    };
    expect(codeOf({ ...doc, canonicalJson: doc.canonicalJson.replace('"105.00"', '"105.01"') })).toBe('statement_hash_mismatch');
    expect(codeOf({ ...doc, payable: '105.01' })).toBe('statement_fields_differ');
  });

  it('are blocked exactly when they have block reasons', () => {
    expect(statementDocFixture('st_b', ['critical exception open']).blocked).toBe(true);
    expect(StatementDoc.safeParse({ ...statementDocFixture(), blocked: true }).success).toBe(false);
  });
});

describe('wire documents and checkpoints', () => {
  it('validate against the collection schema and keep the deletion flag', () => {
    const doc = statementDocFixture();
    expect(parseWireDoc('statements', { ...doc, _deleted: false, _meta: { lwt: 1 }, _rev: '1-a' })).toEqual({ ...doc, _deleted: false });
    expect(() => parseWireDoc('statements', { ...doc })).toThrow(WireDocError);
    expect(() => parseWireDoc('statements', { ...doc, payable: 105, _deleted: false })).toThrow(/payable/);
    expect(() => parseWireDoc('statements', { ...doc, extra: 1, _deleted: false })).toThrow(WireDocError);
  });

  it('compare sequence numbers past 2^53 exactly', () => {
    expect(compareCheckpoints({ seq: '9007199254740993' }, { seq: '9007199254740992' })).toBe(1);
    expect(compareCheckpoints(null, { seq: '0' })).toBe(-1);
  });

  it('stay within the collection budget of the open-source RxDB build', () => {
    expect(COLLECTION_NAMES.length).toBe(11);
    expect(COLLECTION_NAMES.length).toBeLessThanOrEqual(COLLECTIONS_MAX);
  });
});
