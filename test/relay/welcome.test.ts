import { describe, expect, it } from 'vitest';
import { decodeControl, encodeSealedHeader, type Join } from '../../server/protocol/control.js';
import {
  CLIENT_NONCE_BYTES,
  COOKIE_BYTES,
  deriveSessionKeys,
  generateEphemeralKeyPair,
  MEDIA_SALT_BYTES,
  PROOF_BYTES,
  randomBytes,
  ROOM_PROOF_BYTES,
  ROOM_PUBLIC_KEY_BYTES,
  sharedSecret,
  welcomeProof,
} from '../../server/protocol/crypto.js';
import { SealedReceiver } from '../../server/protocol/sealed-channel.js';
import { composeWelcome, type WelcomeInput } from '../../server/relay/welcome.js';

/** Decoders hand back plain byte arrays; compare like with like. */
const bytes = (buffer: Uint8Array): Uint8Array => Uint8Array.from(buffer);

const terms = { pingIntervalMs: 1_000, memberTimeoutMs: 10_000, maxMembersPerRoom: 25 };

function joinFrom(clientPublicKey: Uint8Array): Join {
  return {
    type: 'join',
    cookie: randomBytes(COOKIE_BYTES),
    clientNonce: randomBytes(CLIENT_NONCE_BYTES),
    clientPublicKey,
    roomPublicKey: Buffer.alloc(ROOM_PUBLIC_KEY_BYTES),
    mediaSalt: randomBytes(MEDIA_SALT_BYTES),
    flags: 0,
    room: 'Lobby',
    name: 'Ada',
    proof: Buffer.alloc(PROOF_BYTES),
    roomProof: Buffer.alloc(ROOM_PROOF_BYTES),
  };
}

/** Opens a WELCOME as the joining client does: its own half of the key exchange, counter 0. */
function openAsClient(datagram: Buffer, join: Join, clientKeys: ReturnType<typeof generateEphemeralKeyPair>) {
  const welcome = decodeControl(datagram);
  if (welcome.type !== 'welcome') throw new Error(`expected a welcome, got ${welcome.type}`);
  const keys = deriveSessionKeys(sharedSecret(clientKeys.privateKey, welcome.relayPublicKey)!, {
    cookie: join.cookie,
    clientNonce: join.clientNonce,
    clientPublicKey: join.clientPublicKey,
    relayPublicKey: welcome.relayPublicKey,
  });
  const info = new SealedReceiver(keys.relayToClient).open({
    type: 'sealed',
    memberId: welcome.memberId,
    counter: 0,
    header: encodeSealedHeader(welcome.memberId, 0),
    ciphertext: welcome.sealedInfo,
  });
  return { welcome, keys, info };
}

describe('composeWelcome', () => {
  const clientKeys = generateEphemeralKeyPair();
  const relayKeys = generateEphemeralKeyPair();
  const join = joinFrom(clientKeys.publicKey);
  const input = (overrides: Partial<WelcomeInput> = {}): WelcomeInput => ({
    join,
    memberId: 0x1234_5678,
    relayKeys,
    admission: { roomPublicKey: Buffer.alloc(ROOM_PUBLIC_KEY_BYTES), handOverSecret: '' },
    passwordKey: null,
    terms,
    ...overrides,
  });

  it('gives the joiner a WELCOME it opens with its own keys, carrying the relay terms, and the same session keys', () => {
    const composed = composeWelcome(input())!;
    const opened = openAsClient(composed.datagram, join, clientKeys);
    expect(opened.welcome).toMatchObject({ clientNonce: bytes(join.clientNonce), relayPublicKey: bytes(relayKeys.publicKey), memberId: 0x1234_5678 });
    expect(opened.keys).toEqual(composed.keys);
    expect(opened.info).toEqual({ kind: 'welcomeInfo', ...terms, relayProof: new Uint8Array(PROOF_BYTES), roomSecret: '' });
  });

  it('proves the relay knows the password, and hands over a kept room secret', () => {
    const passwordKey = randomBytes(32);
    const composed = composeWelcome(input({ passwordKey, admission: { roomPublicKey: randomBytes(ROOM_PUBLIC_KEY_BYTES), handOverSecret: 'hunter2 hunter2' } }))!;
    const { info } = openAsClient(composed.datagram, join, clientKeys);
    expect(info).toMatchObject({
      kind: 'welcomeInfo',
      relayProof: bytes(welcomeProof(passwordKey, join.clientNonce, join.clientPublicKey, relayKeys.publicKey)),
      roomSecret: 'hunter2 hunter2',
    });
  });

  it('is pure: the same join gives byte-identical WELCOMEs, so a retried JOIN hears what the first one did', () => {
    expect(composeWelcome(input())!.datagram.equals(composeWelcome(input())!.datagram)).toBe(true);
  });

  it('refuses a joiner key that yields no shared secret (the all-zero low-order point, or a short key)', () => {
    expect(composeWelcome(input({ join: joinFrom(Buffer.alloc(32)) }))).toBeNull();
    expect(composeWelcome(input({ join: joinFrom(Buffer.alloc(31, 1)) }))).toBeNull();
  });
});
