import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

describe('npm start where the Electron binary cannot be had', () => {
  it('exits non-zero with one clear message naming npm run web', () => {
    // A mirror that refuses connections and an empty cache: the download fails here and on any machine.
    const cache = mkdtempSync(path.join(tmpdir(), 'electron-cache-'));
    const result = spawnSync(process.execPath, ['scripts/start.js'], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:9/', electron_config_cache: cache },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('npm run web');
    expect(result.stderr).toMatch(/Electron binary is not installed and could not be downloaded/);
  });
});
