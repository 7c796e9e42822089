import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { formatAddress, shareableAddresses, startRelay, type RelayHandle } from '../server/index.js';
import { createLogger } from './logger.js';
import { onShutdown } from './shutdown.js';
import { StdoutLines } from './stdout-lines.js';

const port = z.coerce.number().int().min(0).max(65535);
const positive = z.coerce.number().int().min(1);

export const relayOptionsSchema = z.object({
  host: z.string().min(1).optional(),
  port: port.default(47000),
  password: z.string().optional(),
  passwordFile: z.string().optional(),
  metricsPort: port.optional(),
  metricsHost: z.string().default('127.0.0.1'),
  maxRooms: positive.default(1000),
  maxMembersPerRoom: positive.default(64),
  maxMembers: positive.default(5000),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  logFormat: z.enum(['pretty', 'json']).optional(),
});

export type RelayCommandOptions = z.input<typeof relayOptionsSchema>;

function resolvePassword(options: z.output<typeof relayOptionsSchema>): string | undefined {
  if (options.passwordFile) return readFileSync(options.passwordFile, 'utf8').trim();
  // An environment variable keeps the password out of `ps` listings, unlike --password.
  return options.password ?? process.env.PARLEY_RELAY_PASSWORD ?? undefined;
}

export async function runRelayCommand(raw: RelayCommandOptions): Promise<RelayHandle> {
  const parsed = relayOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((issue) => `--${String(issue.path[0])}: ${issue.message}`).join('\n'));
  }
  const options = parsed.data;
  const logger = createLogger(options.logLevel, options.logFormat);
  const password = resolvePassword(options);
  const relay = await startRelay({
    host: options.host,
    port: options.port,
    password,
    metricsPort: options.metricsPort,
    metricsHost: options.metricsHost,
    maxRooms: options.maxRooms,
    maxMembersPerRoom: options.maxMembersPerRoom,
    maxMembers: options.maxMembers,
    logger,
  });
  const { host, port: boundPort, family } = relay.address;
  const lines = [
    `Parley relay listening on UDP ${formatAddress(host, boundPort)}${host === '::' ? ' (IPv6 and IPv4)' : ` (${family})`}`,
    'Friends can join at:',
    ...shareableAddresses(host, boundPort).map((address) => `  ${address}`),
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
