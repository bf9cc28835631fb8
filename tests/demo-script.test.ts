import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

function digest(dir: string): string {
  const hash = createHash('sha256');
  for (const file of filesUnder(dir).sort()) hash.update(path.relative(dir, file)).update(readFileSync(file));
  return hash.digest('hex');
}

describe('npm run demo-data (the script the README names)', () => {
  it('writes the same small month twice, byte for byte, with its manifest', () => {
    const [first, second] = [0, 1].map(() => {
      const out = mkdtempSync(path.join(tmpdir(), 'settledesk-demo-'));
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo-data.ts', '--small', '--seed', '42', '--out', out], { encoding: 'utf8', timeout: 120_000 });
      expect(run.status, run.stderr).toBe(0);
      return out;
    });
    const files = filesUnder(first as string).map((file) => path.relative(first as string, file));
    expect(files).toContain('manifest.json');
    expect(files).toContain('rules.json');
    expect(files.filter((file) => file.startsWith('bank/')).length).toBeGreaterThan(0);
    expect(files.filter((file) => file.startsWith('psp/')).length).toBeGreaterThan(0);
    expect(digest(first as string)).toBe(digest(second as string));
  });
});
