import { Command, Option } from 'commander';
import { DEFAULT_SETTINGS } from '../electron/api/settings.js';

const onOffText = (on: boolean): string => (on ? 'on' : 'off');

/**
 * The `parley` command. Each subcommand loads only what it needs: `relay`
 * never loads audio or codec modules, so a bare server with Node runs it.
 */
const program = new Command()
  .name('parley')
  .description('Parley voice chat: run a relay, or join a room from the command line.')
  .showHelpAfterError();

program
  .command('relay')
  .description('Run a Parley relay that friends join by address.')
  .option('--host <address>', 'address to listen on (default: all IPv6 and IPv4 addresses)')
  .option('--port <number>', 'UDP port', '47000')
  .option('--password <password>', 'require this password to join (prefer PARLEY_RELAY_PASSWORD or --password-file)')
  .addOption(new Option('--password-file <path>', 'read the relay password from a file').conflicts('password'))
  .option('--metrics-port <number>', 'serve Prometheus metrics over HTTP on this port')
  .option('--metrics-host <address>', 'address for the metrics endpoint', '127.0.0.1')
  .option('--max-rooms <number>', 'most rooms at once', '1000')
  .option('--max-members-per-room <number>', 'most members in one room', '64')
  .option('--max-members <number>', 'most members on the relay', '5000')
  .option('--no-tcp', 'do not listen on TCP beside UDP (clients whose network blocks UDP then cannot join)')
  .option('--tls-port <number>', 'also serve TLS-wrapped streams on this port (443 passes most firewalls); needs --tls-cert and --tls-key')
  .option('--tls-cert <file>', 'PEM certificate chain for --tls-port')
  .option('--tls-key <file>', 'PEM private key for --tls-port')
  .option('--drain-timeout <seconds>', 'on SIGTERM, refuse new joins and wait this long at most for the members to leave', '30')
  .option('--max-loop-lag <ms>', 'event-loop lag beyond which /healthz answers 503 (the relay is stalled)', '2000')
  .option('--workers <number>', 'forwarding workers, each with its own socket on the port (default: one per core, at most 16; 1 where the system cannot share a port)')
  .option('--agones', 'run as an Agones game server: tell the SDK sidecar when ready, ping its health, label the member count')
  .option('--map-port', 'ask the home router (NAT-PMP, UPnP) to open the port, print the public address, and remove the mapping on exit')
  .option('--private-rooms', 'do not list the rooms: a member must know the name of the room it joins')
  .option('--room-password <NAME=FILE...>', 'lock room NAME with the password in FILE (repeat for more rooms)')
  .addOption(new Option('--log-level <level>', 'log detail').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'))
  .addOption(new Option('--log-format <format>', 'log format (default: pretty on a terminal, else json)').choices(['pretty', 'json']))
  .action(async (options: Record<string, string | undefined>) => {
    const { runRelayCommand } = await import('./relay-command.js');
    await runRelayCommand(options);
  });

program
  .command('join')
  .description('Join a room from the command line: for bots, tests, load and headless machines.')
  .argument('<target>', 'HOST:PORT, [IPv6]:PORT, or a parley:// invite link')
  .option('--room <name>', 'room to join (an invite link names its own)')
  .requiredOption('--name <name>', 'display name others will see')
  .option('--secret <secret>', 'room secret for end-to-end encryption (an invite link carries it)')
  .option('--password <password>', 'relay password (or PARLEY_RELAY_PASSWORD)')
  .option('--input <source>', '"default", a device name (see `parley devices`), or a .wav file', 'default')
  .option('--output <sink>', '"default", a device name, or a .wav file to record into', 'default')
  .option('--duration <seconds>', 'leave after this long')
  .option('--frame-ms <ms>', 'Opus frame size: 10, 20 or 40', '20')
  .option('--bitrate <kbps>', 'Opus bitrate, 16–64 kbit/s', '24')
  .addOption(new Option('--activation <mode>', 'send on voice activity, or always').choices(['voice', 'continuous']).default('voice'))
  .addOption(new Option('--echo-cancellation <on|off>', `remove the others' voices the speaker plays into the microphone (default ${onOffText(DEFAULT_SETTINGS.echoCancellation)}; a WAV output needs none)`).choices(['on', 'off']))
  .addOption(new Option('--noise-suppression <level>', `noise suppression strength; on means the default, ${DEFAULT_SETTINGS.noiseSuppression}`).choices(['off', 'low', 'high', 'on']))
  .addOption(new Option('--auto-gain <on|off>', `bring the microphone to a steady speech level (default ${onOffText(DEFAULT_SETTINGS.autoGain)})`).choices(['on', 'off']))
  .option('--stats-every <seconds>', 'how often to print a stats line', '2')
  .option('--chat', "print the room's text chat, and send each line read from standard input")
  .option('--hidden-room', "keep a room this join creates out of the relay's list of rooms")
  .addOption(new Option('--log-level <level>', 'log detail').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'))
  .addOption(new Option('--log-format <format>', 'log format').choices(['pretty', 'json']))
  .addOption(new Option('--transport <way>', 'UDP, falling back to TCP when UDP is blocked (auto); or only one').choices(['auto', 'udp', 'tcp']).default('auto'))
  .action(async (target: string, options: Record<string, string | undefined>) => {
    const { runJoinCommand } = await import('./join-command.js');
    await runJoinCommand(target, options);
  });

program
  .command('rooms')
  .description("List a relay's rooms and who is in them.")
  .argument('<target>', 'HOST:PORT, [IPv6]:PORT, or a parley:// invite link')
  .option('--password <password>', 'relay password (or PARLEY_RELAY_PASSWORD)')
  .option('--name <name>', 'the name the relay sees while listing (no one else does)', 'Parley rooms')
  .option('--json', 'print JSON')
  .action(async (target: string, options: Record<string, string | boolean | undefined>) => {
    const { runRoomsCommand } = await import('./rooms-command.js');
    await runRoomsCommand(target, options);
  });

program
  .command('devices')
  .description('List audio devices for --input and --output.')
  .option('--json', 'print JSON')
  .action(async (options: { json?: boolean }) => {
    const { runDevicesCommand } = await import('./devices-command.js');
    runDevicesCommand(options);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(message.split('\n').map((line) => `parley: ${line}\n`).join(''));
  process.exit(1);
});
