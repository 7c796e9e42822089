import createRnnoiseModule, { type RnnoiseWasmModule } from '@echogarden/rnnoise-wasm';
import { BLOCK_SAMPLES } from '../../../audio-format.js';

/** RNNoise works on int16-scale samples; the engine's are ±1. */
const INT16_SCALE = 32768;
const FLOAT_BYTES = 4;
const BUILT_IN_MODEL = 0;

/**
 * One RNNoise state in the shared WASM module: 480-sample frames (10 ms at
 * 48 kHz, exactly one engine block). Its output lags its input by one frame:
 * RNNoise synthesises by overlap-add of 20 ms windows.
 */
export class RnnoiseDenoiser {
  /** What RNNoise's overlap-add delays the signal by, in samples. */
  static readonly LATENCY_SAMPLES = BLOCK_SAMPLES;
  private state: number;
  private readonly frame: number;

  constructor(private readonly module: RnnoiseWasmModule) {
    this.state = module._rnnoise_create(BUILT_IN_MODEL);
    this.frame = module._malloc(BLOCK_SAMPLES * FLOAT_BYTES);
    if (this.state === 0 || this.frame === 0) throw new Error('RNNoise could not allocate its state');
  }

  /** Denoises one block of ±1 samples from `input` into `output` (they may be the same); returns the voice probability 0–1. */
  denoise(input: Float32Array, output: Float32Array): number {
    if (this.state === 0) throw new Error('RNNoise denoiser used after destroy()');
    const heap = this.module.HEAPF32;
    const at = this.frame / FLOAT_BYTES;
    for (let i = 0; i < BLOCK_SAMPLES; i++) heap[at + i] = input[i]! * INT16_SCALE;
    const voiceProbability = this.module._rnnoise_process_frame(this.state, this.frame, this.frame);
    for (let i = 0; i < BLOCK_SAMPLES; i++) output[i] = heap[at + i]! / INT16_SCALE;
    return voiceProbability;
  }

  /** Forgets all history (the delayed frame and the network's memory), as if just created. */
  reset(): void {
    if (this.state !== 0) this.module._rnnoise_init(this.state, BUILT_IN_MODEL);
  }

  destroy(): void {
    if (this.state === 0) return;
    this.module._rnnoise_destroy(this.state);
    this.module._free(this.frame);
    this.state = 0;
  }
}

let loading: Promise<RnnoiseWasmModule> | undefined;

/** Compiles RNNoise's WASM once per process; every denoiser shares the module (each has its own state). */
export async function loadRnnoiseModule(): Promise<RnnoiseWasmModule> {
  loading ??= createRnnoiseModule().then((module) => {
    if (module._rnnoise_get_frame_size() !== BLOCK_SAMPLES) throw new Error(`RNNoise frames are ${module._rnnoise_get_frame_size()} samples; the engine's blocks are ${BLOCK_SAMPLES}`);
    return module;
  });
  // A failed load may be retried (it is not remembered).
  loading.catch(() => (loading = undefined));
  return loading;
}
