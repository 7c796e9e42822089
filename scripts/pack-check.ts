/**
 * `npm run pack:check`: packages the app for Linux with electron-builder
 * (`--linux dir`, offline) and checks the result's layout. The Electron
 * binary cannot be downloaded here, so electron-builder is given a stand-in:
 * a folder holding a shell script named `electron` (it is never run) that
 * carries a fuse wire in Electron's default states, so the fuses the config
 * asks for are flipped and read back as in a real binary. Prints one JSON
 * line; exits 1 naming every check that failed.
 */
import { listPackage } from '@electron/asar';
import { FuseState, FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;

const standIn = mkdtempSync(join(tmpdir(), 'parley-electron-stand-in-'));
// Electron's fuse wire: a fixed sentinel, the wire's version and length, then one state byte per fuse.
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const defaultFuses = [FuseV1Options.RunAsNode, FuseV1Options.EnableCookieEncryption, FuseV1Options.EnableNodeOptionsEnvironmentVariable, FuseV1Options.EnableNodeCliInspectArguments, FuseV1Options.EnableEmbeddedAsarIntegrityValidation, FuseV1Options.OnlyLoadAppFromAsar, FuseV1Options.LoadBrowserProcessSpecificV8Snapshot, FuseV1Options.GrantFileProtocolExtraPrivileges].map((fuse) =>
  [FuseV1Options.RunAsNode, FuseV1Options.EnableNodeOptionsEnvironmentVariable, FuseV1Options.EnableNodeCliInspectArguments, FuseV1Options.GrantFileProtocolExtraPrivileges].includes(fuse) ? FuseState.ENABLE : FuseState.DISABLE,
);
writeFileSync(
  join(standIn, 'electron'),
  Buffer.concat([
    Buffer.from('#!/bin/sh\necho "Stand-in for the Electron binary, used only to check packaging offline." >&2\nexit 1\n# '),
    Buffer.from(FUSE_SENTINEL),
    Buffer.from([Number(FuseVersion.V1), defaultFuses.length, ...defaultFuses, 0x0a]),
  ]),
);
chmodSync(join(standIn, 'electron'), 0o755);
writeFileSync(join(standIn, 'version'), electronVersion);

const output = mkdtempSync(join(tmpdir(), 'parley-pack-'));
process.stderr.write(`packaging with a stand-in Electron ${electronVersion} into ${output}\n`);
execFileSync(
  join(root, 'node_modules/.bin/electron-builder'),
  ['--linux', 'dir', '--publish', 'never', `-c.electronDist=${standIn}`, `-c.electronVersion=${electronVersion}`, `-c.directories.output=${output}`],
  { cwd: root, stdio: ['ignore', 2, 2], env: { ...process.env, ELECTRON_BUILDER_CACHE: join(output, 'cache') } },
);

const appDir = join(output, 'linux-unpacked');
const resources = join(appDir, 'resources');
const unpacked = join(resources, 'app.asar.unpacked');
const asarFiles = new Set(listPackage(join(resources, 'app.asar'), { isPack: false }).map((p) => p.replace(/\\/g, '/')));

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [relative(unpacked, join(dir, entry.name))],
  );
}
const unpackedFiles = walk(unpacked);
const lddOutput = (() => {
  try {
    return execFileSync('ldd', [join(unpacked, 'node_modules/naudiodon/build/Release/naudiodon.node')], { encoding: 'utf8' });
  } catch (error) {
    return `ldd failed: ${(error as Error).message}`;
  }
})();
const portaudioLine = lddOutput.split('\n').find((line) => line.includes('libportaudio')) ?? '';

// Node-API modules are ABI-stable: the same binary loads in every Node and Electron. A module built
// against V8's or Node's C++ API instead would need a rebuild for Electron's ABI.
// (Packages also ship their prebuilt binaries for other systems; those are checked where they are packaged.)
const builtForThisMachine = (file: string): boolean =>
  file.endsWith('naudiodon.node') || file.includes(`${process.arch}-linux.`) || file.includes(`linux-${process.arch}/`) || file.includes(`.linux-${process.arch}-gnu.`);
const nativeModules = unpackedFiles.filter((f) => f.endsWith('.node') && builtForThisMachine(f));
const notNodeApi = nativeModules.filter((file) => {
  const symbols = (kind: string): string => execFileSync('nm', ['-D', kind, join(unpacked, file)], { encoding: 'utf8' });
  return !/ T napi_register_module_v1$/m.test(symbols('--defined-only')) || /_ZN(2v8|4node)/.test(symbols('--undefined-only'));
});
// And they load, from where the package put them, in the Node running this check. (uiohook-napi
// loads, then fails at exit without an X display: what counts is that its initializer ran.)
const LOADED = 'native module loaded';
const notLoading = nativeModules.filter((file) => {
  const script = `process.dlopen({ exports: {} }, process.argv[1]); process.stdout.write(${JSON.stringify(LOADED)})`;
  const result = spawnSync(process.execPath, ['-e', script, join(unpacked, file)], { encoding: 'utf8' });
  return !result.stdout.includes(LOADED);
});
const fuses = await getCurrentFuseWire(join(appDir, 'parley'));
const fuseIs = (fuse: FuseV1Options, state: FuseState): boolean => fuses[fuse] === state;

const checks: Record<string, boolean> = {
  mainInAsar: asarFiles.has('/dist/electron/main/main.js'),
  preloadInAsar: asarFiles.has('/dist/preload/preload.cjs'),
  rendererInAsar: asarFiles.has('/dist/renderer/index.html'),
  engineInAsar: asarFiles.has('/dist/electron/client/voice-client.js') && asarFiles.has('/dist/server/relay/relay.js'),
  noTestsOrSourcesInAsar: ![...asarFiles].some((f) => f.startsWith('/test/') || f.startsWith('/renderer/') || /^\/(electron|server|cli)\/.*\.ts$/.test(f)),
  noPreviewInAsar: ![...asarFiles].some((f) => f.startsWith('/dist/renderer-preview/')),
  naudiodonUnpacked: unpackedFiles.includes('node_modules/naudiodon/build/Release/naudiodon.node'),
  portaudioUnpacked: unpackedFiles.includes('node_modules/naudiodon/build/Release/libportaudio.so.2'),
  opusEncoderUnpacked: unpackedFiles.includes('node_modules/@evan/opus/node/x64-linux.node'),
  echoCancellerUnpacked: unpackedFiles.includes('node_modules/@livekit/rtc-ffi-bindings-linux-x64-gnu/rtc-node.linux-x64-gnu.node'),
  keyHookUnpacked: unpackedFiles.some((f) => f.startsWith('node_modules/uiohook-napi/prebuilds/linux-x64/') && f.endsWith('.node')),
  nativeSourcesTrimmed: ![...asarFiles, ...unpackedFiles].some((f) => /naudiodon\/(portaudio|src)\/|uiohook-napi\/(libuiohook|src)\/|obj\.target/.test(f)),
  portaudioFoundByLdd: portaudioLine.includes(join(unpacked, 'node_modules/naudiodon/build/Release/libportaudio.so.2')),
  executableNamed: existsSync(join(appDir, 'parley')),
  nativeModulesAreNodeApi: nativeModules.length === 4 && notNodeApi.length === 0,
  nativeModulesLoad: notLoading.length === 0,
  fuseNoRunAsNode: fuseIs(FuseV1Options.RunAsNode, FuseState.DISABLE),
  fuseNoNodeOptions: fuseIs(FuseV1Options.EnableNodeOptionsEnvironmentVariable, FuseState.DISABLE),
  fuseNoInspectArguments: fuseIs(FuseV1Options.EnableNodeCliInspectArguments, FuseState.DISABLE),
  fuseOnlyAppFromAsar: fuseIs(FuseV1Options.OnlyLoadAppFromAsar, FuseState.ENABLE),
};
const failed = Object.entries(checks).filter(([, ok]) => !ok).map(([name]) => name);
process.stdout.write(
  `${JSON.stringify({ check: 'pack', electronVersion, node: process.version, nativeModules, notNodeApi, notLoading, asarFiles: asarFiles.size, unpackedFiles: unpackedFiles.length, portaudio: portaudioLine.trim(), passed: failed.length === 0, failed })}\n`,
);
rmSync(standIn, { recursive: true, force: true });
if (failed.length > 0) {
  process.stderr.write(`packaging check failed: ${failed.join(', ')}\n(output kept in ${output})\n`);
  process.exit(1);
}
rmSync(output, { recursive: true, force: true });
