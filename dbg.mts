import { PeerReceiver } from './electron/engine/receive/peer-receiver.js';
import { TestSender, deliver, play, firstAbove } from './test/engine/receive/support/stream.js';
import { voicedSignal } from './test/engine/receive/support/signals.js';
const packets = new TestSender().talkspurt(voicedSignal(1000), 1000);
const reordered = deliver(packets, (_, index) => (index % 2 === 0 ? 55 : 30));
const rx = await PeerReceiver.create();
const out = play(rx, reordered, 1000, 2400, (now) => { if (now < 1200) console.log(now, JSON.stringify(rx.stats())); });
console.log(firstAbove(out), rx.stats());
