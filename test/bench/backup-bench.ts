// The core issue's benchmark, all measured in one run on this machine (ratios against same-run baselines, because the
// machine is shared and noisy):
//   backup to the local S3 server   vs  pg_dump -Fc -Z0 > /dev/null                         (goal <= 1.20x)
//   backup to the local S3 server   vs  the seed's pg_dump | gzip | openssl enc + upload     (goal <= 0.30x)
//   restore from S3 into a new db   vs  pg_restore of a local file of the same dump          (goal <= 1.15x)
//   peak RSS of the Lifeboat process, at 1x and 2x the database size                         (goal <= 256 MB)
// The Lifeboat runs are the real CLI (bin/lifeboat.js) in its own process, under GNU time for peak RSS; the S3 server
// runs in another process so neither's memory or event loop is counted against the other.
import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { generateIdentity } from "../../src/main/crypto/age-keys.ts";
import { LocalCluster, findServerBinDir } from "../../src/main/postgres/local-cluster.ts";
import { startS3InChild } from "../harness/s3.ts";
import { makeSampleDb } from "./make-sample-db.ts";

interface Timed {
  seconds: number;
  maxRssMb?: number;
  stdout: string;
}

function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv, opts: { rss?: boolean; cwd?: string } = {}): Promise<Timed> {
  const started = process.hrtime.bigint();
  const [file, argv] = opts.rss ? ["/usr/bin/time", ["-f", "MAXRSS_KB=%M", cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv as string[], { env, stdio: ["ignore", "pipe", "pipe"], ...(opts.cwd ? { cwd: opts.cwd } : {}) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(" ")} exited ${code}: ${stderr.slice(-2000)}`));
      const m = /MAXRSS_KB=(\d+)/.exec(stderr);
      resolve({ seconds, stdout, ...(m ? { maxRssMb: Number(m[1]) / 1024 } : {}) });
    });
  });
}

const ratio = (a: number, b: number): number => Math.round((a / b) * 1000) / 1000;

export async function benchBackup(opts: { gib?: number; scaleUp?: boolean; log?: (s: string) => void } = {}): Promise<Record<string, number | string | boolean>> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const gib = opts.gib ?? Number(process.env.LIFEBOAT_BENCH_GIB ?? 1);
  const work = await mkdtemp(join(tmpdir(), "lifeboat-bench-"));
  const bin = await findServerBinDir();
  const password = "bench-" + Math.random().toString(36).slice(2);
  const cluster = await LocalCluster.create({ password, settings: { shared_buffers: "256MB", max_wal_size: "4GB", checkpoint_timeout: "30min" } });
  const s3 = await startS3InChild({ buckets: ["bench"] });
  const out: Record<string, number | string | boolean> = {};
  try {
    log(`generating a clinical sample database of >= ${gib} GiB…`);
    const db = await makeSampleDb(cluster, gib * 1024 ** 3, { database: "clinic" });
    out.database_bytes = db.bytes;
    log(`  ${(db.bytes / 1024 ** 3).toFixed(2)} GiB in ${db.seconds.toFixed(0)} s`);
    await cluster.query("CHECKPOINT");
    await cluster.query("VACUUM ANALYZE", [], "clinic");

    const conn = cluster.conn("clinic");
    const pgEnv = { ...process.env, PGHOST: "127.0.0.1", PGPORT: String(cluster.port), PGUSER: conn.user, PGPASSWORD: password, PGDATABASE: "clinic" };
    const { identity, recipient } = generateIdentity();
    const config = join(work, "config.json");
    await writeFile(
      config,
      JSON.stringify({
        version: 1,
        profiles: [
          {
            name: "bench",
            database: { host: "127.0.0.1", port: cluster.port, database: "clinic", user: conn.user, password: "env:BENCH_PG", sslmode: "disable" },
            storage: { kind: "s3", bucket: "bench", endpoint: s3.endpoint, forcePathStyle: true, accessKeyId: "env:BENCH_S3_KEY", secretAccessKey: "env:BENCH_S3_SECRET" },
            encryption: { recipients: [recipient], identity: "env:BENCH_AGE" },
          },
        ],
      }),
      { mode: 0o600 },
    );
    const lbEnv = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", BENCH_PG: password, BENCH_AGE: identity, BENCH_S3_KEY: s3.accessKeyId, BENCH_S3_SECRET: s3.secretAccessKey, LIFEBOAT_JOURNAL_DIR: join(work, "journal") };
    const lifeboat = (args: string[]) => sh(process.execPath, ["bin/lifeboat.js", "--config", config, ...args, "--json"], lbEnv, { rss: true });

    // Warm the cache the same way for every contender: one throwaway dump first.
    const rawDump = () => sh("bash", ["-c", `"${join(bin, "pg_dump")}" -Fc -Z0 > /dev/null`], pgEnv);
    await rawDump();

    log("baseline: pg_dump -Fc -Z0 > /dev/null");
    const raw = await rawDump();
    out.pg_dump_raw_s = raw.seconds;

    log("lifeboat backup (pg_dump -Z0 | zstd -1 | age | S3 multipart)");
    const backup = await lifeboat(["backup"]);
    const manifest = JSON.parse(backup.stdout).value;
    out.lifeboat_backup_s = backup.seconds;
    out.lifeboat_backup_rss_mb = Math.round(backup.maxRssMb ?? -1);
    out.stored_bytes = manifest.object.bytes;
    out.dump_bytes = manifest.dumpBytes;

    log("seed pipeline: pg_dump | gzip | openssl enc -aes-256-cbc, then upload");
    const seedFile = join(work, "seed.sql.gz.enc");
    const seedStarted = process.hrtime.bigint();
    await sh("bash", ["-o", "pipefail", "-c", `pg_dump | gzip | openssl enc -aes-256-cbc -salt -pbkdf2 -pass env:BENCH_PASS > ${seedFile}`], { ...pgEnv, PATH: `${bin}:${process.env.PATH}`, BENCH_PASS: password });
    const client = new S3Client({ endpoint: s3.endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }, requestChecksumCalculation: "WHEN_REQUIRED" });
    await new Upload({ client, params: { Bucket: "bench", Key: "seed/backup.tar.gz.enc", Body: createReadStream(seedFile) }, partSize: 8 * 1024 * 1024, queueSize: 2 }).done();
    out.seed_pipeline_s = Number(process.hrtime.bigint() - seedStarted) / 1e9;
    out.seed_pipeline_bytes = (await stat(seedFile)).size;
    await rm(seedFile);

    out.backup_vs_pg_dump_raw = ratio(backup.seconds, raw.seconds);
    out.backup_vs_seed_pipeline = ratio(backup.seconds, out.seed_pipeline_s as number);
    log(`  backup ${backup.seconds.toFixed(1)} s vs raw pg_dump ${raw.seconds.toFixed(1)} s -> ${out.backup_vs_pg_dump_raw}x (goal <= 1.20)`);
    log(`  backup vs seed pipeline ${(out.seed_pipeline_s as number).toFixed(1)} s -> ${out.backup_vs_seed_pipeline}x (goal <= 0.30)`);

    log("baseline: pg_restore --single-transaction of a local file of the same dump");
    const plain = join(work, "same-dump.pgdump");
    const keyFile = join(work, "lifeboat-identity.txt");
    await writeFile(keyFile, identity + "\n", { mode: 0o600 });
    // The very same archive the backup stored, decrypted and decompressed with standard tools.
    await sh("bash", ["-o", "pipefail", "-c", `${manifest.restoreCommand.split(" | pg_restore")[0]} > ${plain}`], {
      ...process.env,
      AWS_ACCESS_KEY_ID: s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      AWS_DEFAULT_REGION: "us-east-1",
    }, { cwd: work });
    await cluster.query("CREATE DATABASE restore_baseline");
    const baseline = await sh(join(bin, "pg_restore"), ["--single-transaction", "--exit-on-error", "--no-owner", "-d", "restore_baseline", plain], pgEnv);
    out.pg_restore_local_s = baseline.seconds;
    await rm(plain);

    log("lifeboat restore from S3 into a new database (download, sha256, age, zstd, pg_restore, exact counts)");
    const restore = await lifeboat(["restore", manifest.id, "--target-db", "restore_lifeboat", "--no-owner"]);
    out.lifeboat_restore_s = restore.seconds;
    out.lifeboat_restore_rss_mb = Math.round(restore.maxRssMb ?? -1);
    out.restore_vs_pg_restore_local = ratio(restore.seconds, baseline.seconds);
    log(`  restore ${restore.seconds.toFixed(1)} s vs local pg_restore ${baseline.seconds.toFixed(1)} s -> ${out.restore_vs_pg_restore_local}x (goal <= 1.15)`);
    await cluster.query("DROP DATABASE restore_baseline");
    await cluster.query("DROP DATABASE restore_lifeboat");

    if (opts.scaleUp ?? process.env.LIFEBOAT_BENCH_SCALE_UP !== "0") {
      log(`peak RSS at twice the size: generating >= ${2 * gib} GiB…`);
      const db2 = await makeSampleDb(cluster, 2 * gib * 1024 ** 3, { database: "clinic" });
      out.database2_bytes = db2.bytes;
      const backup2 = await lifeboat(["backup"]);
      out.lifeboat_backup2_s = backup2.seconds;
      out.lifeboat_backup2_rss_mb = Math.round(backup2.maxRssMb ?? -1);
      log(`  peak RSS ${out.lifeboat_backup_rss_mb} MB at ${(db.bytes / 1024 ** 3).toFixed(2)} GiB, ${out.lifeboat_backup2_rss_mb} MB at ${(db2.bytes / 1024 ** 3).toFixed(2)} GiB (goal <= 256)`);
    }
    return out;
  } finally {
    await s3.stop().catch(() => undefined);
    await cluster.destroy().catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchBackup(), null, 2));
}
