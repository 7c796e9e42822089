import { OpusDecoder } from 'opus-decoder';
import { SAMPLE_RATE } from '../audio-format.js';
import { concealmentPacket, frameSamplesOf, type OpusPacketInfo } from './opus-packet.js';

/**
 * One peer's Opus decoder (libopus in WASM) with packet-loss concealment.
 * Packets reach it already validated by parseOpusPacket, so libopus never
 * sees malformed framing; a decode that still fails returns undefined.
 *
 * opus-decoder gives every decoder its own WASM instance and starts it
 * asynchronously: the first in a process also compiles libopus (tens of ms),
 * later ones take a few ms. So a decoder is made at once (`start`) and is
 * `ready` shortly after; `prepare` does the compiling ahead of time.
 */
export class OpusFrameDecoder {
  /** TOC byte of the last packet decoded: concealment continues in its mode and frame size. */
  private lastToc: number | undefined;
  private closed = false;
  private started = false;
  /** Settles once the WASM instance has started (or failed to). */
  readonly whenReady: Promise<void>;

  private constructor(private readonly decoder: OpusDecoder<48000>) {
    this.whenReady = decoder.ready.then(
      () => {
        this.started = true;
        // Closed while starting: free it now that there is something to free.
        if (this.closed) decoder.free();
      },
      () => undefined,
    );
  }

  /** Compiles libopus once, so that decoders made after it are ready within a few ms. */
  static async prepare(): Promise<void> {
    const warm = new OpusDecoder({ channels: 1, sampleRate: SAMPLE_RATE as 48000 });
    await warm.ready;
    warm.free();
  }

  /** A decoder at once; it decodes from when `ready` turns true (a failed start leaves it never ready). */
  static start(): OpusFrameDecoder {
    return new OpusFrameDecoder(new OpusDecoder({ channels: 1, sampleRate: SAMPLE_RATE as 48000 }));
  }

  /** A decoder that is ready; rejects if libopus cannot start. */
  static async create(): Promise<OpusFrameDecoder> {
    const decoder = OpusFrameDecoder.start();
    await decoder.decoder.ready;
    await decoder.whenReady;
    return decoder;
  }

  /** Whether it can decode: its WASM instance has started, and it is not closed. */
  get ready(): boolean {
    return this.started && !this.closed;
  }

  /** Samples one concealment step yields: one frame of the last decoded packet's size. */
  get concealSamples(): number | undefined {
    return this.lastToc === undefined ? undefined : frameSamplesOf(this.lastToc);
  }

  decode(packet: Uint8Array, info: OpusPacketInfo): Float32Array | undefined {
    const pcm = this.run(packet, info.totalSamples);
    if (pcm) this.lastToc = info.toc;
    return pcm;
  }

  /** One frame of libopus concealment, or undefined before anything was decoded. */
  conceal(): Float32Array | undefined {
    if (this.lastToc === undefined) return undefined;
    return this.run(concealmentPacket(this.lastToc), frameSamplesOf(this.lastToc));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.started) this.decoder.free();
  }

  private run(packet: Uint8Array, expectedSamples: number): Float32Array | undefined {
    if (!this.ready) return undefined;
    let decoded: ReturnType<OpusDecoder<48000>['decodeFrame']>;
    try {
      decoded = this.decoder.decodeFrame(packet);
    } catch {
      // The WASM input buffer has a fixed size; an oversized packet throws rather than decodes.
      return undefined;
    }
    const pcm = decoded.channelData[0];
    if (decoded.errors.length > 0 || !pcm || decoded.samplesDecoded !== expectedSamples) return undefined;
    return pcm;
  }
}
