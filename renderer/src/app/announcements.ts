import { useEffect, useRef, useState } from 'react';
import type { AppSnapshot } from '../../../electron/api/contract.js';

/**
 * What changed between two snapshots, in the words a screen reader should
 * say: people joining and leaving, and the connection coming and going.
 * Failures are not here: their banners are alerts of their own. (The
 * banners for connecting and reconnecting are not live regions, so that
 * this is said once.)
 */
export function describeChanges(previous: AppSnapshot | null, next: AppSnapshot): string[] {
  const messages: string[] = [];
  const before = previous?.room ?? null;
  const after = next.room;
  if (before === null && after !== null) {
    messages.push(after.hosting ? `Hosting ${after.name}.` : `Joined ${after.name}.`);
  } else if (before !== null && after === null) {
    messages.push(`Left ${before.name}.`);
  } else if (before !== null && after !== null) {
    const beforeIds = new Set(before.peers.map((p) => p.id));
    const afterIds = new Set(after.peers.map((p) => p.id));
    for (const peer of after.peers) if (!beforeIds.has(peer.id)) messages.push(`${peer.name} joined.`);
    for (const peer of before.peers) if (!afterIds.has(peer.id)) messages.push(`${peer.name} left.`);
  }
  const was = previous?.connection.state;
  const is = next.connection.state;
  if (next.connection.state === 'connecting' && was !== 'connecting') messages.push(`Connecting to ${next.connection.target}.`);
  if (is === 'reconnecting' && was !== 'reconnecting') messages.push('Connection lost. Reconnecting.');
  if (is === 'connected' && was === 'reconnecting') messages.push('Reconnected.');
  return messages;
}

/** The latest announcement for the live region. */
export function useAnnouncements(snapshot: AppSnapshot | null): string {
  const previous = useRef<AppSnapshot | null>(null);
  const [message, setMessage] = useState('');
  useEffect(() => {
    if (snapshot === null) return;
    // The first snapshot describes the start, not a change: nothing to say.
    const messages = previous.current === null ? [] : describeChanges(previous.current, snapshot);
    previous.current = snapshot;
    if (messages.length > 0) setMessage(messages.join(' '));
  }, [snapshot]);
  return message;
}
