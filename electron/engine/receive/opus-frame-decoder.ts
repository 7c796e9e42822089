import { OpusDecoder } from 'opus-decoder';
import { SAMPLE_RATE } from '../audio-format.js';
import { concealmentPacket, frameSamplesOf, type OpusPacketInfo } from './opus-packet.js';

/**
 * One peer's Opus decoder (libopus in WASM) with packet-loss concealment.
 * Packets reach it already validated by parseOpusPacket, so libopus never
 * sees malformed framing; a decode that still fails returns undefined.
 */
export class OpusFrameDecoder {
  /** TOC byte of the last packet decoded: concealment continues in its mode and frame size. */
  private lastToc: number | undefined;
  private closed = false;

  private constructor(private readonly decoder: OpusDecoder<48000>) {}

  static async create(): Promise<OpusFrameDecoder> {
    const decoder = new OpusDecoder({ channels: 1, sampleRate: SAMPLE_RATE as 48000 });
    await decoder.ready;
    return new OpusFrameDecoder(decoder);
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
    this.decoder.free();
  }

  private run(packet: Uint8Array, expectedSamples: number): Float32Array | undefined {
    if (this.closed) return undefined;
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
