import type { DatagramTransport } from '../../electron/net/datagram-transport.js';
import { performHandshake } from '../../electron/net/handshake.js';
import { TcpTransport } from '../../electron/net/tcp-transport.js';
import { UdpTransport, type RelayAddress } from '../../electron/net/udp-transport.js';
import { deriveRoomAdmissionKeys, KEY_BYTES, MEDIA_SALT_BYTES, randomBytes } from '../../server/protocol/crypto.js';
import type { SealedSender } from '../../server/protocol/sealed-channel.js';
import { roomSizes, type RelayBenchCase } from './case-spec.js';

/** One simulated client: its own socket, "connected" to the relay, as the app's is. */
export interface BenchMember {
  index: number;
  room: number;
  /** The relay-assigned member id, which Parley clients use as their SSRC. */
  ssrc: number;
  transport: DatagramTransport;
  /** Parley members keep their session alive with sealed pings, as the app does every two seconds. */
  sealer: SealedSender | undefined;
}

/** Under the relay's default 500 joins/s; the bench relay raises its per-address share, as all members share one address. */
const JOINS_PER_SECOND = 400;
const JOIN_BATCHES_PER_SECOND = 10;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Member i sits in room i mod rooms; the first `talkersPerRoom` members of each room talk. */
export function roomOf(spec: Pick<RelayBenchCase, 'rooms'>, index: number): number {
  return index % spec.rooms;
}

export function isTalker(spec: Pick<RelayBenchCase, 'rooms' | 'talkersPerRoom'>, index: number): boolean {
  return Math.floor(index / spec.rooms) < spec.talkersPerRoom;
}

/** Listeners a talker's packet should reach: the rest of its room (nobody here is deafened). */
export function fanOutOf(spec: Pick<RelayBenchCase, 'members' | 'rooms'>, index: number): number {
  return roomSizes(spec)[roomOf(spec, index)]! - 1;
}

/** Whether member i goes over TCP: every member where the running share crosses a whole member, so TCP members are spread evenly. */
export function isTcpMember(spec: Pick<RelayBenchCase, 'tcpSharePct'>, index: number): boolean {
  const share = (spec.tcpSharePct ?? 0) / 100;
  return Math.floor((index + 1) * share) > Math.floor(index * share);
}

/**
 * Joins every member through Parley's real handshake (HELLO, COOKIE, JOIN,
 * WELCOME over each member's own socket), paced in batches under the
 * relay's join rate limit. Every room gets a fresh room key, whose proof
 * each joiner signs, as in rooms with a secret.
 */
export async function joinParleyMembers(spec: RelayBenchCase, relay: RelayAddress, onJoined: (member: BenchMember) => void): Promise<BenchMember[]> {
  const roomKeys = Array.from({ length: spec.rooms }, () => deriveRoomAdmissionKeys(randomBytes(KEY_BYTES)));
  const joinOne = async (index: number): Promise<BenchMember> => {
    const room = roomOf(spec, index);
    const transport: DatagramTransport = isTcpMember(spec, index) ? new TcpTransport(relay) : await UdpTransport.open(relay);
    try {
      const session = await performHandshake(transport, {
        room: `bench-room-${room}`,
        name: `member ${index}`,
        admission: roomKeys[room]!,
        mediaSalt: randomBytes(MEDIA_SALT_BYTES),
        flags: 0,
      });
      const member: BenchMember = { index, room, ssrc: session.memberId, transport, sealer: session.sender };
      onJoined(member);
      return member;
    } catch (error) {
      transport.close();
      throw new Error(`member ${index} could not join: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  };
  const perBatch = JOINS_PER_SECOND / JOIN_BATCHES_PER_SECOND;
  const joins: Promise<BenchMember>[] = [];
  for (let start = 0; start < spec.members; start += perBatch) {
    for (let index = start; index < Math.min(spec.members, start + perBatch); index++) joins.push(joinOne(index));
    await sleep(1000 / JOIN_BATCHES_PER_SECOND);
  }
  return settleAll(joins);
}

/** The naive relay learns a member from its first datagram; this one byte is not RTP, so receivers ignore it. */
const ANNOUNCE = Buffer.from([0]);

/**
 * Opens each member's socket and announces it to the naive relay. Every
 * announcement is itself forwarded to those already known, so the first
 * member hearing all the others proves the relay knows everyone.
 */
export async function announceNaiveMembers(spec: RelayBenchCase, relay: RelayAddress): Promise<BenchMember[]> {
  const members: BenchMember[] = [];
  let announcementsHeardByFirst = 0;
  for (let index = 0; index < spec.members; index++) {
    const transport = await UdpTransport.open(relay);
    if (index === 0) transport.onDatagram(() => announcementsHeardByFirst++);
    members.push({ index, room: 0, ssrc: index + 1, transport, sealer: undefined });
    transport.send(ANNOUNCE);
    // Give the first member's socket a chance to be heard before the rest announce.
    if (index === 0) await sleep(50);
  }
  const deadline = Date.now() + 5_000;
  while (announcementsHeardByFirst < spec.members - 1) {
    if (Date.now() > deadline) {
      for (const member of members) member.transport.close();
      throw new Error(`the naive relay forwarded ${announcementsHeardByFirst} of ${spec.members - 1} announcements`);
    }
    await sleep(10);
  }
  return members;
}

/** Like Promise.all, but closes the sockets of those that did join when one fails. */
async function settleAll(joins: Promise<BenchMember>[]): Promise<BenchMember[]> {
  const outcomes = await Promise.allSettled(joins);
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (!failure) return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<BenchMember>).value);
  for (const outcome of outcomes) if (outcome.status === 'fulfilled') outcome.value.transport.close();
  throw (failure as PromiseRejectedResult).reason;
}
