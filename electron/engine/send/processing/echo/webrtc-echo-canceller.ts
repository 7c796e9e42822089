import { BLOCK_SAMPLES, floatToInt16, int16ToFloat } from '../../../audio-format.js';
import { meanSquare } from '../../../dsp/decibels.js';
import type { EchoCanceller, EchoCancellerStats } from '../capture-stage.js';
import { DelayEstimator } from './delay-estimator.js';
import { ErleMeter } from './erle-meter.js';
import { RenderQueue } from './render-queue.js';
import type { WebRtcApmSession } from './webrtc-apm.js';

/** Device delays beyond this are a reporting fault, not an echo path. */
const MAX_DEVICE_DELAY_MS = 2_000;
/**
 * A device delay that moves by this much means another output (or input)
 * device: a new echo path. The canceller then starts afresh, which suppresses
 * at once and converges in under a second, where adapting the old filter
 * took about 3 s of far-end speech (docs/decisions/echo-canceller.md).
 */
const NEW_PATH_MS = 5;

function checkBlock(block: Float32Array, what: string): void {
  if (block.length !== BLOCK_SAMPLES) throw new RangeError(`${what} block has ${block.length} samples, expected ${BLOCK_SAMPLES}`);
}

/**
 * The EchoCanceller contract on WebRTC's audio processing module: far-end
 * blocks queue until a capture block comes, so the module sees them paced
 * one for one however the output side delivers them, and each capture block
 * is cancelled in 16-bit PCM, the module's format. A device change starts
 * the module afresh.
 */
export class WebRtcEchoCanceller implements EchoCanceller {
  private readonly queue = new RenderQueue();
  private readonly erle = new ErleMeter();
  private readonly delay = new DelayEstimator();
  /** The cancelled block as float, before it is copied out (`output` may be any Float32Array, even `input`). */
  private readonly cancelled = new Float32Array(BLOCK_SAMPLES);

  private apm: WebRtcApmSession;
  private deviceDelayMs: number | undefined;
  private closed = false;

  constructor(private readonly openSession: () => WebRtcApmSession) {
    this.apm = openSession();
  }

  render(block: Float32Array): void {
    this.queue.push(block);
  }

  setDeviceDelayMs(ms: number): void {
    if (!(Number.isFinite(ms) && ms >= 0 && ms <= MAX_DEVICE_DELAY_MS)) throw new RangeError(`device delay ${ms} ms must be within [0, ${MAX_DEVICE_DELAY_MS}]`);
    if (this.closed) throw new Error('the echo canceller was used after close()');
    if (this.deviceDelayMs !== undefined && Math.abs(ms - this.deviceDelayMs) >= NEW_PATH_MS) {
      this.apm.close();
      this.apm = this.openSession();
    }
    this.deviceDelayMs = ms;
    this.apm.setStreamDelayMs(ms);
  }

  process(input: Float32Array, output: Float32Array): void {
    checkBlock(input, 'capture');
    checkBlock(output, 'output');
    const far = this.queue.next();
    const farPower = far === undefined ? 0 : meanSquare(far);
    if (far !== undefined) {
      floatToInt16(far, this.apm.render);
      this.apm.processRender();
    }
    const inputPower = meanSquare(input);
    floatToInt16(input, this.apm.capture);
    this.apm.processCapture();
    output.set(int16ToFloat(this.apm.capture, this.cancelled));
    this.erle.add(farPower, inputPower, meanSquare(this.cancelled));
    this.delay.add(Math.sqrt(farPower), Math.sqrt(inputPower));
  }

  get stats(): EchoCancellerStats {
    return { erleDb: this.erle.erleDb, delayMs: this.delay.delayMs };
  }

  close(): void {
    this.closed = true;
    this.apm.close();
  }
}
