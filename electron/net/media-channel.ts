import {
  deriveRoomAdmissionKeys,
  deriveRoomKey,
  MEDIA_SALT_BYTES,
  randomBytes,
  senderKey,
  type RoomAdmissionKeys,
} from '../../server/protocol/crypto.js';
import { chatKey } from '../../server/protocol/chat/chat-crypto.js';
import { ProtocolError } from '../../server/protocol/errors.js';
import { openMediaPayload, readSealedMedia, sealMediaPayload } from '../../server/protocol/media-crypto.js';
import { ReplayWindow } from '../../server/protocol/replay.js';
import { encodeRtpHeader, extendSequence, type RtpHeader, type RtpPacket } from '../../server/protocol/rtp.js';

interface PeerState {
  salt: Uint8Array;
  key: Buffer | null;
  highestIndex: number;
  replay: ReplayWindow;
}

export interface OpenedMedia {
  payload: Uint8Array;
  /** 48-bit packet index: the sequence number extended across wraps. */
  index: number;
}

/**
 * End-to-end media protection for one session: seals what we send under our
 * own sender key, opens what peers send under theirs, and rejects replays.
 * Without a room secret it passes payloads through (the room is shown as
 * "not encrypted") but still drops replayed and duplicate packets.
 */
export class MediaChannel {
  private readonly ownKey: Buffer | null;
  private ownHighestIndex = -1;
  private readonly peers = new Map<number, PeerState>();

  private constructor(
    private readonly roomKey: Buffer | null,
    /** Proves the room key to the relay at join; null without a secret. */
    readonly admission: RoomAdmissionKeys | null,
    /** Fresh for every session (so every session has its own sender key), announced in JOIN. */
    readonly mediaSalt: Uint8Array,
  ) {
    this.ownKey = roomKey ? senderKey(roomKey, mediaSalt) : null;
  }

  /** `mediaSalt` is given only to keep the salt already announced, when the key arrives after the join. */
  static async create(secret: string | undefined, room: string, mediaSalt: Uint8Array = randomBytes(MEDIA_SALT_BYTES)): Promise<MediaChannel> {
    if (!secret) return new MediaChannel(null, null, mediaSalt);
    const roomKey = await deriveRoomKey(secret, room);
    return new MediaChannel(roomKey, deriveRoomAdmissionKeys(roomKey), mediaSalt);
  }

  get encrypted(): boolean {
    return this.roomKey !== null;
  }

  /** The room's chat key, from the same room key under its own label; null without a secret. */
  get chatKey(): Buffer | null {
    return this.roomKey ? chatKey(this.roomKey) : null;
  }

  seal(header: RtpHeader, payload: Uint8Array): Buffer {
    const headerBytes = encodeRtpHeader(header);
    const index = extendSequence(this.ownHighestIndex, header.sequence);
    // A repeated index under the same key would repeat a nonce: refuse rather than weaken the AEAD.
    if (index <= this.ownHighestIndex) throw new RangeError(`media sequence ${header.sequence} did not advance`);
    this.ownHighestIndex = index;
    if (!this.ownKey) return Buffer.concat([headerBytes, payload]);
    return sealMediaPayload(this.ownKey, headerBytes, header.ssrc, index, payload);
  }

  /** Throws ProtocolError('replay' | 'bad_mac' | 'truncated' | 'malformed') for packets to drop. */
  open(packet: RtpPacket, peerSalt: Uint8Array): OpenedMedia {
    let peer = this.peers.get(packet.ssrc);
    if (!peer || !sameBytes(peer.salt, peerSalt)) {
      // A new salt means the peer rejoined: a new key and a fresh replay window.
      peer = {
        salt: peerSalt,
        key: this.roomKey ? senderKey(this.roomKey, peerSalt) : null,
        highestIndex: -1,
        replay: new ReplayWindow(128),
      };
      this.peers.set(packet.ssrc, peer);
    }
    // A sealed packet states its index; only a plain one (nothing to authenticate) needs it estimated.
    const sealed = peer.key ? readSealedMedia(packet) : null;
    const index = sealed ? sealed.index : extendSequence(peer.highestIndex, packet.sequence);
    if (!peer.replay.check(index)) throw new ProtocolError('replay', `packet ${index} from ${packet.ssrc} already seen`);
    const payload = peer.key && sealed ? openMediaPayload(peer.key, packet.ssrc, sealed) : packet.payload;
    if (!payload) throw new ProtocolError('bad_mac', `media from ${packet.ssrc} failed authentication`);
    peer.replay.commit(index);
    if (index > peer.highestIndex) peer.highestIndex = index;
    return { payload, index };
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
