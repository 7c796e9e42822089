import path from 'node:path';
import { Linter, RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { layering, type LayeringException, type LayerTable } from '../../eslint-rules/layering.js';
import { LAYERS } from '../../eslint-rules/layers.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const root = path.resolve(import.meta.dirname, '../..');
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });

/** The real table, without the exceptions of the day: those are tested with one of the test's own. */
function optionsWith(exceptions: readonly LayeringException[] = []): [{ root: string; layers: LayerTable; exceptions: readonly LayeringException[] }] {
  return [{ root, layers: LAYERS, exceptions }];
}

/** `file` (relative to the root) importing `specifier`, in the form `code` gives it. */
function importing(file: string, specifier: string, code = `import '${specifier}';`): RuleTester.ValidTestCase {
  return { name: `${file} imports ${specifier}${code.startsWith('import \'') ? '' : ` (${code})`}`, filename: path.join(root, file), code, options: optionsWith() };
}

/** The error for `layer` importing `target` (a layer or a module), quoting the layer's line of the table. */
function forbidden(layer: string, target: string): string {
  return `${layer} may not import ${target}: ${LAYERS[layer]?.why ?? '(no such layer)'}`;
}

function refused(file: string, specifier: string, layer: string, target: string, code?: string): RuleTester.InvalidTestCase {
  return { ...importing(file, specifier, code), errors: [{ message: forbidden(layer, target) }] };
}

describe('the layer table', () => {
  it('quotes each layer\'s own line in its errors', () => {
    // The messages the rest of this file builds from the table, spelled out once.
    expect(forbidden('server/relay', 'naudiodon')).toBe(
      'server/relay may not import naudiodon: the relay runs on a server with only Node: no audio module, nothing of the client or the app, no Electron.',
    );
    expect(forbidden('electron/engine', 'node:fs')).toBe(
      'electron/engine may not import node:fs: engine stages are pure: no I/O module (that is electron/audio and electron/net), no relay, no Electron.',
    );
    expect(forbidden('renderer', 'node:path')).toBe(
      'renderer may not import node:path: the renderer is a web page: it reaches the main process only through the typed contract in electron/api/, and loads no Node module.',
    );
    expect(forbidden('electron/api', 'electron/app')).toBe(
      'electron/api may not import electron/app: the typed contract between main and window depends on none of the main process, preload, app or renderer: they depend on it.',
    );
  });

  it('refuses a row that may import a layer with no row of its own', () => {
    const linter = new Linter({ configType: 'flat' });
    const badTable: LayerTable = { cli: { imports: ['server/relya'], modules: [], why: 'a typo.' } };
    const config = [{ files: ['**/*.ts'], plugins: { parley: { rules: { layering } } }, rules: { 'parley/layering': ['error', { root, layers: badTable }] as Linter.RuleEntry } }];
    expect(() => linter.verify("import '../server/relay/relay.js';", config, path.join(root, 'cli/parley.ts'))).toThrow(
      'Layer table: cli may import server/relya, which has no row of its own.',
    );
  });
});

/**
 * Each boundary the layering must keep, written apart from the table: a file of
 * the layer, paths and modules it may import, and those it may not, each with
 * the layer or module the error names.
 */
interface Boundary {
  readonly layer: string;
  readonly file: string;
  readonly allows: readonly string[];
  readonly refuses: Readonly<Record<string, string>>;
}

const BOUNDARIES: readonly Boundary[] = [
  { layer: 'server/shared', file: 'server/shared/clock.ts', allows: ['./token-bucket.js'], refuses: { '../protocol/rtp.js': 'server/protocol', 'node:crypto': 'node:crypto' } },
  {
    layer: 'server/protocol',
    file: 'server/protocol/rtp.ts',
    allows: ['../shared/clock.js', 'node:crypto'],
    refuses: { '../relay/relay.js': 'server/relay', '../../electron/engine/send/send-pipeline.js': 'electron/engine', 'node:dgram': 'node:dgram', naudiodon: 'naudiodon', electron: 'electron' },
  },
  {
    layer: 'server/relay',
    file: 'server/relay/relay.ts',
    allows: ['../protocol/rtp.js', '../shared/clock.js', 'node:dgram', 'pino', 'prom-client'],
    refuses: {
      // No audio module, so that a server with only Node runs the relay.
      naudiodon: 'naudiodon',
      'opus-decoder': 'opus-decoder',
      '@evan/opus': '@evan/opus',
      wavefile: 'wavefile',
      '@alexanderolsen/libsamplerate-js': '@alexanderolsen/libsamplerate-js',
      electron: 'electron',
      '../../electron/engine/mix/mixer.js': 'electron/engine',
      '../../electron/client/voice-client.js': 'electron/client',
      '../../cli/parley.js': 'cli',
      '../index.js': 'server',
    },
  },
  { layer: 'server', file: 'server/index.ts', allows: ['./relay/start.js'], refuses: { './protocol/rtp.js': 'server/protocol' } },
  {
    layer: 'electron/engine',
    file: 'electron/engine/send/send-pipeline.ts',
    allows: ['../receive/peer-receiver.js', '../../../server/protocol/rtp.js', '../../../server/shared/clock.js', '@evan/opus', 'node:crypto'],
    refuses: {
      // No I/O module, with or without its node: prefix or a subpath.
      'node:dgram': 'node:dgram',
      'node:fs': 'node:fs',
      'node:fs/promises': 'node:fs',
      fs: 'node:fs',
      'node:net': 'node:net',
      'node:http': 'node:http',
      'node:child_process': 'node:child_process',
      naudiodon: 'naudiodon',
      wavefile: 'wavefile',
      electron: 'electron',
      '../../../server/relay/relay.js': 'server/relay',
      '../../net/transport.js': 'electron/net',
      '../../audio/microphone.js': 'electron/audio',
      '../../client/voice-client.js': 'electron/client',
      '../../app/controller.js': 'electron/app',
      '../../main/main.js': 'electron/main',
    },
  },
  {
    layer: 'electron/audio',
    file: 'electron/audio/microphone.ts',
    allows: ['../engine/resample/resampler.js', '../../server/shared/clock.js', 'naudiodon', 'wavefile'],
    refuses: { '../net/transport.js': 'electron/net', '../app/controller.js': 'electron/app', 'node:dgram': 'node:dgram', electron: 'electron' },
  },
  {
    layer: 'electron/net',
    file: 'electron/net/session.ts',
    allows: ['../../server/protocol/rtp.js', 'node:dgram'],
    refuses: {
      '../audio/microphone.js': 'electron/audio',
      '../engine/send/send-pipeline.js': 'electron/engine',
      '../client/voice-client.js': 'electron/client',
      naudiodon: 'naudiodon',
      electron: 'electron',
    },
  },
  {
    layer: 'electron/client',
    file: 'electron/client/voice-client.ts',
    allows: ['../engine/send/send-pipeline.js', '../audio/microphone.js', '../net/session.js'],
    refuses: { '../app/controller.js': 'electron/app', '../main/main.js': 'electron/main', electron: 'electron' },
  },
  {
    layer: 'electron/app',
    file: 'electron/app/controller.ts',
    allows: ['../client/voice-client.js', '../api/contract.js', '../../server/index.js'],
    refuses: { '../../server/relay/relay.js': 'server/relay', '../main/main.js': 'electron/main', '../../renderer/src/app/App.js': 'renderer', electron: 'electron' },
  },
  {
    layer: 'electron/api',
    file: 'electron/api/contract.ts',
    allows: ['./validation.js', 'zod'],
    refuses: { '../app/settings.js': 'electron/app', '../main/ipc.js': 'electron/main', '../../renderer/src/app/App.js': 'renderer', electron: 'electron' },
  },
  {
    layer: 'electron/main',
    file: 'electron/main/main.ts',
    allows: ['electron', '../app/controller.js', '../api/contract.js'],
    refuses: { '../client/voice-client.js': 'electron/client' },
  },
  {
    layer: 'renderer',
    file: 'renderer/src/app/App.tsx',
    allows: ['../../../electron/api/contract.js', './announcements.js', 'react', 'react-dom/client', '@testing-library/react'],
    refuses: {
      'node:fs': 'node:fs',
      path: 'node:path',
      electron: 'electron',
      'zod/mini': 'zod',
      '../../../electron/app/controller.js': 'electron/app',
      '../../../electron/engine/mix/mixer.js': 'electron/engine',
      '../../../server/protocol/rtp.js': 'server/protocol',
    },
  },
  // The design preview's screenshot script is a Node tool of its own.
  { layer: 'renderer/scripts', file: 'renderer/scripts/screenshots.mjs', allows: ['node:fs/promises', 'playwright-core'], refuses: { '../src/app/App.js': 'renderer' } },
  {
    layer: 'cli',
    file: 'cli/join-command.ts',
    allows: ['../electron/app/invite.js', '../server/index.js', 'commander'],
    refuses: { '../electron/main/main.js': 'electron/main', '../server/relay/relay.js': 'server/relay', electron: 'electron' },
  },
  { layer: 'bench', file: 'bench/engine/bitrate-case.ts', allows: ['../../test/support/voice-rig.js'], refuses: { '../../electron/main/main.js': 'electron/main', electron: 'electron' } },
  { layer: 'test', file: 'test/main/electron-shell.test.ts', allows: ['../../electron/main/main.js', '../../server/relay/relay.js', 'vitest'], refuses: { electron: 'electron' } },
  { layer: 'scripts', file: 'scripts/screenshots.ts', allows: ['../renderer/src/fixtures.js', '../test/support/chromium.js'], refuses: { electron: 'electron', '../electron/app/controller.js': 'electron/app' } },
];

for (const { layer, file, allows, refuses } of BOUNDARIES) {
  tester.run(`layering: ${layer}`, layering, {
    valid: allows.map((specifier) => importing(file, specifier)),
    invalid: Object.entries(refuses).map(([specifier, target]) => refused(file, specifier, layer, target)),
  });
}

tester.run('layering: every way of naming a module', layering, {
  valid: [
    // Resolving a path loads nothing; a computed name cannot be read.
    importing('server/relay/relay.ts', 'naudiodon', "export const where = createRequire(import.meta.url).resolve('naudiodon');"),
    importing('server/relay/relay.ts', 'naudiodon', 'export const load = (name: string) => import(name);'),
    // A query on a path (Vite's ?inline) does not change its folder.
    importing('renderer/src/app/App.tsx', './app.css?inline'),
    // Native modules are loaded this way where they are allowed.
    importing('electron/audio/portaudio.ts', 'naudiodon', "export const audio = createRequire(import.meta.url)('naudiodon');"),
    importing('electron/main/push-to-talk.ts', 'uiohook-napi', "export const hook = createRequire(import.meta.url)('uiohook-napi');"),
  ],
  invalid: [
    "import type { AudioIO } from 'naudiodon';\nexport type A = AudioIO;",
    "export * from 'naudiodon';",
    "export { AudioIO } from 'naudiodon';",
    "export const audio = await import('naudiodon');",
    'export const audio = await import(`naudiodon`);',
    "export const audio = require('naudiodon');",
    "export const audio = createRequire(import.meta.url)('naudiodon');",
    "export type A = import('naudiodon').AudioIO;",
    "import audio = require('naudiodon');\nexport { audio };",
  ].map((code) => refused('server/relay/relay.ts', 'naudiodon', 'server/relay', 'naudiodon', code)),
});

tester.run('layering: files and paths in no layer', layering, {
  valid: [],
  invalid: [
    {
      ...importing('electron/session/state.ts', '../engine/mix/mixer.js'),
      errors: [{ message: 'electron/session/state.ts lies in no layer: give its folder a row in eslint-rules/layers.ts.' }],
    },
    {
      ...importing('electron/app/version.ts', '../../package.json'),
      errors: [{ message: 'electron/app may not import package.json, which lies in no layer: give its folder a row in eslint-rules/layers.ts.' }],
    },
    {
      ...importing('cli/parley.ts', '../../elsewhere/thing.js'),
      errors: [{ message: 'cli may not import ../elsewhere/thing.js, which lies in no layer: give its folder a row in eslint-rules/layers.ts.' }],
    },
  ],
});

const settingsException: LayeringException = { file: 'electron/api/contract.ts', imports: 'electron/app/settings.js' };

tester.run('layering: exceptions', layering, {
  valid: [{ ...importing('electron/api/contract.ts', '../app/settings.js'), options: optionsWith([settingsException]) }],
  invalid: [
    {
      // An exception is for one path, not for the layer it lies in.
      ...importing('electron/api/contract.ts', '../app/controller.js', "import '../app/settings.js';\nimport '../app/controller.js';"),
      options: optionsWith([settingsException]),
      errors: [{ message: forbidden('electron/api', 'electron/app'), line: 2 }],
    },
    {
      ...importing('electron/api/contract.ts', 'zod'),
      options: optionsWith([settingsException]),
      errors: [{ message: 'electron/api/contract.ts no longer imports electron/app/settings.js: delete its exception from eslint-rules/layers.ts.' }],
    },
  ],
});
