import { CaptureProcessor, type CaptureProcessingSettings } from './capture-processor.js';
import { loadEchoCanceller, passThroughEchoCanceller } from './echo/index.js';
import { SpeechAutoGain } from './gain/speech-auto-gain.js';
import { loadNoiseSuppression } from './noise/load-noise-suppression.js';
import { PassThroughNoiseSuppressor } from './noise/pass-through-noise-suppressor.js';

/** Where the processed microphone's echo could come from: only an acoustic output needs cancelling. */
export interface CaptureOutput {
  readonly acoustic: boolean;
}

/** Builds capture processors synchronously, once their native and WASM code is loaded. */
export interface CaptureProcessing {
  create(settings: CaptureProcessingSettings, output: CaptureOutput): CaptureProcessor;
  /**
   * Stages whose code would not load on this machine, with why. They pass
   * audio through instead: a voice chat without an echo canceller is better
   * than none at all.
   */
  readonly unavailable: readonly { stage: 'echoCancellation' | 'noiseSuppression'; reason: string }[];
}

let loading: Promise<CaptureProcessing> | undefined;

/**
 * Loads the echo canceller's and the noise suppressor's code, once per
 * process (later calls share the first load), as the Opus codec is loaded
 * once: every call and mic test after it builds its stages at once.
 */
export function loadCaptureProcessing(): Promise<CaptureProcessing> {
  loading ??= (async () => {
    const unavailable: { stage: 'echoCancellation' | 'noiseSuppression'; reason: string }[] = [];
    const missing = (stage: 'echoCancellation' | 'noiseSuppression') => (error: unknown) => {
      unavailable.push({ stage, reason: error instanceof Error ? error.message : String(error) });
      return undefined;
    };
    const [echo, noise] = await Promise.all([loadEchoCanceller().catch(missing('echoCancellation')), loadNoiseSuppression().catch(missing('noiseSuppression'))]);
    return {
      unavailable,
      create: (settings, output) =>
        new CaptureProcessor(
          {
            echo: output.acoustic && echo ? echo() : passThroughEchoCanceller(),
            noise: noise ? noise(settings.noiseSuppression) : new PassThroughNoiseSuppressor(),
            gain: new SpeechAutoGain({ enabled: settings.autoGain }),
          },
          settings,
        ),
    };
  })();
  return loading;
}
