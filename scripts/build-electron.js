// Bundles Electron main and the sandboxed preload with esbuild, each one CommonJS file. The .cjs
// extension matters: package.json says "type": "module", so a .js main would be loaded as ESM.
// Also writes out/package.json, the app manifest electron-builder packs (electron-builder.yml's
// directories.app is out/): it names main and carries no dependencies, because everything main
// and preload need is in their bundles.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

// --out lets the packaging test build into a folder of its own instead of the shared out/.
const { values } = parseArgs({ options: { out: { type: 'string', default: 'out' } } });
const outDir = values.out;

const common = { bundle: true, platform: 'node', target: 'node22', format: 'cjs', external: ['electron'], sourcemap: true, logLevel: 'warning' };

// pdfkit (statement PDFs) reads its data files next to its own module (import.meta.url, which a
// CommonJS bundle does not have) and exceljs is large: main loads both from node_modules, lazily,
// when a statement is signed (electron/main.ts).
await build({ ...common, external: [...common.external, 'pdfkit', 'exceljs'], entryPoints: ['electron/main.ts'], outfile: path.join(outDir, 'main', 'main.cjs') });
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
