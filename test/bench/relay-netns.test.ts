import { execFileSync } from 'node:child_process';
import { createSocket, type RemoteInfo } from 'node:dgram';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { benchNamespaces, createBenchNetns } from '../../bench/relay/netns.js';

const canMakeNamespaces =
  process.getuid?.() === 0 &&
  (() => {
    try {
      execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

describe.skipIf(!canMakeNamespaces)('the relay benchmark’s network namespace (root only)', () => {
  it('carries a datagram from inside the namespace to the veth’s root end, from the namespace’s address, and leaves nothing behind', async () => {
    const netns = createBenchNetns();
    const relaySide = createSocket('udp4');
    try {
      expect(benchNamespaces()).toContain(netns.name);
      await new Promise<void>((resolve) => relaySide.bind(0, netns.relayHost, resolve));
      const { port } = relaySide.address() as AddressInfo;
      const arrived = once(relaySide, 'message') as Promise<[Buffer, RemoteInfo]>;
      const send = `const s = require('node:dgram').createSocket('udp4'); s.send('hello', ${port}, '${netns.relayHost}', () => s.close());`;
      execFileSync('ip', ['netns', 'exec', netns.name, process.execPath, '-e', send]);
      const [datagram, from] = await arrived;
      expect(datagram.toString()).toBe('hello');
      expect(from.address).toBe(netns.memberHost);
    } finally {
      relaySide.close();
      netns.dispose();
    }
    expect(benchNamespaces()).not.toContain(netns.name);
    expect(execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })).not.toContain(`pbr${netns.name.slice(-6)}`);
    // A second dispose (the exit handler's, after the finally's) is harmless.
    expect(() => netns.dispose()).not.toThrow();
  });
});
