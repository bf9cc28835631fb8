#!/usr/bin/env node
// The `settledesk` command: runs cli/main.ts with the same core/ code as the desk.
// Starting through tsx's loader costs ~0.5 s per run (a loader thread, a round trip per module),
// more than importing a million-row CSV takes. So the sources are bundled once with esbuild into
// node_modules/.cache/settledesk/ and that bundle is reused while every bundled file is unchanged
// (same size and mtime); without esbuild, or if bundling fails, tsx runs the sources as before.
// SETTLEDESK_NO_BUNDLE=1 forces the tsx path.
// The bundle is CommonJS run through vm.Script with V8's code cache beside it (cli.cache): compiling
// the 1.4 MB bundle was ~30 ms of every run. Node 22's module.enableCompileCache() would do this
// for ES modules; Node 20 has only this.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createRequire, Module } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = path.join(root, 'node_modules', '.cache', 'settledesk');
const bundlePath = path.join(cacheDir, 'cli.cjs');
const CODE_CACHE = /^cli-.*\.cache$/;

/**
 * The code cache of the bundle as it is now: named by the bundle's size and mtime, because V8
 * checks a cache only against the source's length and would take one made for other code.
 */
function codeCachePath() {
  const stats = statSync(bundlePath);
  return path.join(cacheDir, `cli-${stats.size}-${stats.mtimeMs}.cache`);
}
const inputsPath = path.join(cacheDir, 'cli-inputs.json');
const PACKAGES_STAMP = 'node_modules/.package-lock.json';

function stamp(file) {
  const stats = statSync(path.resolve(root, file), { throwIfNoEntry: false });
  return stats === undefined ? 'missing' : `${stats.size}:${stats.mtimeMs}`;
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
    format: 'cjs',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    outfile: bundlePath,
    // Loaded from node_modules at run time: pdfkit's ES build reads its data files relative to
    // import.meta.url, which a CommonJS bundle does not have; both are large and only the
    // statement commands use them, so every other command also starts without parsing them.
    external: ['pdfkit', 'exceljs'],
  });
  // Our own sources are stamped one by one; the packages in node_modules only change through npm,
  // which rewrites node_modules/.package-lock.json: one stamp stands for all of them (a third of
  // the start-up stat() calls).
  const sources = Object.keys(result.metafile.inputs).filter((file) => !file.startsWith('node_modules/'));
  const inputs = Object.fromEntries([...sources, PACKAGES_STAMP].map((file) => [file, stamp(file)]));
  mkdirSync(cacheDir, { recursive: true });
  // Written aside and renamed: several commands (a test run) may bundle at once.
  const suffix = `.${process.pid}.tmp`;
  writeFileSync(bundlePath + suffix, result.outputFiles[0].contents);
  writeFileSync(inputsPath + suffix, JSON.stringify(inputs));
  renameSync(bundlePath + suffix, bundlePath);
  renameSync(inputsPath + suffix, inputsPath);
  for (const name of readdirSync(cacheDir)) if (CODE_CACHE.test(name)) rmSync(path.join(cacheDir, name), { force: true });
}

function readCodeCache(cachePath) {
  try {
    return readFileSync(cachePath);
  } catch {
    return undefined;
  }
}

/** Runs the CommonJS bundle; returns its exports and a function that saves a fresh code cache when the one read did not fit. */
function runBundle() {
  const cachePath = codeCachePath();
  const cachedData = readCodeCache(cachePath);
  const script = new vm.Script(Module.wrap(readFileSync(bundlePath, 'utf8')), { filename: bundlePath, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundlePath), module, bundlePath, cacheDir);
  const saveCache = () => {
    if (cachedData !== undefined && !script.cachedDataRejected) return;
    try {
      // Made after the command ran, so the functions it compiled lazily are in the cache too.
      const suffix = `.${process.pid}.tmp`;
      writeFileSync(cachePath + suffix, script.createCachedData());
      renameSync(cachePath + suffix, cachePath);
    } catch {
      // A read-only install runs without the cache: slower to start, nothing else.
    }
  };
  return { main: module.exports.main, saveCache };
}

async function loadMain() {
  if (process.env.SETTLEDESK_NO_BUNDLE !== '1') {
    try {
      if (!isFresh()) bundle();
      return runBundle();
    } catch {
      // No esbuild (a production install) or a bundling problem: run the sources through tsx.
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return { main: (await import('../cli/main.ts')).main, saveCache: () => {} };
}

/**
 * reconcile keeps millions of objects alive until its output (transactions, groups); with V8's
 * default young generation (16 MB semi-spaces) each is copied by two scavenges before it is
 * promoted, and garbage collection was 28 % of the bench run. Larger semi-spaces cut that
 * (docs/reconcile-scale.md), but V8 sizes them only at start (v8.setFlagsFromString has no
 * effect), so reconcile runs in a child node started with the flag, unless node was given the
 * flag already (its command line or NODE_OPTIONS). Other commands stay in this process: a second
 * node costs every run its start-up.
 */
const SEMI_SPACE_FLAG = '--max-semi-space-size';
const RECONCILE_SEMI_SPACE_MB = 64;

function wantsLargerYoungGeneration(argv) {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return argv[0] === 'reconcile' && !given.some((arg) => arg.startsWith(SEMI_SPACE_FLAG));
}

const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * This launcher again in a child node with the flag, on our stdin, stdout and stderr; resolves to
 * its exit code, or null when no child could be started (the command then runs here). A child
 * killed by a signal kills us with the same signal, so the caller sees what it would have seen.
 */
function runInChild(argv) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, `${SEMI_SPACE_FLAG}=${RECONCILE_SEMI_SPACE_MB}`, fileURLToPath(import.meta.url), ...argv], { stdio: 'inherit' });
    // kill <our pid> reaches the child too; Ctrl-C in a terminal reaches both anyway.
    const forward = (signal) => child.kill(signal);
    const stopForwarding = () => {
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
    };
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
    child.on('error', () => {
      stopForwarding();
      resolve(null);
    });
    child.on('exit', (code, signal) => {
      stopForwarding();
      if (signal !== null) process.kill(process.pid, signal);
      resolve(code ?? 1);
    });
  });
}

const argv = process.argv.slice(2);
const childExit = wantsLargerYoungGeneration(argv) ? await runInChild(argv) : null;
if (childExit !== null) {
  process.exitCode = childExit;
} else {
  // A reader that closes the pipe early (`settledesk ... | head`) is not an error of ours.
  process.stdout.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const { main, saveCache } = await loadMain();
  process.exitCode = await main(argv);
  saveCache();
}
