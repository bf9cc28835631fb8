import { describe, expect, it } from 'vitest';
import { IMPORT_WITH_EVERY_KIND } from './fixtures.test-support.ts';
import { exceptionsFromImport } from './from-import.ts';

const result = IMPORT_WITH_EVERY_KIND;

describe('exceptionsFromImport', () => {
  const exceptions = exceptionsFromImport(result, '2026-03-02T10:00:00Z');

  it('raises one exception per rejection, duplicate, possible-duplicate group and issue', () => {
    expect(exceptions.map((record) => `${record.type}:${record.severity}:${record.details.code ?? ''}`)).toEqual([
      'import_rejected:medium:amount_not_decimal',
      'duplicate:low:',
      'duplicate:medium:',
      'conflicting_duplicate:high:',
      'anomaly:high:balance_mismatch',
    ]);
    expect(exceptions[0]?.sourceRefs).toEqual([{ kind: 'import-row', id: 'f'.repeat(64), line: 12 }]);
    expect(exceptions[0]?.title).toContain('march.sta line 12');
    expect(exceptions[2]?.sourceRefs.map((ref) => ref.line)).toEqual([30, 31]);
  });

  it('gives the same ids when the same file is imported again', () => {
    expect(exceptionsFromImport(result, '2026-03-05T10:00:00Z').map((record) => record.id)).toEqual(exceptions.map((record) => record.id));
    expect(new Set(exceptions.map((record) => record.id)).size).toBe(exceptions.length);
  });
});
