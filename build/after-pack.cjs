// electron-builder afterPack hook. naudiodon's Linux binary finds
// libportaudio.so.2 through an absolute path into the machine it was built
// on; point it at its own folder instead, where the library is unpacked too.
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

exports.default = async function afterPack(context) {
  if (context.electronPlatformName !== 'linux') return;
  const release = join(context.appOutDir, 'resources', 'app.asar.unpacked', 'node_modules', 'naudiodon', 'build', 'Release');
  const binary = join(release, 'naudiodon.node');
  if (!existsSync(binary)) throw new Error(`after-pack: ${binary} is missing; is naudiodon unpacked from the asar?`);
  try {
    execFileSync('patchelf', ['--set-rpath', '$ORIGIN', binary]);
  } catch (error) {
    throw new Error(`after-pack: patchelf failed (${error.message}). Install it (Debian: apt-get install patchelf).`, { cause: error });
  }
};
