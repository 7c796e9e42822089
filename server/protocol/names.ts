import { LIMITS } from './constants.js';

/**
 * Room and display names are compared as the relay stores them: Unicode NFC,
 * trimmed, with no control characters. Both sides normalise, so "Café" typed
 * on two keyboards is one room.
 */
export function normalizeName(raw: string): string {
  return raw.normalize('NFC').trim();
}

function validName(name: string, maxBytes: number): boolean {
  // eslint-disable-next-line no-control-regex
  return name.length > 0 && Buffer.byteLength(name) <= maxBytes && !/[\u0000-\u001f\u007f-\u009f]/.test(name) && name === normalizeName(name);
}

export function isValidRoomName(name: string): boolean {
  return validName(name, LIMITS.maxRoomNameBytes);
}

export function isValidDisplayName(name: string): boolean {
  return validName(name, LIMITS.maxDisplayNameBytes);
}
