import type { AudioInput, AudioOutput } from '../../electron/audio/index.js';
import { VoiceClient } from '../../electron/client/voice-client.js';
import { BLOCK_MS, BLOCK_SAMPLES, SAMPLES_PER_MS } from '../../electron/engine/audio-format.js';
import { Mixer } from '../../electron/engine/mix/mixer.js';
import { SPLICE_SAMPLES } from '../../electron/engine/receive/playout.js';
import { DEFAULT_SEND_SETTINGS, SendPipeline, type SendPipelineSettings } from '../../electron/engine/send/send-pipeline.js';
import type { RelayHandle } from '../../server/index.js';
import { ManualClock } from '../../server/shared/clock.js';
import { referenceDecode } from '../engine/receive/support/stream.js';
import { relayOnLoopback, waitFor } from '../helpers/relay.js';
import { TickedMicrophone, TickedSpeaker } from './ticked-devices.js';
import { UdpProxy } from './udp-proxy.js';
import { statsOf } from './voice-rig.js';

/**
 * Ana talking to Ben through a real relay on loopback, on a simulated clock:
 * Ana's microphone and Ben's speaker tick only when run() says, and Ana's
 * media reaches the relay `networkMs` of simulated time after she sends it.
 * `tapInput` / `tapOutput` may wrap the ticked devices (the engine bench's
 * edge taps do).
 */
export class SimulatedCall {
  private constructor(
    readonly clock: ManualClock,
    readonly relay: RelayHandle,
    readonly network: UdpProxy,
    readonly anaMic: TickedMicrophone,
    readonly benSpeaker: TickedSpeaker,
    readonly ana: VoiceClient,
    readonly ben: VoiceClient,
    private readonly voice: Float32Array,
    private readonly networkMs: number,
    private readonly send: SendPipelineSettings,
  ) {}

  static async start(options: {
    voice: Float32Array;
    networkMs: number;
    send: SendPipelineSettings;
    tapInput?: (input: AudioInput, clock: ManualClock) => AudioInput;
    tapOutput?: (output: AudioOutput, clock: ManualClock) => AudioOutput;
  }): Promise<SimulatedCall> {
    const clock = new ManualClock(0);
    const relay = await relayOnLoopback();
    const network = await UdpProxy.start({ target: { host: '127.0.0.1', port: relay.address.port }, toRelay: { delayMs: options.networkMs, mediaOnly: true }, clock });
    const anaMic = new TickedMicrophone(options.voice);
    const benSpeaker = new TickedSpeaker();
    const session = (name: string, port: number) => ({ relay: { host: '127.0.0.1', port }, room: 'lobby', name, secret: 'shh' });
    const input = options.tapInput?.(anaMic, clock) ?? anaMic;
    const output = options.tapOutput?.(benSpeaker, clock) ?? benSpeaker;
    const quiet = new TickedMicrophone(new Float32Array(0));
    const ben = await VoiceClient.start({ session: session('Ben', relay.address.port), input: quiet, output, send: DEFAULT_SEND_SETTINGS, cueSounds: false, clock });
    const ana = await VoiceClient.start({ session: session('Ana', network.port), input, output: new TickedSpeaker(), send: options.send, cueSounds: false, clock });
    await waitFor('Ben’s receiver for Ana', () => statsOf(ben, 'Ana'));
    return new SimulatedCall(clock, relay, network, anaMic, benSpeaker, ana, ben, options.voice, options.networkMs, options.send);
  }

  /**
   * Every 10 ms of simulated time, for as many blocks as the voice fills: Ana's
   * microphone gives a block, and a frame it completes enters the network;
   * what the network's delay lets through reaches Ben before his speaker asks
   * for its block. Whatever Ana's send path sent (none for a DTX frame) is
   * waited for. The simulated clock never runs ahead of real time: the
   * sessions' pings go on wall-clock timers, and a clock racing ahead of them
   * would read their replies as late and take the link for lost.
   */
  async run(): Promise<void> {
    const ticks = this.voice.length / BLOCK_SAMPLES;
    const startedAt = performance.now();
    for (let tick = 0; tick < ticks; tick++) {
      const ahead = tick * BLOCK_MS - (performance.now() - startedAt);
      if (ahead > 0) await new Promise((resolve) => setTimeout(resolve, ahead));
      this.clock.set(tick * BLOCK_MS);
      this.anaMic.tick();
      const sent = this.ana.sendStats.packets;
      await waitFor(`Ana's packet ${sent} in the network`, () => this.network.counters.toRelay.forwarded >= sent);
      this.network.releaseDue();
      const delivered = this.network.counters.toRelay.forwarded - this.network.waiting;
      await waitFor(`Ana's packet ${delivered} at Ben`, () => statsOf(this.ben, 'Ana')!.packetsReceived >= delivered);
      this.benSpeaker.tick();
    }
  }

  /**
   * Where Ben's speaker starts to play Ana's first sample, less what Opus itself
   * delays (its look-ahead, inside plainDecoding()): her first frame is complete
   * with its last block, reaches Ben `networkMs` later, plays from his pull at
   * that tick after the receiver's 2.5 ms lead-in (the jitter buffer holds
   * nothing more on a steady network), and leaves the mixer's limiter 71 samples later.
   */
  get engineDelaySamples(): number {
    return (this.send.frameMs / BLOCK_MS - 1) * BLOCK_SAMPLES + this.networkMs * SAMPLES_PER_MS + SPLICE_SAMPLES + new Mixer().latencySamples;
  }

  /** What a plain Opus decoder makes of Ana's stream: a twin of her pipeline on the same clock, its frames decoded back to back. */
  async plainDecoding(): Promise<Float32Array> {
    const twin = new SendPipeline({ ...this.send, clock: this.clock });
    const frames: Uint8Array[] = [];
    for (let tick = 0; tick < this.voice.length / BLOCK_SAMPLES; tick++) {
      this.clock.set(tick * BLOCK_MS);
      for (const packet of twin.push(this.voice.slice(tick * BLOCK_SAMPLES, (tick + 1) * BLOCK_SAMPLES))) frames.push(packet.payload);
    }
    return referenceDecode(frames);
  }

  async close(): Promise<void> {
    await Promise.all([this.ana.leave(), this.ben.leave()]);
    await this.network.close();
    await this.relay.close();
  }
}
