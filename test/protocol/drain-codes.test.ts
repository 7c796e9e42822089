import { describe, expect, it } from 'vitest';
import { decodeControl, encodeControl } from '../../server/protocol/control.js';
import { ProtocolError } from '../../server/protocol/errors.js';
import { decodeSessionMessage, encodeSessionMessage } from '../../server/protocol/session-messages.js';

describe('the drain on the wire', () => {
  it('is REJECT code 11 and BYE reason 3, the next free numbers', () => {
    const reject = encodeControl({ type: 'reject', clientNonce: new Uint8Array(16), code: 'draining', relayVersion: 2 });
    expect(reject.at(-2)).toBe(11);
    expect(decodeControl(reject)).toMatchObject({ type: 'reject', code: 'draining' });
    expect([...encodeSessionMessage({ kind: 'bye', reason: 'draining' })]).toEqual([8, 3]);
    expect(decodeSessionMessage(Uint8Array.of(8, 3))).toEqual({ kind: 'bye', reason: 'draining' });
  });

  it('drops a reason or code it does not know as malformed, as a client older than the drain drops these', () => {
    const reject = encodeControl({ type: 'reject', clientNonce: new Uint8Array(16), code: 'draining', relayVersion: 2 });
    // 12 is roomsPrivate (the room directory), taken after the drain's 11.
    reject[reject.length - 2] = 13;
    expect(() => decodeControl(reject)).toThrow(new ProtocolError('malformed', 'unknown reject code 13'));
    expect(() => decodeSessionMessage(Uint8Array.of(8, 4))).toThrow(new ProtocolError('malformed', 'unknown bye reason 4'));
  });
});
