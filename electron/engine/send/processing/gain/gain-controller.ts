import { BLOCK_MS } from '../../../audio-format.js';

export interface GainControllerOptions {
  /** The speech level the gain aims for, dBFS RMS over speech. */
  targetDb?: number;
  /** The gain never leaves [minGainDb, maxGainDb]. */
  minGainDb?: number;
  maxGainDb?: number;
  /** Fastest rise, dB per second of speech. */
  riseDbPerSecond?: number;
  /** Fastest fall while the output stays under the limiter's ceiling, dB per second of speech. */
  fallDbPerSecond?: number;
  /** Fastest fall while the gain drives speech into the limiter, dB per second of speech. */
  overloadFallDbPerSecond?: number;
}

/**
 * −20 dBFS: the active speech level of a clean close-talking recording
 * peak-normalised to −3 dBFS (the speech fixture measures −20.5 dBFS), so
 * speech peaks (about 17 dB over its RMS) reach −3 dBFS and the limiter
 * only meets the odd plosive. It is also where a well-set microphone
 * already sits, so a good one is barely touched.
 * ±6 dB/s: slow enough that syllables and short pauses do not modulate the
 * level (no pumping), and a 20 dB correction still takes under 4 s of speech.
 * 30 dB/s down while overloading: a talker who leans in is off the limiter
 * within a few words. −10 to +30 dB: +30 lifts a −50 dBFS microphone to the
 * target and stops short of lifting a room's hiss into a shout.
 */
export const AUTO_GAIN_DEFAULTS: Required<GainControllerOptions> = {
  targetDb: -20,
  minGainDb: -10,
  maxGainDb: 30,
  riseDbPerSecond: 6,
  fallDbPerSecond: 6,
  overloadFallDbPerSecond: 30,
};

const BLOCKS_PER_SECOND = 1000 / BLOCK_MS;

/**
 * The gain in dB, moved once per speech block toward what would bring the
 * estimated speech level to the target, by at most a fixed step (slew
 * limiting), and held everywhere else.
 */
export class GainController {
  gainDb = 0;
  readonly settings: Required<GainControllerOptions>;
  private readonly risePerBlock: number;
  private readonly fallPerBlock: number;
  private readonly overloadFallPerBlock: number;

  constructor(options: GainControllerOptions = {}) {
    const settings = { ...AUTO_GAIN_DEFAULTS, ...options };
    const { targetDb, minGainDb, maxGainDb, riseDbPerSecond, fallDbPerSecond, overloadFallDbPerSecond } = settings;
    if (!(targetDb >= -40 && targetDb <= -3)) throw new RangeError(`auto gain target ${targetDb} dBFS must lie in [−40, −3]`);
    if (!(minGainDb >= -40 && minGainDb <= 0)) throw new RangeError(`auto gain minimum ${minGainDb} dB must lie in [−40, 0]`);
    if (!(maxGainDb >= 0 && maxGainDb <= 40)) throw new RangeError(`auto gain maximum ${maxGainDb} dB must lie in [0, 40]`);
    for (const [name, rate] of [['rise', riseDbPerSecond], ['fall', fallDbPerSecond], ['overload fall', overloadFallDbPerSecond]] as const) {
      if (!(rate > 0 && rate <= 100)) throw new RangeError(`auto gain ${name} rate ${rate} dB/s must lie in (0, 100]`);
    }
    this.settings = settings;
    this.risePerBlock = riseDbPerSecond / BLOCKS_PER_SECOND;
    this.fallPerBlock = fallDbPerSecond / BLOCKS_PER_SECOND;
    this.overloadFallPerBlock = Math.max(overloadFallDbPerSecond, fallDbPerSecond) / BLOCKS_PER_SECOND;
  }

  /** The gain the level asks for, within bounds. */
  wantedDb(speechLevelDb: number): number {
    const { targetDb, minGainDb, maxGainDb } = this.settings;
    return Math.min(maxGainDb, Math.max(minGainDb, targetDb - speechLevelDb));
  }

  /** One speech block: steps toward the wanted gain; `overloaded` says the block at the present gain peaked over the limiter's ceiling. */
  step(speechLevelDb: number, overloaded: boolean): void {
    const change = this.wantedDb(speechLevelDb) - this.gainDb;
    const fall = overloaded ? this.overloadFallPerBlock : this.fallPerBlock;
    this.gainDb += Math.min(this.risePerBlock, Math.max(-fall, change));
  }
}
