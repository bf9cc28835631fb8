// Bundles Electron main and the sandboxed preload with esbuild, each one CommonJS file. The .cjs
// extension matters: package.json says "type": "module", so a .js main would be loaded as ESM.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['electron'], sourcemap: true, logLevel: 'warning' };

await build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'out/main/main.cjs' });
await build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'out/preload/preload.cjs' });
