import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Why namespace tests cannot run here, or undefined when they can (root, with `ip` and `nft`). */
export async function netnsSkipReason(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'needs root for network namespaces';
  try {
    await run('ip', ['-V']);
    await run('nft', ['--version']);
  } catch {
    return 'needs iproute2 and nftables';
  }
  return undefined;
}

/**
 * Two network namespaces joined by a veth pair, a "server" side and a
 * "client" side on 10.213.<n>.0/24, named with a per-run suffix so tests
 * (and other people's tests) running at once never meet. `close()` deletes
 * both, which takes their veth ends and nftables tables with them.
 */
export class NamespacePair {
  readonly server: string;
  readonly client: string;
  readonly serverAddress: string;
  readonly clientAddress: string;
  private readonly suffix: string;

  private constructor() {
    this.suffix = randomBytes(3).toString('hex');
    this.server = `pts-${this.suffix}`;
    this.client = `ptc-${this.suffix}`;
    const subnet = 1 + (parseInt(this.suffix.slice(0, 2), 16) % 250);
    this.serverAddress = `10.213.${subnet}.1`;
    this.clientAddress = `10.213.${subnet}.2`;
  }

  static async create(): Promise<NamespacePair> {
    const pair = new NamespacePair();
    try {
      await pair.setUp();
    } catch (error) {
      await pair.close();
      throw error;
    }
    return pair;
  }

  private async setUp(): Promise<void> {
    const [vs, vc] = [`vs${this.suffix}`, `vc${this.suffix}`];
    await run('ip', ['netns', 'add', this.server]);
    await run('ip', ['netns', 'add', this.client]);
    await run('ip', ['link', 'add', vs, 'netns', this.server, 'type', 'veth', 'peer', 'name', vc, 'netns', this.client]);
    for (const [ns, dev, address] of [
      [this.server, vs, this.serverAddress],
      [this.client, vc, this.clientAddress],
    ] as const) {
      await this.exec(ns, 'ip', 'addr', 'add', `${address}/24`, 'dev', dev);
      await this.exec(ns, 'ip', 'link', 'set', dev, 'up');
      await this.exec(ns, 'ip', 'link', 'set', 'lo', 'up');
    }
  }

  exec(ns: string, command: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
    return run('ip', ['netns', 'exec', ns, command, ...args]);
  }

  /** The arguments that run a command inside `ns`: `ip netns exec <ns>` execs it, so the child's pid is the command's own. */
  prefix(ns: string): string[] {
    return ['netns', 'exec', ns];
  }

  private get blockTable(): string {
    return `ptblock${this.suffix}`;
  }

  /** Drops every UDP datagram to and from `port` on the client side, as a firewall that blocks UDP does (silently). */
  async blockUdp(port: number): Promise<void> {
    const rules = `table inet ${this.blockTable} {
  chain out { type filter hook output priority 0; udp dport ${port} counter drop; }
  chain in { type filter hook input priority 0; udp sport ${port} counter drop; }
}`;
    await new Promise<void>((resolve, reject) => {
      const child = execFile('ip', ['netns', 'exec', this.client, 'nft', '-f', '-'], (error) => (error ? reject(error) : resolve()));
      child.stdin!.end(rules);
    });
  }

  async unblockUdp(): Promise<void> {
    await this.exec(this.client, 'nft', 'delete', 'table', 'inet', this.blockTable);
  }

  /** Datagrams the block has dropped so far, both ways. */
  async droppedByBlock(): Promise<number> {
    const { stdout } = await this.exec(this.client, 'nft', 'list', 'table', 'inet', this.blockTable);
    return [...stdout.matchAll(/packets (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  }

  async close(): Promise<void> {
    for (const ns of [this.client, this.server]) await run('ip', ['netns', 'delete', ns]).catch(() => undefined);
  }
}
