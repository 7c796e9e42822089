/**
 * The Emscripten module @echogarden/rnnoise-wasm ships without types: the
 * part of RNNoise's C API (rnnoise.h) and of Emscripten's heap that Parley
 * calls. Pointers are byte offsets into the module's heap.
 */
declare module '@echogarden/rnnoise-wasm' {
  export interface RnnoiseWasmModule {
    /** rnnoise_create(model): model 0 is the built-in one. */
    _rnnoise_create(model: number): number;
    _rnnoise_destroy(state: number): void;
    /** rnnoise_init(state, model): back to a fresh state without reallocating. */
    _rnnoise_init(state: number, model: number): number;
    _rnnoise_get_frame_size(): number;
    /** Denoises 480 int16-scale floats from `input` into `output` (may alias); returns the voice probability. */
    _rnnoise_process_frame(state: number, output: number, input: number): number;
    _malloc(bytes: number): number;
    _free(pointer: number): void;
    /** Replaced when the heap grows, so read it afresh after any allocation. */
    readonly HEAPF32: Float32Array;
  }
  const createRnnoiseModule: (overrides?: Record<string, unknown>) => Promise<RnnoiseWasmModule>;
  export default createRnnoiseModule;
}
