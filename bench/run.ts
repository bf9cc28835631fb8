// `npm run bench`: runs every bench/*.bench.ts in its own process, one after another (never in
// parallel: each measures one core). A bench exits non-zero when it misses its target or finds
// a wrong result; every bench still runs, and the summary names those that failed.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const only = process.argv.slice(2);
const benches = readdirSync(path.dirname(new URL(import.meta.url).pathname))
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => only.length === 0 || only.some((filter) => name.includes(filter)))
  .sort();

const failed: string[] = [];
for (const bench of benches) {
  console.log(`\n=== ${bench} ===`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', path.join('bench', bench)], { stdio: 'inherit' });
  if (result.status !== 0) failed.push(`${bench} (exit ${result.status ?? result.signal})`);
}
console.log(`\n${benches.length - failed.length} of ${benches.length} benches met their targets${failed.length > 0 ? `; missed or failed: ${failed.join(', ')}` : ''}`);
process.exitCode = failed.length > 0 ? 1 : 0;
