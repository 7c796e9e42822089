import wavefile from 'wavefile';

/** Mono Float32 samples in [-1, 1] at the file's own rate. */
export interface DecodedWav {
  readonly samples: Float32Array;
  readonly sampleRate: number;
  readonly channels: number;
}

const PCM = 1;
const IEEE_FLOAT = 3;
const EXTENSIBLE = 0xfffe;

interface FormatChunk {
  audioFormat: number;
  numChannels: number;
  sampleRate: number;
  bitsPerSample: number;
}

/**
 * Decodes an integer (8, 16, 24, 32-bit) or float (32, 64-bit) PCM WAV and
 * averages its channels. Integers scale by 2^(bits-1), as the engine's own
 * int16ToFloat does, so 16-bit audio survives a round trip bit for bit.
 * Throws a RangeError naming what is wrong with any other file.
 */
export function decodeWav(bytes: Uint8Array): DecodedWav {
  const wav = new wavefile.WaveFile();
  try {
    wav.fromBuffer(bytes);
  } catch (error) {
    throw new RangeError(`not a readable WAV file (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  const fmt = wav.fmt as FormatChunk;
  const isFloat = fmt.audioFormat === IEEE_FLOAT || (fmt.audioFormat === EXTENSIBLE && wav.bitDepth.endsWith('f'));
  const isInt = fmt.audioFormat === PCM || (fmt.audioFormat === EXTENSIBLE && !isFloat);
  if (!isFloat && !isInt) throw new RangeError(`WAV encoding ${fmt.audioFormat} is not PCM; convert it to PCM first`);
  if (isInt && ![8, 16, 24, 32].includes(fmt.bitsPerSample)) throw new RangeError(`${fmt.bitsPerSample}-bit PCM is not supported`);
  if (fmt.numChannels < 1 || fmt.sampleRate <= 0) throw new RangeError('WAV header has no channels or no sample rate');

  const raw = wav.getSamples(false, Float64Array) as unknown as Float64Array | Float64Array[];
  const channels = Array.isArray(raw) ? raw : [raw];
  // 8-bit WAV is unsigned around 128; wider integers are signed.
  const offset = isInt && fmt.bitsPerSample === 8 ? 128 : 0;
  const scale = isFloat ? 1 : 1 / 2 ** (fmt.bitsPerSample - 1);
  const frames = channels[0]?.length ?? 0;
  const samples = new Float32Array(frames);
  const perChannel = scale / channels.length;
  for (const channel of channels) {
    for (let i = 0; i < frames; i++) samples[i]! += (channel[i]! - offset) * perChannel;
  }
  return { samples, sampleRate: fmt.sampleRate, channels: fmt.numChannels };
}
