import { describe, expect, it } from 'vitest';
import { isUnreachableFromOutside, reachability } from '../../server/portmap/reachability.js';
import { isGlobalIpv6 } from '../../server/relay/share-addresses.js';

describe('reachability: who can join, in words', () => {
  const mapped = { state: 'mapped', method: 'UPnP', externalAddress: '198.51.100.7', udpPort: 47000, tcpPort: 47000 } as const;

  it('anywhere, at the router\'s address and the port it opened', () => {
    expect(reachability({ port: 47000, lanAddress: '192.168.1.20', mapping: mapped })).toEqual({
      verdict: 'anywhere',
      message: 'Friends anywhere can join at 198.51.100.7:47000 (your router opened the port).',
      publicAddress: '198.51.100.7:47000',
    });
    expect(reachability({ port: 47000, lanAddress: '192.168.1.20', mapping: { ...mapped, udpPort: 51234 } }).publicAddress).toBe('198.51.100.7:51234');
  });

  it('only the home network when the router refused, with what to forward where', () => {
    expect(reachability({ port: 47000, lanAddress: '192.168.1.20', mapping: { state: 'refused', method: 'NAT-PMP', externalAddress: '198.51.100.7', reason: 'Not Authorized/Refused' } })).toEqual({
      verdict: 'lanOnly',
      message: "Only people on your network can join: your router did not open the port. Forward UDP 47000 to 192.168.1.20 in your router's settings.",
      publicAddress: null,
    });
  });

  it('only the home network when no router answered, or the setting is off', () => {
    expect(reachability({ port: 47001, lanAddress: '10.0.0.5', mapping: { state: 'noRouter' } }).message).toBe(
      "Only people on your network can join: no router answered the request to open the port. Forward UDP 47001 to 10.0.0.5 in your router's settings.",
    );
    expect(reachability({ port: 47000, lanAddress: '10.0.0.5', mapping: 'off' })).toEqual({
      verdict: 'lanOnly',
      message: "Only people on your network can join: asking your router to open the port is off. Forward UDP 47000 to 10.0.0.5 in your router's settings.",
      publicAddress: null,
    });
  });

  it('a shared (carrier-grade NAT) or private router address means a relay on a server is needed', () => {
    const message = 'Your provider shares one address among many homes: hosting from here needs a relay on a server. Only people on your network can join this room.';
    for (const externalAddress of ['100.64.0.1', '100.127.255.254', '10.1.2.3', '172.16.0.1', '192.168.0.1']) {
      expect(reachability({ port: 47000, lanAddress: '192.168.1.20', mapping: { ...mapped, externalAddress } })).toEqual({ verdict: 'sharedAddress', message, publicAddress: null });
      expect(reachability({ port: 47000, lanAddress: '192.168.1.20', mapping: { state: 'refused', method: 'UPnP', externalAddress, reason: 'x' } }).verdict).toBe('sharedAddress');
    }
  });

  it('while the router is asked, and with no network', () => {
    expect(reachability({ port: 47000, lanAddress: '192.168.1.20', mapping: { state: 'mapping' } })).toEqual({ verdict: 'checking', message: 'Asking your router to open the port…', publicAddress: null });
    expect(reachability({ port: 47000, lanAddress: undefined, mapping: mapped }).verdict).toBe('thisComputer');
  });

  it('anywhere without a router when this machine\'s own address is public', () => {
    expect(reachability({ port: 47000, lanAddress: '203.0.113.4', mapping: { state: 'noRouter' } })).toEqual({ verdict: 'anywhere', message: 'Friends anywhere can join at 203.0.113.4:47000.', publicAddress: '203.0.113.4:47000' });
  });

  it('tells the ranges apart at their edges', () => {
    expect([
      '100.63.255.255',
      '100.64.0.0',
      '100.127.255.255',
      '100.128.0.0',
      '172.15.255.255',
      '172.16.0.0',
      '172.31.255.255',
      '172.32.0.0',
      '192.167.255.255',
      '192.168.0.0',
      '169.254.1.1',
      '11.0.0.1',
    ].map(isUnreachableFromOutside)).toEqual([false, true, true, false, false, true, true, false, false, true, true, false]);
  });
});

describe('which IPv6 addresses are worth sharing', () => {
  it('global unicast only: not link-local, unique-local, loopback or multicast', () => {
    expect(['2001:db8::20', '2a00:1450::1', '3fff::1', 'fe80::1', 'fd12:3456::1', 'fc00::1', '::1', 'ff02::1', '1fff::1', '4000::1'].map(isGlobalIpv6)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
