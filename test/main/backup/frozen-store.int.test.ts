// A frozen S3 endpoint (accepts the connection, never answers) makes a backup fail with a clear error within the
// bounded idle timeout (LIFEBOAT_IDLE_TIMEOUT_SECONDS, here 2 s; three attempts), never a silent hang; and when the
// store freezes mid-upload, the source's snapshot is released: no pg_dump and no Lifeboat session (with its open
// transaction) is left on the source, no multipart upload is left open, nothing is committed, and the journal says
// "failed". The real CLI process, so the exit code and what it leaves behind are the operator's.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { startLifeboatEnv, BUCKET, type LifeboatEnv } from "../../harness/lifeboat-env.ts";
import { startFaultProxy, startFrozenServer, type FaultProxy } from "../../harness/fault-proxy.ts";
import { leftovers, spawnCli } from "../../harness/spawned-cli.ts";

const IDLE_SECONDS = 2;
// Three attempts of at most IDLE_SECONDS of silence each, the SDK's back-off between them, and start-up on a busy
// machine: far below the hour-long hang it replaces, and what the assertion holds the run to.
const BOUND_MS = 45_000;

let env: LifeboatEnv | undefined;
let skip: string | undefined;
let frozen: Awaited<ReturnType<typeof startFrozenServer>> | undefined;
let proxy: FaultProxy | undefined;

before(async () => {
  const e = await startLifeboatEnv({ scale: 20 });
  if ("skip" in e) return void (skip = e.skip);
  env = e;
  frozen = await startFrozenServer();
  proxy = await startFaultProxy(env.s3.endpoint);
  const via = (name: string, endpoint: string) => ({
    ...env!.profile,
    name,
    storage: { ...env!.profile.storage, endpoint },
  });
  await writeFile(
    env.configPath,
    JSON.stringify({ version: 1, profiles: [env.profile, via("frozen", frozen.url), via("faulty", proxy.url)] }),
    { mode: 0o600 },
  );
});
after(async () => {
  await proxy?.stop();
  await frozen?.stop();
  await env?.stop();
});

const OURS = "application_name = 'lifeboat' AND datname = 'clinic'";

async function sourceSessions(): Promise<{ n: number; inTransaction: number }> {
  const r = await env!.cluster.query(
    `SELECT count(*)::int AS n, count(xact_start)::int AS "inTransaction" FROM pg_stat_activity WHERE ${OURS} AND pid <> pg_backend_pid()`,
  );
  return r.rows[0];
}

async function lastBackupOutcome(): Promise<{ outcome: string; error?: { code: string } }> {
  const r = await env!.cli(["journal", "list", "--kind", "backup.run", "--json"]);
  return r.json!.value.records.at(-1);
}

async function backupIn(profile: string): Promise<{ code: number | null; ms: number; stderr: string; held: boolean }> {
  const t0 = Date.now();
  const run = await spawnCli(["--config", env!.configPath, "--no-progress", "backup", "-p", profile], {
    ...env!.env,
    LIFEBOAT_IDLE_TIMEOUT_SECONDS: String(IDLE_SECONDS),
  });
  // While it waits on the frozen store, the source is held (checked below for the mid-upload freeze).
  const held = run
    .waitUntil(async () => (await sourceSessions()).inTransaction > 0, "the snapshot was taken", BOUND_MS)
    .then(
      () => true,
      () => false,
    );
  // A hang is the regression this guards against: past the bound the run is killed, and the exit code says so.
  const limit = setTimeout(() => run.kill("SIGKILL"), BOUND_MS);
  const { code } = await run.exited;
  clearTimeout(limit);
  const ms = Date.now() - t0;
  console.log(`# backup -p ${profile} against the frozen store: exit ${code} after ${ms} ms`);
  assert.deepEqual(await leftovers(run.tmp), [], "nothing is left in its temporary folder");
  await run.cleanup();
  return { code, ms, stderr: run.stderr(), held: await held };
}

test("an endpoint that accepts and never answers fails the backup within the bound, exit 4, saying so", async (t) => {
  if (skip) return t.skip(skip);
  const r = await backupIn("frozen");
  assert.equal(r.code, 4, r.stderr);
  assert.ok(frozen!.connections > 0, "the backup did connect to the frozen endpoint");
  assert.ok(r.ms < BOUND_MS, `failed after ${r.ms} ms, within ${BOUND_MS} ms`);
  assert.match(r.stderr, /cannot reach S3 at .* \(TimeoutError\)|timed out|did not answer/i);
  assert.equal((await sourceSessions()).n, 0, "no session is left on the source");
  const last = await lastBackupOutcome();
  assert.equal(last.outcome, "failed");
  assert.equal(last.error?.code ?? (last as any).details?.error?.code, "STORAGE_UNREACHABLE");
});

test("a store that freezes mid-upload: exit 4 within the bound, the snapshot released, nothing committed", async (t) => {
  if (skip) return t.skip(skip);
  const before = (await env!.cli(["backups", "-p", "clinic", "--json"])).json!.value.backups.length;
  // Every upload of the backup object's bytes (PutObject or UploadPart) gets no answer; the abort (DELETE) passes.
  proxy!.set({ fault: "freeze", method: "PUT", path: /\.age(\?|$)/ });
  try {
    const r = await backupIn("faulty");
    assert.ok(proxy!.applied.length > 0, "the upload reached the frozen rule");
    assert.ok(r.held, "the snapshot was held while the upload waited (the freeze came after it was taken)");
    assert.equal(r.code, 4, r.stderr);
    assert.ok(r.ms < BOUND_MS, `failed after ${r.ms} ms, within ${BOUND_MS} ms`);
    assert.match(r.stderr, /cannot reach S3 at .* \(TimeoutError\)|timed out|did not answer/i);
  } finally {
    proxy!.set();
  }
  const deadline = Date.now() + 10_000;
  while ((await sourceSessions()).n > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(await sourceSessions(), { n: 0, inTransaction: 0 }, "no pg_dump, no snapshot transaction left");
  assert.deepEqual(await env!.s3.openUploads(BUCKET), [], "no multipart upload left open");
  assert.equal((await lastBackupOutcome()).outcome, "failed");
  const after = await env!.cli(["backups", "-p", "clinic", "--json"]);
  assert.equal(after.json!.value.backups.length, before, "nothing was committed");

  const next = await env!.cli(["backup", "-p", "faulty", "--json"]);
  assert.equal(next.code, 0, next.stdout + next.stderr);
});
