// kill -9 a real writer at random moments, many times; after each kill the journal must open, every acknowledged
// record must be there with the hash that was acknowledged, and the whole chain must verify.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { openJournal } from "../../../src/main/journal/journal.ts";
import { verifyJournal } from "../../../src/main/journal/verify-journal.ts";
import { tempJournalDir } from "./journal-test-dir.ts";

const CHILD = fileURLToPath(new URL("./crash-writer.child.ts", import.meta.url));
const KILLS = 30;
const t = tempJournalDir();
after(t.cleanup);

/** Runs the writer, kills it `delayMs` after it reports the journal open, and returns the acks it printed. */
function runAndKill(dir: string, delayMs: number): Promise<{ acks: Map<number, string>; opened: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, dir], { stdio: ["ignore", "pipe", "pipe"] });
    const acks = new Map<number, string>();
    let opened = "";
    let buf = "";
    let err = "";
    child.stderr.on("data", (c) => (err += c));
    child.stdout.on("data", (c: Buffer) => {
      buf += c.toString();
      const lines = buf.split("\n");
      buf = lines.pop()!;
      for (const l of lines) {
        const [what, a, b] = l.split(" ");
        if (what === "ack") acks.set(Number(a), b!);
        else if (what === "open" && !opened) {
          opened = l;
          setTimeout(() => child.kill("SIGKILL"), delayMs);
        }
      }
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (signal !== "SIGKILL") reject(new Error(`writer exited ${code} ${signal}: ${err}`));
      else resolve({ acks, opened });
    });
  });
}

test(
  `after ${KILLS} SIGKILLs at random moments no acknowledged record is lost and the chain verifies`,
  { timeout: 240_000 },
  async () => {
    let tornSeen = 0;
    let totalAcks = 0;
    for (let round = 0; round < KILLS; round++) {
      // Mostly mid-write; every fifth round as soon as the journal is open (the next open then repairs a fresh crash).
      const delay = round % 5 === 0 ? 0 : 5 + Math.floor(Math.random() * 120);
      const { acks } = await runAndKill(t.dir, delay);
      totalAcks += acks.size;

      const j = await openJournal({ dir: t.dir });
      if (j.warnings.some((w) => w.code === "torn-tail")) tornSeen++;
      assert.deepEqual(
        j.warnings.filter((w) => w.code !== "torn-tail"),
        [],
        `round ${round}: unexpected warnings`,
      );
      if (acks.size) {
        const seqs = [...acks.keys()];
        const found = new Map<number, string>();
        for await (const { seq, line } of j.lines({ fromSeq: Math.min(...seqs), toSeq: Math.max(...seqs) }))
          found.set(seq, line.slice(-66, -2));
        for (const [seq, hash] of acks)
          assert.equal(found.get(seq), hash, `round ${round}: acknowledged record #${seq} is missing or changed`);
      }
      await j.close();
      const v = await verifyJournal(t.dir);
      assert.equal(v.ok, true, `round ${round}: ${JSON.stringify(v.problems.slice(0, 5))}`);
    }
    const tornFiles = readdirSync(t.dir).filter((n) => n.includes(".torn-"));
    assert.equal(tornFiles.length >= tornSeen, true);
    assert.ok(totalAcks > KILLS * 10, `the writer acknowledged only ${totalAcks} records`);
    assert.ok(existsSync(t.dir));
    console.log(`# ${KILLS} kills, ${totalAcks} acknowledged records, ${tornSeen} torn tails set aside`);
  },
);
