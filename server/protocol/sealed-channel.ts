import { encodeSealedHeader, type Sealed } from './control.js';
import { controlNonce, open, seal } from './crypto.js';
import { ProtocolError } from './errors.js';
import { ReplayWindow } from './replay.js';
import { decodeSessionMessage, encodeSessionMessage, type SessionMessage } from './session-messages.js';

/** Seals session messages for one direction of one session; the counter never repeats. */
export class SealedSender {
  private counter: number;

  constructor(
    private readonly key: Uint8Array,
    private readonly memberId: number,
    firstCounter = 1,
  ) {
    this.counter = firstCounter;
  }

  seal(message: SessionMessage): Buffer {
    const counter = this.counter++;
    const header = encodeSealedHeader(this.memberId, counter);
    return Buffer.concat([header, seal(this.key, controlNonce(counter), encodeSessionMessage(message), header)]);
  }
}

/** Opens session messages from the other end, rejecting forgeries and replays. */
export class SealedReceiver {
  private readonly window = new ReplayWindow(256);

  constructor(private readonly key: Uint8Array) {}

  /** Throws ProtocolError('bad_mac' | 'replay' | decoding reasons). */
  open(envelope: Sealed): SessionMessage {
    if (!this.window.check(envelope.counter)) throw new ProtocolError('replay', `counter ${envelope.counter} already seen`);
    const plaintext = open(this.key, controlNonce(envelope.counter), envelope.ciphertext, envelope.header);
    if (!plaintext) throw new ProtocolError('bad_mac', 'sealed message failed authentication');
    this.window.commit(envelope.counter);
    return decodeSessionMessage(plaintext);
  }
}
