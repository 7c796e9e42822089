import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A home network in three network namespaces: "lan" (the hosting side), "router"
 * (NAT with nftables, and miniupnpd speaking UPnP IGD, NAT-PMP and PCP) and "wan"
 * (a friend outside). Every name carries a per-run suffix, since other test runs make
 * namespaces too. The WAN side uses a public-looking address, because miniupnpd refuses
 * every mapping when its own external address is private or reserved; these namespaces
 * have no route anywhere else, so it reaches only this test's hosts.
 */
export interface HomeRouter {
  lan: string;
  router: string;
  wan: string;
  /** The host's address on the home network. */
  lanAddress: string;
  routerLanAddress: string;
  /** The router's public address, and the friend's. */
  wanAddress: string;
  friendAddress: string;
  /** Runs a command in a namespace, resolving with its output (throws on a non-zero exit). */
  run(namespace: string, command: string[]): string;
  /** The DNAT rules miniupnpd has put in place, as nft prints them. */
  natRules(): string;
  /** Stops miniupnpd and starts it again with these switches (with both off it stays stopped: it refuses to run so). */
  restartMiniupnpd(options: MiniupnpdOptions): Promise<void>;
  close(): Promise<void>;
}

export interface MiniupnpdOptions {
  upnp: boolean;
  natpmp: boolean;
  /** Announce an IGDv1 device (as most home routers are) instead of miniupnpd's default IGDv2. */
  igdV1?: boolean;
}

const LAN_ADDRESS = '192.168.77.20';
const ROUTER_LAN_ADDRESS = '192.168.77.1';
/** Outside every private, shared (100.64/10) and documentation range, see above. */
const WAN_ADDRESS = '11.77.0.1';
const FRIEND_ADDRESS = '11.77.0.2';

/** Why the home router cannot be built here, or undefined when it can. */
export function homeRouterUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  for (const tool of ['ip', 'nft', 'miniupnpd', 'upnpc']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed (apt-get install iproute2 nftables miniupnpd-nftables miniupnpc)`;
  }
  const probe = `parleyprobe${process.pid}`;
  if (spawnSync('ip', ['netns', 'add', probe]).status !== 0) return 'cannot create a network namespace here';
  spawnSync('ip', ['netns', 'del', probe]);
  return undefined;
}

function sh(command: string[]): string {
  const result = spawnSync(command[0]!, command.slice(1), { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

/** The chains Debian's miniupnpd-nftables expects (its nft_init.sh cannot run: it sources a file the package lacks). */
function miniupnpdTables(wanVeth: string): string {
  // One table, inside the router's own namespace, so its name cannot clash with another run's.
  return `
table inet filter {
  chain forward { type filter hook forward priority 0; policy drop;
    ct state established,related accept
    iifname "${wanVeth}" jump miniupnpd
    oifname "${wanVeth}" accept
  }
  chain miniupnpd { }
  chain prerouting { type nat hook prerouting priority -100; policy accept; jump prerouting_miniupnpd; }
  chain postrouting { type nat hook postrouting priority 100; policy accept; oifname "${wanVeth}" masquerade; jump postrouting_miniupnpd; }
  chain prerouting_miniupnpd { }
  chain postrouting_miniupnpd { }
}
`;
}

function miniupnpdConfig(wanVeth: string, lanVeth: string, options: MiniupnpdOptions): string {
  return [
    `ext_ifname=${wanVeth}`,
    `listening_ip=${lanVeth}`,
    'port=0',
    `enable_upnp=${options.upnp ? 'yes' : 'no'}`,
    `enable_natpmp=${options.natpmp ? 'yes' : 'no'}`,
    `force_igd_desc_v1=${options.igdV1 ? 'yes' : 'no'}`,
    'secure_mode=yes',
    'system_uptime=yes',
    'allow 1024-65535 192.168.77.0/24 1024-65535',
    'deny 0-65535 0.0.0.0/0 0-65535',
    '',
  ].join('\n');
}

export async function startHomeRouter(options: MiniupnpdOptions = { upnp: true, natpmp: true }): Promise<HomeRouter> {
  const suffix = `${process.pid.toString(36)}${Math.floor(Math.random() * 36 ** 3).toString(36)}`;
  const lan = `plan${suffix}`;
  const router = `prtr${suffix}`;
  const wan = `pwan${suffix}`;
  // Interface names are at most 15 characters.
  const lanVeth = `pl${suffix}`;
  const lanPeer = `plr${suffix}`;
  const wanVeth = `pw${suffix}`;
  const wanPeer = `pwf${suffix}`;
  const dir = mkdtempSync(join(tmpdir(), 'parley-router-'));
  const run = (namespace: string, command: string[]): string => sh(['ip', 'netns', 'exec', namespace, ...command]);
  let daemon: ChildProcess | undefined;

  const stopDaemon = async (): Promise<void> => {
    const running = daemon;
    daemon = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };

  const startDaemon = async (switches: MiniupnpdOptions): Promise<void> => {
    const conf = join(dir, 'miniupnpd.conf');
    writeFileSync(conf, miniupnpdConfig(wanVeth, lanPeer, switches));
    const started = spawn('ip', ['netns', 'exec', router, 'miniupnpd', '-f', conf, '-d', '-P', join(dir, 'miniupnpd.pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    started.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    daemon = started;
    // Ready once it reports listening (UPnP) or its NAT-PMP socket; with both off it has nothing to say.
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && started.exitCode === null && !/HTTP listening|Listening for NAT-PMP|no UPnP|Starting/.test(log)) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (started.exitCode !== null) throw new Error(`miniupnpd exited: ${log}`);
  };

  const close = async (): Promise<void> => {
    await stopDaemon();
    for (const namespace of [lan, router, wan]) spawnSync('ip', ['netns', 'del', namespace]);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    for (const namespace of [lan, router, wan]) sh(['ip', 'netns', 'add', namespace]);
    sh(['ip', 'link', 'add', lanVeth, 'netns', lan, 'type', 'veth', 'peer', 'name', lanPeer, 'netns', router]);
    sh(['ip', 'link', 'add', wanVeth, 'netns', router, 'type', 'veth', 'peer', 'name', wanPeer, 'netns', wan]);
    for (const namespace of [lan, router, wan]) run(namespace, ['ip', 'link', 'set', 'lo', 'up']);
    run(lan, ['ip', 'addr', 'add', `${LAN_ADDRESS}/24`, 'dev', lanVeth]);
    run(lan, ['ip', 'link', 'set', lanVeth, 'up']);
    run(lan, ['ip', 'route', 'add', 'default', 'via', ROUTER_LAN_ADDRESS]);
    run(router, ['ip', 'addr', 'add', `${ROUTER_LAN_ADDRESS}/24`, 'dev', lanPeer]);
    run(router, ['ip', 'link', 'set', lanPeer, 'up']);
    run(router, ['ip', 'addr', 'add', `${WAN_ADDRESS}/24`, 'dev', wanVeth]);
    run(router, ['ip', 'link', 'set', wanVeth, 'up']);
    run(router, ['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
    run(wan, ['ip', 'addr', 'add', `${FRIEND_ADDRESS}/24`, 'dev', wanPeer]);
    run(wan, ['ip', 'link', 'set', wanPeer, 'up']);
    const tables = join(dir, 'tables.nft');
    writeFileSync(tables, miniupnpdTables(wanVeth));
    run(router, ['nft', '-f', tables]);
    await startDaemon(options);
  } catch (error) {
    await close();
    throw error;
  }

  return {
    lan,
    router,
    wan,
    lanAddress: LAN_ADDRESS,
    routerLanAddress: ROUTER_LAN_ADDRESS,
    wanAddress: WAN_ADDRESS,
    friendAddress: FRIEND_ADDRESS,
    run,
    natRules: () => run(router, ['nft', 'list', 'chain', 'inet', 'filter', 'prerouting_miniupnpd']),
    restartMiniupnpd: async (switches) => {
      await stopDaemon();
      if (switches.upnp || switches.natpmp) await startDaemon(switches);
    },
    close,
  };
}
