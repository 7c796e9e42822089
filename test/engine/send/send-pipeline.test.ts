import { describe, expect, it } from 'vitest';
import { OPUS_PAYLOAD_TYPE, RED_PAYLOAD_TYPE } from '../../../server/protocol/constants.js';
import { decodeRed } from '../../../server/protocol/red.js';
import { LOSS_UNKNOWN } from '../../../server/protocol/session-messages.js';
import { ManualClock } from '../../../server/shared/clock.js';
import { BLOCK_SAMPLES } from '../../../electron/engine/audio-format.js';
import { SendPipeline, STALL_SAMPLES, type SendPipelineOptions } from '../../../electron/engine/send/send-pipeline.js';
import { concatSamples, db, rms, silence, sine } from '../../support/signals.js';
import { noise } from '../../support/noise-signals.js';
import { decodeOpus, drive, sequenceSteps, timestampSteps, type Sent } from './drive.js';
import { loadSpeech } from './helpers.js';

function pipeline(options: Partial<SendPipelineOptions> = {}): { pipeline: SendPipeline; clock: ManualClock } {
  const clock = new ManualClock(1_000);
  return { pipeline: new SendPipeline({ frameMs: 20, bitrate: 24_000, activation: 'voice', red: 'off', clock, ...options }), clock };
}

const audio = (packets: Sent[]): Sent[] => packets.filter((p) => p.payload.length > 0);
const endMarkers = (packets: Sent[]): Sent[] => packets.filter((p) => p.payload.length === 0);
/** A quiet microphone: white noise around −65 dBFS RMS. */
const roomNoise = (seconds: number, seed = 7): Float32Array => noise(seconds, 0.001, seed);

describe('send pipeline: push-to-talk', () => {
  it('sends 1 s of tone at 20 ms as exactly 50 packets, marker on the first only, then one empty end marker', async () => {
    const { pipeline: tx, clock } = pipeline({ activation: 'pushToTalk' });
    const signal = concatSamples([sine(440, 0.5, 0.3), sine(440, 1, 0.3, 24_000), sine(440, 0.5, 0.3, 72_000)]);
    const { packets, talking } = drive(tx, signal, clock, (block) => {
      if (block === 50) tx.setPushToTalk(true);
      if (block === 150) tx.setPushToTalk(false);
    });

    expect(packets).toHaveLength(51);
    const [spoken, end] = [packets.slice(0, 50), packets[50]!];
    expect(spoken.map((p) => p.marker)).toEqual([true, ...new Array<boolean>(49).fill(false)]);
    expect(spoken.every((p) => p.payloadType === OPUS_PAYLOAD_TYPE && p.payload.length > 2)).toBe(true);
    expect(sequenceSteps(packets)).toEqual(new Array<number>(50).fill(1));
    expect(timestampSteps(packets)).toEqual(new Array<number>(50).fill(960));
    // Each frame goes out as soon as its second block arrives; the end marker with the first block after release.
    expect(spoken.map((p) => p.block)).toEqual(Array.from({ length: 50 }, (_, i) => 51 + 2 * i));
    expect(end).toMatchObject({ block: 150, marker: false, payloadType: OPUS_PAYLOAD_TYPE, payload: new Uint8Array(0) });
    // Talking exactly from the press to the release.
    expect(talking.flatMap((t, i) => (t ? [i] : []))).toEqual(Array.from({ length: 100 }, (_, i) => 50 + i));

    const decoded = await decodeOpus(spoken.map((p) => p.payload));
    expect(decoded.errors).toBe(0);
    expect(decoded.samples.map((s) => s.length)).toEqual(new Array<number>(50).fill(960));
    const steady = concatSamples(decoded.samples.slice(10, 45));
    expect(Math.abs(db(rms(steady) / (0.3 / Math.SQRT2)))).toBeLessThan(1);
  });

  it('closes mid-frame on release: the part-filled frame is completed with silence, then the end marker', () => {
    const { pipeline: tx, clock } = pipeline({ activation: 'pushToTalk' });
    const { packets } = drive(tx, sine(440, 0.2, 0.3), clock, (block) => {
      if (block === 3) tx.setPushToTalk(true);
      if (block === 8) tx.setPushToTalk(false);
    });
    // Blocks 3–7 sent: frames [3,4], [5,6], then [7, silence] and the end marker, both from block 8.
    expect(packets.map((p) => [p.block, p.payload.length > 0, p.marker])).toEqual([
      [4, true, true],
      [6, true, false],
      [8, true, false],
      [8, false, false],
    ]);
    expect(timestampSteps(packets)).toEqual([960, 960, 960]);
  });

  it('sends nothing for a press and release between two blocks, and nothing before the press', () => {
    const { pipeline: tx, clock } = pipeline({ activation: 'pushToTalk' });
    const { packets } = drive(tx, sine(440, 0.3, 0.3), clock, (block) => {
      if (block === 10) {
        tx.setPushToTalk(true);
        tx.setPushToTalk(false);
      }
    });
    expect(packets).toEqual([]);
  });
});

describe('send pipeline: voice activation', () => {
  it('sends nothing at all for 5 s of room noise', () => {
    const { pipeline: tx, clock } = pipeline();
    const { packets, talking } = drive(tx, roomNoise(5), clock);
    expect(packets).toEqual([]);
    expect(talking.some(Boolean)).toBe(false);
    expect(tx.stats.framesEncoded).toBe(0);
  });

  it('opens on the tone with 20 ms of pre-roll, holds 350 ms past it, ends with the marker, then sends nothing', () => {
    const { pipeline: tx, clock } = pipeline();
    // Blocks 0–299 noise, 300–349 tone (0.5 s), 350–849 noise.
    const signal = concatSamples([roomNoise(3, 1), sine(440, 0.5, 0.3), roomNoise(5, 2)]);
    const { packets, talking } = drive(tx, signal, clock);
    const open = talking.flatMap((t, i) => (t ? [i] : []));
    // Opens on the second tone block. The tone's conditioned tail runs two blocks past it: the
    // limiter's 1.5 ms look-ahead carries it into block 350 (−22 dBFS), and the high-pass filter's
    // ring-down after the abrupt cut holds block 351 at −57 dBFS, above the hold level (floor −65
    // + 6 dB). 35 blocks (350 ms) of hangover follow: open to 386, closed from 387.
    expect(open[0]).toBe(301);
    expect(open.at(-1)).toBe(386);
    expect(open).toHaveLength(386 - 301 + 1);

    const first = packets[0]!;
    expect(first).toMatchObject({ block: 301, marker: true });
    expect(packets.filter((p) => p.marker)).toHaveLength(1);
    const ends = endMarkers(packets);
    expect(ends).toHaveLength(1);
    expect(ends[0]!.block).toBe(387);
    expect(packets.at(-1)).toBe(ends[0]);
    expect(sequenceSteps(packets).every((step) => step === 1)).toBe(true);
    // The pre-roll starts the first frame two blocks before the gate opened (blocks 299 and 300);
    // the end marker is stamped at block 387, where the next frame would have begun (88 blocks is 44 whole frames).
    expect((ends[0]!.timestamp - first.timestamp) >>> 0).toBe((387 - 299) * BLOCK_SAMPLES);
    expect(timestampSteps(audio(packets)).every((step) => step === 960)).toBe(true);
  });

  it('turns real speech into exactly two talkspurts, at about 24 kbps while talking', async () => {
    const { pipeline: tx, clock } = pipeline();
    const { packets, talking } = drive(tx, loadSpeech(), clock);
    const starts = talking.flatMap((t, i) => (t && !talking[i - 1] ? [i] : []));
    const stops = talking.flatMap((t, i) => (!t && talking[i - 1] ? [i] : []));
    // Each sentence's onset (blocks 41 and 280–281 of the file) rides in the pre-roll of the block that
    // opens the gate. The 0.8 s between the sentences is longer than the hangover, so it closes between them.
    expect(starts).toEqual([42, 282]);
    expect(stops).toEqual([205, 558]);
    expect(packets.filter((p) => p.marker)).toHaveLength(2);
    expect(endMarkers(packets)).toHaveLength(2);

    const spoken = audio(packets);
    const talkingMs = talking.filter(Boolean).length * 10;
    const kbps = (spoken.reduce((n, p) => n + p.payload.length, 0) * 8) / talkingMs;
    // VBR around the 24 kbps target; the band allows for the mix of voiced, unvoiced and hangover frames.
    expect(kbps).toBeGreaterThan(20);
    expect(kbps).toBeLessThan(28);
    const decoded = await decodeOpus(spoken.map((p) => p.payload));
    expect(decoded.errors).toBe(0);
  });

  it('falls silent the moment its input ends: the talkspurt closes, and talking, voice and level stop showing the last sound', () => {
    const { pipeline: tx, clock } = pipeline();
    // Blocks 0–299 noise, 300–325 tone, then the input ends: block 325 began a frame (the first frame
    // starts at 299 with the pre-roll) that no further block completes.
    const { packets, talking } = drive(tx, concatSamples([roomNoise(3, 1), sine(440, 0.26, 0.3)]), clock);
    expect(talking.at(-1)).toBe(true);
    expect(tx.voiceDetected).toBe(true);
    expect(tx.level.rmsDb).toBeGreaterThan(-20);
    const first = packets[0]!;

    const ending = tx.endOfInput();
    // The part-filled frame completed with silence, then the end marker where the next frame would begin.
    expect(ending.map((p) => [p.payload.length > 0, p.marker, (p.timestamp - first.timestamp) >>> 0])).toEqual([
      [true, false, (325 - 299) * BLOCK_SAMPLES],
      [false, false, (327 - 299) * BLOCK_SAMPLES],
    ]);
    expect(sequenceSteps([...packets, ...ending]).every((step) => step === 1)).toBe(true);
    const silent = { talking: false, voiceDetected: false, level: { rmsDb: -100, peakDb: -100 } };
    const state = (): typeof silent => ({ talking: tx.talking, voiceDetected: tx.voiceDetected, level: tx.level });
    expect(state()).toEqual(silent);
    // No block comes any more; time passes, and nothing changes back.
    clock.advance(5_000);
    expect(state()).toEqual(silent);
    expect(tx.endOfInput()).toEqual([]);
    expect(tx.stats).toMatchObject({ talkspurts: 1, endMarkers: 1 });

    // A source that starts again (a device that came back) starts a new talkspurt after the usual attack.
    const again = drive(tx, sine(440, 0.1, 0.3), clock);
    expect(again.talking.indexOf(true)).toBe(1);
    expect(again.packets[0]).toMatchObject({ marker: true, sequence: (ending[1]!.sequence + 1) & 0xffff });
  });

  it('keeps timestamps on the capture timeline across silence: the gap between talkspurts is the audio not sent', () => {
    const { pipeline: tx, clock } = pipeline({ activation: 'pushToTalk' });
    const { packets } = drive(tx, sine(440, 2, 0.3), clock, (block) => {
      if (block === 10) tx.setPushToTalk(true);
      if (block === 20) tx.setPushToTalk(false);
      if (block === 150) tx.setPushToTalk(true);
      if (block === 160) tx.setPushToTalk(false);
    });
    const firsts = packets.filter((p) => p.marker);
    expect(firsts).toHaveLength(2);
    expect((firsts[1]!.timestamp - firsts[0]!.timestamp) >>> 0).toBe(140 * BLOCK_SAMPLES);
    expect(sequenceSteps(packets).every((step) => step === 1)).toBe(true);
  });

  it('skips the timeline forward by wall time after a capture stall, and only while silent', () => {
    const { pipeline: tx, clock } = pipeline({ activation: 'pushToTalk' });
    const tone = sine(440, 0.2, 0.3);
    tx.setPushToTalk(true);
    const before = drive(tx, tone, clock).packets;
    tx.setPushToTalk(false);
    drive(tx, silence(0.1), clock);
    clock.advance(5_000); // the device delivered nothing for 5 s
    tx.setPushToTalk(true);
    const after = drive(tx, tone, clock).packets;
    expect(tx.stats.stalls).toBe(1);
    // 20 blocks of tone, 10 of silence, then 5 s (500 blocks) of stall.
    expect((after[0]!.timestamp - before[0]!.timestamp) >>> 0).toBe((20 + 10 + 500) * BLOCK_SAMPLES);
    expect(STALL_SAMPLES).toBe(9_600);
  });
});

describe('send pipeline: mute and continuous mode', () => {
  it('muting mid-talkspurt ends it on the next block; nothing is sent while muted; unmuting starts a new talkspurt', () => {
    const { pipeline: tx, clock } = pipeline({ activation: 'continuous' });
    const { packets, talking } = drive(tx, sine(440, 1, 0.3), clock, (block) => {
      if (block === 20) tx.setMuted(true);
      if (block === 60) tx.setMuted(false);
    });
    const during = packets.filter((p) => p.block >= 20 && p.block < 60);
    expect(during).toHaveLength(1);
    expect(during[0]).toMatchObject({ block: 20, payload: new Uint8Array(0) });
    expect(talking.slice(20, 60).some(Boolean)).toBe(false);
    const resumed = packets.find((p) => p.block >= 60)!;
    expect(resumed).toMatchObject({ block: 61, marker: true });
    expect((resumed.timestamp - during[0]!.timestamp) >>> 0).toBe(40 * BLOCK_SAMPLES);
    expect(sequenceSteps(packets).every((step) => step === 1)).toBe(true);
  });

  it('in continuous mode lets DTX drop silent frames, marks the packet after a gap, and never sends an end marker', () => {
    const { pipeline: tx, clock } = pipeline({ activation: 'continuous' });
    const { packets, talking } = drive(tx, concatSamples([sine(440, 0.5, 0.3), silence(2), sine(440, 0.5, 0.3, 0)]), clock);
    expect(talking.every(Boolean)).toBe(true);
    expect(endMarkers(packets)).toHaveLength(0);
    const stats = tx.stats;
    expect(stats.framesEncoded).toBe(150);
    expect(stats.dtxFrames).toBeGreaterThan(60);
    expect(packets).toHaveLength(150 - stats.dtxFrames);
    // Every packet that follows skipped frames carries the marker; the others do not.
    const steps = timestampSteps(packets);
    expect(packets.slice(1).map((p, i) => p.marker === (steps[i] !== 960))).toEqual(new Array<boolean>(packets.length - 1).fill(true));
    expect(packets[0]!.marker).toBe(true);
  });
});

describe('send pipeline: RED', () => {
  it('with RED on, each packet after the first carries the exact bytes of the previous frame', async () => {
    const { pipeline: tx, clock } = pipeline({ activation: 'pushToTalk', red: 'on' });
    tx.setPushToTalk(true);
    const { packets } = drive(tx, sine(440, 0.4, 0.3), clock);
    expect(tx.redActive).toBe(true);
    expect(packets).toHaveLength(20);
    expect(packets[0]!.payloadType).toBe(OPUS_PAYLOAD_TYPE);
    const primaries = [packets[0]!.payload];
    for (const packet of packets.slice(1)) {
      expect(packet.payloadType).toBe(RED_PAYLOAD_TYPE);
      const red = decodeRed(packet.payload);
      expect(red.redundant).toHaveLength(1);
      expect(red.redundant[0]!.timestampOffset).toBe(960);
      expect(red.redundant[0]!.payloadType).toBe(OPUS_PAYLOAD_TYPE);
      expect([...red.redundant[0]!.data]).toEqual([...primaries.at(-1)!]);
      primaries.push(red.primary.data);
    }
    expect(tx.stats.redundantFrames).toBe(19);
    expect((await decodeOpus(primaries)).errors).toBe(0);
    // The end marker carries the last frame, which no later packet would: an empty primary after its copy.
    tx.setPushToTalk(false);
    const [end] = drive(tx, silence(0.01), clock).packets;
    expect(end!.payloadType).toBe(RED_PAYLOAD_TYPE);
    const red = decodeRed(end!.payload);
    expect(red.redundant.map((block) => [block.timestampOffset, [...block.data]])).toEqual([[960, [...primaries.at(-1)!]]]);
    expect(red.primary.data).toHaveLength(0);
    expect(end!.timestamp - packets.at(-1)!.timestamp).toBe(960);
    expect(tx.stats).toMatchObject({ redundantFrames: 20, endMarkers: 1 });
  });

  it('in auto mode follows the reported loss, ignoring unknown sides', () => {
    const { pipeline: tx, clock } = pipeline({ activation: 'continuous', red: 'auto' });
    const tone = (seconds: number): Sent[] => drive(tx, sine(440, seconds, 0.3), clock).packets;
    expect(tone(0.2).some((p) => p.payloadType === RED_PAYLOAD_TYPE)).toBe(false);
    tx.onLinkReport({ uplinkLossPermille: LOSS_UNKNOWN, downlinkLossPermille: 50 });
    expect(tx.redActive).toBe(true);
    expect(tone(0.2).every((p) => p.payloadType === RED_PAYLOAD_TYPE)).toBe(true);
    for (let i = 0; i < 6; i++) {
      tx.onLinkReport({ uplinkLossPermille: 0, downlinkLossPermille: LOSS_UNKNOWN });
      tone(2);
    }
    expect(tx.redActive).toBe(false);
    expect(tone(0.2).some((p) => p.payloadType === RED_PAYLOAD_TYPE)).toBe(false);
  });
});

describe('send pipeline: settings and bad input', () => {
  it('changes frame size at the next talkspurt, not in the middle of one', () => {
    const { pipeline: tx, clock } = pipeline({ activation: 'pushToTalk' });
    const { packets } = drive(tx, sine(440, 1, 0.3), clock, (block) => {
      if (block === 0) tx.setPushToTalk(true);
      if (block === 10) tx.reconfigure({ frameMs: 40 });
      if (block === 20) tx.setPushToTalk(false);
      if (block === 30) tx.setPushToTalk(true);
      if (block === 46) tx.setPushToTalk(false);
    });
    const spurts = [packets.filter((p) => p.block <= 20), packets.filter((p) => p.block > 20)];
    expect(timestampSteps(audio(spurts[0]!))).toEqual(new Array<number>(9).fill(960));
    expect(timestampSteps(audio(spurts[1]!))).toEqual([1920, 1920, 1920]);
    expect(tx.settings.frameMs).toBe(40);
  });

  it('applies a new bitrate from the next frame', () => {
    const { pipeline: tx, clock } = pipeline({ activation: 'continuous' });
    const speech = loadSpeech().subarray(0, 48_000 * 4);
    const low = drive(tx, speech, clock).packets;
    tx.reconfigure({ bitrate: 64_000 });
    const high = drive(tx, speech, clock).packets;
    const bytes = (list: Sent[]): number => list.reduce((n, p) => n + p.payload.length, 0);
    expect(bytes(high) / bytes(low)).toBeGreaterThan(2);
  });

  it('rejects bad settings with a clear error and changes nothing', () => {
    const { pipeline: tx } = pipeline();
    expect(() => tx.reconfigure({ bitrate: 24_000, frameMs: 30 as 20 })).toThrow(/frame size 30 ms is not one of 10, 20, 40/);
    expect(() => tx.reconfigure({ bitrate: 8_000 })).toThrow(/bitrate 8000 b\/s must be a whole number in \[16000, 64000\]/);
    expect(() => tx.reconfigure({ activation: 'loud' as 'voice' })).toThrow(/activation loud is not one of voice, pushToTalk, continuous/);
    expect(() => tx.reconfigure({ red: 'maybe' as 'on' })).toThrow(/red maybe is not one of auto, on, off/);
    expect(() => tx.reconfigure({ inputGainDb: 40 })).toThrow(/input gain 40 dB/);
    expect(tx.settings).toEqual({ frameMs: 20, bitrate: 24_000, activation: 'voice', red: 'off' });
    expect(() => new SendPipeline({ frameMs: 20, bitrate: 100_000, activation: 'voice', red: 'off', clock: new ManualClock() })).toThrow(RangeError);
  });

  it('rejects a block of the wrong size without losing its place, and refuses use after close', () => {
    const { pipeline: tx, clock } = pipeline({ activation: 'pushToTalk' });
    tx.setPushToTalk(true);
    const tone = sine(440, 0.1, 0.3);
    const first = drive(tx, tone.subarray(0, 2 * BLOCK_SAMPLES), clock).packets;
    expect(() => tx.push(new Float32Array(441))).toThrow(/push\(\) takes a Float32Array of 480 samples/);
    const next = drive(tx, tone.subarray(2 * BLOCK_SAMPLES, 4 * BLOCK_SAMPLES), clock).packets;
    expect(sequenceSteps([...first, ...next])).toEqual([1]);
    expect(timestampSteps([...first, ...next])).toEqual([960]);
    const flushed = tx.flush();
    expect(flushed).toHaveLength(1);
    expect(flushed[0]!.payload).toHaveLength(0);
    tx.close();
    expect(() => tx.push(new Float32Array(BLOCK_SAMPLES))).toThrow(/closed/);
  });

  it('continues another pipeline’s RTP numbering when told to, and checks it', () => {
    const { pipeline: first, clock } = pipeline({ activation: 'pushToTalk' });
    first.setPushToTalk(true);
    const before = drive(first, sine(440, 0.1, 0.3), clock).packets;
    const continuation = first.rtpContinuation;
    expect(continuation.sequence).toBe((before.at(-1)!.sequence + 1) & 0xffff);
    expect(continuation.timestamp).toBe((before.at(-1)!.timestamp + 960) >>> 0);
    const { pipeline: second } = pipeline({ activation: 'pushToTalk', rtpStart: continuation });
    second.setPushToTalk(true);
    const after = drive(second, sine(440, 0.1, 0.3), clock).packets;
    expect(after[0]).toMatchObject({ sequence: continuation.sequence, timestamp: continuation.timestamp, marker: true });
    expect(() => pipeline({ rtpStart: { sequence: 70_000, timestamp: 0 } })).toThrow(/16-bit sequence and a 32-bit timestamp/);
  });

  it('reports level, speech heard while muted, and its settings', () => {
    const { pipeline: tx, clock } = pipeline();
    tx.setMuted(true);
    drive(tx, concatSamples([roomNoise(2), sine(1000, 0.3, 0.5)]), clock);
    expect(tx.talking).toBe(false);
    expect(tx.voiceDetected).toBe(true);
    expect(tx.level.peakDb).toBeCloseTo(-6.02, 1);
    expect(tx.level.rmsDb).toBeCloseTo(-9.03, 1);
    expect(tx.noiseFloorDb).toBeLessThan(-60);
    expect(tx.stats.packets).toBe(0);
  });
});
