import { describe, expect, it } from 'vitest';
import { conflictViews } from './conflict-view.ts';

describe('conflictViews', () => {
  it('puts this user\'s value of a field conflict first, with the value the resolve call takes', () => {
    const views = conflictViews(
      [{ kind: 'fields', collection: 'exceptions', id: 'exc.1', fields: [{ field: 'severity', base: '"low"', candidates: [{ value: '"critical"', by: 'ben' }, { value: '"high"', by: 'ana' }] }] }],
      'ana',
    );
    expect(views).toEqual([
      {
        kind: 'field',
        key: 'exceptions/exc.1/severity',
        id: 'exc.1',
        field: 'severity',
        base: '"low"',
        sides: [
          { mine: true, by: 'ana', value: 'high', text: '"high"' },
          { mine: false, by: 'ben', value: 'critical', text: '"critical"' },
        ],
      },
    ]);
  });

  it('shows only the fields where a whole document differs, a missing field as a dash', () => {
    const views = conflictViews(
      [{ kind: 'whole', collection: 'mapping_profiles', id: 'p1', mine: { id: 'p1', name: 'Sparkasse', delimiter: ';', note: 'mine' }, theirs: { id: 'p1', name: 'Sparkasse DE', delimiter: ';' }, detectedAt: '2026-03-01T00:00:00Z' }],
      'ana',
    );
    expect(views).toEqual([
      {
        kind: 'whole',
        key: 'mapping_profiles/p1',
        collection: 'mapping_profiles',
        id: 'p1',
        differences: [
          { field: 'name', mine: '"Sparkasse"', theirs: '"Sparkasse DE"' },
          { field: 'note', mine: '"mine"', theirs: '—' },
        ],
      },
    ]);
  });
});
