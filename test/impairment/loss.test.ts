import { afterEach, describe, expect, it } from 'vitest';
import { matchSegments } from '../support/audio-compare.js';
import { carrySpeech } from '../support/speech-run.js';
import { VoiceRig } from '../support/voice-rig.js';

describe('speech over a lossy uplink', () => {
  let rig: VoiceRig | undefined;
  afterEach(async () => {
    await rig?.close();
  });

  it('at 10 % random loss, RED keeps speech closer to what was said than concealment alone', async () => {
    rig = await VoiceRig.start();
    const runs = await Promise.all([
      carrySpeech(rig, { room: 'red', seed: 10, uplink: { lossPct: 10 }, red: 'on' }),
      carrySpeech(rig, { room: 'plain', seed: 10, uplink: { lossPct: 10 }, red: 'off' }),
    ]);
    for (const r of runs) {
      for (const seg of [40, 60, 100, 200]) for (const search of [20, 40, 80]) console.log('M', seg, search, JSON.stringify(matchSegments(r.heard, r.said, r.lag, { segmentMs: seg, searchMs: search })));
      console.log('M', r.stats.lost, r.stats.recoveredByRed, r.stats.timeStretchedMs, r.stats.timeCompressedMs, r.stats.targetDelayMs);
    }
    expect(runs[0]!.match.medianCorrelation).toBeGreaterThan(runs[1]!.match.medianCorrelation);
  });
});
