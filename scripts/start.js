// `npm start`: make sure the Electron binary is there (downloading it on first run, as
// electron's own postinstall would), build main, preload and renderer, then launch the app.
// Where the binary cannot be had, exit 1 with one clear message that points at `npm run web`.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

function electronBinary() {
  const packageDir = path.dirname(require.resolve('electron/package.json'));
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return { packageDir, binary: null };
  const binary = path.join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return { packageDir, binary: existsSync(binary) ? binary : null };
}

function fail(reason) {
  console.error(
    `SettleDesk cannot start the desktop app: the Electron binary is not installed and could not be downloaded (${reason}).\n` +
      'Run `npm run web` to use SettleDesk in your browser instead.',
  );
  process.exit(1);
}

let { packageDir, binary } = electronBinary();
if (binary === null) {
  console.error('Downloading the Electron binary (first start)…');
  const install = spawnSync(process.execPath, [path.join(packageDir, 'install.js')], { encoding: 'utf8', timeout: 300_000 });
  const detail = `${install.stderr ?? ''}`.split('\n').find((line) => /Error|ENOTFOUND|ECONNREFUSED|EAI_AGAIN/.test(line));
  if (install.status !== 0) fail(detail?.trim() || `electron install exited with ${install.status ?? install.signal}`);
  ({ binary } = electronBinary());
  if (binary === null) fail('the download finished but no binary was found');
}

const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const child = spawn(binary, ['.'], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
