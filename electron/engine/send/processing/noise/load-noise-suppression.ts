import type { NoiseSuppression, NoiseSuppressor } from '../capture-stage.js';
import { loadRnnoiseModule } from './rnnoise-denoiser.js';
import { RnnoiseSuppressor } from './rnnoise-suppressor.js';

/** Makes a suppressor synchronously, once the WASM is loaded; each has its own RNNoise state. */
export type NoiseSuppressorFactory = (strength: NoiseSuppression) => NoiseSuppressor;

/** Loads RNNoise once (later calls share it) and returns the synchronous factory the send path builds its stage with. */
export async function loadNoiseSuppression(): Promise<NoiseSuppressorFactory> {
  const module = await loadRnnoiseModule();
  return (strength) => new RnnoiseSuppressor(module, strength);
}
