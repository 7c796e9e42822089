import { encodeControl, encodeSealedHeader, type Join } from '../protocol/control.js';
import {
  controlNonce,
  deriveSessionKeys,
  PROOF_BYTES,
  seal,
  sharedSecret,
  welcomeProof,
  type EphemeralKeyPair,
  type SessionKeys,
} from '../protocol/crypto.js';
import { encodeSessionMessage } from '../protocol/session-messages.js';
import type { Admission } from './admission.js';
import type { ResolvedRelayOptions } from './options.js';

/** What a WELCOME tells a new member about the relay's timing and room size. */
export type WelcomeTerms = Pick<ResolvedRelayOptions, 'pingIntervalMs' | 'memberTimeoutMs' | 'maxMembersPerRoom'>;

export interface WelcomeInput {
  join: Join;
  memberId: number;
  /** The relay's ephemeral pair for this join alone. */
  relayKeys: EphemeralKeyPair;
  admission: Admission;
  /** The relay's password key, when it has a password: the WELCOME then proves the relay knows it too. */
  passwordKey: Buffer | null;
  terms: WelcomeTerms;
}

export interface Welcome {
  datagram: Buffer;
  /** The new member's session keys, both directions. */
  keys: SessionKeys;
}

/**
 * The WELCOME for an admitted JOIN, and the session keys it commits to. Pure:
 * the same input always gives the same datagram, so a retried JOIN can be
 * answered with the very bytes the member may already hold. Null when the
 * joiner's public key yields no shared secret (malformed or low-order).
 */
export function composeWelcome({ join, memberId, relayKeys, admission, passwordKey, terms }: WelcomeInput): Welcome | null {
  const shared = sharedSecret(relayKeys.privateKey, join.clientPublicKey);
  if (!shared) return null;
  const keys = deriveSessionKeys(shared, {
    cookie: join.cookie,
    clientNonce: join.clientNonce,
    clientPublicKey: join.clientPublicKey,
    relayPublicKey: relayKeys.publicKey,
  });
  const info = encodeSessionMessage({
    kind: 'welcomeInfo',
    pingIntervalMs: terms.pingIntervalMs,
    memberTimeoutMs: terms.memberTimeoutMs,
    maxMembersPerRoom: terms.maxMembersPerRoom,
    relayProof: passwordKey ? welcomeProof(passwordKey, join.clientNonce, join.clientPublicKey, relayKeys.publicKey) : Buffer.alloc(PROOF_BYTES),
    roomSecret: admission.handOverSecret,
  });
  const datagram = encodeControl({
    type: 'welcome',
    clientNonce: join.clientNonce,
    relayPublicKey: relayKeys.publicKey,
    memberId,
    // Counter 0 of the relay-to-client direction; the member's SealedSender carries on from 1.
    sealedInfo: seal(keys.relayToClient, controlNonce(0), info, encodeSealedHeader(memberId, 0)),
  });
  return { datagram, keys };
}
