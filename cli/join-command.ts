import { z } from 'zod';
import { formatAddress } from '../server/shared/address.js';
import { DEFAULT_SETTINGS } from '../electron/api/settings.js';
import { InviteError, parseInvite } from '../electron/app/invite.js';
import { AudioDeviceError } from '../electron/audio/index.js';
import { VoiceClient } from '../electron/client/voice-client.js';
import { JoinError } from '../electron/net/join-error.js';
import { relayChat } from './chat-lines.js';
import { createLogger } from './logger.js';
import { openInput, openOutput } from './join-target.js';
import { onOff, oneOf, parseOptions, seconds, wholeNumber } from './options.js';
import { onShutdown } from './shutdown.js';
import { formatStatsLine } from './stats-line.js';
import { StdoutLines } from './stdout-lines.js';

export const joinOptionsSchema = z.object({
  room: z.string().optional(),
  name: z.string().min(1, 'a display name is required'),
  secret: z.string().min(1, 'must not be empty: an empty secret leaves the room unencrypted (leave the option out for that)').optional(),
  password: z.string().optional(),
  input: z.string().default('default'),
  output: z.string().default('default'),
  duration: seconds().optional(),
  frameMs: oneOf([10, 20, 40]).default(20),
  bitrate: wholeNumber(16, 64).default(24),
  activation: z.enum(['voice', 'continuous']).default('voice'),
  // The app's defaults; `on` is the default strength.
  echoCancellation: onOff().default(DEFAULT_SETTINGS.echoCancellation),
  noiseSuppression: z
    .enum(['off', 'low', 'high', 'on'], { error: 'must be off, low, high or on' })
    .transform((level) => (level === 'on' ? DEFAULT_SETTINGS.noiseSuppression : level))
    .default(DEFAULT_SETTINGS.noiseSuppression),
  autoGain: onOff().default(DEFAULT_SETTINGS.autoGain),
  statsEvery: seconds().default(2),
  chat: z.boolean().default(false),
  hiddenRoom: z.boolean().default(false),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
  logFormat: z.enum(['pretty', 'json']).optional(),
  transport: z.enum(['auto', 'udp', 'tcp'], { error: 'must be auto, udp or tcp' }).default('auto'),
});

export type JoinCommandOptions = z.input<typeof joinOptionsSchema>;

const stamp = (): string => new Date().toISOString().slice(11, 19);

/**
 * `parley join`: the voice engine with no window. Joins a room, plays what it
 * hears, sends what its input captures, and prints who comes and goes and a
 * stats line every few seconds; with --chat, the room's text chat too. For
 * bots, tests, load and headless machines.
 */
export async function runJoinCommand(target: string, raw: unknown): Promise<void> {
  const options = parseOptions(joinOptionsSchema, raw);
  let invite;
  try {
    invite = parseInvite(target, options.room);
  } catch (error) {
    throw new Error(error instanceof InviteError ? error.message : String(error), { cause: error });
  }
  const out = new StdoutLines();
  const say = (line: string): void => out.write(`[${stamp()}] ${line}\n`);
  const logger = createLogger(options.logLevel, options.logFormat);
  const input = await openInput(options.input);
  const output = await openOutput(options.output);
  if (!invite.roomNamed && options.room === undefined) say(`no room named: joining ${invite.room}, the default (--room names another)`);
  let client: VoiceClient;
  try {
    client = await VoiceClient.start({
      session: {
        relay: { host: invite.host, port: invite.port },
        room: invite.room,
        name: options.name,
        secret: options.secret ?? invite.secret,
        password: options.password ?? invite.password ?? process.env.PARLEY_RELAY_PASSWORD,
        transport: options.transport,
        hiddenRoom: options.hiddenRoom,
      },
      input,
      output,
      send: {
        frameMs: options.frameMs,
        bitrate: options.bitrate * 1000,
        activation: options.activation,
        red: 'auto',
        echoCancellation: options.echoCancellation,
        noiseSuppression: options.noiseSuppression,
        autoGain: options.autoGain,
      },
      cueSounds: false,
      logger,
    });
  } catch (error) {
    if (error instanceof JoinError || error instanceof AudioDeviceError) throw new Error(error.message, { cause: error });
    throw error;
  }
  const snapshot = client.snapshot();
  say(`joined ${invite.room} on ${formatAddress(invite.host, invite.port)} as ${options.name} (${snapshot.encrypted ? 'encrypted' : 'not encrypted'}${snapshot.self.transport === 'tcp' ? ', via TCP' : ''})`);
  for (const peer of snapshot.peers) say(`  ${peer.name} is here`);
  client.on('peerJoined', (peer) => say(`+ ${peer.name} joined`));
  client.on('peerLeft', (peer) => say(`- ${peer.name} left`));
  client.on('transport', (kind) => say(kind === 'tcp' ? '! UDP is not getting through: now via TCP' : 'UDP works again: back to UDP'));
  client.on('deviceError', ({ direction, error }) => say(`! ${direction}: ${error.message}`));
  client.on('status', (status) => {
    if (status.state === 'reconnecting') say(`! connection ${status.reason}: reconnecting (attempt ${status.attempt}, in ${status.retryInMs} ms)`);
    else if (status.state === 'connected') say('reconnected');
    else if (status.state === 'closed' && status.reason === 'failed') say(`! gave up: ${status.error?.message ?? 'disconnected'}`);
  });
  const statsTimer = setInterval(() => say(formatStatsLine(client.snapshot())), options.statsEvery * 1000);
  const stopChat = options.chat ? relayChat(client, say, process.stdin) : undefined;

  const shutdown = onShutdown(async (why) => {
    clearInterval(statsTimer);
    stopChat?.();
    say(`leaving (${why})`);
    await client.leave();
    say('left');
    logger.flush();
  });
  // Nobody reads what we print any more (`| head -1` has its line): leave the room rather than linger or crash.
  out.onReaderGone(() => shutdown('output closed'));
  if (options.duration !== undefined) setTimeout(() => shutdown(`${options.duration} s elapsed`), options.duration * 1000);
}
