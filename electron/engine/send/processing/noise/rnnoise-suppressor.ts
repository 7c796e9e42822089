import { BLOCK_SAMPLES } from '../../../audio-format.js';
import { dbToGain } from '../../../dsp/decibels.js';
import { NOISE_SUPPRESSION_LEVELS, type NoiseSuppression, type NoiseSuppressor } from '../capture-stage.js';
import type { RnnoiseWasmModule } from '@echogarden/rnnoise-wasm';
import { RnnoiseDenoiser } from './rnnoise-denoiser.js';
import { VoiceGate } from './voice-gate.js';

/**
 * How far 'low' lets noise fall: the denoised signal with the input mixed
 * back in at this level, so a block RNNoise silences comes out 12 dB down
 * and speech RNNoise would thin keeps most of itself
 * (docs/decisions/noise-suppressor.md has the measurements).
 */
export const LOW_STRENGTH_FLOOR_DB = -12;

const DRY_SHARE: Record<NoiseSuppression, number> = { off: 1, low: dbToGain(LOW_STRENGTH_FLOOR_DB), high: 0 };
/** `active` means the block came out more than 1 dB quieter than it went in. */
const ACTIVE_POWER_RATIO = dbToGain(-1) ** 2;

/**
 * The noise suppressor on RNNoise. 'high' is RNNoise followed by a gate on
 * its voice probability (voice-gate.ts); 'low' is the same with the input
 * mixed back in, so nothing falls by more than 12 dB; 'off' is a bit-exact
 * passthrough that never calls RNNoise. 'low' and 'high' lag the input by one
 * block (RNNoise's overlap-add), so turning suppression on or off shifts the
 * stream by 10 ms once; the input is delayed by the same block before it is
 * mixed back in, so dry and denoised speech add in phase.
 */
export class RnnoiseSuppressor implements NoiseSuppressor {
  private current: NoiseSuppression;
  private probability = 0;
  private attenuated = false;
  /** The previous input block (what RNNoise's output lines up with) and the one being taken in. */
  private delayed = new Float32Array(BLOCK_SAMPLES);
  private incoming = new Float32Array(BLOCK_SAMPLES);
  private readonly wet = new Float32Array(BLOCK_SAMPLES);
  private readonly denoiser: RnnoiseDenoiser;
  private readonly gate = new VoiceGate();
  private closed = false;

  constructor(module: RnnoiseWasmModule, strength: NoiseSuppression) {
    this.current = checkedStrength(strength);
    this.denoiser = new RnnoiseDenoiser(module);
  }

  get strength(): NoiseSuppression {
    return this.current;
  }

  /** Applies from the next block. Leaving 'off' starts RNNoise afresh, so no audio from before the pause comes out. */
  set strength(next: NoiseSuppression) {
    checkedStrength(next);
    if (this.current === 'off' && next !== 'off') {
      this.denoiser.reset();
      this.gate.reset();
    }
    this.current = next;
  }

  get voiceProbability(): number {
    return this.probability;
  }

  get active(): boolean {
    return this.attenuated;
  }

  process(input: Float32Array, output: Float32Array): void {
    if (this.closed) throw new Error('noise suppressor used after close()');
    if (input.length !== BLOCK_SAMPLES || output.length !== BLOCK_SAMPLES) {
      throw new Error(`noise suppressor blocks are ${BLOCK_SAMPLES} samples; got ${input.length} in, ${output.length} out`);
    }
    // Kept even while off, so the first block after switching on mixes the right dry signal.
    this.incoming.set(input);
    if (this.current === 'off') {
      if (output !== input) output.set(input);
      this.probability = 0;
      this.attenuated = false;
    } else {
      this.probability = this.denoiser.denoise(input, this.wet);
      this.mix(this.gate.next(this.probability), DRY_SHARE[this.current], output);
    }
    [this.delayed, this.incoming] = [this.incoming, this.delayed];
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.denoiser.destroy();
  }

  /** output = gated + dryShare·(dry − gated), and whether that took more than 1 dB off the (delayed) input. */
  private mix(gateGain: number, dryShare: number, output: Float32Array): void {
    let inPower = 0;
    let outPower = 0;
    for (let i = 0; i < BLOCK_SAMPLES; i++) {
      const dry = this.delayed[i]!;
      const gated = this.wet[i]! * gateGain;
      const mixed = gated + dryShare * (dry - gated);
      output[i] = mixed;
      inPower += dry * dry;
      outPower += mixed * mixed;
    }
    this.attenuated = outPower < inPower * ACTIVE_POWER_RATIO;
  }
}

function checkedStrength(strength: NoiseSuppression): NoiseSuppression {
  if (!(NOISE_SUPPRESSION_LEVELS as readonly string[]).includes(strength)) throw new Error(`noise suppression must be one of ${NOISE_SUPPRESSION_LEVELS.join(', ')}; got ${String(strength)}`);
  return strength;
}
