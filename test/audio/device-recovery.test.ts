import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActiveDevice } from '../../electron/audio/device-endpoint.js';
import type { AudioDeviceError } from '../../electron/audio/device-error.js';
import { DeviceMicrophone } from '../../electron/audio/microphone.js';
import { DeviceSpeaker } from '../../electron/audio/speaker.js';
import { BLOCK_SAMPLES } from '../../electron/engine/audio-format.js';
import { BlockCollector, nextEvent } from './helpers/events.js';
import { stopVirtualAudio, useVirtualAudio, virtualAudioSkipReason } from './helpers/virtual-audio.js';

// A daemon of this file's own, since killing it is the point: other test files keep theirs.
const STATE_DIR = '/tmp/parley-audio-recovery';
const FIRST_AUDIO_MS = 8_000;
const options = { stallMs: 500, retryMs: 300 };

describe.skipIf(virtualAudioSkipReason)(`device loss and recovery${virtualAudioSkipReason ? ` [skipped: ${virtualAudioSkipReason}]` : ''}`, () => {
  beforeAll(async () => {
    await useVirtualAudio(STATE_DIR);
  });

  afterAll(async () => {
    await stopVirtualAudio(STATE_DIR);
  });

  it('reports a microphone that goes away as unplugged and resumes capture when it returns', async () => {
    const mic = new DeviceMicrophone(options);
    const errors: AudioDeviceError[] = [];
    mic.on('error', (error) => errors.push(error));
    const collector = new BlockCollector();
    await mic.start(collector.push);
    try {
      await collector.waitForMore(10, FIRST_AUDIO_MS);
      const lost = nextEvent<[AudioDeviceError]>(mic, 'error', 5_000);
      await stopVirtualAudio(STATE_DIR);
      const [error] = await lost;
      expect(error.code).toBe('unplugged');
      expect(error.message).toBe('Microphone "default" stopped responding (was it unplugged?). Parley will reconnect when it is back.');

      const back = nextEvent<[ActiveDevice]>(mic, 'device', 15_000);
      await useVirtualAudio(STATE_DIR);
      expect((await back)[0]).toMatchObject({ name: 'default', fallback: false });
      await collector.waitForMore(20, FIRST_AUDIO_MS);
      // One loss, reported once, however many reconnection attempts failed meanwhile.
      expect(errors.map((e) => e.code)).toEqual(['unplugged']);
    } finally {
      await mic.stop();
    }
  });

  it('reports a speaker that goes away as unplugged and resumes pulling when it returns', async () => {
    await useVirtualAudio(STATE_DIR);
    const speaker = new DeviceSpeaker(options);
    const errors: AudioDeviceError[] = [];
    speaker.on('error', (error) => errors.push(error));
    let pulls = 0;
    await speaker.start(() => {
      pulls++;
      return new Float32Array(BLOCK_SAMPLES);
    });
    try {
      await waitUntil(() => pulls > 30, FIRST_AUDIO_MS);
      const lost = nextEvent<[AudioDeviceError]>(speaker, 'error', 5_000);
      await stopVirtualAudio(STATE_DIR);
      expect((await lost)[0].code).toBe('unplugged');
      const pullsWhileGone = pulls;

      const back = nextEvent<[ActiveDevice]>(speaker, 'device', 15_000);
      await useVirtualAudio(STATE_DIR);
      expect((await back)[0]).toMatchObject({ name: 'default', fallback: false });
      await waitUntil(() => pulls > pullsWhileGone + 30, FIRST_AUDIO_MS);
      expect(errors.map((e) => e.code)).toEqual(['unplugged']);
    } finally {
      await speaker.stop();
    }
  });
});

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
