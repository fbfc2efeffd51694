import type { VerifyResult } from "../../shared/api/channels/backup-channels.ts";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import type { Profile } from "../../shared/config.ts";
import type { BackupManifest } from "../../shared/manifest.ts";
import type { ProgressListener } from "../../shared/progress.ts";
import { listBackups } from "../backup/backup-catalog.ts";
import { runBackup } from "../backup/run-backup.ts";
import { validateProfile } from "../config/config-validate.ts";
import { generateIdentity } from "../crypto/age-keys.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { profileStore } from "../engine/profile-runtime.ts";
import { openJournal } from "../journal/journal.ts";
import { LocalCluster } from "../postgres/local-cluster.ts";
import { createClinicalSchema, generateClinicalData } from "../sample/clinical-sample.ts";
import { resolveSecret } from "../secrets/resolve.ts";
import { startLocalS3 } from "../sandbox/local-s3.ts";
import { verifyBackup } from "../verify/verify-backup.ts";
import { RunScope } from "../engine/run-scope.ts";
import { startReaper } from "../process/reaper.ts";

export interface DemoOptions {
  scale?: number;
  say: (line: string) => void;
  onProgress?: ProgressListener;
  /** Ctrl-C, SIGTERM: the step running stops, and everything made so far is removed. */
  signal?: AbortSignal;
}

export interface DemoResult {
  profile: Profile;
  manifest: BackupManifest;
  verify: VerifyResult;
  journalRecords: number;
}

/**
 * The embedded demo: everything a user needs to see Lifeboat work with no cloud account. A local PostgreSQL cluster
 * holding the clinical sample database, a local S3 server, a fresh age key pair, then a backup and a deep verify —
 * journaled like any real run. Secrets live only in this process's memory; everything is removed at the end.
 */
export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const scope = new RunScope(opts.signal);
  const work = await mkdtemp(join(tmpdir(), "lifeboat-demo-"));
  // Whatever way this process ends, the folder (S3 data, journal) goes; the cluster has a reaper of its own.
  const reaper = startReaper({ remove: [work] });
  const cleanups: (() => Promise<void>)[] = [async () => rm(work, { recursive: true, force: true })];
  const step = (line: string): void => {
    scope.check("the demo", "everything it made was removed");
    opts.say(line);
  };
  try {
    return await demo(opts, scope, work, cleanups, step);
  } catch (e) {
    throw scope.explain(e, "the demo", "everything it made was removed");
  } finally {
    for (const c of cleanups) await c().catch(() => undefined);
    reaper.stop();
    scope.dispose();
  }
}

async function demo(
  opts: DemoOptions,
  scope: RunScope,
  work: string,
  cleanups: (() => Promise<void>)[],
  say: (line: string) => void,
): Promise<DemoResult> {
  const password = randomBytes(18).toString("base64url");
  say("1. Starting a local PostgreSQL cluster…");
  const cluster = await LocalCluster.create({ password });
  cleanups.unshift(() => cluster.destroy());
  say(`   PostgreSQL ${cluster.major} on 127.0.0.1:${cluster.port}`);
  await cluster.query("CREATE DATABASE clinic");
  const conn = cluster.conn("clinic");
  await createClinicalSchema(conn);
  const rows = await generateClinicalData(conn, { scale: opts.scale ?? 1, seed: 7 });
  say(
    `   clinical sample database "clinic": ${Object.entries(rows)
      .map(([t, n]) => `${n} ${t}`)
      .join(", ")}`,
  );

  say("2. Starting a local S3 server…");
  const s3 = await startLocalS3({ dir: join(work, "s3"), buckets: ["lifeboat-demo"] });
  cleanups.unshift(() => s3.stop());
  say(`   ${s3.endpoint}, bucket lifeboat-demo`);

  say("3. Making an age key pair (a real profile keeps the identity in the OS keychain)…");
  const { identity, recipient } = generateIdentity();
  say(`   recipient ${recipient}`);
  // The demo's secrets live only in this in-memory environment, referenced by env: like a headless profile's.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DEMO_PG_PASSWORD: password,
    DEMO_AGE_IDENTITY: identity,
    DEMO_S3_KEY: s3.accessKeyId,
    DEMO_S3_SECRET: s3.secretAccessKey,
  };
  const profile = validateProfile({
    name: "demo",
    database: {
      host: "127.0.0.1",
      port: cluster.port,
      database: "clinic",
      user: conn.user,
      password: "env:DEMO_PG_PASSWORD",
      sslmode: "disable",
    },
    storage: {
      kind: "s3",
      bucket: "lifeboat-demo",
      prefix: "nightly",
      endpoint: s3.endpoint,
      forcePathStyle: true,
      accessKeyId: "env:DEMO_S3_KEY",
      secretAccessKey: "env:DEMO_S3_SECRET",
    },
    encryption: { recipients: [recipient], identity: "env:DEMO_AGE_IDENTITY" },
  });
  const journal = await openJournal({ dir: join(work, "journal") });
  cleanups.unshift(() => journal.close());
  const ctx: EngineContext = {
    resolveSecret: (ref) => resolveSecret(ref, env),
    journal,
    env,
    signal: scope.signal,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  };

  say("4. Backing up: pg_dump inside an exported snapshot -> zstd -> age -> S3 multipart upload…");
  const manifest = await runBackup(profile, ctx);
  say(
    `   backup ${manifest.id}: ${manifest.tables.length} tables, ${manifest.tables.reduce((a, t) => a + t.rows, 0)} rows counted in the dump's own snapshot`,
  );
  say(
    `   stored ${manifest.object.bytes} bytes (archive ${manifest.dumpBytes} bytes), sha256 ${manifest.object.sha256.slice(0, 16)}…; manifest.json written last`,
  );
  const catalog = await listBackups(await profileStore(profile, ctx), profile.name);
  say(`   restorable backups in the bucket: ${catalog.backups.map((b) => b.id).join(", ")}`);

  say(
    "5. Deep verify: download, check sha256, decrypt, decompress, count rows in the archive, restore into a throwaway cluster, compare every table…",
  );
  const verify = await verifyBackup(profile, manifest.id, ctx, { deep: true });
  say(
    `   PASS: all ${verify.tables.length} tables match the manifest exactly, in the archive and after a real restore`,
  );

  say("6. Restoring it without Lifeboat needs only standard tools:");
  say(`   ${manifest.restoreCommand}`);
  const journalRecords = journal.head().seq;
  say(`7. The journal recorded ${journalRecords} entries for this demo (hash-chained; see \`lifeboat journal\`).`);
  return { profile, manifest, verify, journalRecords };
}
