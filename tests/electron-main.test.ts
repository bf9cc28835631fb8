import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

interface Harness {
  record: Record<string, unknown>[];
  ipc: Record<string, unknown>;
  served: Record<string, string>;
}

describe('Electron main (built bundle, fake electron typed against the real API)', () => {
  const build = spawnSync(process.execPath, ['scripts/build-electron.js'], { encoding: 'utf8' });
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'tests/support/electron-main-harness.ts', 'out/main/main.cjs'], { encoding: 'utf8', timeout: 60_000 });

  it('builds and loads as CommonJS', () => {
    expect(build.status, build.stderr).toBe(0);
    expect(run.status, run.stderr).toBe(0);
  });

  it('follows the security checklist', () => {
    const harness = JSON.parse(run.stdout) as Harness;
    expect(harness.record).toContainEqual({ window: { webPreferences: { preload: 'preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true } } });
    expect(harness.record).toContainEqual({ windowOpen: { action: 'deny' } });
    expect(harness.record).toContainEqual({ navigationPrevented: true });
    expect(harness.record).toContainEqual({ permission: 'media', granted: false });
    expect(harness.record).toContainEqual({ loadURL: 'app://settledesk/index.html' });
  });

  it('answers IPC only from its own origin, and serves no file outside the renderer', () => {
    const harness = JSON.parse(run.stdout) as Harness;
    expect(harness.ipc['app://settledesk/index.html']).toEqual({ kind: 'electron', version: '0.1.0' });
    expect(harness.ipc['https://evil.example/']).toMatch(/^refused/);
    expect(harness.ipc.null).toMatch(/^refused/);
    const root = pathToFileURL(path.resolve('out/renderer')).toString();
    expect(harness.served['app://settledesk/index.html']).toBe(`fetched ${root}/index.html`);
    // The URL parser folds dot segments, so this stays inside the root; an encoded separator is refused outright.
    expect(harness.served['app://settledesk/%2e%2e/%2e%2e/etc/passwd']).toBe(`fetched ${root}/etc/passwd`);
    expect(harness.served['app://settledesk/assets/..%2f..%2fsecret']).toBe('status 404');
  });
});
