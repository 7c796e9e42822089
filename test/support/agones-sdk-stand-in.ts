import { createRequire } from 'node:module';
import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';

/**
 * A STAND-IN for Agones' SDK sidecar (the `agones-sdk` container Agones puts
 * beside a game server in its pod), which cannot run here: a real gRPC
 * server on localhost serving the SDK's own service definition, so the real
 * @google-cloud/agones-sdk client talks to it as to the sidecar. It does
 * what the relay needs and no more: it records each call, answers with an
 * empty message, and can be told to refuse one.
 */
export interface SdkCall {
  method: 'ready' | 'health' | 'setLabel' | 'shutdown' | 'other';
  key?: string;
  value?: string;
}

interface KeyValue {
  getKey(): string;
  getValue(): string;
}

interface Messages {
  Empty: new () => unknown;
}

const require = createRequire(import.meta.url);
// The SDK's generated code (no types of its own): the service definition and its messages.
const services = require('@google-cloud/agones-sdk/lib/sdk_grpc_pb.js') as Record<string, ServiceDefinition>;
const messages = require('@google-cloud/agones-sdk/lib/sdk_pb.js') as Messages;

type Unary = (call: { request: unknown }, callback: (error: Error | null, reply?: unknown) => void) => void;

export class AgonesSdkStandIn {
  readonly calls: SdkCall[] = [];
  /** Methods answered with an error instead. */
  readonly refusing = new Set<SdkCall['method']>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<AgonesSdkStandIn> {
    const server = new Server();
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    const standIn = new AgonesSdkStandIn(server, port);
    server.addService(services['agones.dev.sdk.SDK']!, standIn.handlers());
    return standIn;
  }

  /** The calls of one method, in order. */
  of(method: SdkCall['method']): SdkCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.tryShutdown(() => resolve()));
  }

  private handlers(): UntypedServiceImplementation {
    const unary = (method: SdkCall['method'], describe: (request: unknown) => Partial<SdkCall> = () => ({})): Unary => (call, callback) => {
      this.calls.push({ method, ...describe(call.request) });
      if (this.refusing.has(method)) callback(Object.assign(new Error(`stand-in refuses ${method}`), { code: 13 }));
      else callback(null, new messages.Empty());
    };
    const other = unary('other');
    return {
      ready: unary('ready'),
      shutdown: unary('shutdown'),
      setLabel: unary('setLabel', (request) => ({ key: (request as KeyValue).getKey(), value: (request as KeyValue).getValue() })),
      health: (call: NodeJS.EventEmitter, callback: (error: Error | null, reply?: unknown) => void) => {
        call.on('data', () => this.calls.push({ method: 'health' }));
        call.on('end', () => callback(null, new messages.Empty()));
        call.on('error', () => {});
      },
      allocate: other,
      getGameServer: other,
      setAnnotation: other,
      reserve: other,
      watchGameServer: (call: { end(): void }) => {
        this.calls.push({ method: 'other' });
        call.end();
      },
    };
  }
}
