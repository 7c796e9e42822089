import type { ActionResult, UserError } from '../api/contract.js';
import { AudioDeviceError } from '../audio/types.js';
import { JoinError } from '../net/join-error.js';
import { HostingError } from './hosting.js';
import { InviteError } from './invite.js';

export const OK: ActionResult = { ok: true };

export const fail = (code: string, message: string): ActionResult => ({ ok: false, error: { code, message } });

/**
 * What the user reads for an error. Parley's own errors were written for
 * users (joining, hosting, devices, invites) and keep their code; anything
 * else is shown as it is, under `otherwise`.
 */
export function toUserError(error: unknown, otherwise: string): UserError {
  if (error instanceof JoinError || error instanceof HostingError) return { code: error.code, message: error.message };
  if (error instanceof AudioDeviceError) return { code: 'device', message: error.message };
  if (error instanceof InviteError) return { code: 'invalidAddress', message: error.message };
  return { code: otherwise, message: String(error) };
}

/** An action's failure, as toUserError describes the error. */
export const failWith = (error: unknown, otherwise: string): ActionResult => ({ ok: false, error: toUserError(error, otherwise) });
