import { afterEach, describe, expect, it } from 'vitest';
import { VoiceRig } from '../support/voice-rig.js';

describe('a call on a link expected to be lossy', () => {
  let rig: VoiceRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('sends RED from its start when told the last call there ended on a lossy link, and says the link is lossy; otherwise neither', async () => {
    rig = await VoiceRig.start();
    const { client: told } = await rig.join({ name: 'Ana', send: { red: 'auto' }, expectLoss: true });
    const { client: fresh } = await rig.join({ name: 'Ben', send: { red: 'auto' } });
    expect([told.snapshot().self.redundancy, told.linkLossy]).toEqual([true, true]);
    expect([fresh.snapshot().self.redundancy, fresh.linkLossy]).toEqual([false, false]);
    // Forced off, nothing is sent redundantly, but what is known of the link is kept for the next call.
    const { client: off } = await rig.join({ name: 'Cy', send: { red: 'off' }, expectLoss: true });
    expect([off.snapshot().self.redundancy, off.linkLossy]).toEqual([false, true]);
  });
});
