import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CookieIssuer,
  deriveRoomKey,
  deriveSessionKeys,
  generateEphemeralKeyPair,
  mediaNonce,
  open,
  deriveRoomAdmissionKeys,
  roomProof,
  verifyRoomProof,
  seal,
  senderKey,
  sharedSecret,
} from '../../server/protocol/crypto.js';
import { ReplayWindow } from '../../server/protocol/replay.js';
import { SealedReceiver, SealedSender } from '../../server/protocol/sealed-channel.js';
import { decodeControl } from '../../server/protocol/control.js';
import { MediaChannel } from '../../electron/net/media-channel.js';
import { decodeRtp } from '../../server/protocol/rtp.js';
import { OPUS_PAYLOAD_TYPE } from '../../server/protocol/constants.js';

describe('AEAD', () => {
  it('opens what it sealed and refuses any single flipped bit, in body, tag or associated data', () => {
    const key = Buffer.alloc(32, 7);
    const nonce = Buffer.alloc(12, 1);
    const aad = Buffer.from('header');
    const sealed = seal(key, nonce, Buffer.from('hello'), aad);
    expect(open(key, nonce, sealed, aad)?.toString()).toBe('hello');
    for (let bit = 0; bit < sealed.length * 8; bit++) {
      const tampered = Buffer.from(sealed);
      tampered[bit >> 3]! ^= 1 << (bit & 7);
      expect(open(key, nonce, tampered, aad)).toBeNull();
    }
    expect(open(key, nonce, sealed, Buffer.from('Header'))).toBeNull();
    expect(open(key, Buffer.alloc(12, 2), sealed, aad)).toBeNull();
    expect(open(key, nonce, sealed.subarray(0, 15), aad)).toBeNull();
  });
});

describe('key exchange', () => {
  it('gives both sides the same session keys, distinct per direction', () => {
    const client = generateEphemeralKeyPair();
    const relay = generateEphemeralKeyPair();
    const transcript = { cookie: Buffer.alloc(16, 1), clientNonce: Buffer.alloc(16, 2), clientPublicKey: client.publicKey, relayPublicKey: relay.publicKey };
    const onClient = deriveSessionKeys(sharedSecret(client.privateKey, relay.publicKey)!, transcript);
    const onRelay = deriveSessionKeys(sharedSecret(relay.privateKey, client.publicKey)!, transcript);
    expect(onClient).toEqual(onRelay);
    expect(onClient.clientToRelay.equals(onClient.relayToClient)).toBe(false);
  });

  it('refuses a low-order or malformed public key', () => {
    const ours = generateEphemeralKeyPair();
    expect(sharedSecret(ours.privateKey, new Uint8Array(32))).toBeNull();
    expect(sharedSecret(ours.privateKey, new Uint8Array(31))).toBeNull();
  });
});

describe('cookies', () => {
  it('verify for the same address and nonce within two periods, and for nothing else', () => {
    const issuer = new CookieIssuer(60_000);
    const nonce = Buffer.alloc(16, 3);
    const now = 1_000_000_000;
    const cookie = issuer.issue(now, '192.0.2.1', 5000, nonce);
    expect(issuer.verify(now, '192.0.2.1', 5000, nonce, cookie)).toBe(true);
    expect(issuer.verify(now + 60_000, '192.0.2.1', 5000, nonce, cookie)).toBe(true);
    expect(issuer.verify(now + 120_000, '192.0.2.1', 5000, nonce, cookie)).toBe(false);
    expect(issuer.verify(now, '192.0.2.2', 5000, nonce, cookie)).toBe(false);
    expect(issuer.verify(now, '192.0.2.1', 5001, nonce, cookie)).toBe(false);
    expect(issuer.verify(now, '192.0.2.1', 5000, Buffer.alloc(16, 4), cookie)).toBe(false);
    expect(new CookieIssuer(60_000).verify(now, '192.0.2.1', 5000, nonce, cookie)).toBe(false);
  });
});

describe('replay window', () => {
  it('accepts each counter once, tolerates reordering within the window, refuses what is older', () => {
    const window = new ReplayWindow(64);
    const accept = (n: number): boolean => {
      if (!window.check(n)) return false;
      window.commit(n);
      return true;
    };
    expect([5, 3, 4, 5, 3, 100, 37, 36, 35, 100, 101].map(accept)).toEqual([true, true, true, false, false, true, true, false, false, false, true]);
  });

  it('tells first copies from duplicates and from counters older than it remembers, across a jump and at its edge', () => {
    const window = new ReplayWindow(1024);
    const record = (n: number): string => {
      const receipt = window.classify(n);
      if (receipt === 'new') window.commit(n);
      return receipt;
    };
    expect([100, 100, 98, 98, 2000, 100, 2000 - 1023, 2000 - 1023, 2500].map(record)).toEqual([
      'new', 'duplicate', 'new', 'duplicate', 'new', 'tooOld', 'new', 'duplicate', 'new',
    ]);
    // The slots of skipped counters were cleared: 2000 + 1024 lands in 2000's slot.
    expect(record(2000 + 1024)).toBe('new');
    expect(window.highestAccepted).toBe(2000 + 1024);
  });

  it('matches a set-based model on any sequence', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 300 }), (counters) => {
        const window = new ReplayWindow(32);
        const seen = new Set<number>();
        let highest = -1;
        for (const counter of counters) {
          const expected = !seen.has(counter) && counter > highest - 32;
          expect(window.check(counter)).toBe(expected);
          if (expected) {
            window.commit(counter);
            seen.add(counter);
            highest = Math.max(highest, counter);
          }
        }
      }),
    );
  });
});

describe('sealed channel', () => {
  it('delivers in order or out of order, once each, and rejects forgeries', () => {
    const key = Buffer.alloc(32, 9);
    const sender = new SealedSender(key, 42);
    const receiver = new SealedReceiver(key);
    const datagrams = [sender.seal({ kind: 'state', flags: 1 }), sender.seal({ kind: 'state', flags: 2 }), sender.seal({ kind: 'leave' })];
    const openIt = (d: Buffer): unknown => {
      const envelope = decodeControl(d);
      if (envelope.type !== 'sealed') throw new Error('not sealed');
      return receiver.open(envelope);
    };
    expect(openIt(datagrams[1]!)).toEqual({ kind: 'state', flags: 2 });
    expect(openIt(datagrams[0]!)).toEqual({ kind: 'state', flags: 1 });
    expect(() => openIt(datagrams[0]!)).toThrow(expect.objectContaining({ reason: 'replay' }));
    const forged = Buffer.from(datagrams[2]!);
    forged[forged.length - 1]! ^= 1;
    expect(() => openIt(forged)).toThrow(expect.objectContaining({ reason: 'bad_mac' }));
    expect(openIt(datagrams[2]!)).toEqual({ kind: 'leave' });
  });
});

describe('room admission proofs', () => {
  const transcript = { cookie: Buffer.alloc(16, 1), clientNonce: Buffer.alloc(16, 2), clientPublicKey: Buffer.alloc(32, 3), mediaSalt: Buffer.alloc(16, 4), room: 'lobby' };

  it('verify under the room’s public key for this join only: any other cookie, nonce, key, salt or room fails', async () => {
    const keys = deriveRoomAdmissionKeys(await deriveRoomKey('open sesame', 'lobby'));
    const proof = roomProof(keys, { join: transcript });
    expect(proof).toHaveLength(64);
    expect(verifyRoomProof(keys.publicKey, { join: transcript }, proof)).toBe(true);
    for (const changed of [
      { cookie: Buffer.alloc(16, 9) },
      { clientNonce: Buffer.alloc(16, 9) },
      { clientPublicKey: Buffer.alloc(32, 9) },
      { mediaSalt: Buffer.alloc(16, 9) },
      { room: 'attic' },
    ]) {
      expect(verifyRoomProof(keys.publicKey, { join: { ...transcript, ...changed } }, proof), JSON.stringify(Object.keys(changed))).toBe(false);
    }
    const other = deriveRoomAdmissionKeys(await deriveRoomKey('guess', 'lobby'));
    expect(verifyRoomProof(other.publicKey, { join: transcript }, proof)).toBe(false);
    expect(verifyRoomProof(keys.publicKey, { join: transcript }, roomProof(other, { join: transcript }))).toBe(false);
  });

  it('binds a move’s proof to its session, its number, its salt and its room, and never verifies as a join', async () => {
    const keys = deriveRoomAdmissionKeys(await deriveRoomKey('open sesame', 'attic'));
    const move = { clientNonce: Buffer.alloc(16, 2), relayPublicKey: Buffer.alloc(32, 7), memberId: 42, moveId: 1, mediaSalt: Buffer.alloc(16, 4), room: 'attic' };
    const proof = roomProof(keys, { move });
    expect(verifyRoomProof(keys.publicKey, { move }, proof)).toBe(true);
    for (const changed of [{ clientNonce: Buffer.alloc(16, 9) }, { relayPublicKey: Buffer.alloc(32, 9) }, { memberId: 43 }, { moveId: 2 }, { mediaSalt: Buffer.alloc(16, 9) }, { room: 'lobby' }]) {
      expect(verifyRoomProof(keys.publicKey, { move: { ...move, ...changed } }, proof), JSON.stringify(Object.keys(changed))).toBe(false);
    }
    expect(verifyRoomProof(keys.publicKey, { join: { ...transcript, room: 'attic' } }, proof)).toBe(false);
  });

  it('refuses malformed keys and proofs without throwing', () => {
    const keys = deriveRoomAdmissionKeys(Buffer.alloc(32, 5));
    const proof = roomProof(keys, { join: transcript });
    expect(verifyRoomProof(new Uint8Array(32), { join: transcript }, proof)).toBe(false);
    expect(verifyRoomProof(keys.publicKey.subarray(0, 31), { join: transcript }, proof)).toBe(false);
    expect(verifyRoomProof(keys.publicKey, { join: transcript }, new Uint8Array(64))).toBe(false);
    expect(verifyRoomProof(keys.publicKey, { join: transcript }, proof.subarray(0, 63))).toBe(false);
  });
});

describe('media keys', () => {
  it('derive the same room key and admission key from the same secret and room, different ones otherwise', async () => {
    const a = await deriveRoomKey('open sesame', 'lobby');
    const attic = await deriveRoomKey('open sesame', 'attic');
    expect((await deriveRoomKey('open sesame', 'lobby')).equals(a)).toBe(true);
    expect(attic.equals(a)).toBe(false);
    expect(deriveRoomAdmissionKeys(a).publicKey).toHaveLength(32);
    expect(deriveRoomAdmissionKeys(a).publicKey).toEqual(deriveRoomAdmissionKeys(Buffer.from(a)).publicKey);
    expect(deriveRoomAdmissionKeys(attic).publicKey.equals(deriveRoomAdmissionKeys(a).publicKey)).toBe(false);
    expect(senderKey(a, Buffer.alloc(16, 1)).equals(senderKey(a, Buffer.alloc(16, 2)))).toBe(false);
    expect([...mediaNonce(0x01020304, 0x0102_0506_0708)]).toEqual([1, 2, 3, 4, 0, 0, 1, 2, 5, 6, 7, 8]);
  });

  it('seal with a fresh key per session, so two sessions never share a nonce under one key', async () => {
    const first = await MediaChannel.create('secret', 'lobby');
    const second = await MediaChannel.create('secret', 'lobby');
    const header = { marker: false, payloadType: OPUS_PAYLOAD_TYPE, sequence: 10, timestamp: 0, ssrc: 77 };
    const a = first.seal(header, Buffer.from('same frame'));
    const b = second.seal(header, Buffer.from('same frame'));
    expect(a.subarray(0, 12)).toEqual(b.subarray(0, 12));
    expect(a.subarray(12).equals(b.subarray(12))).toBe(false);
    const receiver = await MediaChannel.create('secret', 'lobby');
    expect(Buffer.from(receiver.open(decodeRtp(a), first.mediaSalt).payload).toString()).toBe('same frame');
    const fresh = await MediaChannel.create('secret', 'lobby');
    expect(() => fresh.open(decodeRtp(b), first.mediaSalt)).toThrow(expect.objectContaining({ reason: 'bad_mac' }));
    expect(() => receiver.open(decodeRtp(a), first.mediaSalt)).toThrow(expect.objectContaining({ reason: 'replay' }));
    expect(() => first.seal(header, Buffer.from('again'))).toThrow(/did not advance/);
  });
});
