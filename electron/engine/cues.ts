import { BLOCK_SAMPLES, SAMPLE_RATE, samplesFor } from './audio-format.js';

export type CueKind = 'join' | 'leave' | 'connected' | 'disconnected';

/** Two short notes each: rising for arrivals, falling for departures. Quiet, so they never mask speech. */
const NOTES: Record<CueKind, [number, number]> = {
  join: [660, 880],
  leave: [880, 660],
  connected: [523.25, 784],
  disconnected: [784, 523.25],
};
const NOTE_MS = 70;
const GAP_MS = 15;
const LEVEL = 0.12; // about −18 dBFS

/** Renders a cue as PCM: sine notes with raised-cosine edges so they start and stop without clicks. */
export function renderCue(kind: CueKind): Float32Array {
  const noteSamples = samplesFor(NOTE_MS);
  const gapSamples = samplesFor(GAP_MS);
  const edge = samplesFor(8);
  const out = new Float32Array(noteSamples * 2 + gapSamples);
  NOTES[kind].forEach((frequency, note) => {
    const start = note * (noteSamples + gapSamples);
    for (let i = 0; i < noteSamples; i++) {
      const fadeIn = i < edge ? 0.5 - 0.5 * Math.cos((Math.PI * i) / edge) : 1;
      const fadeOut = i >= noteSamples - edge ? 0.5 - 0.5 * Math.cos((Math.PI * (noteSamples - 1 - i)) / edge) : 1;
      out[start + i] = LEVEL * fadeIn * fadeOut * Math.sin((2 * Math.PI * frequency * i) / SAMPLE_RATE);
    }
  });
  return out;
}

/** Plays queued cues into output blocks, one after another. */
export class CuePlayer {
  private readonly rendered = new Map<CueKind, Float32Array>();
  private readonly queue: Float32Array[] = [];
  private position = 0;
  enabled = true;

  play(kind: CueKind): void {
    if (!this.enabled || this.queue.length >= 4) return;
    let pcm = this.rendered.get(kind);
    if (!pcm) {
      pcm = renderCue(kind);
      this.rendered.set(kind, pcm);
    }
    this.queue.push(pcm);
  }

  /** Adds the next 10 ms of queued cues to `block` in place. */
  mixInto(block: Float32Array): void {
    let at = 0;
    while (at < BLOCK_SAMPLES && this.queue.length > 0) {
      const current = this.queue[0]!;
      const count = Math.min(BLOCK_SAMPLES - at, current.length - this.position);
      for (let i = 0; i < count; i++) block[at + i]! += current[this.position + i]!;
      at += count;
      this.position += count;
      if (this.position >= current.length) {
        this.queue.shift();
        this.position = 0;
      }
    }
  }

  get playing(): boolean {
    return this.queue.length > 0;
  }
}
