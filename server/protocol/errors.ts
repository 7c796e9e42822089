/**
 * Why a datagram was refused. The relay counts drops by these names, the
 * client logs them, and tests assert on them, so they are part of the
 * protocol's vocabulary rather than free-form strings.
 */
export type DropReason =
  | 'truncated'
  | 'oversized'
  | 'malformed'
  | 'unknown_type'
  | 'bad_version'
  | 'bad_cookie'
  | 'bad_mac'
  | 'replay'
  | 'unknown_member'
  | 'unknown_ssrc'
  | 'address_mismatch'
  | 'rate_limited'
  | 'not_allowed';

/** Thrown by the pure decoders; callers catch it at the socket edge. */
export class ProtocolError extends Error {
  constructor(
    readonly reason: DropReason,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}
