import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { CHAT_PROBLEMS } from '../electron/app/chat-problems.js';
import type { VoiceClient } from '../electron/client/voice-client.js';
import type { ChatArrival } from '../electron/net/chat/session-chat.js';

/** Lines typed faster than the room's pace wait their turn, up to this many; more are refused. */
const QUEUE_LIMIT = 1_000;
/** How long to wait before trying a waiting line again (half the pace's interval). */
const RETRY_MS = 250;
/** How long a relay may take to say it carries chat before the lines typed are refused as unsendable. */
const READY_WAIT_MS = 5_000;

/** What a terminal must never be sent from the network: control characters (escape sequences, the bell). */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '�');
}

/** One message as a line (and its own further lines, indented): `<Ana> hello`, marked when from before we came. */
export function formatChatMessage(message: ChatArrival): string {
  const text = message.text === null ? '(a message that could not be read)' : printable(message.text);
  const [first, ...rest] = text.split('\n');
  const head = `${message.history ? '(earlier) ' : ''}<${printable(message.senderName)}> ${first}`;
  return [head, ...rest.map((line) => `    ${line}`)].join('\n');
}

/**
 * `parley join --chat`: prints the room's messages as they arrive (others',
 * and ours once the relay confirms them) and posts each line read from
 * `input`, at the pace the room allows. For bots that talk and listen.
 */
export function relayChat(client: VoiceClient, say: (line: string) => void, input: Readable): () => void {
  const waiting: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const startedAt = Date.now();
  client.onChat((event) => {
    if (event.kind === 'message' && !event.message.own) say(formatChatMessage(event.message));
    if (event.kind === 'failed') say('! a chat message was not delivered');
  });
  const pump = (): void => {
    timer = undefined;
    while (waiting.length > 0) {
      const result = client.postChat(waiting[0]!);
      const notYet = !result.ok && (result.problem === 'tooFast' || (result.problem === 'unavailable' && Date.now() - startedAt < READY_WAIT_MS));
      if (notYet) {
        timer = setTimeout(pump, RETRY_MS);
        return;
      }
      waiting.shift();
      if (!result.ok) say(`! not sent: ${CHAT_PROBLEMS[result.problem]}`);
    }
  };
  const lines = createInterface({ input, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    if (waiting.length >= QUEUE_LIMIT) return say('! not sent: too many lines are waiting to be sent');
    waiting.push(line);
    if (!timer) pump();
  });
  return () => {
    clearTimeout(timer);
    lines.close();
  };
}
