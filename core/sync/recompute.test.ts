import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../hash/sha256.ts';
import { packBatch, unpackBatch } from './batch.ts';
import { settlementFixture } from './fixtures.test-support.ts';
import { RecomputeError, recomputeStatement, verifyStatementReproducible } from './recompute.ts';

const codeOf = (work: () => void) => {
  try {
    work();
    return 'reproduced';
  } catch (error) {
    return (error as RecomputeError).code;
  }
};

describe('recomputing a statement from the run\'s stored inputs', () => {
  it('reproduces the desk\'s statement byte for byte: 70 % of 150.00 = 105.00', () => {
    const { agreement, batch, run, statement } = settlementFixture();
    const inputs = { run, batches: [batch], agreements: [agreement] };
    expect(recomputeStatement(inputs, 'p')?.totals.payable).toBe('105.00');
    expect(codeOf(() => verifyStatementReproducible(inputs, statement))).toBe('reproduced');
  });

  it('refuses a statement the inputs do not give, even when its own hash is consistent', () => {
    const { agreement, batch, run, statement } = settlementFixture();
    const text = statement.canonicalJson.replaceAll('"105.00"', '"150.00"');
    const forged = { ...statement, canonicalJson: text, hash: sha256Hex(text), payable: '150.00' };
    expect(codeOf(() => verifyStatementReproducible({ run, batches: [batch], agreements: [agreement] }, forged))).toBe('statement_not_reproducible');
  });

  it('refuses when a batch changed after the statement was computed, or is missing', () => {
    const { agreement, batch, run, statement } = settlementFixture();
    const rows = unpackBatch(batch).map((row, index) => (index === 0 ? { ...row, amount: '100.01' } : row));
    const changed = packBatch(batch.importId, batch.chunkIndex, rows);
    expect(codeOf(() => verifyStatementReproducible({ run, batches: [changed], agreements: [agreement] }, statement))).toBe('statement_not_reproducible');
    expect(codeOf(() => verifyStatementReproducible({ run, batches: [], agreements: [agreement] }, statement))).toBe('recompute_inputs_missing');
  });
});
