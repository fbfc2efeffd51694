// Child process for the crash-safety test: appends as fast as it can with many appends in flight, records of varied
// size (so some batch writes are large and a kill can land mid-write), and prints "ack <seq> <hash>" for every append
// whose promise resolved, i.e. that the journal declared durable. The parent kills it with SIGKILL.
import { openJournal } from "../../../src/main/journal/journal.ts";

const dir = process.argv[2]!;
const j = await openJournal({ dir, segmentBytes: 4 * 1024 * 1024 });
process.stdout.write(`open ${j.head().seq} ${j.warnings.map((w) => w.code).join(",") || "-"}\n`);

let n = 0;
const inflight = new Set<Promise<void>>();
for (;;) {
  while (inflight.size < 48) {
    const i = n++;
    const p: Promise<void> = j
      .append({
        kind: "test.write",
        summary: `write ${i}`,
        details: { i, pad: "x".repeat(i % 4 === 0 ? 20_000 + ((i * 7919) % 40_000) : (i * 7919) % 3000) },
      })
      .then((r) => {
        process.stdout.write(`ack ${r.seq} ${r.hash}\n`);
        inflight.delete(p);
      });
    inflight.add(p);
  }
  await Promise.race(inflight);
}
