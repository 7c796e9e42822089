import { z } from 'zod';
import { CHAT_LIMITS } from './chat-limits.js';
import { NAME_LIMITS } from './name-limits.js';
import { settingsSchema } from './settings.js';
import { utf8Text } from './utf8-text.js';
import type { ApiMethod } from './contract.js';

/**
 * Argument schemas for every API method. Main checks each IPC call against
 * these before it reaches the controller: a compromised or buggy window can
 * send anything, and gets a clear error instead of undefined behaviour.
 */
const shortText = (max: number) => z.string().max(max);
const nothing = z.tuple([]);

export const apiArgumentSchemas = {
  getSnapshot: nothing,
  host: z.tuple([z.object({ name: utf8Text(NAME_LIMITS.displayNameBytes), room: utf8Text(NAME_LIMITS.roomNameBytes), port: z.number().int().min(1).max(65535), password: shortText(256).optional() }).strict()]),
  join: z.tuple([
    z.object({ target: shortText(2048), name: utf8Text(NAME_LIMITS.displayNameBytes), room: utf8Text(NAME_LIMITS.roomNameBytes).optional(), password: shortText(256).optional(), secret: shortText(256).optional() }).strict(),
  ]),
  leave: nothing,
  setMuted: z.tuple([z.boolean()]),
  setDeafened: z.tuple([z.boolean()]),
  // A peer is named by its display name, so the same limit applies.
  setPeerVolume: z.tuple([utf8Text(NAME_LIMITS.displayNameBytes), z.number().min(0).max(2)]),
  setPeerMuted: z.tuple([utf8Text(NAME_LIMITS.displayNameBytes), z.boolean()]),
  updateSettings: z.tuple([settingsSchema.partial().strict()]),
  refreshDevices: nothing,
  startMicTest: z.tuple([z.object({ playback: z.boolean() }).strict()]),
  stopMicTest: nothing,
  pushToTalk: z.tuple([z.boolean()]),
  copyInvite: nothing,
  dismissNotice: z.tuple([z.number().int().nonnegative()]),
  openHelp: z.tuple([z.enum(['troubleshooting', 'hosting', 'pushToTalk'])]),
  // Four UTF-8 bytes a character at most: the controller checks the characters themselves.
  sendChat: z.tuple([shortText(CHAT_LIMITS.maxTextBytes)]),
  markChatRead: nothing,
  openChatLink: z.tuple([shortText(2048)]),
  browseRooms: z.tuple([z.object({ target: shortText(2048), name: utf8Text(NAME_LIMITS.displayNameBytes), password: shortText(256).optional() }).strict()]),
  stopBrowsing: nothing,
  moveToRoom: z.tuple([z.object({ room: utf8Text(NAME_LIMITS.roomNameBytes), secret: shortText(256).optional() }).strict()]),
} satisfies Record<ApiMethod, z.ZodType>;

export class InvalidApiCall extends Error {
  constructor(method: string, detail: string) {
    super(`Invalid call to ${method}: ${detail}`);
    this.name = 'InvalidApiCall';
  }
}

/** Returns the arguments, parsed; throws InvalidApiCall for an unknown method or bad arguments. */
export function validateApiCall(method: string, args: unknown): unknown[] {
  if (!Object.hasOwn(apiArgumentSchemas, method)) throw new InvalidApiCall(method, 'no such method');
  const parsed = apiArgumentSchemas[method as ApiMethod].safeParse(args);
  if (!parsed.success) throw new InvalidApiCall(method, parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; '));
  return parsed.data as unknown[];
}
