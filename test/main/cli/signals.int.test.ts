// Ctrl-C and SIGTERM sent to the real CLI process (bin/lifeboat.js) in the middle of a backup, a restore --jobs 2 and
// the demo: the documented exit code, the journal record closed as "cancelled", no multipart upload left open on the S3
// server, nothing left in the process's own TMPDIR (plaintext least of all), no half-restored or staging database, no
// pg_dump or pg_restore session left on the server, the demo's PostgreSQL gone; and the next run succeeds. A second
// Ctrl-C forces the exit at once.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startLifeboatEnv, BUCKET, type LifeboatEnv } from "../../harness/lifeboat-env.ts";
import { processesMentioning, spawnCli, type SpawnedCli } from "../../harness/spawned-cli.ts";
import {
  assertTmpClean,
  backupIds as backupIdsOf,
  lastRun as lastRunOf,
  LIFEBOAT_SESSION,
  noSessions as waitNoSessions,
  restoreLeftovers,
  sessions as countSessions,
} from "../../harness/trial-checks.ts";

let env: LifeboatEnv | undefined;
let skip: string | undefined;
let backupId = "";

before(async () => {
  const e = await startLifeboatEnv({ scale: 40 });
  if ("skip" in e) return void (skip = e.skip);
  env = e;
  const first = await env.cli(["backup", "-p", "clinic", "--json"]);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  backupId = first.json!.value.id;
});
after(async () => env?.stop());

const spawn = (args: string[]): Promise<SpawnedCli> =>
  spawnCli(["--config", env!.configPath, "--no-progress", ...args], env!.env);

const LIFEBOAT = LIFEBOAT_SESSION;
const DUMPING = `${LIFEBOAT} AND datname = 'clinic' AND query LIKE 'COPY %'`;
const RESTORING = `${LIFEBOAT} AND datname LIKE 'lifeboat\\_restoring\\_%' AND query LIKE 'COPY %'`;
const sessions = (where: string): Promise<number> => countSessions(env!.cluster, where);
const noSessions = (where: string, what: string): Promise<void> => waitNoSessions(env!.cluster, where, what);
const lastRun = (kind: string) => lastRunOf(env!, kind);
const backupIds = (): Promise<string[]> => backupIdsOf(env!);

describe("signals: backup", () => {
  const cases: { name: string; signal: NodeJS.Signals; code: number; at: "dump" | "upload" }[] = [
    { name: "Ctrl-C while pg_dump runs", signal: "SIGINT", code: 130, at: "dump" },
    { name: "SIGTERM while pg_dump runs", signal: "SIGTERM", code: 143, at: "dump" },
    { name: "Ctrl-C with a multipart upload open", signal: "SIGINT", code: 130, at: "upload" },
    { name: "SIGTERM with a multipart upload open", signal: "SIGTERM", code: 143, at: "upload" },
  ];
  for (const c of cases) {
    test(`${c.name}: exit ${c.code}, journal cancelled, nothing left, the next backup succeeds`, async (t) => {
      if (skip) return t.skip(skip);
      const before = await backupIds();
      const uploadsSeen = env!.s3.requests.length;
      const run = await spawn(["backup", "-p", "clinic"]);
      if (c.at === "dump") {
        await run.waitUntil(async () => (await sessions(DUMPING)) > 0, "pg_dump was copying a table");
      } else {
        await run.waitUntil(
          async () =>
            env!.s3.requests
              .slice(uploadsSeen)
              .some((r) => r.method === "PUT" && r.query.partNumber !== undefined && r.query.uploadId !== undefined),
          "a part was uploaded",
        );
      }
      run.kill(c.signal);
      const { code } = await run.exited;
      assert.equal(code, c.code, run.stderr());
      assert.match(run.stderr(), /stopping cleanly/);
      assert.match(run.stderr(), /was cancelled/);
      const last = await lastRun("backup.run");
      assert.equal(last.outcome, "cancelled", JSON.stringify(last.end));
      assert.deepEqual(last.open, [], "no backup record is left open");
      assert.deepEqual(await env!.s3.openUploads(BUCKET), [], "the multipart upload was aborted");
      await noSessions(LIFEBOAT, "pg_dump or Lifeboat's snapshot session");
      await assertTmpClean(run);
      assert.deepEqual(await backupIds(), before, "no backup was added");

      const next = await env!.cli(["backup", "-p", "clinic", "--json"]);
      assert.equal(next.code, 0, next.stdout + next.stderr);
      assert.equal((await lastRun("backup.run")).outcome, "ok");
    });
  }

  test("a second Ctrl-C quits at once: children killed, temporary files removed, exit 130", async (t) => {
    if (skip) return t.skip(skip);
    const before = await backupIds();
    const seen = env!.s3.requests.length;
    const run = await spawn(["backup", "-p", "clinic"]);
    await run.waitUntil(
      async () => env!.s3.requests.slice(seen).some((r) => r.method === "POST" && "uploads" in r.query),
      "the multipart upload was started",
    );
    run.kill("SIGINT");
    await run.waitFor(/stopping cleanly/);
    run.kill("SIGINT");
    const { code } = await run.exited;
    assert.equal(code, 130, run.stderr());
    await noSessions(LIFEBOAT, "pg_dump or Lifeboat's snapshot session");
    await assertTmpClean(run);
    assert.deepEqual(await backupIds(), before, "no backup was added");
    // Forced: what the first Ctrl-C had not cleaned up yet is left for `lifeboat doctor`, never claimed as done.
    const last = await lastRun("backup.run");
    assert.ok(last.outcome === undefined || last.outcome === "cancelled", `not "${last.outcome}"`);
    const doctor = await env!.cli(["doctor", "--fix", "--yes", "--json"]);
    assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr);
    assert.deepEqual(await env!.s3.openUploads(BUCKET), []);
    assert.deepEqual((await lastRun("backup.run")).open, []);

    const next = await env!.cli(["backup", "-p", "clinic", "--json"]);
    assert.equal(next.code, 0, next.stdout + next.stderr);
  });
});

describe("signals: restore --jobs 2", () => {
  const cases: { name: string; signal: NodeJS.Signals; code: number; at: "staging" | "pg_restore" }[] = [
    { name: "SIGTERM once the staging database exists", signal: "SIGTERM", code: 143, at: "staging" },
    { name: "Ctrl-C while pg_restore runs", signal: "SIGINT", code: 130, at: "pg_restore" },
    { name: "SIGTERM while pg_restore runs", signal: "SIGTERM", code: 143, at: "pg_restore" },
  ];
  let n = 0;
  for (const c of cases) {
    test(`${c.name}: exit ${c.code}, journal cancelled, no database under the target name, no plaintext`, async (t) => {
      if (skip) return t.skip(skip);
      const target = `restored_sig_${++n}`;
      const run = await spawn(["restore", backupId, "-p", "clinic", "--target-db", target, "--jobs", "2"]);
      if (c.at === "staging") {
        await run.waitUntil(
          async () =>
            (
              await env!.cluster.query(
                "SELECT count(*)::int AS n FROM pg_database WHERE datname LIKE 'lifeboat\\_restoring\\_%'",
              )
            ).rows[0].n > 0,
          "the staging database was created",
        );
      } else {
        await run.waitUntil(async () => (await sessions(RESTORING)) > 0, "pg_restore was loading a table");
      }
      run.kill(c.signal);
      const { code } = await run.exited;
      assert.equal(code, c.code, run.stderr());
      assert.match(run.stderr(), /was cancelled/);
      const last = await lastRun("restore.run");
      assert.equal(last.outcome, "cancelled", JSON.stringify(last.end));
      assert.deepEqual(last.open, []);
      assert.deepEqual(
        await restoreLeftovers(env!.cluster, target),
        [],
        "neither the target nor a staging database is left",
      );
      await noSessions(LIFEBOAT, "pg_restore");
      await assertTmpClean(run);

      const next = await env!.cli(["restore", backupId, "-p", "clinic", "--target-db", target, "--jobs", "2"]);
      assert.equal(next.code, 0, next.stdout + next.stderr);
      assert.equal((await lastRun("restore.run")).outcome, "ok");
    });
  }
});

describe("signals: the demo", () => {
  const cases: { name: string; signal: NodeJS.Signals; code: number; at: RegExp }[] = [
    { name: "SIGTERM once its PostgreSQL runs", signal: "SIGTERM", code: 143, at: /PostgreSQL \d+ on 127\.0\.0\.1/ },
    { name: "Ctrl-C during its backup", signal: "SIGINT", code: 130, at: /4\. Backing up/ },
    { name: "SIGTERM during its deep verify", signal: "SIGTERM", code: 143, at: /5\. Deep verify/ },
  ];
  for (const c of cases) {
    test(`${c.name}: exit ${c.code}, its cluster and folders gone`, async (t) => {
      if (skip) return t.skip(skip);
      const run = await spawn(["demo", "--scale", "3"]);
      await run.waitFor(c.at, 120_000);
      const running = await processesMentioning(run.tmp);
      assert.ok(
        running.some((p) => /postgres/.test(p)),
        `its PostgreSQL runs on its folder before the signal: ${running.join("; ")}`,
      );
      run.kill(c.signal);
      const { code } = await run.exited;
      assert.equal(code, c.code, run.stdout() + run.stderr());
      assert.match(run.stderr(), /the demo was cancelled/);
      assert.deepEqual(await processesMentioning(run.tmp), [], "no PostgreSQL (or anything else) runs on its folder");
      await assertTmpClean(run);
    });
  }

  test("the next demo runs to the end", async (t) => {
    if (skip) return t.skip(skip);
    const run = await spawn(["demo"]);
    const { code } = await run.exited;
    assert.equal(code, 0, run.stdout() + run.stderr());
    assert.match(run.stdout(), /Demo complete/);
    assert.deepEqual(await processesMentioning(run.tmp), []);
    await assertTmpClean(run);
  });
});
