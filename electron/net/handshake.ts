import { LIMITS, PROTOCOL_VERSION } from '../../server/protocol/constants.js';
import { decodeControl, encodeControl, encodeSealedHeader, type ControlMessage } from '../../server/protocol/control.js';
import {
  CLIENT_NONCE_BYTES,
  constantTimeEqual,
  derivePasswordKey,
  deriveSessionKeys,
  generateEphemeralKeyPair,
  joinProof,
  PROOF_BYTES,
  randomBytes,
  ROOM_PROOF_BYTES,
  ROOM_PUBLIC_KEY_BYTES,
  roomProof,
  sharedSecret,
  welcomeProof,
  type RoomAdmissionKeys,
} from '../../server/protocol/crypto.js';
import { SealedReceiver, SealedSender } from '../../server/protocol/sealed-channel.js';
import type { WelcomeInfo } from '../../server/protocol/session-messages.js';
import { JoinError } from './join-error.js';
import type { DatagramTransport } from './datagram-transport.js';

export interface JoinRequest {
  room: string;
  name: string;
  password?: string | undefined;
  /** The room key's admission pair, to prove it to the relay; absent or null for a room without a secret. */
  admission?: RoomAdmissionKeys | null;
  mediaSalt: Uint8Array;
  flags: number;
}

export interface JoinedSession {
  memberId: number;
  info: WelcomeInfo;
  /** This join's nonce and the relay's key for it: what a move's room proof is bound to. */
  binding: { clientNonce: Uint8Array; relayPublicKey: Uint8Array };
  sender: SealedSender;
  receiver: SealedReceiver;
}

export interface HandshakeTiming {
  /** How long to wait for each reply before sending again. */
  retryMs: number;
  /** When to give up and call the relay unreachable. */
  deadlineMs: number;
}

export const DEFAULT_HANDSHAKE_TIMING: HandshakeTiming = { retryMs: 400, deadlineMs: 5_000 };

/**
 * A host that answers our datagrams with ICMP "port unreachable" has nothing
 * listening there: after this many (one per attempt, so about a second) the
 * join gives up at once instead of waiting out the deadline. One alone could
 * be a relay that is just restarting.
 */
export const REFUSALS_BEFORE_GIVING_UP = 3;

/**
 * HELLO → COOKIE → JOIN → WELCOME, resending on silence. Replies must echo
 * our nonce, so an off-path attacker cannot answer for the relay.
 */
export async function performHandshake(
  transport: DatagramTransport,
  request: JoinRequest,
  timing: HandshakeTiming = DEFAULT_HANDSHAKE_TIMING,
  signal?: AbortSignal,
): Promise<JoinedSession> {
  const clientNonce = randomBytes(CLIENT_NONCE_BYTES);
  const keys = generateEphemeralKeyPair();
  const deadline = Date.now() + timing.deadlineMs;
  let refusals = 0;
  let passwordKey: Buffer | null = null;
  let passwordSalt: Buffer | null = null;

  const exchange = (datagram: Buffer, accept: (message: ControlMessage) => boolean): Promise<ControlMessage> =>
    new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (outcome: () => void): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        transport.onDatagram(() => {});
        transport.onError(otherErrors);
        outcome();
      };
      const otherErrors = transport.onError((error) => {
        otherErrors(error);
        if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED') return;
        if (++refusals >= REFUSALS_BEFORE_GIVING_UP) finish(() => reject(new JoinError('unreachable', 'nothing is listening on that port')));
      });
      const onAbort = (): void => finish(() => reject(new JoinError('aborted')));
      const attempt = (): void => {
        if (Date.now() >= deadline) return finish(() => reject(new JoinError('unreachable')));
        transport.send(datagram);
        timer = setTimeout(attempt, Math.min(timing.retryMs, Math.max(1, deadline - Date.now())));
      };
      transport.onDatagram((incoming) => {
        let message: ControlMessage;
        try {
          message = decodeControl(incoming);
        } catch {
          return; // Media or noise arriving during the handshake is not ours to judge.
        }
        if (accept(message)) finish(() => resolve(message));
      });
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort);
      attempt();
    });

  const echoesNonce = (message: ControlMessage): boolean =>
    (message.type === 'cookie' || message.type === 'welcome' || message.type === 'reject') &&
    constantTimeEqual(message.clientNonce, clientNonce);

  for (;;) {
    const hello = encodeControl({ type: 'hello', clientNonce });
    const cookieReply = await exchange(hello, echoesNonce);
    if (cookieReply.type === 'reject') throw new JoinError(cookieReply.code, `relay speaks v${cookieReply.relayVersion}, we speak v${PROTOCOL_VERSION}`);
    if (cookieReply.type !== 'cookie') continue;
    if (cookieReply.passwordRequired) {
      if (!request.password) throw new JoinError('passwordRequired');
      if (!passwordSalt || !constantTimeEqual(passwordSalt, cookieReply.relaySalt)) {
        passwordSalt = Buffer.from(cookieReply.relaySalt);
        passwordKey = await derivePasswordKey(request.password, passwordSalt);
      }
    } else {
      passwordKey = null;
    }
    const transcript = { cookie: cookieReply.cookie, clientNonce, clientPublicKey: keys.publicKey, mediaSalt: request.mediaSalt, room: request.room };
    const join = encodeControl({
      type: 'join',
      ...transcript,
      roomPublicKey: request.admission?.publicKey ?? Buffer.alloc(ROOM_PUBLIC_KEY_BYTES),
      flags: request.flags,
      name: request.name,
      proof: passwordKey ? joinProof(passwordKey, transcript) : Buffer.alloc(PROOF_BYTES),
      roomProof: request.admission ? roomProof(request.admission, { join: transcript }) : Buffer.alloc(ROOM_PROOF_BYTES),
    });
    if (join.length > LIMITS.maxDatagramBytes) throw new JoinError('invalidName');
    const answer = await exchange(join, (m) => m.type !== 'cookie' && echoesNonce(m));
    if (answer.type === 'reject') {
      if (answer.code === 'badCookie') continue; // The cookie expired in flight: start over.
      throw new JoinError(answer.code);
    }
    if (answer.type !== 'welcome') continue;
    const shared = sharedSecret(keys.privateKey, answer.relayPublicKey);
    if (!shared) throw new JoinError('relayNotAuthentic', 'invalid key exchange');
    const sessionKeys = deriveSessionKeys(shared, {
      cookie: cookieReply.cookie,
      clientNonce,
      clientPublicKey: keys.publicKey,
      relayPublicKey: answer.relayPublicKey,
    });
    const receiver = new SealedReceiver(sessionKeys.relayToClient);
    let info;
    try {
      info = receiver.open({
        type: 'sealed',
        memberId: answer.memberId,
        counter: 0,
        header: encodeSealedHeader(answer.memberId, 0),
        ciphertext: answer.sealedInfo,
      });
    } catch {
      throw new JoinError('relayNotAuthentic', 'welcome failed authentication');
    }
    if (info.kind !== 'welcomeInfo') throw new JoinError('relayNotAuthentic', 'welcome carried the wrong message');
    if (passwordKey && !constantTimeEqual(info.relayProof, welcomeProof(passwordKey, clientNonce, keys.publicKey, answer.relayPublicKey))) {
      throw new JoinError('relayNotAuthentic');
    }
    return {
      memberId: answer.memberId,
      info,
      binding: { clientNonce, relayPublicKey: answer.relayPublicKey },
      sender: new SealedSender(sessionKeys.clientToRelay, answer.memberId),
      receiver,
    };
  }
}
