import { describe, expect, it } from 'vitest';
import type { MatchGroup } from '../core/reconcile/index.ts';
import { jsonChunks, ndjsonChunks } from './json-stream.ts';
import { groupTexts } from './reconcile-group-texts.ts';

function group(id: string, extra: Partial<MatchGroup> = {}): MatchGroup {
  return { id, rule: 'reference', leftIds: ['L1'], rightIds: ['P1'], leftTotal: { amount: '1.00', currency: 'EUR' }, rightTotal: { amount: '1.00', currency: 'EUR' }, difference: '0.00', currency: 'EUR', dateDistanceDays: 0, fx: null, variance: null, ...extra };
}

const TAIL = '"rule":"reference","leftIds":["L1"],"rightIds":["P1"],"leftTotal":{"amount":"1.00","currency":"EUR"},"rightTotal":{"amount":"1.00","currency":"EUR"},"difference":"0.00","currency":"EUR","dateDistanceDays":0,"fx":null,"variance":null}';

describe('groupTexts', () => {
  it('writes each group with its leg first, in a --json array and as NDJSON lines', () => {
    // An id holding the text between two groups: escaped in JSON, so no cut there.
    const items = [
      { leg: 'a', group: group('a:1') },
      { leg: 'a', group: group('a:},{"id":2') },
      { leg: 'b', group: group('b:3') },
    ];
    expect([...jsonChunks({ groups: groupTexts(items, '') })].join('')).toBe(
      `{\n  "groups": [\n    {"leg":"a","id":"a:1",${TAIL},\n    {"leg":"a","id":"a:},{\\"id\\":2",${TAIL},\n    {"leg":"b","id":"b:3",${TAIL}\n  ]\n}`,
    );
    expect([...ndjsonChunks(groupTexts(items, '"record":"group",'))].join('')).toBe(
      `{"record":"group","leg":"a","id":"a:1",${TAIL}\n{"record":"group","leg":"a","id":"a:},{\\"id\\":2",${TAIL}\n{"record":"group","leg":"b","id":"b:3",${TAIL}\n`,
    );
  });

  it('gives the text of { leg, ...group } for every group across batches, and when a member object would cut a batch wrongly', () => {
    const items = Array.from({ length: 300 }, (_, position) => {
      const leg = position < 200 ? 'internal-psp' : 'psp-bank';
      // Objects in a member array, the second beginning with `id` (no MatchGroup has such): the text between
      // two groups appears inside one, the batch cuts into more pieces than groups and is stringified group by group.
      const leftIds = position === 250 ? ([{ a: 1 }, { id: 'x' }] as unknown as string[]) : ['L1'];
      return { leg, group: group(`${leg}:${String(position).padStart(3, '0')}`, { leftIds }) };
    });
    const lines = [...ndjsonChunks(groupTexts(items, ''))].join('').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toEqual(items.map(({ leg, group }) => JSON.stringify({ leg, ...group })));
    expect(lines[250]).toBe(`{"leg":"psp-bank","id":"psp-bank:250","rule":"reference","leftIds":[{"a":1},{"id":"x"}],"rightIds":["P1"],"leftTotal":{"amount":"1.00","currency":"EUR"},"rightTotal":{"amount":"1.00","currency":"EUR"},"difference":"0.00","currency":"EUR","dateDistanceDays":0,"fx":null,"variance":null}`);
    expect(lines[199]).toBe(`{"leg":"internal-psp","id":"internal-psp:199",${TAIL}`);
  });
});
