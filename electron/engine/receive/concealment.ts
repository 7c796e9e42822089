import { BLOCK_SAMPLES } from '../audio-format.js';
import { applyConcealmentEnvelope } from './conceal-envelope.js';
import type { OpusFrameDecoder } from './opus-frame-decoder.js';
import type { SampleFifo } from './sample-fifo.js';

/**
 * Fills for audio that is missing (NetEQ's "expand"): libopus's own
 * concealment, one frame of the last decoded packet's size at a time, shaped
 * by the envelope so a long run fades to exact silence. Keeps the length of
 * the current run, which is the envelope's clock and tells the decision logic
 * when a talkspurt has faded out.
 */
export class Concealment {
  private run = 0;

  constructor(private readonly decoder: OpusFrameDecoder) {}

  /** Consecutive concealed samples since audio last played. */
  get runSamples(): number {
    return this.run;
  }

  /** Samples one concealment step yields. */
  get stepSamples(): number {
    return this.decoder.concealSamples ?? BLOCK_SAMPLES;
  }

  /** Appends at least `samples` samples of concealment (whole concealment frames) to `fifo`; returns how many. */
  fill(fifo: SampleFifo, samples: number): number {
    let produced = 0;
    while (produced < samples) {
      const pcm = this.decoder.conceal() ?? new Float32Array(this.stepSamples);
      applyConcealmentEnvelope(pcm, this.run);
      fifo.push(pcm, 'concealed');
      this.run += pcm.length;
      produced += pcm.length;
    }
    return produced;
  }

  /** Audio played again, or the talkspurt stopped: the next loss starts a new run at full strength. */
  endRun(): void {
    this.run = 0;
  }
}
