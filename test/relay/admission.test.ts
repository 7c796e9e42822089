import { describe, expect, it } from 'vitest';
import type { Join } from '../../server/protocol/control.js';
import { deriveRoomAdmissionKeys, roomProof, type RoomAdmissionKeys } from '../../server/protocol/crypto.js';
import { admitToRoom, entryOfJoin, type RoomEntry } from '../../server/relay/admission.js';

const roomKeys = deriveRoomAdmissionKeys(Buffer.alloc(32, 1));
const otherKeys = deriveRoomAdmissionKeys(Buffer.alloc(32, 2));
const noKey = new Uint8Array(32);

/** A JOIN as a client builds it: signed with `signer`, presenting `presented` (its public key unless said). */
function join(signer: RoomAdmissionKeys | null, presented: Uint8Array | undefined = signer?.publicKey): RoomEntry {
  const transcript = { cookie: Buffer.alloc(16, 3), clientNonce: Buffer.alloc(16, 4), clientPublicKey: Buffer.alloc(32, 5), mediaSalt: Buffer.alloc(16, 6), room: 'lobby' };
  const message: Join = {
    type: 'join',
    ...transcript,
    roomPublicKey: presented ?? noKey,
    flags: 0,
    name: 'Ana',
    proof: new Uint8Array(16),
    roomProof: signer ? roomProof(signer, { join: transcript }) : new Uint8Array(64),
  };
  return entryOfJoin(message);
}

describe('admitToRoom', () => {
  it('lets the first joiner fix a room’s key only by proving it', () => {
    expect(admitToRoom(join(roomKeys), undefined, undefined)).toEqual({ roomPublicKey: roomKeys.publicKey, handOverSecret: '' });
    expect(admitToRoom(join(null, roomKeys.publicKey), undefined, undefined)).toBeNull();
    expect(admitToRoom(join(otherKeys, roomKeys.publicKey), undefined, undefined)).toBeNull();
    expect(admitToRoom(join(null), undefined, undefined)).toEqual({ roomPublicKey: noKey, handOverSecret: '' });
  });

  it('admits to a room with a key only who presents that key and proves it', () => {
    expect(admitToRoom(join(roomKeys), roomKeys.publicKey, undefined)).not.toBeNull();
    expect(admitToRoom(join(null, roomKeys.publicKey), roomKeys.publicKey, undefined)).toBeNull();
    expect(admitToRoom(join(otherKeys), roomKeys.publicKey, undefined)).toBeNull();
    expect(admitToRoom(join(null), roomKeys.publicKey, undefined)).toBeNull();
    // A room without a secret stays one: a joiner with a key is told its secret does not match.
    expect(admitToRoom(join(roomKeys), noKey, undefined)).toBeNull();
  });

  it('hands a kept secret to a joiner with no key, and holds anyone else to the kept key', () => {
    const kept = { secret: 'kept', roomPublicKey: roomKeys.publicKey, handOut: true };
    expect(admitToRoom(join(null), undefined, kept)).toEqual({ roomPublicKey: roomKeys.publicKey, handOverSecret: 'kept' });
    expect(admitToRoom(join(roomKeys), undefined, kept)).toEqual({ roomPublicKey: roomKeys.publicKey, handOverSecret: '' });
    expect(admitToRoom(join(null, roomKeys.publicKey), roomKeys.publicKey, kept)).toBeNull();
    expect(admitToRoom(join(otherKeys), undefined, kept)).toBeNull();
  });

  it('holds a joiner with no key to a kept secret the relay does not hand out (a room password)', () => {
    const password = { secret: 'pw', roomPublicKey: roomKeys.publicKey, handOut: false };
    expect(admitToRoom(join(null), undefined, password)).toBeNull();
    expect(admitToRoom(join(otherKeys), undefined, password)).toBeNull();
    expect(admitToRoom(join(roomKeys), undefined, password)).toEqual({ roomPublicKey: roomKeys.publicKey, handOverSecret: '' });
  });
});
