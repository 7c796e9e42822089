import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import wavefile from 'wavefile';
import { SAMPLE_RATE, floatToInt16 } from '../../electron/engine/audio-format.js';
import { formatChatMessage } from '../../cli/chat-lines.js';
import type { ChatArrival } from '../../electron/net/chat/session-chat.js';
import { waitFor } from '../helpers/relay.js';
import { relayHarness } from '../helpers/relay-harness.js';
import { runParley, type ParleyProcess } from './run-parley.js';

function quietWav(): string {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, SAMPLE_RATE, '16', floatToInt16(new Float32Array(SAMPLE_RATE)));
  const path = join(mkdtempSync(join(tmpdir(), 'parley-chat-')), 'quiet.wav');
  writeFileSync(path, wav.toBuffer());
  return path;
}

describe('parley join --chat', () => {
  const harness = relayHarness();
  const children: ParleyProcess[] = [];
  afterEach(() => {
    for (const run of children.splice(0)) run.child.kill('SIGKILL');
  });

  it('prints what the room says and posts each line typed, at the pace the room allows', async () => {
    const relay = await harness.relay();
    const secret = 'bots only';
    const ana = await harness.join(relay, { room: 'Bots', name: 'Ana', secret });
    const heard: string[] = [];
    ana.onChat((event) => event.kind === 'message' && !event.message.own && heard.push(event.message.text ?? '?'));
    const quiet = quietWav();
    const bot = runParley(['join', `127.0.0.1:${relay.address.port}`, '--room', 'Bots', '--name', 'Bot', '--secret', secret, '--input', quiet, '--output', join(tmpdir(), `parley-chat-${process.pid}.wav`), '--chat', '--stats-every', '60']);
    children.push(bot);
    await waitFor('bot joined', () => ana.peers.some((p) => p.name === 'Bot'), 15_000);
    await waitFor('chat offered', () => ana.chatAvailable, 5_000);

    expect(ana.postChat('hello bot\nsecond line')).toMatchObject({ ok: true });
    await waitFor('printed', () => bot.stdout().includes('<Ana> hello bot\n    second line\n'), 10_000);

    // Fifteen lines at once: ten go at once, the rest at two a second.
    const lines = Array.from({ length: 15 }, (_, i) => `line ${i + 1}`);
    bot.child.stdin.write(lines.join('\n') + '\n');
    await waitFor('all posted', () => heard.length === 15, 15_000);
    expect(heard).toEqual(lines);
    expect(bot.stdout()).not.toMatch(/not sent/);
  }, 45_000);

  it('prints each message as a line a script can read, the earlier ones marked, nothing of a terminal escape', () => {
    const message: ChatArrival = { historyId: 1, index: 1, sentAtSeconds: 0, senderId: 2, senderName: 'Evil\u001b[2J', text: 'two\nlines', history: true, own: false, tag: 1 };
    expect(formatChatMessage(message)).toBe('(earlier) <Evil�[2J> two\n    lines');
    expect(formatChatMessage({ ...message, history: false, senderName: 'Ana', text: null })).toBe('<Ana> (a message that could not be read)');
  });
});
