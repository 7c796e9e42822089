import type { AgonesSDK as AgonesSdkClass } from '@google-cloud/agones-sdk/src/agonesSDK.js';
import type { GameServerSdk } from './game-server-sdk.js';

/**
 * Agones through its own Node SDK (@google-cloud/agones-sdk: gRPC to the
 * sidecar on localhost, port 9357 unless AGONES_SDK_GRPC_PORT says otherwise). Loaded only when `parley relay --agones` asks, so a
 * relay outside a fleet never loads gRPC. See docs/decisions/agones.md.
 */
export async function openAgonesSdk(): Promise<GameServerSdk> {
  const { default: loaded } = await import('@google-cloud/agones-sdk');
  // Its types say `export default`, its code `module.exports =`: imported from ESM, the class is the default itself.
  const AgonesSDK = loaded as unknown as typeof AgonesSdkClass;
  const sdk = new AgonesSDK();
  const done = async (call: Promise<unknown>): Promise<void> => {
    await call;
  };
  return {
    address: `localhost:${sdk.port}`,
    connect: () => sdk.connect(),
    ready: () => done(sdk.ready()),
    health: (onError) => sdk.health((error: unknown) => onError(error instanceof Error ? error : new Error(String(error)))),
    setLabel: (key, value) => done(sdk.setLabel(key, value)),
    shutdown: () => done(sdk.shutdown()),
    close: () => sdk.close(),
  };
}
