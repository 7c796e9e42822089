import { LIMITS } from '../../server/protocol/constants.js';
import type { RejectCodeName } from '../../server/protocol/control.js';

export type JoinErrorCode = RejectCodeName | 'unreachable' | 'passwordRequired' | 'relayNotAuthentic' | 'aborted';

const MESSAGES: Record<JoinErrorCode, string> = {
  badCookie: 'The relay did not accept the handshake; try again.',
  versionMismatch: 'This relay runs a different version of Parley.',
  wrongPassword: 'Wrong relay password.',
  roomFull: 'The room is full.',
  relayFull: 'The relay is full.',
  secretMismatch: 'This room uses a different secret: check the invite link.',
  invalidName: `That display name is not allowed (1–${LIMITS.maxDisplayNameBytes} bytes, no control characters).`,
  invalidRoom: `That room name is not allowed (1–${LIMITS.maxRoomNameBytes} bytes, no control characters).`,
  busy: 'The relay is busy; try again in a moment.',
  tooManyAttempts: 'Too many wrong passwords from your network: wait a while, then try again with the right one.',
  roomsPrivate: 'This relay keeps its rooms private: enter the name of the room you were invited to.',
  draining: 'The relay is restarting or moving and takes no one new; Parley keeps trying.',
  unreachable: 'The relay did not answer. Check the address, and that its UDP port is open.',
  passwordRequired: 'This relay needs a password.',
  relayNotAuthentic: 'The relay could not prove it knows the password: this may not be the relay you meant.',
  aborted: 'Joining was cancelled.',
};

/** Codes that retrying cannot fix: reconnect loops stop on these. */
const PERMANENT = new Set<JoinErrorCode>([
  'versionMismatch',
  'wrongPassword',
  'secretMismatch',
  'invalidName',
  'invalidRoom',
  'roomsPrivate',
  'passwordRequired',
  'relayNotAuthentic',
  'aborted',
]);

export class JoinError extends Error {
  constructor(readonly code: JoinErrorCode, detail?: string) {
    super(detail ? `${MESSAGES[code]} (${detail})` : MESSAGES[code]);
    this.name = 'JoinError';
  }

  get permanent(): boolean {
    return PERMANENT.has(this.code);
  }
}
