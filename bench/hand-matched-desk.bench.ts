// How the desk finds the rows matched by hand inside grouped exceptions (RxDB + Dexie over
// fake-indexeddb in Node): 'per group' as the screens did before (one comments$ stream per grouped
// exception, until every one has answered once) and 'one query' as they do now (one
// commentsStartingWith$ of the manual-match comments). A desk of `groups` grouped exceptions (93 at
// the 1,000,000-row month), each with a manual-match comment and a plain one, and 1,000 per-row
// exceptions. Prints wall and CPU (process.cpuUsage) per way, alternated, and the load average.
//   node --import tsx bench/hand-matched-desk.bench.ts [groups]      (default 93)
import { readFileSync } from 'node:fs';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { groupedUnmatchedKey } from '../core/exceptions/from-reconcile.ts';
import { createException } from '../core/exceptions/model.ts';
import { openDesk } from '../renderer/desk/desk.ts';

const GROUPS = Number(process.argv[2] ?? 93);
const AT = '2026-04-01T00:00:00Z';
const desk = await openDesk({ name: `hand_matched_bench_${process.pid}`, userId: 'ana', indexedDB, IDBKeyRange });
const day = (at: number) => `2026-03-${String((at % 28) + 1).padStart(2, '0')}`;
const groups = Array.from({ length: GROUPS }, (_, at) =>
  createException({ type: 'unmatched', key: groupedUnmatchedKey({ side: 'bank', account: `ACC-${at}`, currency: 'EUR', date: day(at) }), severity: 'low', title: 't', amountAtRisk: null, partnerId: null, period: null, sourceRefs: [], details: { grouped: 'day' } }, AT),
);
const rows = Array.from({ length: 1_000 }, (_, at) => createException({ type: 'unmatched', key: ['bank', `row-${at}`], severity: 'low', title: 't', amountAtRisk: null, partnerId: null, period: null, sourceRefs: [] }, AT));
await desk.raiseExceptions([...groups, ...rows]);
for (const [at, group] of groups.entries()) {
  await desk.addComment({ kind: 'exception', id: group.id }, `manual match psp=["p-${at}"] bank=["b-${at}"]: same payout`);
  await desk.addComment({ kind: 'exception', id: group.id }, 'asked the bank');
}

/** Until every stream has answered once: the comments the ways read. */
function perGroup(): Promise<number> {
  return new Promise((resolve) => {
    const seen = new Map<string, number>();
    const subscriptions = groups.map((group) =>
      desk.comments$({ kind: 'exception', id: group.id }).subscribe((docs) => {
        seen.set(group.id, docs.length);
        if (seen.size === groups.length) {
          queueMicrotask(() => subscriptions.forEach((subscription) => subscription.unsubscribe()));
          resolve([...seen.values()].reduce((sum, count) => sum + count, 0));
        }
      }),
    );
  });
}

function oneQuery(): Promise<number> {
  return new Promise((resolve) => {
    const subscription = desk.commentsStartingWith$('exception', 'manual match').subscribe((docs) => {
      queueMicrotask(() => subscription.unsubscribe());
      resolve(docs.length);
    });
  });
}

async function timed(name: string, way: () => Promise<number>): Promise<void> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const comments = await way();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  console.log(`  ${name}: ${comments} comments read, wall ${wall.toFixed(0)} ms, CPU ${((used.user + used.system) / 1000).toFixed(0)} ms`);
}

console.log(`${GROUPS} grouped exceptions (2 comments each), 1,000 per-row exceptions; load average ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
for (let run = 0; run < 3; run++) {
  await timed('per group', perGroup);
  await timed('one query', oneQuery);
}
console.log(`load average ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
await desk.close();
