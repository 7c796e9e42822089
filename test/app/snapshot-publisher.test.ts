import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppSnapshot, LiveLevels } from '../../electron/api/contract.js';
import { SnapshotPublisher, type SnapshotContent } from '../../electron/app/snapshot-publisher.js';
import { ben, room, roomSnapshot } from '../../renderer/src/fixtures.js';

/** A publisher over a state the test changes by hand, every 100 ms while `live`. */
function publisherOver(initial: SnapshotContent) {
  let content = initial;
  let live = true;
  const publisher = new SnapshotPublisher(() => content, () => live, 100);
  const published: (['snapshot', AppSnapshot] | ['levels', LiveLevels])[] = [];
  publisher.onSnapshot((snapshot) => published.push(['snapshot', snapshot]));
  publisher.onLevels((levels) => published.push(['levels', levels]));
  return {
    publisher,
    published,
    set: (next: SnapshotContent) => (content = next),
    setLive: (value: boolean) => (live = value),
    /** What went out, as kind and revision. */
    kinds: () => published.map(([kind, value]) => [kind, value.revision]),
  };
}

const { revision: _revision, ...start } = roomSnapshot;
const withBenAt = (levelDb: number, change: Partial<typeof ben> = {}): SnapshotContent => ({
  ...start,
  room: { ...room, peers: [{ ...ben, levelDb, ...change }, ...room.peers.slice(1)] },
});

describe('the snapshot publisher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('publishes the changes of one turn as one snapshot', async () => {
    const { publisher, kinds } = publisherOver(start);
    publisher.changed();
    publisher.changed();
    await Promise.resolve();
    expect(kinds()).toEqual([['snapshot', 1]]);
    publisher.close();
  });

  it('sends only the levels while only they move, and nothing while they stand still', async () => {
    const { publisher, published, set, kinds } = publisherOver(start);
    publisher.changed();
    await Promise.resolve();
    set(withBenAt(-30));
    vi.advanceTimersByTime(100);
    set(withBenAt(-24));
    vi.advanceTimersByTime(100);
    vi.advanceTimersByTime(300);
    expect(kinds()).toEqual([
      ['snapshot', 1],
      ['levels', 2],
      ['levels', 3],
    ]);
    expect((published[2]![1] as LiveLevels).peers[0]).toEqual({ id: 12, talking: true, levelDb: -24, quality: ben.quality });
    publisher.close();
  });

  it('publishes a snapshot when the state changed without telling, at the next look', async () => {
    const { publisher, published, set, kinds } = publisherOver(start);
    publisher.changed();
    await Promise.resolve();
    // Ben mutes: his flag arrives with a roster, which no event reports.
    set(withBenAt(-30, { muted: true }));
    vi.advanceTimersByTime(100);
    expect(kinds()).toEqual([
      ['snapshot', 1],
      ['snapshot', 2],
    ]);
    expect((published[1]![1] as AppSnapshot).room!.peers[0]).toMatchObject({ muted: true, levelDb: -30 });
    // Those levels went out with the snapshot: they are not sent again.
    vi.advanceTimersByTime(100);
    expect(kinds()).toHaveLength(2);
    publisher.close();
  });

  it('stops looking when nothing live runs', async () => {
    const { publisher, set, setLive, kinds } = publisherOver(start);
    publisher.changed();
    await Promise.resolve();
    setLive(false);
    publisher.changed();
    await Promise.resolve();
    set(withBenAt(-30));
    vi.advanceTimersByTime(1000);
    expect(kinds()).toEqual([
      ['snapshot', 1],
      ['snapshot', 2],
    ]);
  });
});
