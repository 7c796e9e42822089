import type { Clock } from '../../server/shared/clock.js';
import type { ActionResult, MicTestView } from '../api/contract.js';
import type { AudioInput } from '../audio/types.js';
import { SendPipeline, type SendPipelineSettings } from '../engine/send/send-pipeline.js';
import type { DeviceChoice } from './devices.js';
import { failWith, OK } from './user-error.js';

/**
 * The microphone test in Settings: the chosen microphone through the real
 * send pipeline, minus the network, so the meter and gate are exactly what a
 * call would use.
 */
export class MicTest {
  private running: { input: AudioInput; pipeline: SendPipeline } | null = null;

  constructor(
    private readonly devices: DeviceChoice,
    private readonly clock: Clock,
    private readonly changed: () => void,
  ) {}

  get isRunning(): boolean {
    return this.running !== null;
  }

  get view(): MicTestView | null {
    if (!this.running) return null;
    const { pipeline } = this.running;
    return { levelDb: pipeline.level.rmsDb, peakDb: pipeline.level.peakDb, gateOpen: pipeline.voiceDetected };
  }

  async start(inputDevice: string | null, send: SendPipelineSettings): Promise<ActionResult> {
    try {
      const input = await this.devices.openInput(inputDevice);
      const pipeline = new SendPipeline({ ...send, activation: 'voice', clock: this.clock });
      pipeline.setMuted(true);
      this.running = { input, pipeline };
      await input.start((block) => pipeline.push(block));
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
      await test.input.stop();
      test.pipeline.close();
    }
    this.changed();
  }

  reconfigure(send: SendPipelineSettings): void {
    this.running?.pipeline.reconfigure(send);
  }
}
