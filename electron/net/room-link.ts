import { DEFAULT_HANDSHAKE_TIMING, performHandshake, type HandshakeTiming, type JoinedSession } from './handshake.js';
import { MediaChannel } from './media-channel.js';
import type { DatagramTransport } from './datagram-transport.js';

/** What exists only once the relay has welcomed us: our member id and session keys, and the media key. */
export interface RoomLink {
  joined: JoinedSession;
  media: MediaChannel;
}

/** A link just opened, with what arrived while its media key was still being derived (handled first). */
export interface OpenedLink {
  link: RoomLink;
  held: Buffer[];
}

export interface LinkRequest {
  room: string;
  name: string;
  password?: string | undefined;
  secret?: string | undefined;
  flags: number;
  handshake?: HandshakeTiming | undefined;
}

/** As many early datagrams as a first roster of a full room takes, and no more. */
const HELD_DATAGRAMS = 256;

/**
 * Joins the room once: derives the media key from the room secret and
 * performs the handshake. When a hosting relay handed over the secret it
 * keeps (we came by plain address, without one), it derives the key from that
 * too, holding what arrives meanwhile (the first roster, say).
 */
export async function openRoomLink(
  transport: DatagramTransport,
  request: LinkRequest,
  signal?: AbortSignal,
): Promise<OpenedLink> {
  let media = await MediaChannel.create(request.secret, request.room);
  const joined = await performHandshake(
    transport,
    { room: request.room, name: request.name, password: request.password, admission: media.admission, mediaSalt: media.mediaSalt, flags: request.flags },
    request.handshake ?? DEFAULT_HANDSHAKE_TIMING,
    signal,
  );
  const held: Buffer[] = [];
  if (!media.encrypted && joined.info.roomSecret !== '') {
    transport.onDatagram((datagram) => held.length < HELD_DATAGRAMS && held.push(datagram));
    media = await MediaChannel.create(joined.info.roomSecret, request.room, media.mediaSalt);
  }
  return { link: { joined, media }, held };
}
