/**
 * Parley's layers, one row per folder: what the folder may import besides
 * its own files, and why its boundary is there. eslint-rules/layering.ts
 * enforces the table (see docs/architecture.md, "Layers"). A file belongs to
 * the row of the longest folder holding it; an import's layer is found the
 * same way from the path it imports. The lists are allowances: a layer or
 * module a row does not name is forbidden to it.
 */
import type { LayerTable, LayeringException } from './layering.js';

/** What the code on top (the command, the benchmarks) may build on: everything but the Electron shell, the window and the relay's insides. */
const BELOW_THE_SHELL = ['server', 'server/portmap', 'server/protocol', 'server/shared', 'electron/engine', 'electron/audio', 'electron/net', 'electron/client', 'electron/app'];

export const LAYERS: LayerTable = {
  'server/shared': {
    imports: [],
    modules: [],
    why: 'the small pure helpers both sides use (Clock, TokenBucket) depend on nothing.',
  },
  'server/protocol': {
    imports: ['server/shared'],
    modules: ['node:crypto'],
    why: 'the wire protocol is pure (bytes in, typed values out) and shared by relay and client: no I/O, no audio, no client, no Electron.',
  },
  'server/relay': {
    imports: ['server/protocol', 'server/shared'],
    modules: ['node:dgram', 'node:dns', 'node:http', 'node:net', 'node:os', 'node:tls', 'node:worker_threads', 'pino', 'prom-client'],
    why: 'the relay runs on a server with only Node: no audio module, nothing of the client or the app, no Electron.',
  },
  'server/portmap': {
    imports: ['server/shared'],
    modules: ['@silentbot1/nat-api', 'default-gateway', 'node:dgram', 'node:fs', 'node:net', 'node:os', 'node:path', 'zod'],
    why: 'asking the home router to open a port (NAT-PMP, UPnP) is for the app and the relay command alike: no relay insides, no audio, no client, no Electron.',
  },
  'server/fleet': {
    imports: ['server/shared'],
    modules: ['@google-cloud/agones-sdk', 'pino'],
    why: 'telling a fleet orchestrator (Agones) about a relay is the relay command\'s add-on: the relay itself knows nothing of it, and only this folder loads the SDK.',
  },
  server: {
    imports: ['server/relay'],
    modules: [],
    why: "server/index.ts is the relay's front door (startRelay): it only exports the relay.",
  },
  'electron/engine': {
    imports: ['server/protocol', 'server/shared'],
    modules: ['@alexanderolsen/libsamplerate-js', '@echogarden/rnnoise-wasm', '@evan/opus', '@livekit/rtc-ffi-bindings', 'opus-decoder', 'node:crypto', 'node:module'],
    why: 'engine stages are pure: no I/O module (that is electron/audio and electron/net), no relay, no Electron.',
  },
  'electron/audio': {
    imports: ['electron/engine', 'server/shared'],
    modules: ['naudiodon', 'wavefile', 'node:events', 'node:fs', 'node:module'],
    why: 'the audio edge adapts devices and WAV files to the engine: no network, no client or app, no Electron.',
  },
  'electron/net': {
    imports: ['server/protocol', 'server/shared'],
    modules: ['node:dgram', 'node:dns', 'node:events', 'node:net', 'pino'],
    why: 'the network edge carries the protocol over UDP: no audio, no client or app, no Electron.',
  },
  'electron/client': {
    imports: ['electron/engine', 'electron/audio', 'electron/net', 'server/protocol', 'server/shared'],
    modules: ['node:events', 'pino'],
    why: 'VoiceClient composes engine, audio and net for one person in one room: no app, no Electron.',
  },
  'electron/app': {
    imports: ['electron/api', 'electron/client', 'electron/audio', 'electron/net', 'electron/engine', 'server', 'server/portmap', 'server/shared'],
    modules: ['node:crypto', 'node:fs', 'node:net', 'node:path', 'pino', 'zod'],
    why: 'the controller runs in plain Node (tests, the browser test): no Electron, no shell, and the relay only through server/index.ts.',
  },
  'electron/api': {
    imports: [],
    modules: ['zod'],
    why: 'the typed contract between main and window depends on none of the main process, preload, app or renderer: they depend on it.',
  },
  'electron/main': {
    imports: ['electron/api', 'electron/app'],
    modules: ['electron', 'uiohook-napi', 'node:module', 'node:path', 'node:url', 'pino'],
    why: 'the Electron shell is the only code that imports Electron, and stays a thin shell over electron/app.',
  },
  renderer: {
    imports: ['electron/api'],
    modules: ['react', 'react-dom', 'vitest', '@testing-library/*'],
    why: 'the renderer is a web page: it reaches the main process only through the typed contract in electron/api/, and loads no Node module.',
  },
  'renderer/scripts': {
    imports: [],
    modules: ['playwright-core', 'vite', 'node:*'],
    why: "the design preview's screenshot script builds the window with Vite and loads none of its code.",
  },
  cli: {
    imports: [...BELOW_THE_SHELL, 'electron/api', 'server/fleet'],
    modules: ['commander', 'pino', 'zod', 'node:*'],
    why: 'the parley command runs the relay and a headless client in plain Node, with the app\'s default settings: no Electron, no shell, no window.',
  },
  bench: {
    imports: [...BELOW_THE_SHELL, 'test'],
    modules: ['@evan/opus', 'wavefile', 'node:*'],
    why: 'the benchmarks run the engine, the relay and the client in plain Node: no Electron, no shell, no window.',
  },
  test: {
    imports: [...BELOW_THE_SHELL, 'server/relay', 'server/fleet', 'electron/api', 'electron/main', 'renderer', 'cli', 'bench', 'eslint-rules'],
    modules: ['@doyensec/electronegativity', '@google-cloud/agones-sdk', '@grpc/grpc-js', 'yaml', '@evan/opus', 'eslint', 'pino', 'fast-check', 'fft.js', 'opus-decoder', 'playwright-core', 'typescript-eslint', 'vite', 'vitest', 'wavefile', 'node:*'],
    why: 'tests run in plain Node: Electron itself is stood in for (vi.mock), never imported.',
  },
  scripts: {
    imports: ['electron/api', 'renderer', 'test'],
    modules: ['@electron/asar', '@electron/fuses', 'playwright-core', 'node:*'],
    why: 'the maintenance scripts (packaging check, screenshots) drive builds and the test stand-ins, not the app itself.',
  },
  'eslint-rules': {
    imports: [],
    modules: ['eslint', 'node:module', 'node:path'],
    why: 'the lint rules know nothing of Parley but this table.',
  },
};

/**
 * Imports the table forbids that the code still has. Each names the change
 * that removes it; delete the entry once that change is merged (the rule
 * reports an entry whose import is gone).
 */
export const EXCEPTIONS: readonly LayeringException[] = [];
