// Retention, attachments and replicas, each against a baseline measured in the same run (the machine is shared):
//   1. prune planning over 10,000 backups:                          <= 2 s
//   2. an attachment run over 10,000 unchanged objects (Ceph RGW):   <= 10 s (baseline: one bare listing of them)
//   3. replicating a backup between two RGW buckets:                 <= 1.1x a plain copy of the same object
// Sizes: LIFEBOAT_BENCH_BACKUPS (10000), LIFEBOAT_BENCH_ATTACHMENTS (10000), LIFEBOAT_BENCH_REPLICA_MIB (256),
// LIFEBOAT_BENCH_REPEATS (3). Run alone: LIFEBOAT_BENCH=protection npm run bench
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { runAttachments } from "../../src/main/attachments/run-attachments.ts";
import { manifestBytes } from "../../src/main/backup/backup-layout.ts";
import { validateProfile } from "../../src/main/config/config-validate.ts";
import { generateIdentity } from "../../src/main/crypto/age-keys.ts";
import { nullJournal } from "../../src/main/journal/journal.ts";
import { copyBackup } from "../../src/main/replicas/copy-backup.ts";
import { planPrune, type BackupFact } from "../../src/main/retention/plan-prune.ts";
import { S3Store } from "../../src/main/storage/s3-store.ts";
import { fakeManifest } from "../harness/manifest-fixture.ts";
import { RETENTION_PRESETS } from "../../src/shared/retention-policy.ts";
import { startRgw, type RgwHarness } from "../harness/rgw.ts";

const int = (name: string, def: number) => Number(process.env[name] ?? def);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = () => loadavg().map((l) => Math.round(l * 100) / 100);

function benchPlanning(): Record<string, unknown> {
  const n = int("LIFEBOAT_BENCH_BACKUPS", 10_000);
  const end = Date.parse("2026-12-07T12:00:00Z");
  const step = Math.floor((7 * 365 * 86_400_000) / n); // n backups spread over seven years
  const backups: BackupFact[] = Array.from({ length: n }, (_, i) => {
    const t = end - (n - i) * step;
    return {
      id: `${new Date(t)
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d+Z$/, "Z")}-${(i % 65536).toString(16).padStart(4, "0")}`,
      time: t,
      manifestSha256: "a".repeat(64),
      bytes: 1e9,
      verified: i % 3 === 0,
      provable: true,
      ...(i % 50 === 0 ? { lock: { mode: "COMPLIANCE" as const, until: end + 86_400_000, legalHold: false } } : {}),
    };
  });
  const times: number[] = [];
  let kept = 0;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    const plan = planPrune({
      backups,
      incomplete: [],
      uploads: [],
      policy: RETENTION_PRESETS.clinical,
      now: end,
      maxBackupAgeMinutes: 1440 * 30,
      lockMode: "COMPLIANCE",
    });
    times.push(performance.now() - t0);
    kept = plan.keep.length;
  }
  return { backups: n, kept, medianMs: Math.round(median(times)), goalMs: 2000, load: load() };
}

/** CPU time of this process's main thread (Linux: /proc, in clock ticks of 10 ms); null elsewhere. */
function mainThreadCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

function store(rgw: RgwHarness, bucket: string, prefix = ""): S3Store {
  return new S3Store({
    bucket,
    prefix,
    region: rgw.region,
    endpoint: rgw.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
  });
}

async function benchAttachments(rgw: RgwHarness): Promise<Record<string, unknown>> {
  const n = int("LIFEBOAT_BENCH_ATTACHMENTS", 10_000);
  await rgw.createBucket("bench-app");
  await rgw.createBucket("bench-att");
  const c = rgw.client();
  for (let i = 0; i < n; i += 64) {
    await Promise.all(
      Array.from({ length: Math.min(64, n - i) }, (_, j) =>
        c.send(new PutObjectCommand({ Bucket: "bench-app", Key: `files/${i + j}.bin`, Body: randomBytes(200) })),
      ),
    );
  }
  const { recipient, identity } = generateIdentity();
  process.env.BENCH_RGW_KEY = rgw.accessKeyId;
  process.env.BENCH_RGW_SECRET = rgw.secretAccessKey;
  const s3 = (bucket: string, prefix: string) => ({
    kind: "s3" as const,
    bucket,
    prefix,
    endpoint: rgw.endpoint,
    forcePathStyle: true,
    accessKeyId: "env:BENCH_RGW_KEY",
    secretAccessKey: "env:BENCH_RGW_SECRET",
  });
  const profile = validateProfile({
    name: "bench",
    database: { host: "127.0.0.1", database: "x", user: "x" },
    storage: s3("bench-att", ""),
    encryption: { recipients: [recipient] },
    attachments: [{ name: "files", source: s3("bench-app", "files") }],
  });
  const ctx = { resolveSecret: async (r: string) => process.env[r.slice(4)]!, journal: nullJournal() };
  void identity;
  const t0 = performance.now();
  await runAttachments(profile, ctx);
  const firstMs = performance.now() - t0;
  const runs: number[] = [];
  const lists: number[] = [];
  const source = store(rgw, "bench-app", "files");
  for (let r = 0; r < int("LIFEBOAT_BENCH_REPEATS", 3); r++) {
    const l0 = performance.now();
    await source.list("");
    lists.push(performance.now() - l0);
    const t1 = performance.now();
    const [out] = await runAttachments(profile, ctx);
    runs.push(performance.now() - t1);
    if (out!.copied !== 0) throw new Error(`an unchanged run copied ${out!.copied} files`);
  }
  source.close();
  return {
    objects: n,
    firstRunMs: Math.round(firstMs),
    unchangedRunMedianMs: Math.round(median(runs)),
    bareListingMedianMs: Math.round(median(lists)),
    goalMs: 10_000,
    load: load(),
  };
}

async function benchReplication(rgw: RgwHarness): Promise<Record<string, unknown>> {
  const mib = int("LIFEBOAT_BENCH_REPLICA_MIB", 256);
  await rgw.createBucket("bench-primary");
  const primary = store(rgw, "bench-primary");
  const body = randomBytes(mib * 1024 * 1024);
  const id = "20261207T120000Z-beef";
  const key = `bench/${id}/bench.pgdump.zst.age`;
  await primary.putStream(key, Readable.from([body]), { sizeHint: body.length });
  const m = fakeManifest({ id, profile: "bench", key, body, startedAt: "2026-12-07T12:00:00Z" });
  await primary.putSmall(`bench/${id}/manifest.json`, manifestBytes(m));
  const copies: number[] = [];
  const replications: number[] = [];
  // Where the time goes, less sensitive than wall time to a machine others load: this process's CPU time (all its
  // threads) and its main thread's alone (the thread that drives both copies), per contender.
  const cpu: Record<"copy" | "replicate", number[]> = { copy: [], replicate: [] };
  const mainCpu: Record<"copy" | "replicate", number[]> = { copy: [], replicate: [] };
  for (let r = 0; r < int("LIFEBOAT_BENCH_REPEATS", 3); r++) {
    await rgw.createBucket(`bench-plain-${r}`);
    await rgw.createBucket(`bench-replica-${r}`);
    const plain = store(rgw, `bench-plain-${r}`);
    const replica = store(rgw, `bench-replica-${r}`);
    // Contenders alternate who goes first.
    const order = r % 2 === 0 ? ["copy", "replicate"] : ["replicate", "copy"];
    for (const which of order) {
      const c0 = process.cpuUsage();
      const m0 = mainThreadCpuMs();
      const t0 = performance.now();
      if (which === "copy") {
        await plain.putStream(key, await primary.getStream(key), { sizeHint: body.length });
        copies.push(performance.now() - t0);
      } else {
        await copyBackup(
          { name: "bench" },
          id,
          primary,
          { name: "r", storage: { kind: "folder", path: "/" }, objectLock: undefined, retention: undefined },
          replica,
        );
        replications.push(performance.now() - t0);
      }
      const c = process.cpuUsage(c0);
      cpu[which as "copy" | "replicate"].push((c.user + c.system) / 1000);
      if (m0 !== null) mainCpu[which as "copy" | "replicate"].push(mainThreadCpuMs()! - m0);
    }
    plain.close();
    replica.close();
  }
  primary.close();
  const copy = median(copies);
  const rep = median(replications);
  return {
    mib,
    plainCopyMedianMs: Math.round(copy),
    replicationMedianMs: Math.round(rep),
    ratio: Math.round((rep / copy) * 1000) / 1000,
    plainCopyMs: copies.map(Math.round),
    replicationMs: replications.map(Math.round),
    processCpuMedianMs: { copy: Math.round(median(cpu.copy)), replicate: Math.round(median(cpu.replicate)) },
    ...(mainCpu.copy.length
      ? { mainThreadCpuMedianMs: { copy: median(mainCpu.copy), replicate: median(mainCpu.replicate) } }
      : {}),
    goal: "<= 1.1",
    load: load(),
  };
}

export async function benchProtection(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { loadAtStart: load(), planning: benchPlanning() };
  const dir = await mkdtemp(join(tmpdir(), "lifeboat-bench-protect-"));
  const rgw = await startRgw({
    objectStore: process.env.LIFEBOAT_BENCH_RGW_STORE === "memstore" ? "memstore" : "bluestore",
  });
  try {
    out.attachments = await benchAttachments(rgw);
    out.replication = await benchReplication(rgw);
  } finally {
    await rgw.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return out;
}
