// The packages Electron main loads at run time from node_modules, copied beside main's bundles
// (out/main/node_modules) so that electron-builder packs them into the asar: pdfkit and exceljs (statement
// PDFs and XLSX; main's statements bundle keeps them external) and the Noto Sans KR fonts. Each
// package goes with its production dependencies, found by Node's own lookup from the installed
// tree, at the same relative place, so every require resolves as it does in the repository.
// What Node never loads (source maps, type declarations, TypeScript sources, docs, tests, browser
// builds, font weights the statements do not use) stays behind; license files always go.
import { cpSync, existsSync, lstatSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

export const RUNTIME_PACKAGES = ['pdfkit', 'exceljs', '@embedpdf/fonts-kr'];

// Bound on the dependency walk: the three packages need about 200 today.
const PACKAGES_MAX = 1000;
const LICENSE_NAME = /^(licen[cs]e|copying|notice)(\.|-|$)/i;
const SKIPPED_FILE = /^tests?\.[cm]?js$|\.(test|spec)\.[cm]?js$|(\.map|\.d\.[cm]?ts|\.[cm]?tsx?|\.md|\.markdown|\.iml|\.orig|\.swp)$|^\.|^(tsconfig|jsconfig)\.json$|^(appveyor|circle)\.yml$|^(yarn\.lock|package-lock\.json|pnpm-lock\.yaml)$|^(rollup|vite|vitest|jest|karma|webpack|babel)\.config\./i;
const SKIPPED_DIR = new Set(['node_modules', 'test', 'tests', '__tests__', 'spec', 'example', 'examples', 'docs', 'doc', 'bench', 'benchmark', 'benchmarks', 'coverage']);

/**
 * Per package: paths (relative to the package) Node never reaches from main, or `only` the files
 * main needs. Font names as in node/statements/fonts.ts.
 */
const PACKAGE_FILES = {
  // dist/ holds browser bundles; Node loads excel.js and lib/.
  exceljs: { skip: ['dist'] },
  // package.json "exports" sends require('pdfkit') to js/pdfkit.js; the others are browser or legacy builds.
  pdfkit: { skip: ['js/pdfkit.browser.js', 'js/pdfkit.browser.mjs', 'js/pdfkit.browser.old.js', 'js/pdfkit.browser.old.mjs', 'js/pdfkit.standalone.js', 'js/pdfkit.old.js', 'tools', 'types'] },
  '@embedpdf/fonts-kr': { only: ['package.json', 'LICENSE', 'dist/index.cjs', 'fonts/NotoSansKR-Regular.otf', 'fonts/NotoSansKR-Bold.otf'] },
};

/** Where Node finds `name` required from `fromDir`: the nearest node_modules up to the root. */
function findPackage(name, fromDir, root) {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === root || path.dirname(dir) === dir) return null;
  }
}

/** Every package directory the given packages need at run time (dependencies and installed optional ones). */
export function runtimePackageDirs(root, names) {
  const found = new Map();
  const pending = names.map((name) => ({ name, from: root, optional: false }));
  while (pending.length > 0) {
    const { name, from, optional } = pending.pop();
    const dir = findPackage(name, from, root);
    if (dir === null) {
      if (optional) continue;
      throw new Error(`${name} (needed by ${path.relative(root, from) || 'the app'}) is not installed: run npm install`);
    }
    if (found.has(dir)) continue;
    if (found.size >= PACKAGES_MAX) throw new Error(`more than ${PACKAGES_MAX} runtime packages: is the dependency walk looping?`);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    found.set(dir, manifest.name);
    for (const dependency of Object.keys(manifest.dependencies ?? {})) pending.push({ name: dependency, from: dir, optional: false });
    for (const dependency of Object.keys(manifest.optionalDependencies ?? {})) pending.push({ name: dependency, from: dir, optional: true });
  }
  return [...found.entries()].map(([dir, name]) => ({ dir, name }));
}

function keepFile(packageDir, rules, source) {
  const relative = path.relative(packageDir, source).split(path.sep).join('/');
  if (relative === '') return true;
  if (rules?.only !== undefined) return rules.only.some((file) => file === relative || file.startsWith(`${relative}/`));
  if (rules?.skip?.some((skipped) => relative === skipped || relative.startsWith(`${skipped}/`))) return false;
  const base = path.basename(source);
  // Only at the package's top: deeper down such names can be code (exceljs/lib/doc is its workbook model).
  if (lstatSync(source).isDirectory()) return !base.startsWith('.') && !(SKIPPED_DIR.has(base) && !relative.includes('/'));
  return LICENSE_NAME.test(base) || !SKIPPED_FILE.test(base);
}

/**
 * Copies the runtime packages into `<outDir>/main/node_modules` (replacing what was there) and
 * returns their count. Not `<outDir>/node_modules`: electron-builder never copies the app folder's
 * own node_modules as files (it expects to install them itself, which build/before-build.cjs turns
 * off); one level down they are plain files, and main's bundles find them first.
 */
export function stageRuntimeModules(root, outDir) {
  const target = path.join(outDir, 'main', 'node_modules');
  rmSync(target, { recursive: true, force: true });
  const packages = runtimePackageDirs(root, RUNTIME_PACKAGES);
  for (const { dir, name } of packages) {
    const rules = PACKAGE_FILES[name];
    cpSync(dir, path.join(outDir, 'main', path.relative(root, dir)), { recursive: true, filter: (source) => keepFile(dir, rules, source) });
  }
  return packages.length;
}
