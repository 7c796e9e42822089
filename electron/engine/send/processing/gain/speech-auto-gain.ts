import { amplitudeToDb, dbToGain } from '../../../dsp/decibels.js';
import { PeakLimiter } from '../../../mix/peak-limiter.js';
import { LevelMeter } from '../../level-meter.js';
import { NoiseFloorTracker } from '../../noise-floor.js';
import type { AutoGain } from '../capture-stage.js';
import { GainController, type GainControllerOptions } from './gain-controller.js';
import { SpeechLevelEstimator } from './speech-level-estimator.js';

/**
 * A block judged speech counts toward the level only if it stands this far
 * over the background: the voice detector's hangover calls the first 350 ms
 * of every pause speech, and a fan it mistakes for a voice must not pull the
 * gain up either.
 */
export const SPEECH_OVER_NOISE_DB = 10;

export interface SpeechAutoGainOptions extends GainControllerOptions {
  enabled?: boolean;
  /** Speech blocks the level estimate averages over (see SpeechLevelEstimator). */
  speechMemoryBlocks?: number;
}

/**
 * Automatic gain in the shape of WebRTC's AGC2 adaptive digital gain: a
 * speech level estimator fed only by blocks the voice detector called
 * speech (and clear of the background noise, tracked by minimum statistics),
 * a gain that moves slowly toward the target (GainController), and a
 * look-ahead limiter after it so a sudden shout is never clipped.
 *
 * The voice detector runs after this stage, so its verdict on a block comes
 * in (`speechHint`) after the block was processed: `process` measures the
 * block, the hint decides whether that measurement counts, and the gain it
 * leads to applies from the next block on, ramped across the block so it
 * never steps. Without a hint, with `false`, or on a block lost in the
 * noise, nothing adapts: pauses keep the gain exactly as it was.
 *
 * Off, the output is the input, bit for bit, with no delay. The estimator and
 * gain keep learning meanwhile, so switching on lands at the right level.
 * A switch either way crossfades the two paths over one block (the limited
 * path lags by the limiter's 1.5 ms look-ahead), so it never clicks.
 */
export class SpeechAutoGain implements AutoGain {
  enabled: boolean;
  private readonly meter = new LevelMeter();
  private readonly noiseFloor = new NoiseFloorTracker();
  private readonly estimator: SpeechLevelEstimator;
  private readonly controller: GainController;
  private readonly limiter = new PeakLimiter();
  private readonly ceilingDb = amplitudeToDb(this.limiter.ceiling);
  /** The last input samples while off: what the limiter's delay line must hold when it is switched on. */
  private readonly tail = new Float32Array(this.limiter.latencySamples);
  private scratch = new Float32Array(0);
  /** Whether the last block's output came from the limited path. */
  private on: boolean;
  /** The linear gain the last block ended at; the next block ramps from it. */
  private appliedGain = 1;
  private lastGainDb = 0;
  /** Whether the last block was measured and still waits for its verdict, and whether it stood clear of the noise. */
  private pending = false;
  private pendingOverNoise = false;
  private pendingPower = 0;
  private pendingPeakDb = 0;
  private closed = false;

  constructor(options: SpeechAutoGainOptions = {}) {
    this.enabled = this.on = options.enabled ?? true;
    this.estimator = new SpeechLevelEstimator(options.speechMemoryBlocks);
    this.controller = new GainController(options);
  }

  /** The gain applied to the last block, in dB (the value it ended at; 0 while disabled). */
  get gainDb(): number {
    return this.lastGainDb;
  }

  /** The speech level heard so far, dBFS RMS, before the gain; undefined before any speech. */
  get speechLevelDb(): number | undefined {
    return this.estimator.levelDb;
  }

  /** Samples by which the output lags the input: the limiter's look-ahead while on, 0 while off. */
  get latencySamples(): number {
    return this.on ? this.limiter.latencySamples : 0;
  }

  process(input: Float32Array, output: Float32Array): void {
    if (this.closed) throw new Error('auto gain used after close()');
    if (input.length !== output.length || input.length < this.tail.length) {
      throw new RangeError(`auto gain blocks must match and hold at least ${this.tail.length} samples (got ${input.length} in, ${output.length} out)`);
    }
    this.meter.measure(input);
    this.pending = true;
    this.pendingPower = 10 ** (this.meter.blockRmsDb / 10);
    this.pendingOverNoise = this.meter.blockRmsDb >= this.noiseFloor.update(this.pendingPower) + SPEECH_OVER_NOISE_DB;
    this.pendingPeakDb = this.meter.blockPeakDb;
    const from = this.appliedGain;
    const to = dbToGain(this.controller.gainDb);
    this.appliedGain = to;
    if (this.enabled && this.on) this.limited(input, output, from, to);
    else if (this.enabled) this.switchOn(input, output, from, to);
    else if (this.on) this.switchOff(input, output, from, to);
    else {
      if (output !== input) output.set(input);
      this.tail.set(input.subarray(input.length - this.tail.length));
    }
    this.on = this.enabled;
    this.lastGainDb = this.on ? this.controller.gainDb : 0;
  }

  speechHint(speech: boolean): void {
    if (!this.pending) return;
    this.pending = false;
    if (!speech || !this.pendingOverNoise) return;
    this.estimator.add(this.pendingPower);
    const overloaded = this.pendingPeakDb + this.controller.gainDb > this.ceilingDb;
    this.controller.step(this.estimator.levelDb!, overloaded);
  }

  close(): void {
    this.closed = true;
  }

  /** The gain ramped from `from` to `to` across the block, then the limiter. */
  private limited(input: Float32Array, output: Float32Array, from: number, to: number): void {
    const step = (to - from) / input.length;
    for (let i = 0; i < input.length; i++) output[i] = input[i]! * (from + step * (i + 1));
    this.limiter.process(output);
  }

  private switchOn(input: Float32Array, output: Float32Array, from: number, to: number): void {
    // Refill the look-ahead with what was just played, so the limited path continues the signal rather than starting from zeros.
    this.limiter.reset();
    const primer = this.tail.map((x) => x * from);
    this.limiter.process(primer);
    const wet = this.wet(input, from, to);
    for (let i = 0; i < input.length; i++) {
      const w = (i + 1) / input.length;
      output[i] = input[i]! * (1 - w) + wet[i]! * w;
    }
  }

  private switchOff(input: Float32Array, output: Float32Array, from: number, to: number): void {
    const wet = this.wet(input, from, to);
    this.tail.set(input.subarray(input.length - this.tail.length));
    for (let i = 0; i < input.length; i++) {
      const w = (i + 1) / input.length;
      output[i] = wet[i]! * (1 - w) + input[i]! * w;
    }
  }

  /** The limited path into a scratch block, leaving `input` as it is (it may be the output). */
  private wet(input: Float32Array, from: number, to: number): Float32Array {
    if (this.scratch.length !== input.length) this.scratch = new Float32Array(input.length);
    this.limited(input, this.scratch, from, to);
    return this.scratch;
  }
}
