#!/usr/bin/env node
// The `settledesk` command: runs cli/main.ts with the same core/ code as the desk.
// Starting through tsx's loader costs ~0.5 s per run (a loader thread, a round trip per module),
// more than importing a million-row CSV takes. So the sources are bundled once with esbuild into
// node_modules/.cache/settledesk/ and that bundle is reused while every bundled file is unchanged
// (same size and mtime); without esbuild, or if bundling fails, tsx runs the sources as before.
// SETTLEDESK_NO_BUNDLE=1 forces the tsx path.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// A reader that closes the pipe early (`settledesk ... | head`) is not an error of ours.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = path.join(root, 'node_modules', '.cache', 'settledesk');
const bundlePath = path.join(cacheDir, 'cli.mjs');
const inputsPath = path.join(cacheDir, 'cli-inputs.json');

function stamp(file) {
  const stats = statSync(path.resolve(root, file));
  return `${stats.size}:${stats.mtimeMs}`;
}

function isFresh() {
  try {
    const inputs = JSON.parse(readFileSync(inputsPath, 'utf8'));
    statSync(bundlePath);
    return Object.entries(inputs).every(([file, recorded]) => stamp(file) === recorded);
  } catch {
    return false;
  }
}

function bundle() {
  const esbuild = createRequire(import.meta.url)('esbuild');
  const result = esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: ['cli/main.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    outfile: bundlePath,
    // CommonJS dependencies call require() for Node built-ins; an ES module has none of its own.
    banner: { js: "import { createRequire as __settledeskRequire } from 'node:module'; const require = __settledeskRequire(import.meta.url);" },
  });
  const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((file) => [file, stamp(file)]));
  mkdirSync(cacheDir, { recursive: true });
  // Written aside and renamed: several commands (a test run) may bundle at once.
  const suffix = `.${process.pid}.tmp`;
  writeFileSync(bundlePath + suffix, result.outputFiles[0].contents);
  writeFileSync(inputsPath + suffix, JSON.stringify(inputs));
  renameSync(bundlePath + suffix, bundlePath);
  renameSync(inputsPath + suffix, inputsPath);
}

async function loadMain() {
  if (process.env.SETTLEDESK_NO_BUNDLE !== '1') {
    try {
      if (!isFresh()) bundle();
      return (await import(pathToFileURL(bundlePath).href)).main;
    } catch {
      // No esbuild (a production install) or a bundling problem: run the sources through tsx.
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return (await import('../cli/main.ts')).main;
}

const main = await loadMain();
process.exitCode = await main(process.argv.slice(2));
