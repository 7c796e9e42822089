import { SAMPLES_PER_MS } from '../audio-format.js';
import { fadeOutGain } from './fades.js';
import { PLAYOUT_POLICY } from './decision-logic.js';

const FULL = PLAYOUT_POLICY.concealFullMs * SAMPLES_PER_MS;
const SILENT = PLAYOUT_POLICY.concealSilentMs * SAMPLES_PER_MS;

/**
 * Shapes concealment in place: a short loss is concealed at full strength;
 * a long one fades so that a dropped connection ends in exact silence
 * rather than a synthetic drone. `alreadyConcealed` is how many samples of
 * the current run came before `pcm`.
 */
export function applyConcealmentEnvelope(pcm: Float32Array, alreadyConcealed: number): void {
  for (let i = 0; i < pcm.length; i++) {
    const t = alreadyConcealed + i;
    if (t < FULL) continue;
    pcm[i] = t >= SILENT ? 0 : pcm[i]! * fadeOutGain(t - FULL, SILENT - FULL);
  }
}
