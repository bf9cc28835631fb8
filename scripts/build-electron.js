// Bundles Electron main and the sandboxed preload with esbuild, each one CommonJS file. The .cjs
// extension matters: package.json says "type": "module", so a .js main would be loaded as ESM.
// Also writes out/package.json, the app manifest electron-builder packs (electron-builder.yml's
// directories.app is out/): it names main and carries no dependencies, because everything main
// and preload need is in their bundles or in out/node_modules.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stageRuntimeModules } from './runtime-modules.js';

// --out lets the packaging test build into a folder of its own instead of the shared out/.
const { values } = parseArgs({ options: { out: { type: 'string', default: 'out' } } });
const outDir = values.out;

const common = { bundle: true, platform: 'node', target: 'node22', format: 'cjs', external: ['electron'], sourcemap: true, logLevel: 'warning' };

// Statement signing is a bundle of its own, main/statements.cjs: main's lazy import() of the
// signing service becomes require('./statements.cjs') on first use, so the desk starts without
// parsing the PDF, XLSX and signing code, and the bundle runs in plain Node too (the packaging
// test signs with it from the laid-out app). pdfkit reads data files beside its own module and
// exceljs is large: the statements bundle loads both from out/main/node_modules (runtime-modules.js),
// which electron-builder packs into the asar with the Noto Sans KR fonts.
const statementsBundle = {
  name: 'statements-bundle',
  setup(builder) {
    builder.onResolve({ filter: /\/node\/statements\/export-service\.ts$/ }, () => ({ path: './statements.cjs', external: true }));
  },
};
// Without dynamic-import support esbuild writes that import() as a require() of the external file.
await build({ ...common, plugins: [statementsBundle], supported: { 'dynamic-import': false }, entryPoints: ['electron/main.ts'], outfile: path.join(outDir, 'main', 'main.cjs') });
// fonts.ts falls back to import.meta.url only when there is no require, never in this bundle.
await build({ ...common, external: [...common.external, 'pdfkit', 'exceljs'], logOverride: { 'empty-import-meta': 'silent' }, entryPoints: ['node/statements/export-service.ts'], outfile: path.join(outDir, 'main', 'statements.cjs') });
await build({ ...common, entryPoints: ['electron/preload.ts'], outfile: path.join(outDir, 'preload', 'preload.cjs') });

const project = JSON.parse(readFileSync('package.json', 'utf8'));
const appManifest = {
  name: project.name,
  productName: 'SettleDesk',
  version: project.version,
  description: project.description,
  author: 'SettleDesk',
  license: 'UNLICENSED',
  main: 'main/main.cjs',
};
mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(appManifest, null, 2)}\n`);
stageRuntimeModules(process.cwd(), outDir);
