import type { Socket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import type { RelayHandle, RelayOptions } from '../../server/index.js';
import type { RelaySession } from '../../electron/net/session.js';
import { OPUS_PAYLOAD_TYPE } from '../../server/protocol/constants.js';
import { encodeSealedHeader } from '../../server/protocol/control.js';
import { randomBytes } from '../../server/protocol/crypto.js';
import { encodeRtp } from '../../server/protocol/rtp.js';
import { ManualClock } from '../../server/shared/clock.js';
import { collectMedia, peerNames, sleep, waitFor } from '../helpers/relay.js';
import { relayHarness } from '../helpers/relay-harness.js';

/** One second of a talker: 50 packets of 100 bytes, 20 ms apart, well inside a member's budget. */
const TICKS = 50;
/** About 2,000 forged sealed datagrams and 400 forged RTP packets a second, ten times a member's budget. */
const SPRAY_INTERVAL_MS = 5;
const FORGED_SEALED_PER_BURST = 10;
const FORGED_MEDIA_PER_BURST = 2;

describe('forged traffic carrying a member’s id', () => {
  const harness = relayHarness();
  let relay: RelayHandle;
  let attacker: Socket | undefined;

  /** Ana talks, Ben listens, and an attacker's socket waits at `attackerHost` (another loopback address is another source). */
  const victimListenerAndAttacker = async (options: RelayOptions, attackerHost: string): Promise<{ victim: RelaySession; listener: RelaySession }> => {
    relay = await harness.relay(options);
    const victim = await harness.join(relay, { room: 'lobby', name: 'Ana' });
    const listener = await harness.join(relay, { room: 'lobby', name: 'Ben' });
    await waitFor('roster', () => peerNames(listener).includes('Ana'));
    attacker = await harness.socket(attackerHost);
    return { victim, listener };
  };

  it('costs that member nothing: its audio at a listener is the same with and without a spray of 2,000 forged datagrams/s', async () => {
    const { victim, listener } = await victimListenerAndAttacker({}, '127.0.0.1');
    const heard = collectMedia(listener);
    const fromVictim = (): number[] => heard.filter((h) => h.peerId === victim.memberId).map((h) => h.sequence);

    // The member id is on the wire in every RTP header: that is all the attacker needs.
    let forgedCounter = 1_000;
    const forgedSealed = (): Buffer => Buffer.concat([encodeSealedHeader(victim.memberId, forgedCounter++), randomBytes(24)]);
    let forgedSequence = 0;
    const forgedMedia = (): Buffer =>
      encodeRtp({ marker: false, payloadType: OPUS_PAYLOAD_TYPE, sequence: forgedSequence++, timestamp: 0, ssrc: victim.memberId }, new Uint8Array(100));

    const talkOneSecond = async (firstSequence: number): Promise<void> => {
      for (let tick = 0; tick < TICKS; tick++) {
        victim.sendMedia({ marker: tick === 0, payloadType: OPUS_PAYLOAD_TYPE, sequence: firstSequence + tick, timestamp: 960 * tick }, new Uint8Array(100));
        await sleep(20);
      }
    };

    await talkOneSecond(1);
    await waitFor('quiet second heard', () => fromVictim().length === TICKS);
    const quiet = fromVictim();
    heard.length = 0;

    // The spray runs on a clock of its own, so it is always there when the victim's packets arrive.
    let forgedSealedSent = 0;
    let forgedMediaSent = 0;
    const spray = setInterval(() => {
      for (let i = 0; i < FORGED_SEALED_PER_BURST; i++, forgedSealedSent++) attacker!.send(forgedSealed(), relay.address.port, '127.0.0.1');
      for (let i = 0; i < FORGED_MEDIA_PER_BURST; i++, forgedMediaSent++) attacker!.send(forgedMedia(), relay.address.port, '127.0.0.1');
    }, SPRAY_INTERVAL_MS);
    await sleep(100);
    await talkOneSecond(1 + TICKS).finally(() => clearInterval(spray));
    // Only the two members and the attacker send to the relay: wait until it has read every datagram.
    const sentByMembers = (): number => victim.transportStats.sent + listener.transportStats.sent;
    await waitFor('everything received', () => relay.stats().packetsIn === sentByMembers() + forgedSealedSent + forgedMediaSent);
    await sleep(100);

    expect(quiet).toEqual(Array.from({ length: TICKS }, (_, i) => 1 + i));
    expect(fromVictim()).toEqual(quiet.map((sequence) => sequence + TICKS));
    const stats = relay.stats();
    // Every one of the victim's packets was forwarded, none refused: the forgeries spent nothing of its budget.
    expect(stats.mediaForwarded).toBe(2 * TICKS);
    expect(stats.dropped.address_mismatch).toBe(forgedMediaSent);
    expect((stats.dropped.bad_mac ?? 0) + (stats.dropped.rate_limited ?? 0)).toBe(forgedSealedSent);
    expect(stats.roams).toBe(0);
    expect(victim.status.state).toBe('connected');
  });

  it('opens forgeries from one address only within that address’s own budget, which holds back no roaming member', async () => {
    // A frozen clock: no bucket refills, so the counts are exact.
    const { victim, listener } = await victimListenerAndAttacker(
      { clock: new ManualClock(0), perAddress: { unverifiedSealed: { perSecond: 10, burst: 30 } } },
      '127.0.0.2',
    );
    for (let i = 0; i < 100; i++) attacker!.send(Buffer.concat([encodeSealedHeader(victim.memberId, 1_000 + i), randomBytes(24)]), relay.address.port, '127.0.0.1');
    await waitFor('spray counted', () => (relay.stats().dropped.bad_mac ?? 0) + (relay.stats().dropped.rate_limited ?? 0) === 100);
    expect(relay.stats().dropped).toEqual({ bad_mac: 30, rate_limited: 70 });

    // The victim moves to a new port (127.0.0.1, not the forger's address): its first ping moves it, at once.
    await victim.roam();
    await waitFor('roamed', () => relay.stats().roams === 1);
    const heard = collectMedia(listener);
    victim.sendMedia({ marker: true, payloadType: OPUS_PAYLOAD_TYPE, sequence: 1, timestamp: 0 }, Uint8Array.of(1));
    await waitFor('heard from the new address', () => heard.length === 1);
    expect(relay.stats().dropped).toEqual({ bad_mac: 30, rate_limited: 70 });
  });
});
