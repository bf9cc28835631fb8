// electron-builder's beforeBuild hook. Resolving to false tells it node_modules are handled
// elsewhere: main and preload are bundled by esbuild (scripts/build-electron.js), and the few
// packages statement signing loads at run time are staged into out/main/node_modules by
// scripts/runtime-modules.js and packed as plain files. Without this, electron-builder falls back from out/ (no dependencies) to the
// repository root and packs the CLI's and server's production dependencies (~128 MB) into the asar,
// and runs @electron/rebuild for nothing.
module.exports = async function beforeBuild() {
  return false;
};
