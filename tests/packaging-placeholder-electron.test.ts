/**
 * Packaging with a PLACEHOLDER Electron binary. The real binary comes from GitHub, which these
 * machines (and CI) cannot reach, and electron-builder's AppImage/deb tools come from there too.
 * So this test builds main, preload and renderer into a folder of its own, lays out `--linux dir`
 * with `-c.electronDist` pointing at a folder whose "electron" is a small text file carrying
 * Electron's fuse sentinel, and then checks what an installer would ship: the asar holds exactly
 * the built app and the runtime packages statement signing loads (pdfkit, exceljs, their production
 * dependencies, the Noto Sans KR fonts and their licenses) and nothing else, electron-builder
 * flipped the fuses electron-builder.yml asks for, and the statements bundle signs a Korean
 * statement in plain Node from the unpacked asar alone. It does not prove Electron starts; nothing
 * on this machine can.
 */
import { extractAll, extractFile, listPackage, statFile } from '@electron/asar';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../core/canonical/json.ts';
import { statementHash } from '../core/settlement/index.ts';
import { createDevCertificate } from '../node/statements/dev-cert.ts';
import { handStatement, pdfText } from '../node/statements/fixtures.test-support.ts';
import { verifyStatementFiles } from '../node/statements/verify.ts';

// Electron's fuse wire (see @electron/fuses): sentinel, wire version 1, wire length, one byte per fuse.
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSE_DISABLED = 0x30;
const FUSE_ENABLED = 0x31;
// Electron's defaults in fuse order: RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect
// on, asar integrity off, only-load-from-asar off, browser V8 snapshot off, file:// privileges on.
const FUSE_WIRE_DEFAULT = '10110001';
const FUSE_NAMES = ['runAsNode', 'enableCookieEncryption', 'enableNodeOptionsEnvironmentVariable', 'enableNodeCliInspectArguments', 'enableEmbeddedAsarIntegrityValidation', 'onlyLoadAppFromAsar', 'loadBrowserProcessSpecificV8Snapshot', 'grantFileProtocolExtraPrivileges'] as const;
const STEP_TIMEOUT_MS = 120_000;
const BUNDLES = ['/main/main.cjs', '/main/statements.cjs', '/package.json', '/preload/preload.cjs'];
// A package's own folder: node_modules/<name> or node_modules/@scope/<name>, nested or not.
const PACKAGE_JSON = /^\/main\/((?:node_modules\/(?:@[^/]+\/)?[^/]+\/)*node_modules\/(?:@[^/]+\/)?[^/]+)\/package\.json$/;
const LICENSE_FILE = /^(licen[cs]e|copying|notice)(\.|-|$)/i;
// Production dependencies of the CLI and the server that statement signing never loads.
const NOT_FOR_THE_DESK = ['fastify', 'pg', '@electric-sql/pglite', 'rxdb', 'react', 'ag-grid-community', 'pino', 'node-forge', '@signpdf/signpdf', 'jose', 'zod'];
const P12_PASSPHRASE = 'packaging test passphrase';

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

function run(command: string, args: string[], env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_BUILDER_CACHE: path.join(tmpdir(), 'settledesk-no-builder-cache') }, cwd?: string): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: STEP_TIMEOUT_MS, env, cwd });
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

  /** Every file in the asar (folders left out), as /relative/path. */
  function asarFiles(): string[] {
    return listPackage(asarPath, { isPack: false }).filter((entry) => !('files' in statFile(asarPath, entry.slice(1))));
  }

  function builtFiles(folder: string): string[] {
    return readdirSync(path.join(appDir, folder), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => `/${path.relative(appDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/')}`);
  }

  it('packs exactly the built main, statements bundle, preload, renderer and staged runtime packages: no sources, tests or maps', () => {
    const renderer = builtFiles('renderer');
    const runtime = builtFiles('main/node_modules');
    expect(asarFiles().sort()).toEqual([...BUNDLES, ...renderer, ...runtime].sort());
    expect(renderer).toContain('/renderer/index.html');
    const outsideModules = asarFiles().filter((entry) => !entry.startsWith('/main/node_modules/'));
    expect(outsideModules.filter((entry) => /\.tsx?$|\.map$|\.test\.|^\/(core|electron|node|server|cli|tests|bench)\//.test(entry))).toEqual([]);
    // Inside node_modules only what Node loads, and every license.
    const unwanted = runtime.filter((entry) => {
      const base = path.posix.basename(entry);
      if (LICENSE_FILE.test(base)) return false;
      // Test folders anywhere; docs and examples at a package's top (exceljs/lib/doc is code).
      return /\/(tests?|__tests__)\/|\/node_modules\/(@[^/]+\/)?[^/]+\/(docs?|examples?|spec|\.github)\/|\.(test|spec)\.[cm]?js$|\/tests?\.js$|\.[cm]?tsx?$|\.map$|\.md$/i.test(entry);
    });
    expect(unwanted).toEqual([]);
  });

  it('holds pdfkit, exceljs and the two Noto Sans KR faces with the OFL license, each package with its licenses, and only production dependencies', () => {
    const files = new Set(asarFiles());
    for (const needed of ['pdfkit/package.json', 'pdfkit/js/pdfkit.js', 'pdfkit/LICENSE', 'exceljs/excel.js', 'exceljs/lib/exceljs.nodejs.js', 'exceljs/LICENSE', 'fontkit/package.json']) expect(files, needed).toContain(`/main/node_modules/${needed}`);
    const fonts = [...files].filter((entry) => entry.startsWith('/main/') && /\.(otf|ttf|ttc|woff2?)$/.test(entry));
    expect(fonts.sort()).toEqual(['/main/node_modules/@embedpdf/fonts-kr/fonts/NotoSansKR-Bold.otf', '/main/node_modules/@embedpdf/fonts-kr/fonts/NotoSansKR-Regular.otf']);
    expect(extractFile(asarPath, 'main/node_modules/@embedpdf/fonts-kr/fonts/NotoSansKR-Regular.otf').equals(readFileSync('node_modules/@embedpdf/fonts-kr/fonts/NotoSansKR-Regular.otf'))).toBe(true);
    expect(extractFile(asarPath, 'main/node_modules/@embedpdf/fonts-kr/LICENSE').toString('utf8')).toContain('SIL Open Font License, Version 1.1');

    const packed = [...files].map((entry) => PACKAGE_JSON.exec(entry)?.[1]).filter((dir): dir is string => dir !== undefined);
    // npm's own view of the production tree (no dev dependencies), not our walker's.
    const production = new Set(
      // npm ls exits 1 over any version it calls invalid in the installed tree; the listing is whole all the same.
      spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { encoding: 'utf8', timeout: STEP_TIMEOUT_MS })
        .stdout.split('\n')
        .filter((line) => line.includes(`${path.sep}node_modules${path.sep}`))
        .map((line) => path.relative(process.cwd(), line).split(path.sep).join('/')),
    );
    expect(production.size).toBeGreaterThan(packed.length);
    expect(packed.filter((dir) => !production.has(dir))).toEqual([]);
    expect(packed.filter((dir) => NOT_FOR_THE_DESK.some((name) => dir === `node_modules/${name}` || dir.endsWith(`/node_modules/${name}`)))).toEqual([]);
    // Every license file a packed package has in the repository's node_modules is packed too.
    const missingLicenses = packed.flatMap((dir) => readdirSync(dir).filter((name) => LICENSE_FILE.test(name) && statSync(path.join(dir, name)).isFile() && !files.has(`/main/${dir}/${name}`)).map((name) => `${dir}/${name}`));
    expect(missingLicenses).toEqual([]);
  });

  it('signs a Korean statement in plain Node with the statements bundle from the unpacked asar alone, fonts and all', async () => {
    const extracted = path.join(work, 'extracted');
    extractAll(asarPath, extracted);
    const made = createDevCertificate({ organization: 'Example Platform GmbH', passphrase: P12_PASSPHRASE, now: new Date() });
    const p12File = path.join(work, 'org.p12');
    writeFileSync(p12File, made.p12);
    const statement = handStatement();
    const documentFile = path.join(work, 'document.json');
    writeFileSync(documentFile, canonicalJson({ statement, sha256: statementHash(statement) }));
    const target = path.join(work, 'signed', 'P001.statement.pdf');
    mkdirSync(path.dirname(target));
    // CommonJS run from the extracted folder, outside the repository: no node_modules of ours is
    // on the lookup path, so every module it loads comes from the asar's contents.
    const script = `
      const { readFileSync } = require('node:fs');
      const { StatementSigningService } = require('./main/statements.cjs');
      let stored = null;
      const signing = new StatementSigningService({ signingDir: ${JSON.stringify(path.join(work, 'signing'))}, passphrase: async () => stored, storePassphrase: async (value) => { stored = value; }, now: () => new Date() });
      (async () => {
        await signing.importP12(${JSON.stringify(p12File)}, ${JSON.stringify(P12_PASSPHRASE)});
        const result = await signing.exportSigned(readFileSync(${JSON.stringify(documentFile)}, 'utf8'), 'ko', ${JSON.stringify(target)}, { replace: [] });
        const loaded = Object.keys(require.cache).filter((file) => /node_modules/.test(file));
        process.stdout.write(JSON.stringify({ result, loaded }));
      })().catch((error) => { console.error(error); process.exit(1); });`;
    expect(existsSync(path.join(extracted, 'main', 'statements.cjs'))).toBe(true);
    const env = { PATH: process.env.PATH, HOME: work };
    const { result, loaded } = JSON.parse(run(process.execPath, ['-e', script], env, extracted).stdout) as { result: { sha256: string }; loaded: string[] };
    expect(result.sha256).toBe(statementHash(statement));
    expect(loaded.some((file) => file.startsWith(path.join(extracted, 'main', 'node_modules', 'pdfkit')))).toBe(true);
    expect(loaded.some((file) => file.startsWith(path.join(extracted, 'main', 'node_modules', 'exceljs')))).toBe(true);
    expect(loaded.filter((file) => !file.startsWith(`${extracted}${path.sep}`))).toEqual([]);
    const signed = path.dirname(target);
    const report = await verifyStatementFiles({
      json: { file: 'P001.statement.json', text: readFileSync(path.join(signed, 'P001.statement.json'), 'utf8') },
      jws: { file: 'P001.statement.jws', text: readFileSync(path.join(signed, 'P001.statement.jws'), 'utf8') },
      pdf: { file: 'P001.statement.pdf', bytes: readFileSync(target) },
      trustAnchorPem: made.certificatePem,
      now: new Date(),
    });
    expect(report.checks.filter((check) => !check.ok)).toEqual([]);
    // The PDF embeds the packed Noto Sans KR (as a subset) and its Hangul comes back out as text.
    expect(readFileSync(target).toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansKR-Regular/);
    expect(pdfText(target)).toMatch(/[\uAC00-\uD7A3]/);
    expect(readdirSync(signed).sort()).toEqual(['P001.lines.csv', 'P001.lines.xlsx', 'P001.statement.json', 'P001.statement.jws', 'P001.statement.pdf']);
  }, STEP_TIMEOUT_MS);

  it('ships the bundles byte for byte, and a manifest with no dependencies', () => {
    expect(extractFile(asarPath, 'main/main.cjs').equals(readFileSync(path.join(appDir, 'main', 'main.cjs')))).toBe(true);
    expect(extractFile(asarPath, 'preload/preload.cjs').equals(readFileSync(path.join(appDir, 'preload', 'preload.cjs')))).toBe(true);
    expect(extractFile(asarPath, 'main/statements.cjs').equals(readFileSync(path.join(appDir, 'main', 'statements.cjs')))).toBe(true);
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
