// `npm run bench`: runs every bench/*.bench.ts in its own process, one after another (never in
// parallel: each measures one core), and stops at the first that fails.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const only = process.argv.slice(2);
const benches = readdirSync(path.dirname(new URL(import.meta.url).pathname))
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => only.length === 0 || only.some((filter) => name.includes(filter)))
  .sort();

for (const bench of benches) {
  console.log(`\n=== ${bench} ===`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', path.join('bench', bench)], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${bench} failed with ${result.status ?? result.signal}`);
    process.exit(1);
  }
}
