import type * as LiveKitFfi from '@livekit/rtc-ffi-bindings';
import { BLOCK_SAMPLES, SAMPLE_RATE } from '../../../audio-format.js';

/**
 * WebRTC's audio processing module (AEC3 with its delay estimator, adaptive
 * filter and residual-echo suppressor), as built into the prebuilt Node-API
 * addon of @livekit/rtc-ffi-bindings and driven through its FFI with no
 * LiveKit server. The package says it is for internal use, so its version is
 * pinned and this is the only file that knows it (docs/decisions/echo-canceller.md).
 *
 * Each FFI call is a protobuf FfiRequest handed to `livekitFfiRequest`. The
 * audio goes by pointer, not in the message: the two 10 ms requests name
 * fixed Int16 buffers, so they are encoded once per session and the same
 * bytes are sent every block, with nothing encoded per call. (An
 * ArrayBuffer's memory never moves, and the session holds both arrays, so
 * the pointers stay valid for its life.)
 */
// A CommonJS module whose exports are spread in at run time: Node's ESM loader gives them only as `default`.
type Binding = typeof LiveKitFfi.default;
type Request = NonNullable<ConstructorParameters<Binding['FfiRequest']>[0]>;
type Response = InstanceType<Binding['FfiResponse']>;

let loading: Promise<Binding> | undefined;

/** Loads the native addon once; rejects on a platform it has no build for. */
export function loadWebRtcApm(): Promise<Binding> {
  loading ??= import('@livekit/rtc-ffi-bindings').then((module) => module.default);
  return loading;
}

/** The response to a per-block request that succeeded: its oneof field with an empty message (no `error`). */
const EMPTY_RESPONSE_BYTES = 3;

/** One APM instance with echo cancellation only (high-pass, noise suppression and gain are Parley's own stages). */
export class WebRtcApmSession {
  /** The capture block, processed in place. */
  readonly capture = new Int16Array(BLOCK_SAMPLES);
  /** The far-end block. */
  readonly render = new Int16Array(BLOCK_SAMPLES);
  private readonly handle: InstanceType<Binding['FfiHandle']>;
  private readonly processCaptureRequest: Uint8Array;
  private readonly processRenderRequest: Uint8Array;
  private closed = false;

  constructor(private readonly binding: Binding) {
    const created = this.call({
      case: 'newApm',
      value: { echoCancellerEnabled: true, gainControllerEnabled: false, highPassFilterEnabled: false, noiseSuppressionEnabled: false },
    });
    const id = created.case === 'newApm' ? created.value.apm?.handle?.id : undefined;
    if (id === undefined) throw new Error('the echo canceller could not be created');
    this.handle = new binding.FfiHandle(id);
    const frame = (pcm: Int16Array) => ({
      apmHandle: id,
      dataPtr: binding.livekitRetrievePtr(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength)),
      size: pcm.byteLength,
      sampleRate: SAMPLE_RATE,
      numChannels: 1,
    });
    this.processCaptureRequest = new binding.FfiRequest({ message: { case: 'apmProcessStream', value: frame(this.capture) } }).toBinary();
    this.processRenderRequest = new binding.FfiRequest({ message: { case: 'apmProcessReverseStream', value: frame(this.render) } }).toBinary();
  }

  /** Cancels echo in `capture`, in place. */
  processCapture(): void {
    this.send(this.processCaptureRequest);
  }

  /** Hands `render` to the canceller as the far-end reference. */
  processRender(): void {
    this.send(this.processRenderRequest);
  }

  setStreamDelayMs(ms: number): void {
    this.call({ case: 'apmSetStreamDelay', value: { apmHandle: this.handle.handle, delayMs: Math.round(ms) } });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.handle.dispose();
  }

  private send(request: Uint8Array): void {
    if (this.closed) throw new Error('the echo canceller was used after close()');
    const response = this.binding.livekitFfiRequest(request);
    if (response.length !== EMPTY_RESPONSE_BYTES) this.throwIfError(this.binding.FfiResponse.fromBinary(response).message);
  }

  private throwIfError(message: Response['message']): void {
    const error = message.value !== undefined && 'error' in message.value ? message.value.error : undefined;
    if (typeof error === 'string') throw new Error(`echo canceller: ${error}`);
  }

  private call(message: Request['message']): Response['message'] {
    if (this.closed) throw new Error('the echo canceller was used after close()');
    const response = this.binding.FfiResponse.fromBinary(this.binding.livekitFfiRequest(new this.binding.FfiRequest({ message }).toBinary()));
    this.throwIfError(response.message);
    return response.message;
  }
}
