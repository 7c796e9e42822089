import type { EchoCanceller, EchoCancellerStats } from '../capture-stage.js';

const NO_ECHO: EchoCancellerStats = Object.freeze({ erleDb: undefined, delayMs: undefined });

/**
 * For outputs with no acoustic path back to the microphone (a WAV file): the
 * capture passes unchanged, the far end is ignored, and nothing can fail.
 */
export class PassThroughEchoCanceller implements EchoCanceller {
  readonly stats = NO_ECHO;

  render(): void {}

  setDeviceDelayMs(): void {}

  process(input: Float32Array, output: Float32Array): void {
    if (output !== input) output.set(input);
  }

  close(): void {}
}
