import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { RelayHandle, RelayOptions } from '../server/index.js';
import { wholeNumber } from './options.js';

/** The relay command's stream options: TCP beside UDP (on by default), and TLS when given a port, certificate and key. */
export const relayStreamOptionsSchema = z
  .object({
    tcp: z.boolean().default(true),
    tlsPort: wholeNumber(1, 65535).optional(),
    tlsCert: z.string().min(1, 'must be a file').optional(),
    tlsKey: z.string().min(1, 'must be a file').optional(),
  })
  .refine((o) => (o.tlsPort === undefined) === (o.tlsCert === undefined) && (o.tlsCert === undefined) === (o.tlsKey === undefined), {
    message: '--tls-port, --tls-cert and --tls-key go together',
    path: ['tlsPort'],
  });

export type RelayStreamOptions = z.output<typeof relayStreamOptionsSchema>;

/** What startRelay needs for them; the certificate and key are read now, so a missing file stops the relay before it starts. */
export function relayStreamSettings(options: RelayStreamOptions): Pick<RelayOptions, 'tcp' | 'tls'> {
  if (options.tlsPort === undefined || options.tlsCert === undefined || options.tlsKey === undefined) return { tcp: options.tcp };
  const read = (flag: string, path: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new Error(`${flag}: cannot read ${path}: ${(error as Error).message}`, { cause: error });
    }
  };
  return { tcp: options.tcp, tls: { port: options.tlsPort, cert: read('--tls-cert', options.tlsCert), key: read('--tls-key', options.tlsKey) } };
}

/** The lines the relay command prints about them. */
export function relayStreamLines(relay: RelayHandle): string[] {
  const lines: string[] = [];
  if (relay.tcpPort !== undefined) lines.push(`Also on TCP port ${relay.tcpPort}, for friends whose network blocks UDP`);
  if (relay.tlsPort !== undefined) lines.push(`And TLS on port ${relay.tlsPort}`);
  return lines;
}
