import { NOISE_SUPPRESSION_LEVELS, VOICE_LIKELY, type AutoGain, type EchoCanceller, type EchoCancellerStats, type NoiseSuppression, type NoiseSuppressor } from './capture-stage.js';

/** The three switches a user has over capture processing; each applies from the next block. */
export interface CaptureProcessingSettings {
  echoCancellation: boolean;
  noiseSuppression: NoiseSuppression;
  autoGain: boolean;
}

export interface CaptureStages {
  echo: EchoCanceller;
  noise: NoiseSuppressor;
  gain: AutoGain;
}

export interface CaptureProcessingStats extends EchoCancellerStats {
  /** Whether the noise suppressor attenuated the last block. */
  suppressing: boolean;
  /** The automatic gain applied to the last block, in dB (0 while off). */
  autoGainDb: number;
}

export function checkCaptureProcessing(settings: Partial<CaptureProcessingSettings>): void {
  const { echoCancellation, noiseSuppression, autoGain } = settings;
  if (echoCancellation !== undefined && typeof echoCancellation !== 'boolean') throw new RangeError('echoCancellation must be true or false');
  if (autoGain !== undefined && typeof autoGain !== 'boolean') throw new RangeError('autoGain must be true or false');
  if (noiseSuppression !== undefined && !(NOISE_SUPPRESSION_LEVELS as readonly string[]).includes(noiseSuppression)) {
    throw new RangeError(`noiseSuppression ${String(noiseSuppression)} is not one of ${NOISE_SUPPRESSION_LEVELS.join(', ')}`);
  }
}

/**
 * Echo canceller → noise suppressor → automatic gain on each 10 ms capture
 * block, in place.
 */
export class CaptureProcessor {
  private echoOn: boolean;

  constructor(
    private readonly stages: CaptureStages,
    settings: CaptureProcessingSettings,
  ) {
    checkCaptureProcessing(settings);
    this.echoOn = settings.echoCancellation;
    stages.noise.strength = settings.noiseSuppression;
    stages.gain.enabled = settings.autoGain;
  }

  /** One block, processed in place. */
  process(block: Float32Array): void {
    const { echo, noise, gain } = this.stages;
    if (this.echoOn) echo.process(block, block);
    noise.process(block, block);
    gain.process(block, block);
  }

  /**
   * The voice detector's verdict on the block just processed (it runs after
   * these stages): the automatic gain learns the speech level only from
   * speech, and only where the suppressor's model, when it runs, agrees.
   */
  detected(speech: boolean): void {
    const probability = this.voiceProbability;
    this.stages.gain.speechHint(speech && (probability === undefined || probability >= VOICE_LIKELY));
  }

  /**
   * One block of what the speaker was handed, as handed. Only while the
   * canceller runs: it takes one far-end block per capture block, so blocks
   * handed to it while off would wait as a stale queue and put the reference
   * behind the echo. Switched on, it starts from the blocks handed from then on.
   */
  render(block: Float32Array): void {
    if (this.echoOn) this.stages.echo.render(block);
  }

  setDeviceDelayMs(ms: number): void {
    this.stages.echo.setDeviceDelayMs(ms);
  }

  /** The suppressor model's voice probability for the last block; undefined while suppression is off. */
  get voiceProbability(): number | undefined {
    return this.stages.noise.strength === 'off' ? undefined : this.stages.noise.voiceProbability;
  }

  get settings(): CaptureProcessingSettings {
    return { echoCancellation: this.echoOn, noiseSuppression: this.stages.noise.strength, autoGain: this.stages.gain.enabled };
  }

  reconfigure(change: Partial<CaptureProcessingSettings>): void {
    checkCaptureProcessing(change);
    if (change.echoCancellation !== undefined) this.echoOn = change.echoCancellation;
    if (change.noiseSuppression !== undefined) this.stages.noise.strength = change.noiseSuppression;
    if (change.autoGain !== undefined) this.stages.gain.enabled = change.autoGain;
  }

  get stats(): CaptureProcessingStats {
    const echo = this.echoOn ? this.stages.echo.stats : { erleDb: undefined, delayMs: undefined };
    return { ...echo, suppressing: this.stages.noise.active, autoGainDb: this.stages.gain.gainDb };
  }

  close(): void {
    this.stages.echo.close();
    this.stages.noise.close();
    this.stages.gain.close();
  }
}
