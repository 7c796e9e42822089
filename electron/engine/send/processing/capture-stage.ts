/**
 * The capture processing stages between conditioning and the voice detector
 * (echo canceller → noise suppressor → automatic gain), in the shape of
 * WebRTC's audio processing module: each works on 10 ms blocks of 480 mono
 * float samples at 48 kHz (full scale ±1), keeps its state per call, and does
 * no I/O. Any native or WASM code a stage uses is loaded once, before the
 * call, so constructing and running a stage is synchronous.
 */
export interface CaptureStage {
  /** One block from `input` into `output` (they may be the same array); both hold 480 samples. */
  process(input: Float32Array, output: Float32Array): void;
  /** Frees native or WASM state; the stage must not be used after. Safe to call twice. */
  close(): void;
}

export interface EchoCancellerStats {
  /** Echo return loss enhancement over the last second of far-end speech, in dB; undefined before there was any. */
  erleDb: number | undefined;
  /** The echo path delay the canceller currently assumes, in ms; undefined until it has found one. */
  delayMs: number | undefined;
}

/** Removes the far end's voice that the speaker plays back into the microphone. */
export interface EchoCanceller extends CaptureStage {
  /**
   * One 10 ms block of the far-end reference: exactly the mixed block handed
   * to the output device, in the order handed over. Blocks may arrive in
   * bursts relative to capture; the canceller aligns them.
   */
  render(block: Float32Array): void;
  /**
   * What the devices report: output latency plus input latency, in ms, so
   * the canceller starts its delay search near the right place. A change of
   * output device calls this again.
   */
  setDeviceDelayMs(ms: number): void;
  readonly stats: EchoCancellerStats;
}

export const NOISE_SUPPRESSION_LEVELS = ['off', 'low', 'high'] as const;
export type NoiseSuppression = (typeof NOISE_SUPPRESSION_LEVELS)[number];

/**
 * From this voice probability up, the suppressor's model judges a block to
 * hold voice: the automatic gain may adapt on it, and the voice detector may
 * open on it.
 */
export const VOICE_LIKELY = 0.5;

/** Attenuates steady and babble noise around the voice. */
export interface NoiseSuppressor extends CaptureStage {
  strength: NoiseSuppression;
  /** The model's probability (0–1) that the last block processed held voice; 0 while off. */
  readonly voiceProbability: number;
  /** Whether the last block was attenuated by more than 1 dB. */
  readonly active: boolean;
}

/** Brings quiet and loud microphones to one speech level. */
export interface AutoGain extends CaptureStage {
  enabled: boolean;
  /** The gain applied to the last block, in dB (0 while disabled). */
  readonly gainDb: number;
  /**
   * Whether the block just processed held speech, as the voice detector
   * (which runs after this stage) judged it, helped by the noise
   * suppressor's voice probability: the gain adapts only on speech, so
   * pauses are never raised.
   */
  speechHint(speech: boolean): void;
}
