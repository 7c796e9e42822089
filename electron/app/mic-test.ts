import type { Clock } from '../../server/shared/clock.js';
import type { ActionResult, MicTestOptions, MicTestView } from '../api/contract.js';
import type { AudioInput, AudioOutput } from '../audio/types.js';
import { loadCaptureProcessing } from '../engine/send/processing/load.js';
import { captureProcessingOf, SendPipeline, type SendPipelineSettings } from '../engine/send/send-pipeline.js';
import type { DeviceChoice } from './devices.js';
import { failWith, OK } from './user-error.js';

/**
 * Blocks of the processed microphone waiting for the speaker. Capture and
 * playback run on two device clocks, so the queue is bounded: a speaker
 * that pulls slower than the microphone delivers drops the oldest block
 * rather than letting the delay grow.
 */
const PLAYBACK_QUEUE_BLOCKS = 10;

interface Running {
  input: AudioInput;
  output: AudioOutput | undefined;
  pipeline: SendPipeline;
  options: MicTestOptions;
}

/**
 * The microphone test in Settings: the chosen microphone through the real
 * send pipeline, capture processing included, minus the network, so the
 * meter and gate are exactly what a call would use; optionally played back
 * so the user hears what others would hear. The played blocks are the echo
 * canceller's reference, as in a call, so speakers do not howl.
 */
export class MicTest {
  private running: Running | null = null;

  constructor(
    private readonly devices: DeviceChoice,
    private readonly clock: Clock,
    private readonly changed: () => void,
  ) {}

  get isRunning(): boolean {
    return this.running !== null;
  }

  /** What the test was started with, to start it again the same way after a device changes. */
  get options(): MicTestOptions | undefined {
    return this.running?.options;
  }

  get view(): MicTestView | null {
    if (!this.running) return null;
    const { pipeline, options } = this.running;
    return { levelDb: pipeline.level.rmsDb, peakDb: pipeline.level.peakDb, gateOpen: pipeline.voiceDetected, playback: options.playback };
  }

  async start(devices: { input: string | null; output: string | null }, send: SendPipelineSettings, options: MicTestOptions): Promise<ActionResult> {
    try {
      const processing = await loadCaptureProcessing();
      const input = await this.devices.openInput(devices.input);
      const output = options.playback ? await this.devices.openOutput(devices.output) : undefined;
      const processor = processing.create(captureProcessingOf(send), output ?? { acoustic: false });
      const pipeline = new SendPipeline({ ...send, activation: 'voice', clock: this.clock, processor });
      pipeline.setMuted(true);
      this.running = { input, output, pipeline, options };
      const queue: Float32Array[] = [];
      await output?.start(() => {
        const block = queue.shift() ?? new Float32Array(pipeline.processedBlock.length);
        pipeline.render(block);
        return block;
      });
      await input.start((block) => {
        pipeline.push(block);
        if (!output) return;
        queue.push(pipeline.processedBlock.slice());
        if (queue.length > PLAYBACK_QUEUE_BLOCKS) queue.shift();
      });
    } catch (error) {
      await this.stop();
      return failWith(error, 'device');
    }
    this.changed();
    return OK;
  }

  async stop(): Promise<void> {
    const test = this.running;
    this.running = null;
    if (test) {
      await Promise.allSettled([test.input.stop(), test.output?.stop()]);
      test.pipeline.close();
    }
    this.changed();
  }

  reconfigure(send: SendPipelineSettings): void {
    this.running?.pipeline.reconfigure(send);
  }
}
