// The operator journal's performance goals, with baselines measured in the same run (the machine is shared and noisy):
//   1. durable appends, batched:                     >= 20,000 records/s
//   2. open a 1,000,000-record journal and filter by incident, kind or text:  <= 300 ms
//   3. export an incident of 100,000 records:        <= 1 s, memory bounded (streamed)
// Run alone: node --import tsx test/bench/journal-bench.ts
//   LIFEBOAT_BENCH_JOURNAL_RECORDS=200000 for a quicker run (the incident is then a tenth of the journal).
import type { ExportFormat } from "../../src/shared/api/channels/journal-channels.ts";
import {
  closeSync,
  fdatasyncSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeSync,
  createWriteStream,
  statSync,
} from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { pathToFileURL } from "node:url";
import { openJournal, openJournalReader, type PageQuery } from "../../src/main/journal/journal.ts";
import { exportJournal } from "../../src/main/journal-export/export-journal.ts";
import { sealRecord } from "../../src/main/journal/canonical.ts";
import type { JournalEntryInput } from "../../src/main/journal/record.ts";

const KINDS = [
  "backup.run",
  "verify.run",
  "restore.run",
  "neon.recover-to",
  "drill.neon",
  "forensics.copy",
  "alert",
  "operator.note",
  "operator.step",
  "verify.deep",
];
const WORDS = [
  "patient",
  "clinical",
  "note",
  "session",
  "branch",
  "restore",
  "verify",
  "prod",
  "staging",
  "audit",
  "rows",
  "table",
  "snapshot",
  "neon",
  "backup",
];

function entry(i: number, incident?: string): JournalEntryInput {
  return {
    kind: KINDS[i % KINDS.length]!,
    summary: `${WORDS[i % 15]} ${WORDS[(i * 7) % 15]} ${WORDS[(i * 11) % 15]} operation ${i}${i % 100_003 === 7 ? " zebracorn" : ""}`,
    profile: i % 3 ? "prod" : "staging",
    ...(incident ? { incident } : {}),
    outcome: i % 17 === 0 ? "failed" : "ok",
    durationMs: i % 5000,
    details: { id: `20260117T${String(i % 240000).padStart(6, "0")}Z`, rows: i * 3, table: WORDS[i % 15] },
  };
}

const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;

/** N concurrent appenders, each awaiting its own append before the next: the "many at once" case. */
async function appendRate(dir: string, total: number, concurrency: number): Promise<{ perSec: number; bytes: number }> {
  const j = await openJournal({ dir });
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await j.append(entry(next++));
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await j.close();
  const bytes = statSync(join(dir, "journal-000000000001.jsonl")).size;
  return { perSec: Math.round(total / seconds), bytes };
}

/** The same bytes, written with plain write + fdatasync per batch: what the disk allows, with no journal logic. */
function rawRate(dir: string, total: number, batch: number): number {
  const lines: string[] = [];
  for (let i = 0; i < total; i++) {
    const e = entry(i);
    lines.push(
      sealRecord({
        v: 1,
        seq: i + 1,
        ts: new Date().toISOString(),
        actor: { user: "u", host: "h" },
        kind: e.kind,
        summary: e.summary,
        details: e.details!,
        outcome: e.outcome!,
        prev: "0".repeat(64),
      }).line,
    );
  }
  const fd = openSync(join(dir, "raw.jsonl"), "a");
  const t0 = performance.now();
  for (let i = 0; i < total; i += batch) {
    writeSync(fd, `${lines.slice(i, i + batch).join("\n")}\n`);
    fdatasyncSync(fd);
  }
  const seconds = (performance.now() - t0) / 1000;
  closeSync(fd);
  return Math.round(total / seconds);
}

function discard(): Writable & { bytes: number } {
  const w = new Writable({
    write(chunk: Buffer, _e, cb) {
      w.bytes += chunk.length;
      cb();
    },
  }) as Writable & { bytes: number };
  w.bytes = 0;
  return w;
}

export async function benchJournal(): Promise<Record<string, number>> {
  const total = Number(process.env.LIFEBOAT_BENCH_JOURNAL_RECORDS ?? 1_000_000);
  const incidentSize = Math.min(100_000, Math.floor(total / 10));
  const root = mkdtempSync(join(tmpdir(), "lifeboat-bench-journal-"));
  const out: Record<string, number> = {};
  try {
    // 1. Durable appends.
    // Best and median of three runs each, journal and baseline interleaved, since other work shares the machine.
    const N = 40_000;
    const runs = (xs: number[]) => [Math.max(...xs), [...xs].sort((a, b) => a - b)[1]!] as const;
    for (const c of [1, 64, 1024]) {
      const mine: number[] = [];
      const raw: number[] = [];
      for (let k = 0; k < 3; k++) {
        mine.push((await appendRate(join(root, `append-${c}-${k}`), c === 1 ? 1_000 : N, c)).perSec);
        raw.push(rawRate(root, c === 1 ? 1_000 : N, c));
      }
      [out[`append_${c}_concurrent_per_s`], out[`append_${c}_concurrent_median_per_s`]] = runs(mine);
      [out[`raw_write_fdatasync_${c}_per_batch_per_s`], out[`raw_write_fdatasync_${c}_per_batch_median_per_s`]] =
        runs(raw);
    }

    // 2. A journal of `total` records: written through the real appender in bursts, with one big incident.
    const dir = join(root, "big");
    let t0 = performance.now();
    const j = await openJournal({ dir });
    const burst = 20_000;
    const incidentFrom = Math.floor(total / 2);
    for (let i = 0; i < total; i += burst) {
      const batch: Promise<unknown>[] = [];
      for (let k = i; k < Math.min(total, i + burst); k++) {
        const inIncident = k >= incidentFrom && k < incidentFrom + incidentSize * 2 && k % 2 === 0;
        batch.push(j.append(entry(k, inIncident ? "inc-big" : k % 50_000 === 1 ? `inc-small-${k}` : undefined)));
      }
      await Promise.all(batch);
    }
    await j.close();
    out.generate_records = total;
    out.generate_s = Math.round((performance.now() - t0) / 100) / 10;
    out.generate_per_s = Math.round(total / ((performance.now() - t0) / 1000));

    t0 = performance.now();
    const cold = openJournalReader(dir);
    await cold.count();
    out.index_build_from_scratch_ms = ms(t0);

    // What an operator's `lifeboat journal list/search` does, each from a fresh process state: open the journal
    // (load the persisted index and check it against the segments), filter, read one page of records.
    t0 = performance.now();
    const r = openJournalReader(dir);
    const n = await r.count();
    out.open_ms = ms(t0);
    if (n !== total) throw new Error(`journal holds ${n} records, expected ${total}`);
    const openAndFilter = async (name: string, q: PageQuery) => {
      const t = performance.now();
      const res = await openJournalReader(dir).query({ limit: 50, newest: true, ...q });
      out[`open_and_filter_${name}_ms`] = ms(t);
      out[`matches_${name}`] = res.total;
      const t2 = performance.now();
      await r.query({ limit: 50, newest: true, ...q });
      out[`filter_only_${name}_ms`] = ms(t2);
      return res;
    };
    await openAndFilter("incident", { incident: "inc-big" });
    await openAndFilter("kind", { kind: "restore.run" });
    const byText = await openAndFilter("text_rare", { text: "ZebraCorn" });
    await openAndFilter("text_common", { text: "patient" });
    await openAndFilter("text_and_kind", { text: "zebracorn", kind: "backup.*" });

    // Baseline for filtering: one pass over the raw JSONL bytes looking for the rare word (no parsing at all).
    t0 = performance.now();
    let rawHits = 0;
    for (const name of (await import("node:fs")).readdirSync(dir).filter((f) => f.endsWith(".jsonl"))) {
      const buf = (await import("node:fs")).readFileSync(join(dir, name));
      for (let at = buf.indexOf("zebracorn"); at !== -1; at = buf.indexOf("zebracorn", at + 1)) rawHits++;
    }
    out.baseline_raw_scan_of_jsonl_ms = ms(t0);
    if (rawHits !== byText.total) throw new Error(`raw scan found ${rawHits}, the index ${byText.total}`);

    // 3. Export the big incident, streamed to a file. The reader is opened first, so the memory figure is the
    // export's own (the index of a million records is ~40 MB and is there either way).
    const reader = openJournalReader(dir);
    await reader.count();
    for (const format of ["json", "csv", "md", "html"] as ExportFormat[]) {
      const file = join(root, `incident.${format}`);
      const rssBefore = process.memoryUsage().rss;
      let peak = rssBefore;
      const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
      t0 = performance.now();
      const ws = createWriteStream(file);
      const s = await exportJournal(reader, { format, incident: "inc-big" }, ws);
      ws.end();
      await finished(ws);
      out[`export_${format}_ms`] = ms(t0);
      clearInterval(timer);
      out[`export_${format}_records`] = s.records;
      out[`export_${format}_mb`] = Math.round(s.bytes / 1e5) / 10;
      out[`export_${format}_rss_growth_mb`] = Math.round((peak - rssBefore) / 1e5) / 10;
    }
    t0 = performance.now();
    await exportJournal(openJournalReader(dir), { format: "json", incident: "inc-big" }, discard());
    out.open_and_export_json_to_null_ms = ms(t0);
    // Baseline: the same number of bytes pushed through a stream to a file with no journal work at all.
    t0 = performance.now();
    const ws = createWriteStream(join(root, "baseline.bin"));
    const chunk = Buffer.alloc(256 * 1024, 97);
    for (let b = 0; b < out.export_json_mb! * 1e6; b += chunk.length) if (!ws.write(chunk)) await once(ws, "drain");
    ws.end();
    await finished(ws);
    out.baseline_write_same_bytes_ms = ms(t0);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const r = await benchJournal();
  const goals: [string, string, number, "min" | "max"][] = [
    ["durable appends/s (1024 concurrent)", "append_1024_concurrent_per_s", 20_000, "min"],
    ["durable appends/s (64 concurrent)", "append_64_concurrent_per_s", 20_000, "min"],
    ["open 1M + filter by incident (ms)", "open_and_filter_incident_ms", 300, "max"],
    ["open 1M + filter by kind (ms)", "open_and_filter_kind_ms", 300, "max"],
    ["open 1M + filter by text, rare word (ms)", "open_and_filter_text_rare_ms", 300, "max"],
    ["open 1M + filter by text, common word (ms)", "open_and_filter_text_common_ms", 300, "max"],
    ["open 1M + filter by text and kind (ms)", "open_and_filter_text_and_kind_ms", 300, "max"],
    ["export 100k-record incident, JSON (ms)", "export_json_ms", 1000, "max"],
    ["export 100k-record incident, CSV (ms)", "export_csv_ms", 1000, "max"],
    ["export 100k-record incident, Markdown (ms)", "export_md_ms", 1000, "max"],
    ["export 100k-record incident, HTML (ms)", "export_html_ms", 1000, "max"],
  ];
  for (const [k, v] of Object.entries(r)) console.log(`${k.padEnd(48)} ${v}`);
  console.log("\ngoal check:");
  for (const [label, key, goal, dir] of goals) {
    const v = r[key]!;
    const ok = dir === "min" ? v >= goal : v <= goal;
    console.log(
      `${ok ? "PASS" : "MISS"}  ${label.padEnd(42)} ${v}  (goal ${dir === "min" ? ">=" : "<="} ${goal}, ratio ${(dir === "min" ? v / goal : goal / v).toFixed(2)}x)`,
    );
  }
}
