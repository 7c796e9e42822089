import { z } from 'zod';
import { homeRouter, memoryJournal, reachability, type MappingStatus, type PortMapper } from '../server/portmap/index.js';
import { formatAddress } from '../server/shared/address.js';
import { defaultWorkerCount, MAX_WORKERS, MetricsStartError, RelayStartError, shareableAddresses, startRelay, type RelayHandle, type RelayOptions } from '../server/index.js';
import { createLogger } from './logger.js';
import { parseOptions, seconds, wholeNumber } from './options.js';
import { joinAgonesFleet } from './relay-fleet.js';
import { resolvePassword } from './relay-password.js';
import { resolveRoomPasswords } from './room-passwords.js';
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
  mapPort: z.boolean().default(false),
  privateRooms: z.boolean().default(false),
  roomPassword: z.array(z.string()).optional(),
  drainTimeout: seconds().default(30),
  maxLoopLag: wholeNumber(1).default(2000),
  agones: z.boolean().default(false),
  workers: wholeNumber(1, MAX_WORKERS).default(() => defaultWorkerCount()),
}).and(relayStreamOptionsSchema);

export type RelayCommandOptions = z.input<typeof relayOptionsSchema>;

/** The banner's line on how many workers forward, and why fewer than asked run. */
export function forwardingLine(running: number, asked: number): string {
  const workers = running === 1 ? '1 worker' : `${running} workers (one socket each, members spread by address)`;
  return `Forwarding on ${workers}${running < asked ? `, not ${asked}: see the log` : ''}`;
}

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
  const roomPasswords = resolveRoomPasswords(options.roomPassword);
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
    privateRooms: options.privateRooms,
    roomPasswords,
    ...relayStreamSettings(options),
    maxLoopLagMs: options.maxLoopLag,
    workers: options.workers,
    logger,
  });
  const fleet = options.agones ? await joinAgonesFleet(relay, logger) : null;
  const { host, port: boundPort, family } = relay.address;
  // The relay serves on if its stdout's reader goes away: what it prints is a courtesy.
  const out = new StdoutLines();
  out.write(`Parley relay listening on UDP ${formatAddress(host, boundPort)}${host === '::' ? ' (IPv6 and IPv4)' : ` (${family})`}\n`);
  let mapper: PortMapper | null = null;
  let addresses = shareableAddresses(host, boundPort);
  if (options.mapPort) {
    if (host === '::1' || host.startsWith('127.')) {
      out.write('Not asking the router to open the port: the relay listens on loopback only.\n');
    } else {
      out.write('Asking your router to open the port…\n');
      const router = await homeRouter(memoryJournal(), true);
      const lanAddress = router.lanAddress;
      mapper = router.mapper;
      const status = mapper ? await mapper.open(boundPort) : ({ state: 'noRouter' } as const);
      const verdict = reachability({ port: boundPort, lanAddress, mapping: status });
      out.write(`${verdict.message}\n`);
      if (status.state === 'mapped') out.write(`Public address (from the router, by ${status.method}): ${verdict.publicAddress ?? ''}\n`);
      if (verdict.publicAddress) addresses = [verdict.publicAddress, ...addresses.filter((a) => a !== verdict.publicAddress)];
      // A lease lost later (the router stopped renewing) is said too.
      mapper?.onChange((later: MappingStatus) => out.write(`${reachability({ port: boundPort, lanAddress, mapping: later }).message}\n`));
    }
  }
  const lines = [
    'Friends can join at:',
    ...addresses.map((address) => `  ${address}`),
    ...relayStreamLines(relay),
    forwardingLine(relay.workers, options.workers),
    `Password: ${password ? 'required' : 'none (anyone who can reach this port can join)'}`,
    `Rooms: ${options.privateRooms ? 'private (a member must know a room’s name to join it)' : 'listed to everyone who joins'}`,
    ...Object.keys(roomPasswords).map((room) => `Room "${room}" is locked with a password`),
  ];
  if (relay.metricsPort !== undefined) {
    const base = `http://${formatAddress(options.metricsHost, relay.metricsPort)}`;
    lines.push(`Metrics: ${base}/metrics (health: ${base}/healthz, ${base}/readyz)`);
  }
  if (fleet) lines.push('In an Agones fleet: told it the relay is ready.');
  lines.push('Press Ctrl+C to stop.');
  out.write(`${lines.join('\n')}\n`);

  onShutdown(async (signal) => {
    logger.info({ signal }, 'stopping relay');
    // An orchestrator stops with SIGTERM: its members are asked to go first. A person's Ctrl+C stops at once.
    if (signal === 'SIGTERM') {
      out.write(`Draining: refusing new joins, waiting up to ${options.drainTimeout} s for the members to leave (Ctrl+C stops at once).\n`);
      const outcome = await relay.drain(options.drainTimeout * 1000);
      out.write(outcome.ended === 'empty' ? 'Every member has left.\n' : `Drain timeout: ${outcome.membersLeft} still joined, told the relay stopped.\n`);
    } else {
      await relay.close();
    }
    await fleet?.finish();
    if (mapper) {
      await mapper.close();
      out.write('Port mapping removed from the router.\n');
    }
    out.write('Parley relay stopped.\n');
    logger.flush();
  });
  return relay;
}
