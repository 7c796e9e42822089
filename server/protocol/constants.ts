/** The control-message format version; a relay rejects any other with a clear error. */
export const PROTOCOL_VERSION = 2;

/**
 * First byte of every control message. RTP's first byte is 0x80–0xBF
 * (version 2); 0x50 lies in the range RFC 7983 leaves unassigned, so one UDP
 * port carries both without ambiguity.
 */
export const CONTROL_MAGIC = 0x50;

/** RTP dynamic payload types (RFC 7587 for Opus, RFC 2198 for RED). */
export const OPUS_PAYLOAD_TYPE = 111;
export const RED_PAYLOAD_TYPE = 63;

/** Opus's RTP clock is always 48 kHz, whatever the coded bandwidth (RFC 7587 §4.1). */
export const RTP_CLOCK_RATE = 48_000;

export const LIMITS = {
  /** Every datagram fits one IPv6 minimum-MTU packet with room to spare. */
  maxDatagramBytes: 1200,
  maxRoomNameBytes: 64,
  maxDisplayNameBytes: 32,
  /** HELLO is padded to this size so the COOKIE reply is never larger than it. */
  helloBytes: 96,
  /** Receiver-report entries one PING may carry. */
  maxReportEntries: 64,
} as const;

/** Longest room secret a WELCOME or MOVED can carry (invite secrets are 22 characters). */
export const MAX_ROOM_SECRET_BYTES = 128;

/** Bits of a JOIN's flags byte beyond the member flags: what the joiner asks of a room its join creates. */
export const JoinFlag = {
  /** Keep the room out of the relay's directory. */
  hiddenRoom: 0x80,
} as const;

export const TIMING = {
  /** How often a client pings; the relay tells clients this value in WELCOME. */
  pingIntervalMs: 2_000,
  /** A member the relay has not heard from for this long is dropped. */
  memberTimeoutMs: 15_000,
  /** The relay resends each room's roster this often, so a lost update heals. */
  rosterIntervalMs: 5_000,
  /** Cookie secrets rotate this often; a cookie is honoured for two periods. */
  cookiePeriodMs: 60_000,
} as const;

/** Bits of the member flags byte in rosters and state updates. */
export const MemberFlag = {
  muted: 1,
  deafened: 2,
  talking: 4,
} as const;

export interface MemberFlags {
  muted: boolean;
  deafened: boolean;
  talking: boolean;
}

export function packFlags(flags: MemberFlags): number {
  return (flags.muted ? MemberFlag.muted : 0) | (flags.deafened ? MemberFlag.deafened : 0) | (flags.talking ? MemberFlag.talking : 0);
}

export function unpackFlags(byte: number): MemberFlags {
  return {
    muted: (byte & MemberFlag.muted) !== 0,
    deafened: (byte & MemberFlag.deafened) !== 0,
    talking: (byte & MemberFlag.talking) !== 0,
  };
}
