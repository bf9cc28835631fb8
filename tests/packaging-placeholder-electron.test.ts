/**
 * Packaging with a PLACEHOLDER Electron binary. The real binary comes from GitHub, which these
 * machines (and CI) cannot reach, and electron-builder's AppImage/deb tools come from there too.
 * So this test builds main, preload and renderer into a folder of its own, lays out `--linux dir`
 * with `-c.electronDist` pointing at a folder whose "electron" is a small text file carrying
 * Electron's fuse sentinel, and then checks what an installer would ship: the asar holds exactly
 * the built app and nothing else, and electron-builder flipped the fuses electron-builder.yml asks
 * for. It does not prove the app starts; nothing on this machine can.
 */
import { extractFile, listPackage, statFile } from '@electron/asar';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Electron's fuse wire (see @electron/fuses): sentinel, wire version 1, wire length, one byte per fuse.
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSE_DISABLED = 0x30;
const FUSE_ENABLED = 0x31;
// Electron's defaults in fuse order: RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect
// on, asar integrity off, only-load-from-asar off, browser V8 snapshot off, file:// privileges on.
const FUSE_WIRE_DEFAULT = '10110001';
const FUSE_NAMES = ['runAsNode', 'enableCookieEncryption', 'enableNodeOptionsEnvironmentVariable', 'enableNodeCliInspectArguments', 'enableEmbeddedAsarIntegrityValidation', 'onlyLoadAppFromAsar', 'loadBrowserProcessSpecificV8Snapshot', 'grantFileProtocolExtraPrivileges'] as const;
const STEP_TIMEOUT_MS = 120_000;

function fuseStates(binary: Buffer): Record<string, boolean> {
  const at = binary.indexOf(FUSE_SENTINEL);
  if (at < 0) throw new Error('no fuse sentinel in the packaged binary');
  const wire = at + FUSE_SENTINEL.length;
  const states: Record<string, boolean> = {};
  FUSE_NAMES.forEach((name, index) => {
    const state = binary[wire + 2 + index];
    if (state !== FUSE_ENABLED && state !== FUSE_DISABLED) throw new Error(`fuse ${name} has state ${state}`);
    states[name] = state === FUSE_ENABLED;
  });
  return states;
}

function run(command: string, args: string[]): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: STEP_TIMEOUT_MS, env: { ...process.env, ELECTRON_BUILDER_CACHE: path.join(tmpdir(), 'settledesk-no-builder-cache') } });
  if (result.status !== 0) throw new Error(`${path.basename(args[0] ?? command)} exited ${result.status ?? result.signal}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

describe('packaging with a placeholder Electron binary (--linux dir, not a real Electron)', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'settledesk-packaging-'));
  const appDir = path.join(work, 'out');
  const placeholderDir = path.join(work, 'placeholder-electron');
  const unpackedDir = path.join(work, 'dist', 'linux-unpacked');
  const asarPath = path.join(unpackedDir, 'resources', 'app.asar');

  beforeAll(() => {
    const startedMs = Date.now();
    run(process.execPath, ['scripts/build-electron.js', '--out', appDir]);
    run(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--outDir', path.join(appDir, 'renderer'), '--emptyOutDir', '--logLevel', 'warn']);
    mkdirSync(placeholderDir);
    writeFileSync(path.join(placeholderDir, 'electron'), `PLACEHOLDER: not an Electron binary. ${FUSE_SENTINEL}\x01\x08${FUSE_WIRE_DEFAULT}\n`, { mode: 0o755 });
    writeFileSync(path.join(placeholderDir, 'LICENSE'), 'placeholder\n');
    run(process.execPath, [
      'node_modules/electron-builder/cli.js',
      '--linux',
      'dir',
      `-c.electronDist=${placeholderDir}`,
      `-c.directories.app=${appDir}`,
      `-c.directories.output=${path.join(work, 'dist')}`,
    ]);
    console.log(`build and --linux dir with the placeholder Electron took ${Date.now() - startedMs} ms`);
  }, STEP_TIMEOUT_MS * 3);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('packs exactly the built main, preload and renderer: no sources, tests, maps or node_modules', () => {
    const built = readdirSync(path.join(appDir, 'renderer'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => `/renderer/${path.relative(path.join(appDir, 'renderer'), path.join(entry.parentPath, entry.name)).split(path.sep).join('/')}`);
    const files = listPackage(asarPath, { isPack: false }).filter((entry) => !('files' in statFile(asarPath, entry.slice(1))));
    expect(files.sort()).toEqual(['/main/main.cjs', '/package.json', '/preload/preload.cjs', ...built].sort());
    expect(built).toContain('/renderer/index.html');
    expect(files.some((entry) => /node_modules|\.tsx?$|\.map$|\.test\.|^\/(core|electron|node|server|cli|tests)\//.test(entry))).toBe(false);
  });

  it('ships the bundles byte for byte, and a manifest with no dependencies', () => {
    expect(extractFile(asarPath, 'main/main.cjs').equals(readFileSync(path.join(appDir, 'main', 'main.cjs')))).toBe(true);
    expect(extractFile(asarPath, 'preload/preload.cjs').equals(readFileSync(path.join(appDir, 'preload', 'preload.cjs')))).toBe(true);
    const manifest = JSON.parse(extractFile(asarPath, 'package.json').toString('utf8')) as Record<string, unknown>;
    expect(manifest.main).toBe('main/main.cjs');
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.devDependencies).toBeUndefined();
  });

  it('flips the fuses in the (placeholder) binary: no RunAsNode, NODE_OPTIONS or --inspect; asar integrity and asar-only loading on', () => {
    const binary = readFileSync(path.join(unpackedDir, 'settledesk'));
    expect(binary.toString('latin1')).toMatch(/^PLACEHOLDER/);
    expect(fuseStates(binary)).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});
