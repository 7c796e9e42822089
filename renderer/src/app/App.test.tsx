// @vitest-environment jsdom
import { act, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AppSnapshot, ParleyApi } from '../../../electron/api/contract.js';
import { FakeApi } from '../fake-api.js';
import { ben, idleSnapshot, noticesSnapshot, room, roomSnapshot } from '../fixtures.js';
import { renderApp } from '../testing/render-app.js';
import { App } from './App.js';
import { describeChanges } from './announcements.js';

function announcer(): HTMLElement {
  return screen.getByTestId('announcer');
}

describe('the window', () => {
  it('shows the connect screen without a room and the room screen with one', async () => {
    const { push } = await renderApp(idleSnapshot);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Talk with friends');
    expect(document.title).toBe('Parley');
    await push({ ...roomSnapshot, revision: 2 });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Raid night');
    expect(document.title).toBe('Raid night \u2013 Parley');
    // The screen changed under the user: focus starts at its title.
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1 }));
  });

  it('says it is starting until the first snapshot arrives', () => {
    const fake = new FakeApi(idleSnapshot);
    fake.respond('getSnapshot', () => new Promise<AppSnapshot>(() => {}) as unknown as AppSnapshot);
    render(<App api={fake.api} />);
    expect(screen.getByText('Starting Parley…')).toBeTruthy();
  });

  it('ignores a snapshot older than the one shown', async () => {
    const { push } = await renderApp({ ...roomSnapshot, revision: 10 });
    await push({ ...idleSnapshot, revision: 9 });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Raid night');
    await push({ ...idleSnapshot, revision: 11 });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Talk with friends');
  });

  it('keeps a pushed snapshot that overtook the initial reply', async () => {
    const fake = new FakeApi(idleSnapshot);
    let answer: (snapshot: AppSnapshot) => void = () => {};
    fake.respond('getSnapshot', () => new Promise<AppSnapshot>((resolve) => (answer = resolve)) as unknown as AppSnapshot);
    render(<App api={fake.api} />);
    await act(async () => fake.push({ ...roomSnapshot, revision: 5 }));
    await act(async () => answer({ ...idleSnapshot, revision: 4 }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Raid night');
  });

  it('lays live levels newer than the snapshot over it, and lets a newer snapshot replace them', async () => {
    const { fake, push } = await renderApp({ ...roomSnapshot, revision: 10 });
    const meter = (label: string): string | null => screen.getByRole('meter', { name: label }).getAttribute('aria-valuetext');
    expect([meter('Your microphone level'), meter("Chloe's level")]).toEqual(['−52 dB', 'silent']);
    const levels = {
      self: { talking: true, inputLevelDb: -20, redundancy: false, uplinkKbps: 27.5, quality: room.self.quality },
      peers: [{ id: 15, talking: true, levelDb: -30, quality: room.peers[1]!.quality }],
      micTest: null,
    };
    await act(async () => fake.pushLevels({ ...levels, revision: 11 }));
    expect([meter('Your microphone level'), meter("Chloe's level"), meter("Ben's level")]).toEqual(['−20 dB', '−30 dB', '−18 dB']);
    // Older than what is shown: ignored.
    await act(async () => fake.pushLevels({ ...levels, revision: 11, peers: [{ ...levels.peers[0]!, levelDb: -60 }] }));
    expect(meter("Chloe's level")).toBe('−30 dB');
    await push({ ...roomSnapshot, revision: 12 });
    expect([meter('Your microphone level'), meter("Chloe's level")]).toEqual(['−52 dB', 'silent']);
  });

  it('says so when the first snapshot cannot be had', async () => {
    const fake = new FakeApi(idleSnapshot);
    fake.respond('getSnapshot', () => Promise.reject(new Error('no handler for parley:getSnapshot')) as unknown as AppSnapshot);
    render(<App api={fake.api} />);
    await act(async () => {});
    expect(screen.getByRole('alert').textContent).toBe("Parley's window could not reach the app: no handler for parley:getSnapshot");
  });

  it('stops listening when it goes away', async () => {
    const { fake, unmount } = await renderApp(idleSnapshot);
    unmount();
    fake.push({ ...roomSnapshot, revision: 99 });
    expect(screen.queryByRole('heading')).toBeNull();
  });

  it('shows notices by kind and dismisses them by id', async () => {
    const { user, fake } = await renderApp(noticesSnapshot);
    const region = screen.getByRole('region', { name: 'Notices' });
    expect(region.getAttribute('aria-live')).toBe('polite');
    const notices = within(region).getAllByRole('listitem');
    expect(notices.map((n) => [n.querySelector('.notice-text')!.getAttribute('role'), n.textContent])).toEqual([
      [null, 'Note: Chloe joined the room.'],
      [null, 'Warning: Your network is losing packets: Parley turned on loss protection.'],
      ['alert', 'Error: The output device "USB Headset: Audio (hw:2,0)" stopped. Parley switched to the system default.'],
    ]);
    await user.click(screen.getByRole('button', { name: 'Dismiss: Your network is losing packets: Parley turned on loss protection.' }));
    expect(fake.actions()).toEqual([{ method: 'dismissNotice', args: [2] }]);
  });

  it('turns a failed call into an error notice of its own, which dismisses locally', async () => {
    const fake = new FakeApi(roomSnapshot);
    const api: ParleyApi = { ...fake.api, setMuted: () => Promise.reject(new Error('The main process is gone.')) };
    render(<App api={api} />);
    await act(async () => {});
    await act(async () => screen.getByRole('button', { name: 'Mute' }).click());
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toBe("Error: Parley's window could not reach the app: The main process is gone.");
    await act(async () => within(alert.closest('li')!).getByRole('button').click());
    expect(screen.queryByRole('alert')).toBeNull();
    expect(fake.callsTo('dismissNotice')).toEqual([]);
  });

  it('turns a failed call with a result into that action’s error', async () => {
    const fake = new FakeApi(idleSnapshot);
    const api: ParleyApi = { ...fake.api, host: () => Promise.reject(new Error('IPC closed')) };
    render(<App api={api} />);
    await act(async () => {});
    await act(async () => screen.getByRole('button', { name: 'Host room' }).click());
    expect(within(screen.getByRole('form', { name: 'Host a room' })).getByRole('alert').textContent).toBe(
      "Parley's window could not reach the app: IPC closed Help with hosting",
    );
  });

  it('announces joins, leaves and the connection coming back', async () => {
    const { push } = await renderApp(roomSnapshot);
    expect(announcer().textContent).toBe('');
    const eve = { ...ben, id: 30, name: 'Eve' };
    await push({ ...roomSnapshot, revision: 20, room: { ...room, peers: [...room.peers, eve] } });
    expect(announcer().textContent).toBe('Eve joined.');
    await push({ ...roomSnapshot, revision: 21, room: { ...room, peers: [eve] } });
    expect(announcer().textContent).toBe('Ben left. Chloe left. Dev left.');
    await push({
      ...roomSnapshot,
      revision: 22,
      room: { ...room, peers: [eve] },
      connection: { state: 'reconnecting', reason: 'relayClosed', attempt: 1, retryInMs: 1000, lastError: null },
    });
    expect(announcer().textContent).toBe('Connection lost. Reconnecting.');
    await push({ ...roomSnapshot, revision: 23, room: { ...room, peers: [eve] } });
    expect(announcer().textContent).toBe('Reconnected.');
  });

  it('describes entering and leaving rooms', () => {
    expect(describeChanges(idleSnapshot, roomSnapshot)).toEqual(['Joined Raid night.']);
    expect(describeChanges(idleSnapshot, { ...roomSnapshot, room: { ...room, hosting: { port: 1, addresses: [], invite: '', passwordSet: false, reachability: { verdict: 'thisComputer', message: '' } } } })).toEqual([
      'Hosting Raid night.',
    ]);
    expect(describeChanges(roomSnapshot, idleSnapshot)).toEqual(['Left Raid night.']);
    expect(describeChanges(roomSnapshot, { ...roomSnapshot, revision: 11 })).toEqual([]);
    expect(describeChanges(idleSnapshot, { ...idleSnapshot, connection: { state: 'connecting', target: '203.0.113.5:47000' } })).toEqual([
      'Connecting to 203.0.113.5:47000.',
    ]);
  });
});
