// Bundles Electron main (CJS, Node) and the sandboxed preload (CJS, one file) with esbuild.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['electron'], sourcemap: true, logLevel: 'warning' };

await build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'out/main/main.js' });
await build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'out/preload/preload.cjs' });
