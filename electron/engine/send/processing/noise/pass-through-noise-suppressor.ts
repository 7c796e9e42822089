import type { NoiseSuppression, NoiseSuppressor } from '../capture-stage.js';

/**
 * Where RNNoise could not be loaded: the capture passes unchanged. It takes
 * any strength asked for but reports 'off', what it really does, so nothing
 * downstream waits on a voice probability that will never come.
 */
export class PassThroughNoiseSuppressor implements NoiseSuppressor {
  readonly voiceProbability = 0;
  readonly active = false;

  get strength(): NoiseSuppression {
    return 'off';
  }

  set strength(_wanted: NoiseSuppression) {}

  process(input: Float32Array, output: Float32Array): void {
    if (output !== input) output.set(input);
  }

  close(): void {}
}
