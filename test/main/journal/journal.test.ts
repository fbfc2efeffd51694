import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { LifeboatError } from "../../../src/shared/errors.ts";
import { nullJournal, openJournal } from "../../../src/main/journal/journal.ts";
import { checkLine } from "../../../src/main/journal/canonical.ts";
import { verifyJournal } from "../../../src/main/journal/verify-journal.ts";
import { GENESIS_PREV } from "../../../src/main/journal/record.ts";
import { tempJournalDir } from "./journal-test-dir.ts";

const dirs: (() => void)[] = [];
after(() => dirs.forEach((c) => c()));
function fresh(): string {
  const t = tempJournalDir();
  dirs.push(t.cleanup);
  return t.dir;
}

function segmentLines(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith(".jsonl"))
    .sort()
    .flatMap((n) => readFileSync(join(dir, n), "utf8").split("\n").filter(Boolean));
}

describe("journal", () => {
  test("appends form a gap-free hash chain with the fields in canonical order", async () => {
    const dir = fresh();
    const j = await openJournal({ dir, actor: { user: "dba", host: "laptop" } });
    const recs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        j.append({ kind: "operator.note", summary: `note ${i}`, details: { i }, profile: "prod" }),
      ),
    );
    await j.close();
    assert.deepEqual(
      recs.map((r) => r.seq),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    assert.equal(recs[0]!.prev, GENESIS_PREV);
    for (let i = 1; i < recs.length; i++) assert.equal(recs[i]!.prev, recs[i - 1]!.hash);
    const lines = segmentLines(dir);
    assert.equal(lines.length, 20);
    assert.match(
      lines[0]!,
      /^\{"v":1,"seq":1,"ts":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","actor":\{"user":"dba","host":"laptop"\},"profile":"prod","kind":"operator.note","summary":"note 0","details":\{"i":0\},"outcome":"info","prev":"0{64}","hash":"[0-9a-f]{64}"\}$/,
    );
    for (const l of lines) assert.equal(checkLine(l).ok, true);
    assert.equal((await verifyJournal(dir)).ok, true);
  });

  test("a resolved append is on disk: a second process reads it back", async () => {
    const dir = fresh();
    const j = await openJournal({ dir });
    const r = await j.append({ kind: "backup.run", summary: "nightly", outcome: "ok" });
    const child = spawn(process.execPath, [
      "-e",
      `const fs=require("fs");const f=fs.readdirSync(${JSON.stringify(dir)}).find(n=>n.endsWith(".jsonl"));process.stdout.write(fs.readFileSync(${JSON.stringify(dir)}+"/"+f,"utf8"))`,
    ]);
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    await new Promise((res) => child.on("close", res));
    assert.ok(out.includes(`"hash":"${r.hash}"`));
    await j.close();
  });

  test("reopening continues the chain, across segment files", async () => {
    const dir = fresh();
    let j = await openJournal({ dir, segmentBytes: 1500 });
    for (let i = 0; i < 30; i++) await j.append({ kind: "operator.note", summary: `first run ${i}` });
    await j.close();
    j = await openJournal({ dir, segmentBytes: 1500 });
    assert.equal(j.head().seq, 30);
    for (let i = 0; i < 30; i++) await j.append({ kind: "operator.note", summary: `second run ${i}` });
    await j.close();
    const segments = readdirSync(dir).filter((n) => n.endsWith(".jsonl"));
    assert.ok(segments.length > 5, `expected rotation, got ${segments.length} segments`);
    const v = await verifyJournal(dir);
    assert.deepEqual({ ok: v.ok, records: v.records, last: v.lastSeq }, { ok: true, records: 60, last: 60 });
  });

  test("two writers (separate journals on one folder) never fork the chain", async () => {
    const dir = fresh();
    // Small segments, so the writers also take turns rotating files under each other.
    const a = await openJournal({ dir, actor: { user: "a", host: "h" }, segmentBytes: 2500 });
    const b = await openJournal({ dir, actor: { user: "b", host: "h" }, segmentBytes: 2500 });
    await Promise.all([
      ...Array.from({ length: 200 }, (_, i) => a.append({ kind: "operator.note", summary: `a${i}` })),
      ...Array.from({ length: 200 }, (_, i) => b.append({ kind: "operator.note", summary: `b${i}` })),
    ]);
    for (let i = 0; i < 20; i++) {
      await a.append({ kind: "operator.note", summary: `a-serial${i}` });
      await b.append({ kind: "operator.note", summary: `b-serial${i}` });
    }
    await a.close();
    await b.close();
    const v = await verifyJournal(dir);
    assert.equal(v.ok, true, JSON.stringify(v.problems));
    assert.equal(v.records, 440);
    assert.ok(v.segments > 4, `${v.segments} segments`);
  });

  test("step records start and end, with duration, summary and the error code", async () => {
    const dir = fresh();
    const j = await openJournal({ dir });
    const value = await j.step(
      { kind: "backup.run", summary: "backup", details: { db: "clinic" } },
      async () => 42,
      (n) => ({ rows: n }),
    );
    assert.equal(value, 42);
    await assert.rejects(
      j.step({ kind: "restore.run", summary: "restore" }, async () => {
        throw new LifeboatError("TARGET_NOT_EMPTY", "The target database holds data.", "Type its name to confirm.");
      }),
      /holds data/,
    );
    await assert.rejects(
      j.step({ kind: "verify.run", summary: "verify" }, async () => {
        throw new LifeboatError("OBJECT_CORRUPT", "sha256 mismatch");
      }),
    );
    await assert.rejects(
      j.step({ kind: "drill.neon", summary: "drill" }, async () => Promise.reject(new TypeError("boom"))),
    );
    const { records } = await j.query({ limit: 100 });
    await j.close();
    const ends = records.filter((r) => r.outcome !== "started");
    assert.deepEqual(
      records.map((r) => `${r.kind}:${r.outcome}`),
      [
        "backup.run:started",
        "backup.run:ok",
        "restore.run:started",
        "restore.run:refused",
        "verify.run:started",
        "verify.run:failed",
        "drill.neon:started",
        "drill.neon:failed",
      ],
    );
    assert.deepEqual(ends[0]!.details, { db: "clinic", rows: 42, startSeq: 1 });
    assert.equal(typeof ends[0]!.durationMs, "number");
    assert.deepEqual(ends[1]!.details.error, {
      code: "TARGET_NOT_EMPTY",
      message: "The target database holds data.",
      hint: "Type its name to confirm.",
    });
    assert.equal((ends[2]!.details.error as { code: string }).code, "OBJECT_CORRUPT");
    assert.deepEqual(ends[3]!.details.error, { code: "INTERNAL", name: "TypeError", message: "boom" });
  });

  test("an operation whose start cannot be journaled does not run", async () => {
    const dir = fresh();
    const j = await openJournal({ dir });
    await j.close();
    let ran = false;
    await assert.rejects(
      j.step({ kind: "restore.run", summary: "restore" }, async () => {
        ran = true;
      }),
    );
    assert.equal(ran, false);
  });

  test("details are made plain JSON: undefined dropped, dates ISO, errors flattened, cycles cut", async () => {
    const dir = fresh();
    const j = await openJournal({ dir });
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const r = await j.append({
      kind: "operator.note",
      summary: "line one\nline two",
      details: {
        gone: undefined,
        at: new Date("2026-01-17T14:30:00Z"),
        err: new Error("bad"),
        big: 10n,
        cyclic,
        ["__proto__"]: { x: 1 },
      } as Record<string, unknown>,
    });
    await j.close();
    assert.equal(r.summary, "line one line two");
    // "__proto__" stays an ordinary key (data), never a prototype.
    assert.equal(
      JSON.stringify(r.details),
      '{"at":"2026-01-17T14:30:00.000Z","err":{"name":"Error","message":"bad"},"big":"10","cyclic":{"a":1,"self":"[circular]"},"__proto__":{"x":1}}',
    );
    assert.equal(checkLine(segmentLines(dir)[0]!).ok, true);
  });

  test("bad entries are refused before anything is written", async () => {
    const dir = fresh();
    const j = await openJournal({ dir });
    await assert.rejects(j.append({ kind: "Bad Kind", summary: "x" }), /Invalid journal entry/);
    await assert.rejects(j.append({ kind: "a.b", summary: "x", outcome: "maybe" as "ok" }), /outcome/);
    await assert.rejects(
      j.append({ kind: "a.b", summary: "x", details: [] as unknown as Record<string, unknown> }),
      /details/,
    );
    await j.close();
    assert.equal(segmentLines(dir).length, 0);
  });

  test("nullJournal runs steps and records nothing", async () => {
    const j = nullJournal();
    assert.equal(await j.step({ kind: "backup.run", summary: "b" }, async () => "done"), "done");
    await assert.rejects(
      j.step({ kind: "backup.run", summary: "b" }, async () => Promise.reject(new Error("x"))),
      /x/,
    );
    assert.equal((await j.append({ kind: "a.b", summary: "s" })).kind, "a.b");
    await j.close();
  });

  test("a stale lock left by a killed process is taken over", async () => {
    const dir = fresh();
    const j = await openJournal({ dir });
    await j.append({ kind: "operator.note", summary: "before" });
    await j.close();
    // pid 2^22+ is beyond Linux's default pid_max, so it is certainly not running.
    const { writeFileSync } = await import("node:fs");
    const { hostname } = await import("node:os");
    writeFileSync(join(dir, "journal.lock"), `4194999 ${hostname()} ${Date.now()}\n`);
    const j2 = await openJournal({ dir, lockTimeoutMs: 2000 });
    await j2.append({ kind: "operator.note", summary: "after" });
    await j2.close();
    assert.equal((await verifyJournal(dir)).records, 2);
  });

  test("a live lock held too long is reported as JOURNAL_LOCKED", async () => {
    const dir = fresh();
    const j = await openJournal({ dir });
    await j.close();
    const { writeFileSync, unlinkSync } = await import("node:fs");
    const { hostname } = await import("node:os");
    writeFileSync(join(dir, "journal.lock"), `${process.pid} ${hostname()} ${Date.now()}\n`);
    await assert.rejects(
      openJournal({ dir, lockTimeoutMs: 200 }),
      (e: unknown) => e instanceof LifeboatError && e.code === "JOURNAL_LOCKED",
    );
    unlinkSync(join(dir, "journal.lock"));
  });
});
