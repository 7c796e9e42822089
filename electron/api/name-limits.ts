/**
 * How long names may be, as the wire counts them: UTF-8 bytes, not characters
 * ("Zoë" is 4 bytes). These are the protocol's own limits (server/protocol's
 * LIMITS, which this contract may not import; test/api/name-limits.test.ts
 * keeps the two equal), so a name the window accepts is one the relay accepts.
 * Plain numbers, so the window can use them without loading the schemas.
 */
export const NAME_LIMITS = { displayNameBytes: 32, roomNameBytes: 64 } as const;
