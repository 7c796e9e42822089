import { afterEach, describe, expect, it } from 'vitest';
import type { RelayHandle } from '../../server/index.js';
import { RelaySession, type LinkReport } from '../../electron/net/session.js';
import { FIRST_REPORT_PACKETS, FirstReport } from '../../electron/net/first-report.js';
import { OPUS_PAYLOAD_TYPE } from '../../server/protocol/constants.js';
import { collectMedia, joinRelay, peerNames, relayOnLoopback, sleep, waitFor } from '../helpers/relay.js';
import { UdpProxy } from '../support/udp-proxy.js';

describe('the first loss report, asked for early', () => {
  it('asks for a ping once 25 packets were counted since the last, until one ping went out over that many', () => {
    const first = new FirstReport();
    expect(FIRST_REPORT_PACKETS).toBe(25);
    const pingsAfter = (packets: number): number[] => {
      const at: number[] = [];
      for (let i = 1; i <= packets; i++) {
        if (first.counted()) {
          at.push(i);
          first.pinged();
        }
      }
      return at;
    };
    // A regular ping after 10 packets measured too few: the count starts again from it.
    expect(pingsAfter(10)).toEqual([]);
    first.pinged();
    expect(pingsAfter(100)).toEqual([25]);
    // A new session with the relay measures afresh; a regular ping over 25 or more makes the early one unneeded.
    first.restart();
    expect(pingsAfter(24)).toEqual([]);
    first.pinged();
    first.restart();
    pingsAfter(24);
    expect(first.counted()).toBe(true);
    first.restart();
    for (let i = 0; i < 30; i++) first.counted();
    first.pinged();
    expect(pingsAfter(100)).toEqual([]);
  });
});

describe('a session’s first loss report over a real relay', () => {
  let relay: RelayHandle | undefined;
  let proxy: UdpProxy | undefined;
  const sessions: RelaySession[] = [];

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.leave()));
    await proxy?.close();
    await relay?.close();
  });

  it('comes with the 25th packet sent, not the next ping interval, and measures the loss among them', async () => {
    // Pings a minute apart: every report here but the one at join is an early one.
    relay = await relayOnLoopback({ pingIntervalMs: 60_000 });
    proxy = await UdpProxy.start({ target: { host: '127.0.0.1', port: relay.address.port }, toRelay: { lossPct: 20, mediaOnly: true }, seed: 3 });
    // Each session's join ping is answered before the speech; the listeners go on before any answer can be handled.
    const anaReports: LinkReport[] = [];
    const benReports: LinkReport[] = [];
    const ana = await RelaySession.connect({ relay: { host: '127.0.0.1', port: proxy.port }, room: 'early', name: 'Ana' });
    ana.on('link', (report) => anaReports.push(report));
    const ben = await joinRelay(relay, { room: 'early', name: 'Ben' });
    ben.on('link', (report) => benReports.push(report));
    sessions.push(ana, ben);
    await waitFor('roster', () => peerNames(ana).length === 1 && peerNames(ben).length === 1);
    await waitFor('the join pings’ answers', () => anaReports.length === 1 && benReports.length === 1);
    const heard = collectMedia(ben);
    const send = (from: number, count: number): void => {
      for (let i = from; i < from + count; i++) ana.sendMedia({ marker: i === 0, payloadType: OPUS_PAYLOAD_TYPE, sequence: 100 + i, timestamp: 960 * i }, new Uint8Array([0x78, i]));
    };
    send(0, 24);
    await sleep(200);
    expect(anaReports).toHaveLength(1);
    send(24, 1);
    const report = await waitFor('Ana’s early report', () => anaReports[1]);
    // Seed 3 drops 6 of the first 25 (the proxy's loss stream), neither the first nor the last: 240 permille.
    expect(proxy.counters.toRelay).toMatchObject({ forwarded: 19, dropped: 6 });
    expect(report.uplinkLossPermille).toBe(240);
    // 25 more from Ana ask for nothing more; Ben, who only receives, pings no earlier than his interval.
    send(25, 25);
    await waitFor('Ben’s 25th packet', () => heard.length >= 25);
    await sleep(200);
    expect(anaReports).toHaveLength(2);
    expect(benReports).toHaveLength(1);
  });
});
