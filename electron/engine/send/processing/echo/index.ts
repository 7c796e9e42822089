/**
 * The echo canceller stage. Which library cancels is this folder's business
 * alone: the rest of the engine sees `loadEchoCanceller` and the contract.
 */
import type { EchoCanceller } from '../capture-stage.js';
import { PassThroughEchoCanceller } from './pass-through-echo-canceller.js';
import { loadWebRtcApm, WebRtcApmSession } from './webrtc-apm.js';
import { WebRtcEchoCanceller } from './webrtc-echo-canceller.js';

export type EchoCancellerFactory = () => EchoCanceller;

/** Loads the canceller's native code once (later calls share it); the factory it gives builds cancellers synchronously. */
export async function loadEchoCanceller(): Promise<EchoCancellerFactory> {
  const binding = await loadWebRtcApm();
  return () => new WebRtcEchoCanceller(() => new WebRtcApmSession(binding));
}

/** For an output with no acoustic path (a WAV file): never fails, reports no echo. */
export function passThroughEchoCanceller(): EchoCanceller {
  return new PassThroughEchoCanceller();
}
