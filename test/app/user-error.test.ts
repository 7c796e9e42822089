import { describe, expect, it } from 'vitest';
import { AudioDeviceError } from '../../electron/audio/device-error.js';
import { HostingError } from '../../electron/app/hosting.js';
import { InviteError } from '../../electron/app/invite.js';
import { failWith, toUserError } from '../../electron/app/user-error.js';
import { JoinError } from '../../electron/net/join-error.js';

describe('what the user reads for an error', () => {
  it("keeps the code and message of Parley's own errors", () => {
    expect(toUserError(new JoinError('wrongPassword'), 'joinFailed')).toEqual({ code: 'wrongPassword', message: 'Wrong relay password.' });
    expect(toUserError(new HostingError('portInUse', 'Port 1 is taken.'), 'hostFailed')).toEqual({ code: 'portInUse', message: 'Port 1 is taken.' });
    expect(toUserError(new AudioDeviceError('notFound', 'Microphone "X" was not found.'), 'joinFailed')).toEqual({ code: 'device', message: 'Microphone "X" was not found.' });
    expect(toUserError(new InviteError('Port 99999 is not between 1 and 65535.'), 'joinFailed')).toEqual({ code: 'invalidAddress', message: 'Port 99999 is not between 1 and 65535.' });
  });

  it('shows anything else as it is, under the code the caller names', () => {
    expect(toUserError(new TypeError('x is not a function'), 'joinFailed')).toEqual({ code: 'joinFailed', message: 'TypeError: x is not a function' });
    expect(failWith('gone', 'device')).toEqual({ ok: false, error: { code: 'device', message: 'gone' } });
  });
});
