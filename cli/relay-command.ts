import { z } from 'zod';
import { formatAddress } from '../server/shared/address.js';
import { MetricsStartError, RelayStartError, shareableAddresses, startRelay, type RelayHandle, type RelayOptions } from '../server/index.js';
import { createLogger } from './logger.js';
import { parseOptions, wholeNumber } from './options.js';
import { resolvePassword } from './relay-password.js';
import { relayStreamLines, relayStreamOptionsSchema, relayStreamSettings } from './relay-streams.js';
import { onShutdown } from './shutdown.js';
import { StdoutLines } from './stdout-lines.js';

const port = wholeNumber(0, 65535);

export const relayOptionsSchema = z.object({
  host: z.string().min(1, 'must be an address').optional(),
  port: port.default(47000),
  password: z.string().optional(),
  passwordFile: z.string().optional(),
  metricsPort: port.optional(),
  metricsHost: z.string().min(1, 'must be an address').default('127.0.0.1'),
  maxRooms: wholeNumber(1).default(1000),
  maxMembersPerRoom: wholeNumber(1).default(64),
  maxMembers: wholeNumber(1).default(5000),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  logFormat: z.enum(['pretty', 'json']).optional(),
}).and(relayStreamOptionsSchema);

export type RelayCommandOptions = z.input<typeof relayOptionsSchema>;

/** A socket that could not listen, said in terms of the options that chose its address and port. */
async function startRelayForOptions(options: RelayOptions): Promise<RelayHandle> {
  try {
    return await startRelay(options);
  } catch (error) {
    if (!(error instanceof RelayStartError || error instanceof MetricsStartError)) throw error;
    const [hostFlag, portFlag] = error instanceof RelayStartError ? ['--host', '--port'] : ['--metrics-host', '--metrics-port'];
    const which = error.code === 'addressUnavailable' ? hostFlag : error.code === 'unknown' ? `${hostFlag}, ${portFlag}` : portFlag;
    throw new Error(`${which}: ${error.message}`, { cause: error });
  }
}

export async function runRelayCommand(raw: RelayCommandOptions): Promise<RelayHandle> {
  const options = parseOptions(relayOptionsSchema, raw);
  const password = resolvePassword(options);
  const logger = createLogger(options.logLevel, options.logFormat);
  const relay = await startRelayForOptions({
    host: options.host,
    port: options.port,
    password,
    metricsPort: options.metricsPort,
    metricsHost: options.metricsHost,
    maxRooms: options.maxRooms,
    maxMembersPerRoom: options.maxMembersPerRoom,
    maxMembers: options.maxMembers,
    ...relayStreamSettings(options),
    logger,
  });
  const { host, port: boundPort, family } = relay.address;
  const lines = [
    `Parley relay listening on UDP ${formatAddress(host, boundPort)}${host === '::' ? ' (IPv6 and IPv4)' : ` (${family})`}`,
    'Friends can join at:',
    ...shareableAddresses(host, boundPort).map((address) => `  ${address}`),
    ...relayStreamLines(relay),
    `Password: ${password ? 'required' : 'none (anyone who can reach this port can join)'}`,
  ];
  if (relay.metricsPort !== undefined) lines.push(`Metrics: http://${formatAddress(options.metricsHost, relay.metricsPort)}/metrics`);
  lines.push('Press Ctrl+C to stop.');
  // The relay serves on if its stdout's reader goes away: what it prints is a courtesy.
  const out = new StdoutLines();
  out.write(`${lines.join('\n')}\n`);

  onShutdown(async (signal) => {
    logger.info({ signal }, 'stopping relay');
    await relay.close();
    out.write('Parley relay stopped.\n');
    logger.flush();
  });
  return relay;
}
