import { describe, expect, it } from 'vitest';
import { joinOptionsSchema } from '../../cli/join-command.js';
import { parseOptions } from '../../cli/options.js';
import { DEFAULT_SETTINGS } from '../../electron/api/settings.js';

const parse = (raw: Record<string, unknown>) => parseOptions(joinOptionsSchema, { name: 'Bot', ...raw });

describe('parley join voice processing options', () => {
  it('default to the app’s settings', () => {
    const options = parse({});
    expect([options.echoCancellation, options.noiseSuppression, options.autoGain]).toEqual([
      DEFAULT_SETTINGS.echoCancellation,
      DEFAULT_SETTINGS.noiseSuppression,
      DEFAULT_SETTINGS.autoGain,
    ]);
  });

  it('take on and off, and a suppression strength, where on means the default strength', () => {
    expect(parse({ echoCancellation: 'off', autoGain: 'off', noiseSuppression: 'low' })).toMatchObject({ echoCancellation: false, autoGain: false, noiseSuppression: 'low' });
    expect(parse({ echoCancellation: 'on', autoGain: 'on', noiseSuppression: 'on' })).toMatchObject({
      echoCancellation: true,
      autoGain: true,
      noiseSuppression: DEFAULT_SETTINGS.noiseSuppression,
    });
    expect(parse({ noiseSuppression: 'off' }).noiseSuppression).toBe('off');
  });

  it('refuse anything else, naming each option as typed', () => {
    expect(() => parse({ echoCancellation: 'yes', noiseSuppression: 'max', autoGain: 'true' })).toThrow(
      ['--echo-cancellation: must be on or off', '--noise-suppression: must be off, low, high or on', '--auto-gain: must be on or off'].join('\n'),
    );
  });
});
