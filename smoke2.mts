import { PeerReceiver } from './electron/engine/receive/peer-receiver.js';
import { TestSender, deliver, play } from './test/engine/receive/support/stream.js';
import { voicedSignal, speechFixture } from './test/engine/receive/support/signals.js';
function rng(seed: number) { return () => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 2**32; }; }
const r = rng(7);
const sp = speechFixture(); const src = new Float32Array(20*48000); for (let i=0;i<src.length;i++) src[i]=sp[i % sp.length]!;
const sender = new TestSender();
const packets = sender.talkspurt(src, 1000);
const rx = await PeerReceiver.create();
const N = 40;
const arrivals = deliver(packets, (p) => p.sendMs < 11000 ? 30 + N + (r()*2-1)*N : 30);
const log: string[] = [];
play(rx, arrivals, 1000, 22000, (now) => { if (now % 1000 === 0) { const s = rx.stats(); log.push(`${now} target ${s.targetDelayMs.toFixed(0)} buf ${s.bufferDelayMs.toFixed(1)} late ${s.late} lost ${s.lost} conc ${s.concealedPct.toFixed(2)} comp ${s.timeCompressedMs.toFixed(1)} str ${s.timeStretchedMs.toFixed(1)} jit ${s.jitterMs.toFixed(1)}`); } });
console.log(log.join('\n'));
const rx2 = await PeerReceiver.create();
const reordered = deliver(sender.talkspurt(voicedSignal(1000), 30000), (_, index) => (index % 2 === 0 ? 55 : 30));
play(rx2, reordered, 30000, 31500);
console.log(rx2.stats());
